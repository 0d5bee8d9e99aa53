/**
 * A pathway row is committed before its workflow starts (the record first, so that the workflow
 * always finds it). Should the process stop, or Temporal not answer, between the two, the row is
 * left without a workflow: a retry of the same request starts it, and so does the system itself,
 * every few minutes, without waiting for anyone to retry.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { audit } from '../db/audit.ts';
import type { Logger } from '../logging.ts';
import { coordinatorsOf } from '../staff/directory.ts';
import { PathwayAlreadyStartedError, startPathway, workflowExists } from '../temporal/pathway-client.ts';
import type { PathwayInput } from '../../workflows/pathway-messages.ts';
import type { CreateParticipantDeps } from './create.ts';

/** A new pathway's input, as creation, re-entry and the system's own start give it. */
export async function newPathwayInput(deps: CreateParticipantDeps, participantId: string): Promise<PathwayInput> {
  return {
    participantId,
    coordinatorEmail: deps.coordinatorEmail,
    coordinators: await coordinatorsOf(deps.db, deps.plieCode),
    timings: deps.timings,
    ...(deps.policy ? { policy: deps.policy } : {}),
  };
}

/** Starts the workflow of a pathway row; a workflow already there (started meanwhile) is what was asked. */
export async function startPathwayOf(deps: CreateParticipantDeps, participantId: string, workflowId: string): Promise<void> {
  try {
    await startPathway(deps.temporal, deps.taskQueue, await newPathwayInput(deps, participantId), workflowId);
  } catch (error) {
    if (!(error instanceof PathwayAlreadyStartedError)) throw error;
  }
}

/** Rows younger than this are left to the request that is creating them. */
export const UNSTARTED_AFTER_MS = 2 * 60_000;
/** Rows older than this were seen by earlier sweeps (the sweep runs every few minutes, and when the worker starts). */
const LOOK_BACK_MS = 7 * 86_400_000;

/**
 * Finds the new pathways (still at orientation, created between a week and two minutes ago, of a
 * person not erased) whose workflow never started, and starts them. Returns their ids.
 */
export async function startUnstartedPathways(opts: {
  db: Db;
  temporal: Client;
  /** The PLIEs this deployment runs. */
  plieCodes: string[];
  /** What starting a pathway of this PLIE needs (its rules, coordination, task queue). */
  depsOf: (plieCode: string) => Promise<CreateParticipantDeps>;
  now: Date;
  logger: Logger;
}): Promise<string[]> {
  const { db, now } = opts;
  const candidates = await db.pathway.findMany({
    where: {
      stage: 'orientation',
      createdAt: { gte: new Date(now.getTime() - LOOK_BACK_MS), lte: new Date(now.getTime() - UNSTARTED_AFTER_MS) },
      participant: { erasedAt: null, plieCode: { in: opts.plieCodes } },
    },
    select: { id: true, participantId: true, participant: { select: { plieCode: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const started: string[] = [];
  for (const pathway of candidates) {
    if (await workflowExists(opts.temporal, pathway.id)) continue;
    const deps = await opts.depsOf(pathway.participant.plieCode);
    await startPathwayOf(deps, pathway.participantId, pathway.id);
    await db.$transaction((tx) =>
      audit(tx, {
        idempotencyKey: `${pathway.id}/start-resumed`,
        actor: 'système',
        channel: 'workflow',
        action: 'pathway.start.resumed',
        entityType: 'pathway',
        entityId: pathway.id,
      }),
    );
    opts.logger.warn({ workflowId: pathway.id }, 'parcours enregistré sans workflow : démarré par le système');
    started.push(pathway.id);
  }
  return started;
}

/** How often the system looks for pathways left without a workflow. */
export const UNSTARTED_SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Runs the sweep now and then every few minutes, in the worker's process (each worker does it:
 * starting a pathway twice is refused by Temporal, so two workers never start it twice). An error
 * (the database or Temporal away) is logged and tried again at the next turn.
 */
export function watchUnstartedPathways(opts: {
  db: Db;
  temporal: Client;
  plieCodes: () => Promise<string[]>;
  depsOf: (plieCode: string) => Promise<CreateParticipantDeps>;
  logger: Logger;
  everyMs?: number;
}): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const turn = () => {
    running = running
      .then(async () => await startUnstartedPathways({ ...opts, plieCodes: await opts.plieCodes(), now: new Date() }))
      .catch((error: unknown) => opts.logger.warn({ err: (error as Error).message }, 'recherche des parcours non démarrés impossible : nouvel essai au prochain tour'));
  };
  turn();
  const timer = setInterval(turn, opts.everyMs ?? UNSTARTED_SWEEP_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
