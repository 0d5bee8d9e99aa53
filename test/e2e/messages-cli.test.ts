/**
 * Messages that did not go out, end to end: a message failed while the mail server was down is
 * listed by `plie messages --echecs`, sent again by the sweep (its Temporal Schedule) once the
 * server is back — exactly once, with its Message-ID — and listed no more; `plie messages renvoyer`
 * sends one again at the coordination's request. A real Temporal dev server, the real worker, a
 * database of this file's own (the sweep looks at every message), a real SMTP server behind a
 * switch that plays its outage.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.ts';
import { messageIdOf } from '../../activities/delivery.ts';
import type { Db } from '../../src/db/client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { undeliveredForHome } from '../../src/email/undelivered.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { freePort } from '../../src/infra/ports.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { createLogger } from '../../src/logging.ts';
import { homeView } from '../../src/slack/home.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { ensureMessageSweepSchedule } from '../../src/temporal/schedules.ts';
import { MESSAGE_SWEEP_WORKFLOW } from '../../workflows/message-sweep.ts';
import { createOwnDatabase } from '../helpers/own-database.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { TestInbox } from '../helpers/smtp.ts';
import { COORDINATOR, LINK_SECRET, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

// Each step spawns the CLI, a fresh Node process (a few seconds on two cores).
vi.setConfig({ testTimeout: 240_000 });

const exec = promisify(execFile);
const run = randomBytes(3).toString('hex');
const taskQueue = uniqueQueue('messages');
const payloadKeys = TEST_PAYLOAD_KEYS;
const MINUTE = 60_000;
const REFERENT = `ref-messages-${run}@plie.test`;
const PERSON = `nadia-${run}@exemple.test`;

let databaseUrl: string;
let dataDir: string;
let nativeConnection: NativeConnection;
let stack: WorkerStack;
let client: Client;
let db: Db;
let inbox: TestInbox;
let smtp: SmtpSwitch;
let mailer: Mailer;
let activities: Activities;

/** A switch in front of the SMTP server: off, every connection is cut (the server is down); on, it passes. */
interface SmtpSwitch {
  url: string;
  up: boolean;
  down: () => void;
  stop: () => Promise<void>;
}

async function smtpSwitch(target: string): Promise<SmtpSwitch> {
  const to = new URL(target);
  const open = new Set<net.Socket>();
  const state = { up: true };
  const server = net.createServer((socket) => {
    if (!state.up) return socket.destroy();
    const upstream = net.connect(Number(to.port), to.hostname);
    for (const s of [socket, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    socket.pipe(upstream).pipe(socket);
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    // The pool's open connections go too, as when a server stops.
    down: () => {
      state.up = false;
      for (const s of open) s.destroy();
    },
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function cliEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PLIE_DATA_DIR: dataDir,
    PLIE_PAYLOAD_KEYS: payloadKeys,
    PLIE_API_TOKEN: 'jeton-de-test',
    PLIE_COORDINATOR_EMAIL: COORDINATOR,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
  };
}

/** Runs `plie …` as a separate process; resolves with its exit code and output. */
async function plie(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(projectRoot, 'bin', 'plie.js'), ...args], { cwd: dataDir, env: cliEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  databaseUrl = await createOwnDatabase('messages_cli');
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'plie-messages-'));
  inbox = await TestInbox.start();
  smtp = await smtpSwitch(inbox.url);
  mailer = createMailer(smtp.url);
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys, databaseUrl, deps: { mailer } });
  db = stack.db;
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, db) });
  activities = createActivities({ db, mailer, mailFrom: 'PLIE test <plie@plie.test>', appUrl: 'http://plie.test', logger: createLogger('silent'), linkSecret: LINK_SECRET });
  await db.staff.create({ data: { email: REFERENT, name: 'Rémi Référent', roles: ['REFERENT'] } });
});

