/**
 * A pathway row committed whose workflow never started (Temporal did not answer, or the process
 * stopped between the two): a re-entry is retried by the same request, and the system starts what
 * nobody retried. On the dev server with the real worker.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { createLogger } from '../../src/logging.ts';
import type { CreateParticipantDeps } from '../../src/participants/create.ts';
import { currentPathwayId, reenterParticipant } from '../../src/participants/reenter.ts';
import { startUnstartedPathways, watchUnstartedPathways } from '../../src/participants/unstarted-pathways.ts';
import { workflowExists } from '../../src/temporal/pathway-client.ts';
import { pathwayWorkflowId } from '../../workflows/pathway-messages.ts';
import { COORDINATOR, startWorkerAndClient } from '../helpers/worker.ts';

let t: Awaited<ReturnType<typeof startWorkerAndClient>>;
let deps: CreateParticipantDeps;
const logger = createLogger('silent');
const MINUTE = 60_000;

beforeAll(async () => {
  t = await startWorkerAndClient('unstarted-pathways');
  deps = { plieCode: 'CASA', db: t.stack.db, temporal: t.client, taskQueue: t.taskQueue, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, logger };
});

afterAll(async () => {
  await t?.stop();
});

/** A person on file with a pathway row; `exited`: it ended for an administrative reason (moving). */
async function person(opts: { exited?: boolean; createdMinutesAgo?: number; plieCode?: string } = {}) {
  const participantId = randomUUID();
  const suffix = randomBytes(4).toString('hex');
  await t.stack.db.participant.create({
    data: { id: participantId, firstName: `Yanis${suffix}`, lastName: `Morel${suffix}`, identityKey: `test-${participantId}`, birthDate: toDbDate('1988-09-14'), commune: 'Antibes', createdBy: 'test', ...(opts.plieCode ? { plieCode: opts.plieCode } : {}) },
  });
  const id = pathwayWorkflowId(participantId);
  const createdAt = new Date(Date.now() - (opts.createdMinutesAgo ?? 60) * MINUTE);
  await t.stack.db.pathway.create({ data: { id, participantId, stage: opts.exited ? 'exited' : 'orientation', createdAt } });
  if (opts.exited) await t.stack.db.exit.create({ data: { participantId, pathwayId: id, date: toDbDate('2026-01-15'), type: 'ADMINISTRATIVE', reason: 'DEMENAGEMENT' } });
  return { participantId, id };
}

/** A PLIE of this test's own: the sweep never starts another test's rows. */
const plieCode = `REPRISE${randomBytes(3).toString('hex').toUpperCase()}`;
const sweep = (now = new Date()) => startUnstartedPathways({ db: t.stack.db, temporal: t.client, plieCodes: [plieCode], depsOf: async (code) => ({ ...deps, plieCode: code }), now, logger });

describe('a pathway whose workflow never started', { timeout: 60_000 }, () => {
  it('a re-entry that could not start is started by the same request again, once', async () => {
    const { participantId, id } = await person({ exited: true });
    // Temporal refuses the start (here: a namespace it does not know): the row is recorded, the start is not.
    const refusing = new Client({ connection: t.client.connection, namespace: `absent-${randomBytes(3).toString('hex')}` });
    await expect(reenterParticipant({ ...deps, temporal: refusing }, participantId, { actor: COORDINATOR, channel: 'cli' })).rejects.toThrow('son parcours n’a pas pu démarrer');
    const reentry = `${id}-2`;
    expect(await currentPathwayId(t.stack.db, participantId)).toBe(reentry);
    expect(await workflowExists(t.client, reentry)).toBe(false);

    expect(await reenterParticipant(deps, participantId, { actor: COORDINATOR, channel: 'cli' })).toEqual({ workflowId: reentry, previousPathwayId: id });
    expect(await workflowExists(t.client, reentry)).toBe(true);
    expect(await t.stack.db.pathway.count({ where: { participantId } })).toBe(2);
    // Started: a third request is refused, the pathway under way not being over.
    await expect(reenterParticipant(deps, participantId, { actor: COORDINATOR, channel: 'cli' })).rejects.toThrow('Le parcours en cours n’est pas terminé');
  });

  it('is found and started by the system: not a row being created, not an erased person, not twice', async () => {
    const orphan = await person({ createdMinutesAgo: 10, plieCode });
    const young = await person({ createdMinutesAgo: 0, plieCode });
    const erased = await person({ createdMinutesAgo: 10, plieCode });
    const elsewhere = await person({ createdMinutesAgo: 10 });
    await t.stack.db.participant.update({ where: { id: erased.participantId }, data: { erasedAt: new Date() } });

    const started = await sweep();
    expect(started).toContain(orphan.id);
    expect(started).not.toContain(young.id);
    expect(started).not.toContain(erased.id);
    expect(started).not.toContain(elsewhere.id);
    expect(await workflowExists(t.client, orphan.id)).toBe(true);
    expect(await workflowExists(t.client, erased.id)).toBe(false);
    expect(await t.stack.db.auditEvent.count({ where: { entityId: orphan.id, action: 'pathway.start.resumed', actor: 'système' } })).toBe(1);
    // The workflow records its first stage: the pathway runs as if created normally.
    expect(await sweep()).not.toContain(orphan.id);
    // Three minutes later the young row is not young any more.
    expect(await sweep(new Date(Date.now() + 3 * MINUTE))).toContain(young.id);
  });

  it('is looked for as soon as the worker runs the watch, and again at each turn', async () => {
    const orphan = await person({ createdMinutesAgo: 10, plieCode });
    const watch = watchUnstartedPathways({ db: t.stack.db, temporal: t.client, plieCodes: async () => [plieCode], depsOf: async (code) => ({ ...deps, plieCode: code }), logger, everyMs: 200 });
    try {
      await vi.waitFor(async () => expect(await workflowExists(t.client, orphan.id)).toBe(true), { timeout: 20_000, interval: 100 });
      const later = await person({ createdMinutesAgo: 10, plieCode });
      await vi.waitFor(async () => expect(await workflowExists(t.client, later.id)).toBe(true), { timeout: 20_000, interval: 100 });
    } finally {
      await watch.stop();
    }
  });
});
