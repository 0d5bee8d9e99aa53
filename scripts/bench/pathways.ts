/**
 * Pathway throughput and answer latency (a referral, the referent designated, the integration
 * decided at the diagnostic), through the HTTP API or through Slack (the task's button that opens
 * its form, then the form submitted, both signed as Slack signs), beside a bare workflow taking the same number of
 * Updates, each running one no-op activity, on the same Temporal server. The two run in alternate
 * batches, so that what slows the machine slows both.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/client.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { planPopulation } from '../chaos/population.ts';
import type { Rng } from '../chaos/rng.ts';
import { FakeSlackApi } from '../../test/helpers/slack-api.ts';
import { input, slackClientFor } from '../../test/helpers/slack-requests.ts';
import { stepUpdate } from './bare-workflow.ts';
import { pool } from '../pool.ts';
import { latencies, ratio, timed, type Latencies } from './stats.ts';

export interface PathwayFigures {
  pathways: number;
  concurrency: number;
  /** How the staff answered: the HTTP API, or Slack (the answer then counts from the form's submission until the task is closed). */
  via: 'api' | 'slack';
  app: {
    perSecond: number;
    create: Latencies;
    answer: Latencies;
    taskShown: Latencies;
    /** Through Slack: from the click on the task's button until its form is open (Slack's views.open). */
    formOpened?: Latencies;
  };
  bare: { perSecond: number; start: Latencies; update: Latencies };
  /** App over bare: the goal is ≥ 0.67 for throughput, ≤ 1.5 for the answer's median. */
  throughputRatio: number;
  answerP50Ratio: number;
}

export interface ApiTarget {
  url: string;
  token: string;
}

/** Slack as the application's web sees it: where to send interactions, and the Web API it calls. */
export interface SlackTarget {
  url: string;
  secret: string;
  api: FakeSlackApi;
  /** The coordination's Slack user, who designates the referent. */
  coordinator: string;
  /** Referents on Slack (email and user), designated in turn. */
  referents: Array<{ email: string; user: string }>;
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

/** Resolves once the task is no longer open: the workflow took the answer and recorded it (a minute at most). */
async function closedTask(db: Db, taskId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const task = await db.task.findUnique({ where: { id: taskId }, select: { status: true } });
    if (task && task.status !== 'open') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`tâche ${taskId} toujours ouverte une minute après la réponse envoyée par Slack`);
}

/** The private metadata of the task's form, once the application opened it in Slack (a minute at most). */
async function formOpened(api: FakeSlackApi, taskId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const view of api.views) {
      const opened = view.args.view as { callback_id?: string; private_metadata?: string } | undefined;
      if (view.method === 'views.open' && opened?.callback_id === 'task_form' && opened.private_metadata?.includes(taskId)) return opened.private_metadata;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`formulaire de la tâche ${taskId} toujours pas ouvert dans Slack après une minute`);
}

/**
 * Answers a task as a person does in Slack: a click on its button, then the form submitted.
 * Times the form's opening, and the answer from the submission until the task is closed.
 */
async function answerInSlack(
  slack: SlackTarget,
  db: Db,
  user: string,
  taskId: string,
  values: Record<string, Record<string, unknown>>,
): Promise<{ formMs: number; answerMs: number }> {
  const client = slackClientFor(slack.url, slack.secret);
  const clickedAt = performance.now();
  const click = await client.click(user, 'task_form', taskId, { channel: FakeSlackApi.dmOf(user) });
  if (click.status !== 200) throw new Error(`clic Slack sur la tâche ${taskId} : HTTP ${click.status} ${click.body}`);
  const meta = await formOpened(slack.api, taskId);
  const submittedAt = performance.now();
  const submission = await client.submit(user, 'task_form', meta, values);
  if (submission.status !== 200 || submission.body.includes('response_action')) throw new Error(`formulaire Slack de la tâche ${taskId} refusé : HTTP ${submission.status} ${submission.body}`);
  await closedTask(db, taskId);
  return { formMs: submittedAt - clickedAt, answerMs: performance.now() - submittedAt };
}

export async function benchPathways(opts: {
  api: ApiTarget;
  /** Present: the staff answer through Slack rather than the API. */
  slack?: SlackTarget;
  db: Db;
  bare: { client: Client; taskQueue: string };
  count: number;
  concurrency: number;
  rng: Rng;
  tag: string;
}): Promise<PathwayFigures> {
  const people = planPopulation(opts.rng, opts.count, opts.tag);
  const app = { ms: 0, create: [] as number[], answer: [] as number[], taskShown: [] as number[], formOpened: [] as number[] };
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
    const justification = 'Situation vue avec la personne';
    if (opts.slack) {
      const slack = opts.slack;
      const referent = slack.referents[i % slack.referents.length]!;
      const designated = await answerInSlack(slack, opts.db, slack.coordinator, assign.id, {
        referentEmail: input.select(referent.email),
        ...(notEligible ? { eligibilityJustification: input.text(justification) } : {}),
      });
      const diagnostic = await openTask(opts.db, participantId, 'diagnostic_decision');
      const decided = await answerInSlack(slack, opts.db, referent.user, diagnostic.id, {
        decision: input.select('integrate'),
        entryDate: input.date(today),
        barriers: input.multi(['MOBILITE']),
      });
      app.formOpened.push(designated.formMs, decided.formMs);
      app.answer.push(designated.answerMs, decided.answerMs);
      return;
    }
    const designation = { referentEmail: person.referent, ...(notEligible ? { eligibilityJustification: justification } : {}) };
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
    via: opts.slack ? 'slack' : 'api',
    app: {
      perSecond: Math.round(appRate * 100) / 100,
      create: latencies(app.create),
      answer: appAnswer,
      taskShown: latencies(app.taskShown),
      ...(opts.slack ? { formOpened: latencies(app.formOpened) } : {}),
    },
    bare: { perSecond: Math.round(bareRate * 100) / 100, start: latencies(bare.start), update: bareUpdate },
    throughputRatio: ratio(appRate, bareRate),
    answerP50Ratio: ratio(appAnswer.p50Ms, bareUpdate.p50Ms),
  };
}
