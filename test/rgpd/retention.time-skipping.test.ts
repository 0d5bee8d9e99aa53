/**
 * The retention, run by its workflow on the time-skipping server: years of workflow time go by in
 * seconds, and at each boundary the dry run counts what the run then does — the identity of a
 * person whose pathway ended 24 months ago pseudonymised (the bilan unchanged), their proofs deleted
 * once the FSE+ legal hold is over, used links gone — while a person still in pathway is never touched.
 * On a database of its own: the retention deletes expired records of every kind.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { addDays, addMonths, parisDate, parisInstant, type CalendarDate } from '../../src/domain/dates.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import type { RetentionCounts } from '../../src/rgpd/retention.ts';
import { RETENTION_WORKFLOW } from '../../workflows/retention.ts';
import type { RetentionStep } from '../../src/rgpd/retention.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { createOwnDatabase } from '../helpers/own-database.ts';
import { createPersonWithHistory } from '../helpers/person-history.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { startTimeSkipping, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = randomBytes(3).toString('hex');
const scratch = makeScratchDir('plie-retention-');
const proofsDir = path.join(scratch, 'justificatifs');
const proofs = createProofStore(proofsDir, randomBytes(32).toString('base64'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const taskQueue = uniqueQueue('conservation');
const payloadKeys = TEST_PAYLOAD_KEYS;
const config = CASA_CONFIG;
let env: TestWorkflowEnvironment;
let closeTemporal: () => Promise<void>;
let stack: WorkerStack;
let db: Db;
/** A plain client: waiting for a result does not let the server skip time (only `skipTo` does). */
let client: Client;

beforeAll(async () => {
  const databaseUrl = await createOwnDatabase('conservation');
  ({ env, close: closeTemporal } = await startTimeSkipping(payloadKeys, databaseUrl));
  stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys, databaseUrl, deps: { proofs, plieConfig: async () => config } });
  db = stack.db;
  client = new Client({ connection: env.connection, dataConverter: dataConverter(payloadKeys, db) });
});

afterAll(async () => {
  await stack?.stop();
  await closeTemporal?.();
});

/** Workflow time moves on to noon (Paris) of `day`. */
async function skipTo(day: CalendarDate): Promise<void> {
  const now = await env.currentTimeMs();
  const target = parisInstant(day, '12:00');
  expect(target).toBeGreaterThan(now);
  await env.sleep(target - now);
}

let runs = 0;
async function retention(dryRun: boolean): Promise<RetentionCounts> {
  const steps = await client.workflow.execute<(input: { dryRun?: boolean }) => Promise<RetentionStep[]>>(RETENTION_WORKFLOW, { workflowId: `conservation-${run}-${++runs}`, taskQueue, args: [{ dryRun }] });
  expect(steps.map((s) => s.plieCode)).toEqual([config.code]);
  return steps[0]!.counts;
}

const none = { identities: 0, proofs: 0, usedLinks: 0, sessions: 0, tokens: 0 };

describe('retention (time-skipping)', () => {
  it('pseudonymises 24 months after the exit, deletes the proofs after the FSE+ hold, never touches a pathway under way', async () => {
    const ended = await createPersonWithHistory(db, { plieCode: config.code, run, name: `Ana${run}`, proofs, png: PNG });
    const ongoing = await createPersonWithHistory(db, { plieCode: config.code, run, name: `Bruno${run}`, proofs, png: PNG });
    await db.pathway.update({ where: { id: `parcours-${ongoing.id}` }, data: { stage: 'active' } });
    await db.usedLink.create({ data: { tokenHash: `used-${run}`, purpose: 'proof-upload', subject: 'x', expiresAt: new Date(Date.now() + 86_400_000) } });
    await db.usedLink.create({ data: { tokenHash: `never-${run}`, purpose: 'pathway-action', subject: 'y', expiresAt: null } });
    // Her exit on the first day of last month (of the workflow clock, whatever day the test runs).
    const exitOn = `${addMonths(parisDate(await env.currentTimeMs()), -1).slice(0, 7)}-01`;
    await db.exit.updateMany({ where: { participantId: ended.id }, data: { date: toDbDate(exitOn) } });
    const all = { from: '2026-01-01', to: exitOn };
    const bilan = await queryReport(db, config.code, config, all);

    expect(await retention(true)).toEqual(none);
    // Kept until the same day 24 months later, included.
    const kept = addMonths(exitOn, 24);
    await skipTo(kept);
    expect(await retention(true)).toEqual({ ...none, usedLinks: 1 });
    await skipTo(addDays(kept, 1));
    expect(await retention(true)).toEqual({ ...none, identities: 1, usedLinks: 1 });
    // The dry run changed nothing.
    expect(await db.participant.findUniqueOrThrow({ where: { id: ended.id } })).toMatchObject({ firstName: `Ana${run}`, erasedAt: null });
    expect(await db.usedLink.count()).toBe(2);

    expect(await retention(false)).toEqual({ ...none, identities: 1, usedLinks: 1 });
    const pseudonymised = await db.participant.findUniqueOrThrow({ where: { id: ended.id } });
    expect(pseudonymised).toMatchObject({ firstName: 'Personne', email: null });
    expect(pseudonymised.erasedAt).not.toBeNull();
    expect(await db.participant.findUniqueOrThrow({ where: { id: ongoing.id } })).toMatchObject({ firstName: `Bruno${run}`, erasedAt: null });
    expect(await db.participantDataKey.findUniqueOrThrow({ where: { participantId: ended.id } })).toMatchObject({ wrappedKey: null });
    expect(await db.auditEvent.count({ where: { action: 'rgpd.retention', entityId: ended.id } })).toBe(1);
    expect((await db.usedLink.findMany()).map((l) => l.tokenHash)).toEqual([`never-${run}`]);
    expect(await queryReport(db, config.code, config, all)).toEqual(bilan);
    expect(await retention(false)).toEqual(none);

    // The proofs: until 31 December of the exit's year + 8, gone the next day; the ongoing person's stay.
    const exitYear = Number(exitOn.slice(0, 4));
    expect((await readdir(proofsDir)).length).toBe(2);
    await skipTo(`${exitYear + 8}-12-31`);
    expect(await retention(true)).toEqual(none);
    await skipTo(`${exitYear + 9}-01-01`);
    expect(await retention(true)).toEqual({ ...none, proofs: 1 });
    expect(await retention(false)).toEqual({ ...none, proofs: 1 });
    expect(await db.proof.count({ where: { participantId: ended.id } })).toBe(0);
    expect(await db.proof.count({ where: { participantId: ongoing.id } })).toBe(1);
    expect((await readdir(proofsDir)).length).toBe(1);
    expect(await db.auditEvent.count({ where: { action: 'rgpd.proof.deleted' } })).toBe(1);
  });

});