afterAll(async () => {
  await stack?.stop();
  await client?.connection.close();
  await nativeConnection?.close();
  mailer?.close();
  await smtp?.stop();
  await inbox?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A participant (with an address) and her pathway, followed by the referent, with an open task. */
async function pathway() {
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  await db.participant.create({
    data: { id: participantId, firstName: 'Nadia', lastName: 'Benali', email: PERSON, identityKey: `messages|${randomUUID()}`, birthDate: new Date('1985-03-03T00:00:00Z'), createdBy: 'test' },
  });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: REFERENT } });
  const taskId = `${pathwayId}/log_contact/1`;
  await activities.openTask({ id: taskId, pathwayId, kind: 'log_contact', assigneeEmail: REFERENT, openedAt: new Date().toISOString(), dueDate: '2026-12-20' });
  return { participantId, pathwayId, taskId };
}

/** Temporal's last attempt of an activity (its retry policy says so), as the worker runs it. */
function lastAttempt() {
  return new MockActivityEnvironment({ attempt: 10, retryPolicy: { maximumAttempts: 10 }, heartbeatTimeoutMs: 30_000 }, { logger: new DefaultLogger('ERROR') });
}

const received = (key: string) => inbox.count((m) => m.messageId === messageIdOf(key));

describe('messages that did not go out (dev server, PostgreSQL, SMTP)', () => {
  it('are listed, sent again by the sweep once the mail server is back — once each, same Message-ID — then listed no more', async () => {
    const p = await pathway();
    const notice = `${p.taskId}/opened`;
    const welcome = `${p.pathwayId}/entree`;
    smtp.down();
    try {
      // Temporal's last attempt, the mail server still down: the message is recorded as failed.
      await expect(lastAttempt().run(() => activities.notifyTask({ taskId: p.taskId, notice: 'opened', to: REFERENT, at: new Date().toISOString() }))).rejects.toThrow('SMTP n’a pas pu envoyer le message');
      // An attempt whose activity never came back (a worker gone): left pending.
      await expect(activities.notifyParticipant({ pathwayId: p.pathwayId, participantId: p.participantId, template: 'entree', key: welcome, at: new Date().toISOString() })).rejects.toThrow();
    } finally {
      smtp.up = true;
    }
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: notice } })).toMatchObject({ status: 'failed', channel: 'email' });
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: welcome } })).toMatchObject({ status: 'pending' });
    // Decided a while ago: the failure ten minutes ago, the pending one three hours ago (Temporal's retries long over).
    await db.message.update({ where: { idempotencyKey: notice }, data: { createdAt: new Date(Date.now() - 10 * MINUTE) } });
    await db.message.update({ where: { idempotencyKey: welcome }, data: { createdAt: new Date(Date.now() - 180 * MINUTE) } });
    const ids = await db.message.findMany({ where: { idempotencyKey: { in: [notice, welcome] } }, select: { id: true, idempotencyKey: true } });
    const idOf = (key: string) => ids.find((m) => m.idempotencyKey === key)!.id;

    const listed = await plie(['messages', '--echecs']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Messages non envoyés du PLIE CASA');
    expect(listed.stdout).toContain(idOf(notice));
    expect(listed.stdout).toContain(`Nouvelle tâche — dossier ${fileReference(p.participantId)} — à ${REFERENT}`);
    // With the mail server's words (addresses masked when recorded).
    expect(listed.stdout).toMatch(/\n {2}échec : \S/);
    expect(listed.stdout).toMatch(/\n {2}en attente : \S/);
    expect(listed.stdout).toContain(idOf(welcome));
    expect(listed.stdout).toContain('renvoi automatique prévu');
    // The coordination's App Home says the same, without any address.
    const home = JSON.stringify(homeView({ name: 'Claire', coordinator: true, tasks: [], caseload: [], teamOverdue: [], undelivered: await undeliveredForHome(db, 'CASA', Date.now()) }).blocks);
    expect(home).toContain('Messages non envoyés (2)');
    expect(home).toContain(`Nouvelle tâche* · dossier ${fileReference(p.participantId)}`);
    expect(home).not.toContain(REFERENT);
    expect(home).not.toContain(PERSON);

    // A referent may not look: the coordination only.
    const refused = await plie(['messages', '--echecs', '--par', REFERENT]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Le suivi des messages est réservé à la coordination.');

    // The sweep, started by its Schedule (every quarter of an hour), triggered now.
    const scheduleId = `renvoi-test-${run}`;
    expect(await ensureMessageSweepSchedule(client, taskQueue, scheduleId)).toBe('created');
    expect(await ensureMessageSweepSchedule(client, taskQueue, scheduleId)).toBe('existing');
    const schedule = client.schedule.getHandle(scheduleId);
    try {
      expect((await schedule.describe()).spec.intervals?.[0]).toMatchObject({ every: 15 * MINUTE });
      await schedule.trigger();
      const started = await vi.waitFor(
        async () => {
          const action = (await schedule.describe()).info.recentActions[0]?.action;
          if (action?.type !== 'startWorkflow') throw new Error('pas encore démarré');
          return action.workflow.workflowId;
        },
        { timeout: 20_000, interval: 200 },
      );
      expect(await client.workflow.getHandle(started).result()).toEqual({ found: 2, sent: 2 });
    } finally {
      await schedule.delete();
    }
    expect(received(notice)).toBe(1);
    expect(received(welcome)).toBe(1);
    expect(inbox.messages.find((m) => m.messageId === messageIdOf(welcome))!.to).toEqual([PERSON]);
    for (const key of [notice, welcome]) expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: key } })).toMatchObject({ status: 'sent' });

    // Once more: nothing left to send, nothing sent twice.
    expect(await client.workflow.execute(MESSAGE_SWEEP_WORKFLOW, { workflowId: `renvoi-${run}-encore`, taskQueue, args: [{}] })).toEqual({ found: 0, sent: 0 });
    expect(received(notice)).toBe(1);
    expect(received(welcome)).toBe(1);

    const after = await plie(['messages', '--echecs']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('Aucun message non envoyé pour le PLIE CASA.');
  });

  it('sends one again at the coordination’s request (plie messages renvoyer), once, and says what it cannot', async () => {
    const p = await pathway();
    const key = `${p.taskId}/escalation`;
    // The mail server refuses the address (a bounce at sending time): not for the sweep, for a person to look at.
    inbox.rejected.add(REFERENT);
    try {
      await expect(activities.notifyTask({ taskId: p.taskId, notice: 'escalation', to: REFERENT, at: new Date().toISOString() })).rejects.toThrow('SMTP a refusé le message');
    } finally {
      inbox.rejected.delete(REFERENT);
    }
    const message = await db.message.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(message.status).toBe('refused');
    const listed = await plie(['messages', '--echecs', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ id: string; next: { kind: string } }>).find((m) => m.id === message.id)?.next).toEqual({ kind: 'resend' });

    const notOurs = await plie(['messages', 'renvoyer', message.id, '--par', REFERENT]);
    expect(notOurs.code).toBe(1);
    expect(notOurs.stderr).toContain('réservé à la coordination');
    const bad = await plie(['messages', 'renvoyer', 'pas-un-identifiant']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Identifiant de message invalide');

    const resent = await plie(['messages', 'renvoyer', message.id, '--par', COORDINATOR]);
    expect(resent.stderr).toBe('');
    expect(resent.code).toBe(0);
    expect(resent.stdout).toContain('Message renvoyé : il est parti.');
    expect(received(key)).toBe(1);
    expect(await db.auditEvent.count({ where: { action: 'message.resend', channel: 'cli', actor: COORDINATOR, entityId: p.pathwayId } })).toBe(1);

    const again = await plie(['messages', 'renvoyer', message.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Ce message est déjà parti');
    expect(received(key)).toBe(1);
  });
});
