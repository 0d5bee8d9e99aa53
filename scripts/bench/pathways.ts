/**
 * Pathway throughput and answer latency through the HTTP API (a referral, the referent
 * designated, the integration decided at the diagnostic), beside a bare workflow taking the same
 * number of Updates, each running one no-op activity, on the same Temporal server. The two run in
 * alternate batches, so that what slows the machine slows both.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/client.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { planPopulation } from '../chaos/population.ts';
import type { Rng } from '../chaos/rng.ts';
import { stepUpdate } from './bare-workflow.ts';
import { pool } from '../pool.ts';
import { latencies, ratio, timed, type Latencies } from './stats.ts';

export interface PathwayFigures {
  pathways: number;
  concurrency: number;
  app: { perSecond: number; create: Latencies; answer: Latencies; taskShown: Latencies };
  bare: { perSecond: number; start: Latencies; update: Latencies };
  /** App over bare: the goal is ≥ 0.67 for throughput, ≤ 1.5 for the answer's median. */
  throughputRatio: number;
  answerP50Ratio: number;
}

export interface ApiTarget {
  url: string;
  token: string;
}

const BATCH = 20;

async function call(api: ApiTarget, route: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${api.url}/api${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${route} : HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** The task as the staff's lists show it (the database), once the workflow opened it (a minute at most). */
async function openTask(db: Db, participantId: string, kind: string): Promise<{ id: string }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const task = await db.task.findFirst({ where: { pathway: { participantId }, kind, status: 'open' }, select: { id: true } });
    if (task) return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`tâche ${kind} du participant ${participantId} toujours pas ouverte après une minute`);
}

export async function benchPathways(opts: { api: ApiTarget; db: Db; bare: { client: Client; taskQueue: string }; count: number; concurrency: number; rng: Rng; tag: string }): Promise<PathwayFigures> {
  const people = planPopulation(opts.rng, opts.count, opts.tag);
  const app = { ms: 0, create: [] as number[], answer: [] as number[], taskShown: [] as number[] };
  const bare = { ms: 0, start: [] as number[], update: [] as number[] };
  const today = parisDate(Date.now());

  async function appPathway(i: number): Promise<void> {
    const person = people[i]!;
    const created = await timed(() => call(opts.api, '/participants', person.referral));
    app.create.push(created.ms);
    const participantId = String(created.value.participantId);
    const shown = performance.now();
    const assign = await openTask(opts.db, participantId, 'assign_referent');
    app.taskShown.push(performance.now() - shown);
    // As the coordination does: a person the rules find not eligible is taken with a reason.
    const { eligibility } = await opts.db.participant.findUniqueOrThrow({ where: { id: participantId }, select: { eligibility: true } });
    const notEligible = (eligibility as { decision?: string } | null)?.decision === 'not_eligible';
    const designation = { referentEmail: person.referent, ...(notEligible ? { eligibilityJustification: 'Situation vue avec la personne' } : {}) };
    app.answer.push((await timed(() => call(opts.api, `/participants/${participantId}/reponses`, { taskId: assign.id, answer: designation }))).ms);
    const diagnostic = await openTask(opts.db, participantId, 'diagnostic_decision');
    const decision = { decision: 'integrate', entryDate: today, barriers: ['MOBILITE'] };
    app.answer.push((await timed(() => call(opts.api, `/participants/${participantId}/reponses`, { taskId: diagnostic.id, answer: decision }))).ms);
  }

  async function barePathway(i: number): Promise<void> {
    const started = await timed(() => opts.bare.client.workflow.start('bareUpdates', { taskQueue: opts.bare.taskQueue, workflowId: `bare-${opts.tag}-${i}`, args: [2] }));
    bare.start.push(started.ms);
    for (let u = 0; u < 2; u++) bare.update.push((await timed(() => started.value.executeUpdate(stepUpdate, { args: ['x'] }))).ms);
  }

  for (let from = 0; from < opts.count; from += BATCH) {
    const size = Math.min(BATCH, opts.count - from);
    const a = await timed(() => pool(size, opts.concurrency, (k) => appPathway(from + k)));
    app.ms += a.ms;
    const b = await timed(() => pool(size, opts.concurrency, (k) => barePathway(from + k)));
    bare.ms += b.ms;
  }
  const appRate = opts.count / (app.ms / 1000);
  const bareRate = opts.count / (bare.ms / 1000);
  const appAnswer = latencies(app.answer);
  const bareUpdate = latencies(bare.update);
  return {
    pathways: opts.count,
    concurrency: opts.concurrency,
    app: { perSecond: Math.round(appRate * 100) / 100, create: latencies(app.create), answer: appAnswer, taskShown: latencies(app.taskShown) },
    bare: { perSecond: Math.round(bareRate * 100) / 100, start: latencies(bare.start), update: bareUpdate },
    throughputRatio: ratio(appRate, bareRate),
    answerP50Ratio: ratio(appAnswer.p50Ms, bareUpdate.p50Ms),
  };
}
