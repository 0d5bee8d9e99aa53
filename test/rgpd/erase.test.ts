/**
 * The right to erasure, proved on copies of the test's own: a database created for this file, a
 * Temporal dev server keeping its store in a file, a worker logging everything to a file, and a
 * proofs folder. After the erasure, the person's names, address and birth date are searched for in
 * the raw bytes of each, and their histories must no longer decrypt, while another person's do.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { freePort } from '../../src/infra/ports.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { locateTemporalCli, startDevServer, type RunningTemporal } from '../../src/infra/temporal-server.ts';
import { createLogger } from '../../src/logging.ts';
import { createParticipant } from '../../src/participants/create.ts';
import { rectifyParticipant } from '../../src/participants/rectify.ts';
import { reenterParticipant } from '../../src/participants/reenter.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { collectExport } from '../../src/rgpd/export.ts';
import { eraseParticipant } from '../../src/rgpd/erase.ts';
import { EncryptionCodec } from '../../src/temporal/codec.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { recordAction } from '../../src/temporal/pathway-client.ts';
import type { RetentionStep } from '../../src/rgpd/retention.ts';
import { ErasedDataError } from '../../src/temporal/data-keys.ts';
import { announceCoordinators } from '../../src/staff/roster.ts';
import { ensureRetentionSchedule } from '../../src/temporal/schedules.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { encodingOf, payloadsIn } from '../helpers/history-payloads.ts';
import { createOwnDatabase } from '../helpers/own-database.ts';
import { createPersonWithHistory } from '../helpers/person-history.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { COORDINATOR, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const run = randomBytes(3).toString('hex');
const silent = createLogger('silent');
const scratch = makeScratchDir('plie-rgpd-erase-');
const logFile = path.join(scratch, 'worker.log');
const proofsDir = path.join(scratch, 'justificatifs');
const proofs = createProofStore(proofsDir, randomBytes(32).toString('base64'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const payloadKeys = TEST_PAYLOAD_KEYS;
const taskQueue = uniqueQueue('effacement');
const config = { ...CASA_CONFIG, code: 'CASA' };
let temporal: RunningTemporal;
let connection: NativeConnection;
let stack: WorkerStack;
let client: Client;
let db: Db;

beforeAll(async () => {
  // A database of this file's own: « found nowhere » then means nowhere.
  const databaseUrl = await createOwnDatabase('effacement');
  temporal = await startDevServer({ source: await locateTemporalCli(silent), port: await freePort(), dbFile: path.join(scratch, 'temporal.db'), logFile: path.join(scratch, 'temporal.log'), logger: silent });
  connection = await NativeConnection.connect({ address: temporal.address });
  // Everything the worker says, at the most talkative level, where the test can read it.
  const logger = pino({ level: 'trace' }, pino.destination({ dest: logFile, sync: true }));
  stack = await startWorkerStack({ connection, taskQueue, payloadKeys, databaseUrl, deps: { logger, proofs } });
  db = stack.db;
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), dataConverter: dataConverter(payloadKeys, db) });
});

afterAll(async () => {
  await stack?.stop();
  await client?.connection.close();
  await connection?.close();
  await temporal?.stop();
});

/** Every payload of a workflow's history, as the server stores it (encrypted). */
async function storedPayloads(workflowId: string): Promise<Payload[]> {
  return payloadsIn(await client.workflow.getHandle(workflowId).fetchHistory()).filter((p) => encodingOf(p) === 'binary/encrypted');
}

async function workflowIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list()) ids.push(w.workflowId);
  return ids;
}

/** Which of `needles` the bytes of `files` hold (as UTF-8, any case). */
async function foundInFiles(files: string[], needles: string[]): Promise<string[]> {
  const text = (await Promise.all(files.map((f) => readFile(f)))).map((b) => b.toString('utf8').toLowerCase()).join('\n');
  return needles.filter((n) => text.includes(n.toLowerCase()));
}

