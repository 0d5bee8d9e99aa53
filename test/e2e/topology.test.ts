/**
 * The production topology without Docker: two worker processes (`npm run worker`) and two web
 * processes (`npm run web`) against one Temporal server and one PostgreSQL (a database of this
 * test's own). Pathways are driven through both webs; one worker is killed (SIGKILL) mid-load and
 * the other takes over: every pathway reaches its diagnostic, nothing is done twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { freePort } from '../../src/infra/ports.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { createOwnDatabase } from '../helpers/own-database.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { TestInbox } from '../helpers/smtp.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const TOKEN = `jeton-topologie-${randomBytes(8).toString('hex')}`;
const COORDINATOR = 'coordination@topologie.test';
const REFERENT = 'referente@topologie.test';
/** Pathways driven, four at a time; the first worker dies after the first round. */
const PATHWAYS = 12;
const WAIT = { timeout: 180_000, interval: 250 };

let dataDir: string;
let db: Db;
let inbox: TestInbox;
let env: Record<string, string>;
const processes: ChildProcess[] = [];
const webs: string[] = [];
let workers: ChildProcess[] = [];

/** Starts `node --import tsx src/main/<role>.ts`; resolves once its log says it is up (workers) or /health answers (webs). */
async function start(role: 'worker' | 'web', extra: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'main', `${role}.ts`)], { cwd: projectRoot, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  if (role === 'worker') {
    await vi.waitFor(() => {
      if (child.exitCode !== null) throw new Error(`worker arrêté : ${output}`);
      expect(output).toContain('worker Temporal démarré');
    }, WAIT);
  } else {
    await vi.waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`web arrêté : ${output}`);
      expect((await fetch(`http://127.0.0.1:${extra.PORT}/health`)).status).toBe(200);
    }, WAIT);
  }
  return child;
}

async function api(web: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${web}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dataDir = makeScratchDir('plie-topologie-');
  const databaseUrl = await createOwnDatabase('topologie');
  db = createDb(databaseUrl);
  await db.staff.create({ data: { plieCode: 'CASA', email: REFERENT, name: 'Référente Topologie', roles: ['REFERENT'] } });
  inbox = await TestInbox.start();
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PLIE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: uniqueQueue('topologie'),
    SMTP_URL: inbox.url,
    PLIE_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    PLIE_API_TOKEN: TOKEN,
    PLIE_LINK_SECRET: randomBytes(32).toString('base64url'),
    PLIE_FILE_KEY: randomBytes(32).toString('base64'),
    PLIE_COORDINATOR_EMAIL: COORDINATOR,
  };
  const ports = [await freePort(), await freePort()];
  const started = await Promise.all([start('worker'), start('worker'), ...ports.map((port) => start('web', { PORT: String(port) }))]);
  workers = started.slice(0, 2);
  webs.push(...ports.map((port) => `http://127.0.0.1:${port}`));
}, 240_000);

afterAll(async () => {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await inbox?.stop();
  await db?.$disconnect();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** One pathway from referral to the diagnostic's integration, through the given web process. */
async function drive(web: string, n: number): Promise<string> {
  const suffix = randomBytes(3).toString('hex');
  const created = await api(web, 'POST', '/api/participants', { firstName: `Noé${suffix}`, lastName: `Topo${suffix}`, birthDate: '14/02/1985', commune: 'Antibes', email: `noe.${suffix}@exemple.fr` });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.participantId as string;
  const openTask = (kind: string) =>
    vi.waitFor(async () => {
      const tasks = (await api(web, 'GET', `/api/participants/${id}/parcours`)).body.openTasks as Array<{ id: string; kind: string }> | undefined;
      return tasks?.find((t) => t.kind === kind)?.id ?? expect.fail(`pas encore de tâche ${kind} (parcours ${n})`);
    }, WAIT);
  const assign = await openTask('assign_referent');
  expect((await api(web, 'POST', `/api/participants/${id}/reponses`, { taskId: assign, answer: { referentEmail: REFERENT }, actor: COORDINATOR })).status).toBe(200);
  const diagnostic = await openTask('diagnostic_decision');
  const integrated = await api(web, 'POST', `/api/participants/${id}/reponses`, { taskId: diagnostic, answer: { decision: 'integrate', entryDate: new Date().toISOString().slice(0, 10).split('-').reverse().join('/') }, actor: REFERENT });
  expect(integrated.status, JSON.stringify(integrated.body)).toBe(200);
  return id;
}

describe('two workers and two web processes on one Temporal server and one PostgreSQL', { timeout: 600_000 }, () => {
  it('drives pathways through both webs; a worker killed mid-load, the other takes over; nothing twice', async () => {
    const ids: string[] = [];
    for (let round = 0; round * 4 < PATHWAYS; round++) {
      const batch = Array.from({ length: 4 }, (_, i) => round * 4 + i);
      const driving = Promise.all(batch.map((n) => drive(webs[n % 2]!, n)));
      // Mid-load: the first worker dies without a word while the second round runs.
      if (round === 1) workers[0]!.kill('SIGKILL');
      ids.push(...(await driving));
    }
    expect(workers[0]!.signalCode).toBe('SIGKILL');
    expect(workers[1]!.exitCode).toBeNull();

    for (const id of ids) {
      const pathway = await db.pathway.findFirstOrThrow({ where: { participantId: id } });
      expect(pathway.stage).toBe('active');
      const tasks = await db.task.groupBy({ by: ['kind', 'status'], where: { pathwayId: pathway.id, kind: { in: ['assign_referent', 'diagnostic_decision'] } }, _count: true });
      expect(tasks.map((t) => [t.kind, t.status, t._count]).sort()).toEqual([
        ['assign_referent', 'done', 1],
        ['diagnostic_decision', 'done', 1],
      ]);
      expect(await db.auditEvent.count({ where: { entityId: pathway.id, action: 'pathway.stage' } })).toBe(3);
    }
    // Every email went once: no two with the same Message-ID, and as many as the database says were sent.
    await vi.waitFor(async () => expect(inbox.messages.length).toBe(await db.message.count({ where: { status: 'sent', channel: 'email' } })), WAIT);
    const messageIds = inbox.messages.map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
  });
});
