/**
 * What the run left behind, compared with what it should have: pathways lost, stuck or diverging
 * from their database projection, tasks and facts recorded twice, messages sent twice or never
 * delivered. Every count is aimed at zero.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { messageIdOf } from '../../activities/delivery.ts';
import type { Db } from '../../src/db/client.ts';
import { METADATA_EVENT } from '../../src/slack/delivery.ts';
import type { FakeSlackApi } from '../../test/helpers/slack-api.ts';
import { commissionWorkflowId, stateQuery, type PathwayState } from '../../workflows/pathway-messages.ts';
import type { Pathway } from './driver.ts';
import type { FaultLog } from './faults.ts';
import type { AcceptedMail, ChaosInbox } from './inbox.ts';
import type { WebSupervisor } from './web.ts';
import type { WorkerSupervisor } from './workers.ts';

export interface Finding {
  /** The pathway (workflow id) or the message (idempotency key) it is about. */
  about: string;
  what: string;
}

export interface Findings {
  lost: Finding[];
  stuck: Finding[];
  diverging: Finding[];
  tasksDuplicated: Finding[];
  factsDuplicated: Finding[];
  emailsDuplicated: Finding[];
  /** A copy sent again with the same Message-ID after a crash (or an outage) between the server's acceptance and its recording: not a duplicate. */
  emailsResentSameId: Finding[];
  /** Accepted by the mail server, but no message recorded with that Message-ID. */
  emailsUnrecorded: Finding[];
  slackDuplicated: Finding[];
  undelivered: Finding[];
  workerCrashes: Finding[];
  /** Messages to the addresses the mail server refuses on purpose: refused, as they should. */
  refusedOnPurpose: number;
  /**
   * From the mail server's acceptance of an email to its record as sent (ms, p50/p99/max): the
   * window in which a crash sends it again, with the same Message-ID.
   */
  sendWindowMs: { p50: number; p99: number; max: number } | null;
  counts: { pathways: number; tasks: number; emailMessages: number; slackMessages: number; emailsReceived: number; slackPosts: number; commissions: number };
}

/** The counts that must be zero for the run to pass (the « renvoyé avec le même Message-ID » ones are not faults). */
export const FAULT_KEYS = ['lost', 'stuck', 'diverging', 'tasksDuplicated', 'factsDuplicated', 'emailsDuplicated', 'emailsUnrecorded', 'slackDuplicated', 'undelivered', 'workerCrashes'] as const;

const QUERY_MS = 10_000;

async function describeStatus(client: Client, workflowId: string): Promise<string> {
  try {
    return (await client.withDeadline(Date.now() + QUERY_MS, () => client.workflow.getHandle(workflowId).describe())).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    return `ILLISIBLE (${(error as Error).message.slice(0, 80)})`;
  }
}