/** Which of `needles` any row of any table of the database holds, with the table. */
async function foundInDatabase(needles: string[]): Promise<string[]> {
  const tables = await db.$queryRaw<Array<{ name: string }>>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const found: string[] = [];
  for (const { name } of tables) {
    for (const needle of needles) {
      const [row] = await db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text ILIKE $1`, `%${needle}%`);
      if (row!.n > 0) found.push(`${needle} dans ${name}`);
    }
  }
  return found;
}

const filesUnder = async (dir: string, prefix = ''): Promise<string[]> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.startsWith(prefix)).map((e) => path.join(e.parentPath, e.name));

describe('plie rgpd erase: the identity found nowhere, the histories unreadable, the bilan unchanged', () => {
  it('erases a person whose pathway runs, and one whose pathway ended last spring', async () => {
    const ana = { firstName: `Anaïs${run}`, lastName: `Lefebvre${run}`, email: `anais.${run}@exemple.fr`, phone: '06 47 21 90 35', birthDate: '17/05/1979' };
    // Referred under a misspelt name and an old address, rectified since: the trail keeps both.
    const before = { firstName: `Anais${run}x`, email: `ancienne.${run}@exemple.fr` };
    const deps = { plieCode: config.code, db, temporal: client, taskQueue, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, logger: silent };
    const live = await createParticipant(deps, { ...ana, ...before }, { actor: COORDINATOR, channel: 'cli' });
    await rectifyParticipant({ db, temporal: client, plieCode: config.code, config }, live.participantId, { firstName: ana.firstName, email: ana.email }, { actor: COORDINATOR, channel: 'cli' });
    const other = await createParticipant(deps, { firstName: `Kofi${run}`, lastName: `Mensah${run}`, birthDate: '03/11/1988', email: `kofi.${run}@exemple.fr` }, { actor: COORDINATOR, channel: 'cli' });
    // The workflows have run their first activities (eligibility, the welcome, the referent's task).
    await vi.waitFor(async () => expect(await db.task.count({ where: { pathwayId: { in: [live.workflowId, other.workflowId] }, status: 'open' } })).toBe(2), { timeout: 60_000, interval: 200 });
    // An invitation her mail server refuses, quoting her address: the refusal reaches a log line and the record.
    stack.inbox.rejected.add(ana.email);
    const [y0, m0, d0] = addDays(parisDate(new Date()), 3).split('-');
    await recordAction(client, live.participantId, { action: { type: 'appointmentScheduled', date: `${d0}/${m0}/${y0}`, time: '10:00', place: 'Antibes' }, actor: COORDINATOR, channel: 'cli' });
    await vi.waitFor(async () => expect(await db.message.count({ where: { pathwayId: live.workflowId, error: { not: null } } })).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });
    await db.proof.create({ data: { participantId: live.participantId, kind: 'CONTRAT', receivedAt: new Date(), fileReference: await proofs.save(PNG), mimeType: 'image/png', size: PNG.length } });
    const old = await createPersonWithHistory(db, { plieCode: config.code, run, name: `Bruno${run}`, proofs, png: PNG });
    // The facilitation's identifier of Bruno on another marché (where it was not linked to his file): the same person.
    const elsewhere = await db.procurement.create({ data: { plieCode: config.code, externalId: `M-${run}-2`, buyer: 'Département', title: 'Collèges', sector: 'BTP', plannedHours: 50, start: new Date('2026-01-01') } });
    const homonym = await db.clauseContract.create({ data: { procurementId: elsewhere.id, personId: `C-Bruno${run}`, type: 'CDD', start: new Date('2026-02-01'), hoursDone: 20 } });
    // A person in pathway whose workflow is gone: the erasure records their exit.
    const entered = await createPersonWithHistory(db, { plieCode: config.code, run, name: `Chloe${run}`, proofs, png: PNG });
    await db.pathway.update({ where: { id: `parcours-${entered.id}` }, data: { stage: 'active' } });
    await db.exit.deleteMany({ where: { participantId: entered.id } });
    const firstHalf = { from: '2026-01-01', to: '2026-06-30' };
    const bilanBefore = await queryReport(db, config.code, config, firstHalf);
    expect(bilanBefore.public.integrated).toBeGreaterThan(0);

    // Before: every payload decrypts, the person's among them.
    const reader = () => new EncryptionCodec(payloadKeys, db);
    const anaPayloads = await storedPayloads(live.workflowId);
    expect(anaPayloads.length).toBeGreaterThan(3);
    await reader().decode(anaPayloads);

    const at = new Date();
    const erased = await eraseParticipant({ db, temporal: client }, config, live.participantId, { reason: `demande écrite de ${ana.firstName} ${ana.lastName}`, actor: COORDINATOR, channel: 'cli', now: at });
    expect(erased).toMatchObject({ status: 'erased', closedWorkflows: [live.workflowId], proofsKept: 1 });
    expect(erased!.answer).toContain('jusqu’au 31/12/');
    expect((await eraseParticipant({ db, temporal: client }, config, old.id, { reason: 'demande orale', actor: COORDINATOR, channel: 'cli', now: at }))!.status).toBe('erased');
    expect((await client.workflow.getHandle(live.workflowId).describe()).status.name).toBe('TERMINATED');
    // Still at orientation: she never entered the PLIE, so no exit; the pathway is closed.
    expect(await db.exit.findFirst({ where: { pathwayId: live.workflowId } })).toBeNull();
    expect(await db.pathway.findUniqueOrThrow({ where: { id: live.workflowId } })).toMatchObject({ stage: 'exited' });
    expect((await eraseParticipant({ db, temporal: client }, config, entered.id, { reason: 'courrier', actor: COORDINATOR, channel: 'cli', now: at }))!.closedWorkflows).toEqual([]);
    expect(await db.exit.findFirst({ where: { pathwayId: `parcours-${entered.id}` } })).toMatchObject({ type: 'ADMINISTRATIVE', reason: 'effacement' });

    // Nothing to rectify, no re-entry: a name written now would undo the erasure.
    await expect(rectifyParticipant({ db, temporal: client, plieCode: config.code, config }, live.participantId, { firstName: ana.firstName }, { actor: COORDINATOR, channel: 'cli' })).rejects.toThrow('il n’y a plus rien à rectifier');
    await expect(reenterParticipant(deps, live.participantId, { actor: COORDINATOR, channel: 'cli' })).rejects.toThrow('Les données de cette personne ont été effacées');

    // The staff's changes reach the pathways still running, not the erased one's.
    expect(await announceCoordinators(db, client, config.code)).toBe(1);

    // The statistical facts stay: the past half-year's bilan is the same, figure for figure.
    expect(await queryReport(db, config.code, config, firstHalf)).toEqual(bilanBefore);

    // A second call says it is done, and changes nothing.
    const again = await eraseParticipant({ db, temporal: client }, config, live.participantId, { reason: 'relance', actor: COORDINATOR, channel: 'cli', now: new Date() });
    expect(again).toMatchObject({ status: 'already', proofsKept: 1 });
    expect(again!.answer).toContain('déjà été effacées');

    // Their histories no longer decrypt — stored payloads all refused — while the other person's do.
    const after = await storedPayloads(live.workflowId);
    expect(after.length).toBeGreaterThanOrEqual(anaPayloads.length);
    for (const payload of after) await expect(reader().decode([payload])).rejects.toBeInstanceOf(ErasedDataError);
    const otherPayloads = await storedPayloads(other.workflowId);
    expect(otherPayloads.length).toBeGreaterThan(3);
    const decoded = await reader().decode(otherPayloads);
    expect(decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join(' ')).toContain(other.participantId);

    // A message of another person's pathway to the same (family) address is that person's: left as it was.
    for (const person of [old, entered]) {
      expect(await db.message.findUniqueOrThrow({ where: { id: person.sharedMailbox } })).toMatchObject({ recipient: person.email });
      await db.message.delete({ where: { id: person.sharedMailbox } });
    }
    const standIn = (await db.clauseCandidate.findFirstOrThrow({ where: { participantId: old.id } })).personId;
    expect(standIn).toMatch(/^efface-[0-9a-f]{12}$/);
    expect(await db.clauseContract.findUniqueOrThrow({ where: { id: homonym.id } })).toMatchObject({ personId: standIn });

    // Nowhere: the database, the proofs folder, the logs, Temporal's store (its files) and every other history.
    const [y, m, d] = ['1979', '05', '17'];
    const needles = [ana.firstName, ana.lastName, ana.email, ana.phone, ana.phone.replaceAll(' ', ''), before.firstName, before.email, `${y}-${m}-${d}`, `${d}/${m}/${y}`, `Bruno${run}`, old.email, `Chloe${run}`, entered.email];
    expect(await foundInDatabase(needles)).toEqual([]);
    expect(await foundInFiles(await filesUnder(proofsDir), needles)).toEqual([]);
    const logged = await readFile(logFile, 'utf8');
    expect(logged).toContain('échec d’envoi');
    expect(await foundInFiles([logFile], needles)).toEqual([]);
    const store = await filesUnder(scratch, 'temporal.db');
    expect(store.length).toBeGreaterThan(0);
    expect(await foundInFiles(store, needles)).toEqual([]);
    for (const workflowId of await workflowIds()) {
      if (workflowId.startsWith(live.workflowId)) continue;
      const clear = (await reader().decode(await storedPayloads(workflowId))).map((p) => Buffer.from(p.data ?? []).toString('utf8').toLowerCase()).join(' ');
      expect(needles.filter((n) => clear.includes(n.toLowerCase())), workflowId).toEqual([]);
    }

    const export_ = JSON.stringify(await collectExport(db, config.code, old.id, new Date()));
    expect(needles.filter((n) => export_.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    expect(export_).toContain('"integrationDate":"2026-01-05');
  });

  // The time-skipping server has no schedules (CreateSchedule is unimplemented): the schedule is
  // checked here, on the dev server; what the retention does as time goes by, in retention.time-skipping.test.ts.
  it('schedules the retention every night at 3:15, Paris time, and a run goes through every PLIE', async () => {
    const id = `conservation-${run}`;
    expect(await ensureRetentionSchedule(client, taskQueue, id)).toBe('created');
    expect(await ensureRetentionSchedule(client, taskQueue, id)).toBe('existing');
    const handle = client.schedule.getHandle(id);
    const { info } = await handle.describe();
    expect(info.nextActionTimes.length).toBeGreaterThan(1);
    const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
    for (const at of info.nextActionTimes) expect(paris.format(at)).toBe('03:15');
    await handle.trigger();
    const result = await vi.waitFor(async () => {
      const [action] = (await handle.describe()).info.recentActions;
      expect(action).toBeDefined();
      return (await client.workflow.getHandle(action!.action.workflow.workflowId).result()) as RetentionStep[];
    }, { timeout: 60_000, interval: 200 });
    expect(result).toEqual([{ plieCode: 'CASA', counts: { identities: 0, proofs: 0, usedLinks: 0, sessions: 0, tokens: 0 }, more: false }]);
    await handle.delete();
  });
});
