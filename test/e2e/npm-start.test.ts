/**
 * The README's first path, as a person runs it: `npm start` brings everything up on embedded
 * defaults, prints URLs that answer, stops cleanly on Ctrl-C, and finds its data again on restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../src/infra/ports.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { ctrlC } from '../../scripts/chaos/npm-start.ts';

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = makeScratchDir('plie-start-');
  const ports = {
    PORT: await freePort(),
    PLIE_DEV_POSTGRES_PORT: await freePort(),
    PLIE_DEV_TEMPORAL_PORT: await freePort(),
    PLIE_DEV_TEMPORAL_UI_PORT: await freePort(),
    PLIE_DEV_SMTP_PORT: await freePort(),
    PLIE_DEV_MAIL_UI_PORT: await freePort(),
  };
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    // info: the shutdown is checked through its « arrêté » log line.
    LOG_LEVEL: 'info',
    PLIE_DATA_DIR: dataDir,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  urls: { app: string; temporalUi: string; mail: string };
}

/** Runs `npm start` in its own process group (as a terminal would) until the banner is printed. */
async function npmStart(): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('tout est démarré')) resolve();
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`npm start s’est arrêté (code ${code}) :\n${output}`)));
  });
  const url = (label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(output)?.[1] ?? '';
  return {
    child,
    output: () => output,
    urls: { app: url('Application'), temporalUi: url('Temporal \\(Web UI\\)'), mail: url('Emails envoyés') },
  };
}

/** Runs `check` with a started system, which is stopped afterwards even when `check` fails. */
async function withStarted(check: (started: Started) => Promise<void>): Promise<Started> {
  const started = await npmStart();
  try {
    await check(started);
  } finally {
    await ctrlC(started);
  }
  return started;
}

describe('npm start', () => {
  it('starts everything, prints URLs that answer, stops cleanly and keeps the data', async () => {
    let participantId = '';
    let headers: Record<string, string> = {};
    const first = await withStarted(async ({ urls, output }) => {
      expect(urls.app).toMatch(/^http:\/\/localhost:\d+$/);
      // A fresh PLIE has no commission yet: its coordination is told at once.
      expect(output()).toContain('⚠ PLIE CASA : la commission ad hoc n’a aucun membre (rôle MEMBRE_COMMISSION, ou commission.members de la configuration) : ses cas iront à la coordination.');
      expect((await fetch(`${urls.app}/health`)).status).toBe(200);
      expect((await fetch(urls.temporalUi)).status).toBe(200);
      const mailUi = await fetch(urls.mail, { headers: { accept: 'text/html' } });
      expect(mailUi.status).toBe(200);
      expect(await mailUi.text()).toContain('<html');

      const { apiToken } = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { apiToken: string };
      headers = { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' };
      const created = await fetch(`${urls.app}/api/participants`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ firstName: 'Yasmine', lastName: 'Persistante', birthDate: '05/05/1985' }),
      });
      expect(created.status).toBe(201);
      participantId = ((await created.json()) as { participantId: string }).participantId;
      // The email about the new task reaches the local inbox (sent by the worker's activity).
      await vi.waitFor(
        async () => {
          const inbox = (await (await fetch(`${urls.mail}/api/email`)).json()) as Array<{ subject: string }>;
          expect(inbox.map((m) => m.subject)).toContain('[PLIE] Nouvelle tâche : Désigner le ou la référent·e de parcours');
        },
        { timeout: 20_000, interval: 200 },
      );
    });
    expect(first.output()).toContain('"msg":"arrêté"');

    const second = await withStarted(async ({ urls }) => {
      const state = await fetch(`${urls.app}/api/participants/${participantId}/parcours`, { headers });
      expect(state.status).toBe(200);
      expect(await state.json()).toMatchObject({ participantId, stage: 'orientation' });
    });
    expect(second.output()).toContain('"msg":"arrêté"');
  }, 240_000);
});