export async function checkRun(opts: {
  client: Client;
  db: Db;
  inbox: ChaosInbox;
  slack: FakeSlackApi;
  pathways: Pathway[];
  faults: FaultLog;
  workers: WorkerSupervisor;
  web: WebSupervisor;
  expectations: { refused: string[] };
}): Promise<Findings> {
  const { client, db, inbox, slack, pathways } = opts;
  const f: Findings = {
    lost: [],
    stuck: [],
    diverging: [],
    tasksDuplicated: [],
    factsDuplicated: [],
    emailsDuplicated: [],
    emailsResentSameId: [],
    emailsUnrecorded: [],
    slackDuplicated: [],
    undelivered: [],
    workerCrashes: [],
    refusedOnPurpose: 0,
    sendWindowMs: null,
    counts: { pathways: 0, tasks: 0, emailMessages: 0, slackMessages: 0, emailsReceived: inbox.received.length, slackPosts: 0, commissions: 0 },
  };

  // --- Pathways: each row's workflow, its state against the row and its open tasks.
  const rows = await db.pathway.findMany({ include: { tasks: true, participant: { select: { id: true } } } });
  f.counts.pathways = rows.length;
  const byWorkflow = new Map(pathways.filter((p) => p.workflowId).map((p) => [p.workflowId!, p]));
  for (const row of rows) {
    const status = await describeStatus(client, row.id);
    if (status === 'NOT_FOUND') {
      f.lost.push({ about: row.id, what: `parcours en base (étape ${row.stage}) sans workflow` });
      continue;
    }
    let state: PathwayState | null = byWorkflow.get(row.id)?.finalState ?? null;
    if (!state && status === 'COMPLETED') state = (await client.withDeadline(Date.now() + QUERY_MS, () => client.workflow.getHandle(row.id).result()).catch(() => null)) as PathwayState | null;
    if (!state && status === 'RUNNING') state = await client.withDeadline(Date.now() + QUERY_MS, () => client.workflow.getHandle(row.id).query(stateQuery)).catch(() => null);
    if (!state) {
      // A running workflow whose query waits on a dead worker's queue (the test server): it is
      // counted stuck by the expectations below, not diverging on a state nobody could read.
      if (status !== 'RUNNING') f.diverging.push({ about: row.id, what: `état du workflow illisible (${status})` });
      continue;
    }
    if (state.stage !== row.stage) f.diverging.push({ about: row.id, what: `étape : workflow ${state.stage}, base ${row.stage}` });
    const inWorkflow = new Set(state.finished || status === 'COMPLETED' ? [] : state.openTasks.map((t) => t.id));
    const inDb = new Set(row.tasks.filter((t) => t.status === 'open').map((t) => t.id));
    const onlyWorkflow = [...inWorkflow].filter((id) => !inDb.has(id));
    const onlyDb = [...inDb].filter((id) => !inWorkflow.has(id));
    if (onlyWorkflow.length || onlyDb.length) {
      f.diverging.push({ about: row.id, what: `tâches ouvertes : ${onlyWorkflow.length} dans le workflow seulement (${onlyWorkflow.map(kindOf).join(', ')}), ${onlyDb.length} en base seulement (${onlyDb.map(kindOf).join(', ')})` });
    }
    // The same task opened twice: same kind, person, proof and case, the same day.
    const seen = new Map<string, number>();
    for (const t of row.tasks) {
      const key = [t.kind, t.assigneeEmail ?? t.assigneeRole, t.proofKind ?? '', t.commissionCaseId ?? '', t.openedAt.toISOString().slice(0, 10)].join('|');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, n] of seen) if (n > 1) f.tasksDuplicated.push({ about: row.id, what: `${n} tâches ${key.split('|')[0]} ouvertes le même jour pour ${key.split('|')[1]}` });
    for (const kind of ['assign_referent', 'diagnostic_decision', 'confirm_exit', 'fse_questionnaire']) {
      const n = row.tasks.filter((t) => t.kind === kind).length;
      if (n > 1) f.tasksDuplicated.push({ about: row.id, what: `${n} tâches ${kind} (une attendue)` });
    }
    f.counts.tasks += row.tasks.length;
    // Commission sessions: each one closed, with its vote tasks.
    for (let session = 1; session <= (state.commission?.session ?? 0); session++) {
      f.counts.commissions += 1;
      const id = commissionWorkflowId(row.id, session);
      const commission = await describeStatus(client, id);
      if (commission !== 'COMPLETED' && !(commission === 'RUNNING' && state.commission?.running)) f.diverging.push({ about: id, what: `commission : workflow ${commission}` });
    }
  }

  // --- What the script expected of each pathway: the end (exited, positive, questionnaire answered).
  for (const p of pathways) {
    const name = p.workflowId ?? `parcours n° ${p.index} (jamais créé)`;
    if (!p.workflowId || (!p.finalState && !p.lastView)) {
      f.stuck.push({ about: name, what: 'jamais démarré' });
      continue;
    }
    if (!p.finalState || !p.finalState.finished) {
      const seen = p.lastView;
      f.stuck.push({ about: name, what: `attendu : sorti, questionnaire FSE+ fait ; vu : ${seen?.stage ?? '?'}, tâches ouvertes ${seen?.openTasks.map((t) => t.kind).join(', ') || 'aucune'}` });
      continue;
    }
    const exit = p.finalState.exit;
    const criterion = p.variant === 'cdi' ? 'CDI_OU_CDD_LONG' : 'TEMPS_PARTIEL_COURT';
    if (p.finalState.stage !== 'exited' || exit?.type !== 'POSITIVE' || exit.criterion !== criterion) {
      f.stuck.push({ about: name, what: `attendu : sortie positive (${criterion}) ; vu : ${p.finalState.stage}, ${exit?.type ?? 'pas de sortie'} ${exit?.criterion ?? ''}` });
    }
  }

  // --- Facts recorded twice (one contract, one exit, one FSE+ point per moment for each person here).
  const participantIds = rows.map((r) => r.participant.id);
  const contracts = await db.workContract.groupBy({ by: ['participantId'], where: { participantId: { in: participantIds } }, _count: true });
  for (const c of contracts) if (c._count > 1) f.factsDuplicated.push({ about: c.participantId, what: `${c._count} contrats (un signé)` });
  const exits = await db.exit.groupBy({ by: ['participantId'], where: { participantId: { in: participantIds } }, _count: true });
  for (const e of exits) if (e._count > 1) f.factsDuplicated.push({ about: e.participantId, what: `${e._count} sorties` });
  const points = await db.fseDataPoint.groupBy({ by: ['participantId', 'moment'], where: { participantId: { in: participantIds } }, _count: true });
  for (const pt of points) if (pt._count > 1) f.factsDuplicated.push({ about: pt.participantId, what: `${pt._count} points FSE+ ${pt.moment}` });
  const barriers = await db.barrier.groupBy({ by: ['participantId', 'category', 'openedOn'], where: { participantId: { in: participantIds } }, _count: true });
  for (const b of barriers) if (b._count > 1) f.factsDuplicated.push({ about: b.participantId, what: `${b._count} freins ${b.category} ouverts le même jour` });

  // --- Emails: each recorded message received once (a copy explained by a crash is counted apart).
  const messages = await db.message.findMany();
  const received = new Map<string, AcceptedMail[]>();
  for (const mail of inbox.received) received.set(mail.messageId, [...(received.get(mail.messageId) ?? []), mail]);
  const refused = new Set(opts.expectations.refused.map((a) => a.toLowerCase()));
  const kills = [...opts.workers.killedAt, ...opts.web.killedAt];
  const windows = opts.faults.windows();
  const faultBetween = (from: number, to: number) => kills.some((k) => k >= from - 1_000 && k <= to) || windows.some((w) => w.from <= to && w.to >= from - 1_000);
  const windowsMs: number[] = [];
  const recordedIds = new Set(messages.filter((m) => m.channel === 'email').map((m) => messageIdOf(m.idempotencyKey)));
  for (const m of messages) {
    if (m.channel === 'email') f.counts.emailMessages += 1;
    else f.counts.slackMessages += 1;
    if (m.status !== 'sent') {
      if (m.status === 'refused' && refused.has(m.recipient.toLowerCase())) f.refusedOnPurpose += 1;
      else f.undelivered.push({ about: m.idempotencyKey, what: `${m.channel} ${m.template} : ${m.status}${m.error ? ` (${m.error.slice(0, 100)})` : ''}` });
      continue;
    }
    if (m.channel !== 'email') continue;
    const id = messageIdOf(m.idempotencyKey);
    const copies = (received.get(id) ?? []).sort((a, b) => a.at - b.at);
    if (copies.length === 0) {
      f.undelivered.push({ about: m.idempotencyKey, what: `email ${m.template} : enregistré envoyé, jamais reçu` });
      continue;
    }
    if (m.sentAt) windowsMs.push(Math.max(0, m.sentAt.getTime() - copies.at(-1)!.at));
    for (let i = 1; i < copies.length; i++) {
      const explained = faultBetween(copies[i - 1]!.at, copies[i]!.at) && m.sentAt !== null && copies[i]!.at <= m.sentAt.getTime() + 2_000;
      (explained ? f.emailsResentSameId : f.emailsDuplicated).push({ about: m.idempotencyKey, what: `email ${m.template} reçu ${copies.length} fois (${explained ? 'après une panne avant son enregistrement' : 'sans panne pour l’expliquer'})` });
    }
  }
  if (windowsMs.length) {
    const sorted = windowsMs.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    f.sendWindowMs = { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
  }
  // Refused messages never reach the inbox; anything else it received must be a recorded message.
  for (const [id, copies] of received) {
    if (!recordedIds.has(id)) {
      f.emailsUnrecorded.push({ about: id, what: `email reçu ${copies.length} fois (« ${copies[0]!.subject} ») sans message enregistré` });
    }
  }

  // --- Slack: one post per key, and each post recorded as sent is there.
  const posts = new Map<string, number>();
  for (const post of slack.messages) {
    if (post.metadata?.event_type !== METADATA_EVENT) continue;
    f.counts.slackPosts += 1;
    const key = String(post.metadata.event_payload.key);
    posts.set(key, (posts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of posts) if (n > 1) f.slackDuplicated.push({ about: key, what: `publié ${n} fois dans Slack` });
  for (const m of messages) {
    if (m.channel === 'slack' && m.status === 'sent' && !posts.has(m.idempotencyKey)) f.undelivered.push({ about: m.idempotencyKey, what: `Slack ${m.template} : enregistré publié, absent de Slack` });
  }

  for (const exit of opts.workers.unexpectedExits) {
    f.workerCrashes.push({ about: `worker ${exit.worker}`, what: `arrêté seul (${exit.code ?? exit.signal}) : ${exit.tail.slice(-3).join(' | ').slice(0, 300)}` });
  }
  for (const exit of opts.web.unexpectedExits) {
    f.workerCrashes.push({ about: 'web', what: `arrêté seul (${exit.code ?? exit.signal}) : ${exit.tail.slice(-3).join(' | ').slice(0, 300)}` });
  }
  return f;
}

/** « diagnostic_decision » from `parcours-…/diagnostic_decision/3`. */
function kindOf(taskId: string): string {
  return taskId.split('/').at(-2) ?? taskId;
}
