/**
 * Drives each pathway as the staff and the participant would, by reading its state and answering
 * what is open, as `plie simulate` does (src/simulator/simulate.ts), but made to survive a worker
 * or a web process that dies at any moment: every call has a deadline, nothing is assumed done
 * until the workflow's state says so, and an answer to a task that is no longer open is refused by
 * the workflow itself (never done twice).
 *
 * The staff's referrals, answers and actions go through the web process's HTTP API (the PLIE's
 * token, on behalf of the person). What no API route carries goes to Temporal as the web process
 * would send it: the participant's own answers (their emailed link) and the commission's votes
 * (Slack, the console).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Db } from '../../src/db/client.ts';
import { addDays, parisDate, type CalendarDate } from '../../src/domain/dates.ts';
import { answerTaskUpdate, castVoteUpdate, pathwayWorkflowId, type PathwayState } from '../../workflows/pathway-messages.ts';
import { COORDINATION, type PlannedPathway } from './population.ts';

const { temporal } = proto;

/** Calls to Temporal never wait longer than this (a dead worker answers nothing). */
const QUERY_MS = 4_000;
const UPDATE_MS = 8_000;
/** A contract neither applied nor under way this long after its Update was lost with it. */
const CONTRACT_LOST_MS = 30_000;

export interface DriveStats {
  /** Updates sent (answers, actions, votes), and how they ended. */
  updates: number;
  accepted: number;
  /** Refused by the workflow (the task was closed meanwhile, a second answer…): by reason. */
  refusals: Record<string, number>;
  /** No answer within the deadline (the worker died, an outage): looked at again later. */
  timeouts: number;
  /** Any other error of a call (the database away, Temporal's own errors): by message. */
  errors: Record<string, number>;
  /** A contract sent again after its first Update was seen neither applied nor pending. */
  contractResends: number;
  /** Tasks the script does not expect (a rupture review, a long-pathway review…): by kind. */
  unexpectedTasks: Record<string, number>;
  /** Creations retried (the pathway had not started, or the answer was lost). */
  creationRetries: number;
}

export function emptyStats(): DriveStats {
  return { updates: 0, accepted: 0, refusals: {}, timeouts: 0, errors: {}, contractResends: 0, unexpectedTasks: {}, creationRetries: 0 };
}

export interface Pathway extends PlannedPathway {
  workflowId: string | null;
  /** The final state, once its workflow completed. */
  finalState: PathwayState | null;
  status: 'unknown' | 'running' | 'completed' | 'other';
  /** When the contract's Update was last sent (wall clock). */
  contract: { sentAt: number | null };
  /** Updates under way (task ids, `contrat`). */
  inFlight: Set<string>;
  lastView: View | null;
}

export interface Driver {
  client: Client;
  db: Db;
  /** The web process: its address (the same after a restart) and the PLIE's API token. */
  api: { url: string; token: string };
  stats: DriveStats;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** PLIE_CHAOS_DEBUG=1: every failed call on stderr, to see what a run meets. */
const debug = process.env.PLIE_CHAOS_DEBUG === '1' ? (line: string) => process.stderr.write(`[debug ${new Date().toISOString()}] ${line}\n`) : () => undefined;

/** A short, stable label for an error (no ids, no addresses), to count them. */
function label(error: unknown): string {
  // Prisma's messages begin with where the call was made: the cause is their last line.
  const text = error instanceof Error ? error.message.trim().split('\n').at(-1)!.trim() : String(error);
  const message = error instanceof Error ? `${error.name}: ${text}` : text;
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

async function withDeadline<T>(client: Client, ms: number, call: () => Promise<T>): Promise<T> {
  return await client.withDeadline(Date.now() + ms, call);
}

function isDeadline(error: unknown): boolean {
  const cause = (error as { cause?: Error } | undefined)?.cause;
  const text = `${(error as Error | undefined)?.name ?? ''} ${(error as Error | undefined)?.message ?? ''} ${cause?.message ?? ''}`;
  return /deadline|DEADLINE_EXCEEDED|timed? ?out|CANCELLED|UNAVAILABLE/i.test(text);
}

/** Sends an Update: accepted, refused by the workflow, or unknown (no answer in time, an error). */
async function update(d: Driver, send: () => Promise<unknown>): Promise<'accepted' | 'refused' | 'unknown'> {
  d.stats.updates += 1;
  try {
    await withDeadline(d.client, UPDATE_MS, send);
    d.stats.accepted += 1;
    return 'accepted';
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      bump(d.stats.refusals, error.cause?.message ?? error.message);
      return 'refused';
    }
    debug(`Update : ${label(error)}`);
    if (isDeadline(error)) d.stats.timeouts += 1;
    else bump(d.stats.errors, label(error));
    return 'unknown';
  }
}

/**
 * A pathway as the staff's lists show it: the database's projection (stage, open tasks, contract,
 * commission), and from Temporal only its workflow's status. The test server routes a query to
 * the sticky queue of the worker that last ran the workflow, dead or not, and never falls back to
 * the shared queue as Temporal's server does: after a kill -9 a query waits until the workflow
 * runs again, so the script reads what the staff read.
 */
export interface View {
  stage: string;
  referentEmail: string | null;
  openTasks: Array<{ id: string; kind: string; role: string; assigneeEmail: string | null; proofKind: string | null; commissionCaseId: string | null }>;
  contracts: number;
  /** Monthly checks opened so far. */
  followUpChecks: number;
  /** The last commission case's outcome (OUVERT while the vote runs). */
  commission: string | null;
  eligibility: string | null;
  /** Its workflow has completed (the questionnaire answered). */
  completed: boolean;
}

export interface Look {
  /** Null when it could not be read now (no workflow yet, the database away). */
  view: View | null;
  /**
   * A workflow task, or an activity, is under way or waits for a worker: what was just sent may
   * not show yet, and workflow time cannot jump meanwhile. An activity waiting out its retry
   * delay is not: that wait is workflow time.
   */
  busy: boolean;
  /** A workflow task is scheduled or running. */
  workflowTask?: boolean;
}

/** Where the pathway stands: its workflow's status (and final state once completed), and its projection. */
export async function look(d: Driver, p: Pathway): Promise<Look> {
  if (!p.workflowId) return { view: null, busy: false };
  const handle = d.client.workflow.getHandle(p.workflowId);
  let busy = false;
  let workflowTask = false;
  try {
    if (p.status !== 'completed') {
      const description = await withDeadline(d.client, QUERY_MS, () => handle.describe());
      workflowTask = description.raw.pendingWorkflowTask != null;
      busy = workflowTask || (description.raw.pendingActivities ?? []).some((a) => a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED || (a.attempt ?? 1) <= 1);
      p.status = description.status.name === 'COMPLETED' ? 'completed' : description.status.name === 'RUNNING' ? 'running' : 'other';
    }
    if (p.status === 'completed' && !p.finalState) p.finalState = (await withDeadline(d.client, QUERY_MS, () => handle.result())) as PathwayState;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      p.status = 'unknown';
      return { view: null, busy: false };
    }
    debug(`état de ${p.workflowId} : ${label(error)}`);
    if (isDeadline(error)) d.stats.timeouts += 1;
    else bump(d.stats.errors, label(error));
    return { view: null, busy: true };
  }
  try {
    const row = await d.db.pathway.findUnique({
      where: { id: p.workflowId },
      include: {
        tasks: { select: { id: true, kind: true, status: true, assigneeRole: true, assigneeEmail: true, proofKind: true, commissionCaseId: true } },
        commissionCases: { select: { outcome: true, openedAt: true }, orderBy: { openedAt: 'desc' }, take: 1 },
        participant: { select: { eligibility: true, _count: { select: { contracts: true } } } },
      },
    });
    if (!row) return { view: null, busy };
    const view: View = {
      stage: row.stage,
      referentEmail: row.referentEmail,
      openTasks: row.tasks.filter((t) => t.status === 'open').map((t) => ({ id: t.id, kind: t.kind, role: t.assigneeRole, assigneeEmail: t.assigneeEmail, proofKind: t.proofKind, commissionCaseId: t.commissionCaseId })),
      contracts: row.participant._count.contracts,
      followUpChecks: row.tasks.filter((t) => t.kind === 'follow_up_check').length,
      commission: row.commissionCases[0]?.outcome ?? null,
      eligibility: (row.participant.eligibility as { decision?: string } | null)?.decision ?? null,
      completed: p.status === 'completed',
    };
    p.lastView = view;
    return { view, busy, workflowTask };
  } catch (error) {
    debug(`base pour ${p.workflowId} : ${label(error)}`);
    bump(d.stats.errors, label(error));
    return { view: null, busy: true };
  }
}

/** The API's French refusal (`erreur`), or its status. */
const refusalOf = (answer: { status: number; body: Record<string, unknown> }) => (typeof answer.body.erreur === 'string' ? answer.body.erreur : `HTTP ${answer.status}`);

/** An API call: its status and JSON body, or null when no answer came (the web process down, a deadline). */
async function callApi(d: Driver, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const response = await fetch(`${d.api.url}/api${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${d.api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(UPDATE_MS),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  } catch (error) {
    debug(`API ${route} : ${label(error)}`);
    if (isDeadline(error)) d.stats.timeouts += 1;
    else bump(d.stats.errors, label(error));
    return null;
  }
}

/** Records the participant and starts their pathway through the API; the same request again finishes a start that failed. */
async function create(d: Driver, p: Pathway): Promise<boolean> {
  const answer = await callApi(d, '/participants', p.referral);
  if (answer?.status === 201) {
    p.participantId = String(answer.body.participantId);
    p.workflowId = String(answer.body.workflowId);
    return true;
  }
  d.stats.creationRetries += 1;
  if (answer?.status === 409 && typeof answer.body.participantId === 'string') {
    // Created by an earlier call whose answer was lost: it is that person.
    p.participantId = answer.body.participantId;
    p.workflowId = pathwayWorkflowId(answer.body.participantId);
    return true;
  }
  if (answer?.status === 503 && typeof answer.body.participantId === 'string') {
    // Recorded, not started: the same request again starts it (or the worker's watch does).
    p.participantId = answer.body.participantId;
    return false;
  }
  if (answer) bump(d.stats.errors, `HTTP ${answer.status} : ${refusalOf(answer)}`);
  return false;
}

/** A staff member's answer or action through the API, judged as an Update's outcome. */
async function staffCall(d: Driver, route: string, body: unknown): Promise<'accepted' | 'refused' | 'unknown'> {
  d.stats.updates += 1;
  const answer = await callApi(d, route, body);
  if (!answer) return 'unknown';
  if (answer.status >= 200 && answer.status < 300) {
    d.stats.accepted += 1;
    return 'accepted';
  }
  if (answer.status >= 400 && answer.status < 500) {
    bump(d.stats.refusals, refusalOf(answer));
    return 'refused';
  }
  // 503: the web could not reach Temporal or the database in time; the next look decides.
  bump(d.stats.errors, `HTTP ${answer.status} : ${refusalOf(answer)}`);
  return 'unknown';
}

type ViewTask = View['openTasks'][number];

/** What the script answers to an open task (null: it lets it be). */
function answerFor(p: Pathway, view: View, task: ViewTask, today: CalendarDate): unknown {
  switch (task.kind) {
    case 'assign_referent':
      return { referentEmail: p.referent, ...(view.eligibility === 'not_eligible' ? { eligibilityJustification: 'Situation vue avec la personne (chaos)' } : {}) };
    case 'diagnostic_decision':
      return { decision: 'integrate', entryDate: today, barriers: ['MOBILITE'] };
    case 'proof_request':
      return p.sendsProofs ? { received: true } : null;
    case 'follow_up_check':
      return { inPost: true, hours: p.variant === 'cdi' ? 151 : 65, date: today };
    case 'confirm_exit':
      return { confirm: true };
    case 'fse_questionnaire':
      return { labourMarketStatus: 'EMPLOI' };
    default:
      return null;
  }
}

function contractOf(p: Pathway, today: CalendarDate) {
  const start = addDays(today, 1);
  return p.variant === 'cdi'
    ? { type: 'CDI', weeklyHours: 35, iae: false, aided: false, marketSector: true, start, end: null }
    : { type: 'CDD', weeklyHours: 15, iae: false, aided: false, marketSector: true, start, end: addDays(start, 182) };
}

/**
 * One look at a pathway and what the script does about it now: each open task it answers is
 * answered (once at a time: a second Update waits for the first to end), the contract signed, the
 * commission's votes cast. Returns whether it sent anything and what it saw.
 */
export async function reconcile(d: Driver, p: Pathway, now: number): Promise<{ acted: boolean; look: Look }> {
  if (!p.workflowId) {
    const created = await create(d, p);
    return { acted: created, look: { view: null, busy: true } };
  }
  const seen = await look(d, p);
  const view = seen.view;
  if (!view) {
    if (p.status === 'unknown' && p.participantId) {
      // No workflow (yet): the same creation again starts it.
      await create(d, p);
      return { acted: true, look: seen };
    }
    return { acted: false, look: seen };
  }
  if (view.completed) return { acted: false, look: seen };
  // One Update at a time, and none while a workflow task runs: the test server loses the time
  // lock of an Update that comes during a task whose worker then dies (see VirtualClock).
  if (p.inFlight.size > 0 || seen.workflowTask) return { acted: true, look: seen };
  const today = parisDate(now);
  const handle = d.client.workflow.getHandle(p.workflowId);
  const sends: Array<() => Promise<unknown>> = [];

  for (const task of view.openTasks) {
    if (p.inFlight.has(task.id)) continue;
    if (task.kind === 'log_contact') {
      // Answered by noting the contact, as a referent does.
      sends.push(() => sendVia(p, task.id, () => staffCall(d, `/participants/${p.participantId}/actions`, { action: { type: 'contactLogged', date: today, mode: 'entretien' }, actor: view.referentEmail ?? p.referent })));
      continue;
    }
    if (task.kind === 'commission_vote') {
      // Each member's own vote, on the case's workflow.
      const caseHandle = d.client.workflow.getHandle(task.commissionCaseId!);
      sends.push(() => send(d, p, task.id, () => caseHandle.executeUpdate(castVoteUpdate, { args: [{ actor: task.assigneeEmail!, vote: { vote: 'pour' }, channel: 'http' }] })));
      continue;
    }
    const answer = answerFor(p, view, task, today);
    if (answer === null) {
      if (task.kind !== 'proof_request') bump(d.stats.unexpectedTasks, task.kind);
      continue;
    }
    if (task.role === 'participant') sends.push(() => send(d, p, task.id, () => handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: task.id, answer, actor: 'participant', channel: 'email' }] })));
    else sends.push(() => sendVia(p, task.id, () => staffCall(d, `/participants/${p.participantId}/reponses`, { taskId: task.id, answer, actor: task.assigneeEmail ?? COORDINATION })));
  }

  // The contract, once: an action is not idempotent as an answer is, so it is sent again only when
  // the first one has been neither applied nor under way for a while (lost with a worker).
  if (view.stage === 'active' && view.contracts === 0) {
    const since = p.contract.sentAt;
    if (since === null || (!seen.busy && Date.now() - since > CONTRACT_LOST_MS)) {
      if (since !== null) d.stats.contractResends += 1;
      p.contract.sentAt = Date.now();
      sends.push(() => sendVia(p, 'contrat', () => staffCall(d, `/participants/${p.participantId}/actions`, { action: { type: 'contractSigned', contract: contractOf(p, today) }, actor: view.referentEmail ?? p.referent })));
    }
  }
  // Not awaited: an Update returns once its effects are done, which an outage can hold for a
  // long while; the next look sees what it did.
  for (const go of sends) void go();
  return { acted: sends.length > 0, look: seen };
}

/** Sends one Update for `key` (a task), at most one at a time for each. */
async function send(d: Driver, p: Pathway, key: string, call: () => Promise<unknown>): Promise<void> {
  await sendVia(p, key, () => update(d, call));
}

/** One call for `key` (a task, the contract) at a time. */
async function sendVia(p: Pathway, key: string, call: () => Promise<unknown>): Promise<void> {
  p.inFlight.add(key);
  try {
    await call();
  } finally {
    p.inFlight.delete(key);
  }
}
