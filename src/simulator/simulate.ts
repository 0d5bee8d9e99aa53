/**
 * `plie simulate`: plays a scenario on Temporal's time-skipping server with the real workflows
 * and the real activities (on a database of its own), and reports what the system did — tasks,
 * reminders, escalations, participant emails, the commission, the exit — as JSON.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleOption } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import type { Db } from '../db/client.ts';
import { toDbDate } from '../db/dates.ts';
import { addDays, daysBetween, parisDate, type CalendarDate } from '../domain/dates.ts';
import { pathwayPolicy } from '../domain/pathway-policy.ts';
import { CASA_CONFIG, plieConfigSchema, type PlieConfig, type PlieConfigInput } from '../domain/plie-config.ts';
import { DEFAULT_TASK_TIMINGS, type TaskKind } from '../domain/tasks.ts';
import type { Mailer } from '../email/transport.ts';
import type { Logger } from '../logging.ts';
import { importDevOnly } from '../infra/dev-only.ts';
import { dataConverter } from '../temporal/connection.ts';
import { registerSearchAttributes } from '../temporal/search-attributes.ts';
import { createWorker } from '../temporal/worker.ts';
import {
  answerTaskUpdate,
  castVoteUpdate,
  commissionWorkflowId,
  PATHWAY_WORKFLOW,
  pathwayWorkflowId,
  recordActionUpdate,
  stateQuery,
  type Channel,
  type OpenTask,
  type PathwayState,
} from '../../workflows/pathway-messages.ts';
import { ScenarioError, scenarioSchema, type Scenario, type ScenarioEvent } from './scenario.ts';
import { settle, simulationClock } from './clock.ts';
import { PROCUREMENT_SIM, parseProcurementScenario, playProcurement, type ProcurementSimulationResult } from './simulate-procurement.ts';

const DAY_MS = 86_400_000;
const CHANNEL: Channel = 'simulation';
export const SIM = {
  referent: 'r1@simulation.invalid',
  coordinator: 'c1@simulation.invalid',
  member: (n: number) => `membre${n}@simulation.invalid`,
  participantEmail: 'participant@simulation.invalid',
};

/** Kinds as the simulator reports them. */
const KIND_NAMES: Record<TaskKind, string> = {
  assign_referent: 'assignReferent',
  diagnostic_decision: 'diagnostic',
  log_contact: 'logContact',
  follow_up_check: 'followUpCheck',
  proof_request: 'proofRequest',
  confirm_exit: 'confirmExit',
  parcours_long: 'parcoursLong',
  rupture_review: 'ruptureReview',
  commission_vote: 'commissionVote',
  fse_questionnaire: 'fseQuestionnaire',
};

const STAGES_OUT: Record<PathwayState['stage'], string> = {
  orientation: 'orientation',
  diagnostic: 'diagnostic',
  active: 'active',
  followUp: 'followUp',
  exitPending: 'exitPending',
  exited: 'exited',
  reoriented: 'reoriented',
};

export interface SimulationResult {
  /** The pathway's workflow id (its commission votes are `<id>/commission/<session>`). */
  workflowId: string;
  stage: string;
  exit: { type: string; kind: string | null; date: CalendarDate; criterion: string | null; reason: string | null; proofsMissing: boolean; declared?: boolean } | null;
  commission: { invoked: boolean; outcome: 'approved' | 'rejected' | 'adjourned' | null; date: CalendarDate | null; sessions: number } | null;
  tasks: Array<{
    kind: string;
    assigneeRole: string;
    createdDay: number;
    dueDay: number;
    answeredDay: number | null;
    status: string;
    reminders: number;
    escalatedDay: number | null;
  }>;
  participantEmails: Array<{ template: string; day: number; status: string }>;
  errors: Array<{ day: number; type: string; reason: string }>;
  earlyContractEnds: number;
  continuedAsNew: number;
}

/** The default configuration: the CASA protocol, referent R1 by rule, coordinator C1, five members. */
export function simulationConfig(): PlieConfig {
  const input = JSON.parse(JSON.stringify(CASA_CONFIG)) as PlieConfigInput;
  return plieConfigSchema.parse({
    ...input,
    assignment: { autoReferentEmail: SIM.referent },
    commission: { ...input.commission, members: [1, 2, 3, 4, 5].map((n) => ({ name: `Membre ${n}`, email: SIM.member(n) })) },
  });
}

export { ScenarioError };

/** The scenario's own PLIE configuration, else the simulation's default. */
function configOf(raw: unknown): PlieConfig {
  if (raw === undefined) return simulationConfig();
  const own = plieConfigSchema.safeParse(raw);
  if (!own.success) throw new ScenarioError(own.error.issues.map((i) => `config.${i.path.join('.')} : ${i.message}`));
  return own.data;
}

export function parseScenario(raw: unknown): { scenario: Scenario; config: PlieConfig } {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(parsed.error.issues.map((i) => `${i.path.join('.') || 'scénario'} : ${i.message}`));
  const scenario = parsed.data;
  const config = configOf(scenario.config);
  const referrals = scenario.events.filter((e) => e.type === 'referral');
  if (referrals.length !== 1) throw new ScenarioError(['un et un seul évènement « referral » (l’orientation) est attendu']);
  if (scenario.events.some((e) => e.day > scenario.until)) throw new ScenarioError(['un évènement tombe après « until »']);
  return { scenario, config };
}

export interface Simulator {
  run(raw: unknown, opts?: { maxHistoryEvents?: number }): Promise<SimulationResult>;
  /** A marché's scenario (registration, hires, monthly hours, closing). */
  runProcurement(raw: unknown): Promise<ProcurementSimulationResult>;
  /** The server's history of a workflow the simulation ran (for replay fixtures). */
  history(workflowId: string): ReturnType<WorkflowHandle['fetchHistory']>;
  /** The time-skipping server and the worker's task queue, to play other workflows (recording fixtures). */
  server(): { env: TestWorkflowEnvironment; taskQueue: string };
  close(): Promise<void>;
}

/**
 * Starts a time-skipping server and a worker with the real activities on `db` (a database of the
 * simulator's own). Scenarios run one after the other: the server's clock is shared.
 */
export async function createSimulator(deps: {
  db: Db;
  testServerExecutable: { type: 'existing-path'; path: string } | { type: 'cached-download'; downloadDir: string };
  workflowBundle?: WorkflowBundleOption;
  logger: Logger;
  /** Emails are built and recorded but not sent, unless a mailer is given. */
  mailer?: Mailer;
  /** Payload encryption keys; random unless given (recording fixtures uses fixed ones). */
  payloadKeys?: string;
  /** False: no participant's own data key (recorded fixtures replay without a database). */
  participantKeys?: boolean;
}): Promise<Simulator> {
  const payloadKeys = deps.payloadKeys ?? `sim:${randomBytes(32).toString('base64')}`;
  // A devDependency: the CLI imports this module (ScenarioError) in production too.
  const { TestWorkflowEnvironment } = await importDevOnly('@temporalio/testing', 'Simulateur (plie simulate)', () => import('@temporalio/testing'));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: deps.testServerExecutable },
    client: { dataConverter: dataConverter(payloadKeys, deps.participantKeys === false ? undefined : deps.db) },
  });
  let configs = new Map<string, PlieConfig>();
  const mailer: Mailer = deps.mailer ?? (nodemailer.createTransport({ jsonTransport: true }));
  const taskQueue = `simulation-${randomBytes(4).toString('hex')}`;
  let worker: Awaited<ReturnType<typeof createWorker>>;
  let running: Promise<void>;
  try {
    await registerSearchAttributes(env.connection);
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      payloadKeys,
      participantKeys: deps.participantKeys !== false,
      ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : {}),
      deps: {
        db: deps.db,
        mailer,
        mailFrom: 'PLIE (simulation) <simulation@plie.invalid>',
        appUrl: 'http://simulation.invalid',
        logger: deps.logger,
        plieConfig: async (code) => configs.get(code) ?? CASA_CONFIG,
      },
    });
    running = worker.run();
  } catch (error) {
    await env.teardown();
    throw error;
  }

  return {
    async run(raw, opts = {}) {
      const { scenario, config } = parseScenario(raw);
      const plieCode = `SIM_${randomBytes(4).toString('hex').toUpperCase()}`;
      configs = new Map([[plieCode, { ...config, code: plieCode }]]);
      return await play(env, deps.db, taskQueue, scenario, { ...config, code: plieCode }, opts.maxHistoryEvents);
    },
    async runProcurement(raw) {
      const scenario = parseProcurementScenario(raw);
      const config = configOf(scenario.config);
      const plieCode = `SIM_${randomBytes(4).toString('hex').toUpperCase()}`;
      const own = { ...config, code: plieCode, clauses: { ...config.clauses, facilitators: config.clauses.facilitators.length ? config.clauses.facilitators : [PROCUREMENT_SIM.facilitator] } };
      configs = new Map([[plieCode, own]]);
      return await playProcurement(env, deps.db, taskQueue, scenario, own);
    },
    server() {
      return { env, taskQueue };
    },
    async history(workflowId) {
      return await env.client.workflow.getHandle(workflowId).fetchHistory();
    },
    async close() {
      worker.shutdown();
      await running;
      if (!deps.mailer) mailer.close();
      await env.teardown();
    },
  };
}

async function play(
  env: TestWorkflowEnvironment,
  db: Db,
  taskQueue: string,
  scenario: Scenario,
  config: PlieConfig,
  maxHistoryEvents: number | undefined,
): Promise<SimulationResult> {
  const client = env.client;
  const errors: SimulationResult['errors'] = [];
  const referral = scenario.events.find((e) => e.type === 'referral')!;

  const { day0, offset, dateOf, instantOfDay, sleepUntil } = await simulationClock(env, scenario.start);
  /** The scenario day of an instant: its calendar day in Paris, counted from `start`. */
  const dayOf = (instant: Date | null) => (instant ? daysBetween(scenario.start, addDays(parisDate(instant), offset)) : null);

  const participantId = randomUUID();
  const workflowId = pathwayWorkflowId(participantId);
  const p = scenario.participant;
  await sleepUntil(instantOfDay(referral.day));
  await db.$transaction(async (tx) => {
    await tx.participant.create({
      data: {
        id: participantId,
        plieCode: config.code,
        firstName: 'Simulation',
        lastName: participantId.slice(0, 8),
        identityKey: participantId,
        birthDate: toDbDate(p.birthDate),
        commune: p.commune,
        postalCode: p.postalCode ?? null,
        minimumIncome: p.minimumIncome ?? null,
        longTermJobSeeker: p.longTermJobSeeker,
        exclusionRisk: p.exclusionRisk,
        qualificationLevel: p.qualificationLevel ?? null,
        activeJobSearch: p.activeJobSearch,
        selfEmployed: p.selfEmployed,
        needsSupport: p.needsSupport,
        ableAndWilling: p.ableAndWilling,
        followedByMissionLocale: p.followedByMissionLocale,
        sex: p.sex ?? null,
        email: p.hasEmail ? SIM.participantEmail : null,
        prescriber: typeof referral.prescriber === 'string' ? referral.prescriber : null,
        orientationDate: toDbDate(addDays(scenario.start, referral.day)),
        createdBy: 'simulation',
      },
    });
    await tx.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
  });
  const policy = pathwayPolicy(config, { coordinatorEmail: SIM.coordinator, calendarOffsetDays: offset, maxHistoryEvents });
  const handle = await client.workflow.start(PATHWAY_WORKFLOW, {
    workflowId,
    taskQueue,
    args: [{ participantId, coordinatorEmail: SIM.coordinator, timings: DEFAULT_TASK_TIMINGS, policy }],
  });

  const events = scenario.events.filter((e) => e !== referral).sort((a, b) => a.day - b.day);
  for (const event of events) {
    await sleepUntil(instantOfDay(event.day));
    // The day's reminders and timers are handled before the event, as they would be by then (and
    // the time-skipping server does not take an Update well in the middle of a workflow task).
    await settlePathway(client, workflowId);
    const reason = await apply(client, handle, event, dateOf);
    if (reason) errors.push({ day: event.day, type: event.type, reason });
  }
  await sleepUntil(day0 + scenario.until * DAY_MS);
  await settlePathway(client, workflowId);

  const state = await finalState(handle);
  const tasks = await db.task.findMany({ where: { pathwayId: workflowId }, orderBy: [{ openedAt: 'asc' }, { id: 'asc' }] });
  const messages = await db.message.findMany({ where: { pathwayId: workflowId, template: { not: { startsWith: 'task.' } } }, orderBy: { decidedAt: 'asc' } });
  const cases = await db.commissionCase.count({ where: { pathwayId: workflowId } });
  // The simulation is over: what still waits (an FSE+ questionnaire, a vote) stops here, so that
  // the next scenario on the same server runs alone.
  for (const id of [workflowId, ...Array.from({ length: cases }, (_, i) => commissionWorkflowId(workflowId, i + 1))]) {
    const run = client.workflow.getHandle(id);
    if ((await run.describe()).status.name === 'RUNNING') await run.terminate('fin de la simulation');
  }
  return {
    workflowId,
    stage: STAGES_OUT[state.stage],
    exit: state.exit
      ? {
          type: state.exit.type,
          kind: state.exit.kind,
          date: state.exit.date,
          criterion: state.exit.criterion,
          reason: state.exit.reason,
          proofsMissing: state.exit.proofsMissing,
          ...(state.exit.declared ? { declared: true } : {}),
        }
      : null,
    commission: state.commission
      ? { invoked: true, outcome: state.commission.outcome, date: state.commission.date, sessions: cases }
      : null,
    tasks: tasks.map((t) => ({
      kind: KIND_NAMES[t.kind as TaskKind] ?? t.kind,
      assigneeRole: t.assigneeRole,
      createdDay: dayOf(t.openedAt)!,
      dueDay: daysBetween(scenario.start, t.dueDate.toISOString().slice(0, 10)),
      answeredDay: t.status === 'done' ? dayOf(t.answeredAt) : null,
      status: t.status,
      reminders: t.reminderCount,
      escalatedDay: dayOf(t.escalatedAt),
    })),
    participantEmails: messages.map((m) => ({ template: m.template, day: dayOf(m.decidedAt)!, status: m.status })),
    errors,
    earlyContractEnds: state.earlyEnds,
    continuedAsNew: state.runs,
  };
}

async function finalState(handle: WorkflowHandle): Promise<PathwayState> {
  const { status } = await handle.describe();
  if (status.name === 'COMPLETED') return (await handle.result()) as PathwayState;
  return await handle.query(stateQuery);
}

/** Waits until the pathway (and its commission, if any) has no activity left in flight. */
async function settlePathway(client: Client, workflowId: string): Promise<void> {
  await settle(client, async () => {
    const state = await finalState(client.workflow.getHandle(workflowId));
    return [workflowId, ...(state.commission?.running ? [commissionWorkflowId(workflowId, state.commission.session)] : [])];
  });
}

const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v : fallback);

/** Plays one event; returns why it was refused, if it was. */
async function apply(
  client: Client,
  handle: WorkflowHandle,
  event: ScenarioEvent,
  dateOf: (value: unknown, fallbackDay: number) => CalendarDate,
): Promise<string | null> {
  const on = dateOf(undefined, event.day);
  const state = await handle.query(stateQuery);
  const open = (kind: TaskKind, match?: (t: OpenTask) => boolean) =>
    state.openTasks.find((t) => t.kind === kind && (!match || match(t)));
  const answer = async (kind: TaskKind, value: unknown, match?: (t: OpenTask) => boolean) => {
    const task = open(kind, match);
    if (!task) return `aucune tâche « ${KIND_NAMES[kind]} » n’est ouverte à ce moment du parcours`;
    const actor = task.role === 'participant' ? 'participant' : (task.assigneeEmail ?? SIM.coordinator);
    return await refusal(handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: task.id, answer: value, actor, channel: CHANNEL }] }));
  };
  const act = async (action: Record<string, unknown>) =>
    await refusal(
      handle.executeUpdate(recordActionUpdate, {
        args: [{ action, actor: text(event.by, state.referentEmail ?? SIM.referent), channel: CHANNEL }],
      }),
    );

  switch (event.type) {
    case 'referentAssigned': {
      const referent = text(event.referent, 'R1');
      const email = referent.includes('@') ? referent : `${referent.toLowerCase()}@simulation.invalid`;
      return await answer('assign_referent', { referentEmail: email, ...(event.justification ? { eligibilityJustification: event.justification } : {}) });
    }
    case 'diagnosticDone':
      return await answer(
        'diagnostic_decision',
        event.decision === 'reorient'
          ? { decision: 'reorient', reason: text(event.reason, 'Réorientation vers un dispositif plus adapté') }
          : { decision: event.decision, entryDate: dateOf(event.entryDate, event.day), barriers: event.barriers ?? [] },
      );
    case 'stepPlanned':
    case 'stepDone':
      return await act({ type: event.type, stepType: text(event.stepType, 'RECHERCHE_EMPLOI'), date: on });
    case 'contactLogged':
      return await act({ type: 'contactLogged', date: on, mode: text(event.mode, 'entretien') });
    case 'appointmentMissed':
      return await act({ type: 'appointmentMissed', date: on });
    case 'appointmentScheduled':
      return await act({ type: 'appointmentScheduled', date: dateOf(event.date, event.day), time: text(event.time, '10:00'), place: text(event.place, 'PLIE, 1 place du Général-de-Gaulle, Antibes') });
    case 'contractSigned': {
      const c = (event.contract ?? {}) as Record<string, unknown>;
      return await act({
        type: 'contractSigned',
        contract: { ...c, start: dateOf(c.start, event.day), end: c.end === undefined || c.end === null ? null : dateOf(c.end, event.day) },
      });
    }
    case 'contractEnded':
      return await act({ type: 'contractEnded', date: dateOf(event.date, event.day), reason: text(event.reason, 'fin_de_contrat') });
    case 'followUpConfirmed':
      return await answer('follow_up_check', { inPost: event.inPost, ...(event.hours === undefined ? {} : { hours: event.hours }), date: on });
    case 'proofReceived':
      return await answer('proof_request', { received: true }, (t) => !event.kind || t.context?.proofKind === event.kind);
    case 'trainingStarted':
      return await act({
        type: 'trainingStarted',
        start: dateOf(event.start, event.day),
        end: event.end === undefined || event.end === null ? null : dateOf(event.end, event.day),
        rncp: event.rncp,
        longTraining: event.longTraining ?? false,
      });
    case 'qualificationObtained':
      return await act({ type: 'qualificationObtained', date: on });
    case 'businessCreated':
      return await act({ type: 'businessCreated', start: dateOf(event.start, event.day) });
    case 'exitProposed':
      // The event's own `type` is taken: the exit's type is `exitType`.
      return await act({ type: 'exitProposed', exitType: event.exitType, reason: text(event.reason, 'Proposition de sortie') });
    case 'positiveExitDeclared':
      return await act({ type: 'positiveExitDeclared', kind: event.kind, cdi: event.cdi === true, reason: text(event.reason, 'Situation déclarée par la personne') });
    case 'exitConfirmed':
      return await answer('confirm_exit', event.confirm === false ? { confirm: false, reason: text(event.reason, 'Sortie non confirmée') } : { confirm: true });
    case 'parcoursLongDecided':
      return await answer('parcours_long', event.decision === 'continue' ? { decision: 'continue', reason: text(event.reason, 'Parcours à poursuivre') } : { decision: 'exit' });
    case 'ruptureReviewed':
      return await answer('rupture_review', event.decision === 'propose_exit' ? { decision: 'propose_exit', reason: text(event.reason, 'Absences répétées') } : { decision: 'continue' });
    case 'commissionVote': {
      if (!state.commission?.running) return 'aucun vote de la commission ad hoc n’est ouvert à ce moment du parcours';
      const member = typeof event.member === 'number' ? SIM.member(event.member) : text(event.member, '');
      const child = client.workflow.getHandle(commissionWorkflowId(handle.workflowId, state.commission.session));
      return await refusal(child.executeUpdate(castVoteUpdate, { args: [{ actor: member, vote: { vote: event.vote, ...(event.comment ? { comment: event.comment } : {}) }, channel: CHANNEL }] }));
    }
    case 'remindersPaused':
      return await act({ type: 'remindersPaused', until: dateOf(event.until, event.day), reason: text(event.reason, 'Pause demandée') });
    case 'remindersResumed':
      return await act({ type: 'remindersResumed' });
    case 'fseQuestionnaireAnswered':
      return await answer('fse_questionnaire', { labourMarketStatus: text(event.labourMarketStatus, 'EMPLOI') });
    default:
      return `type d’évènement inconnu : ${event.type}`;
  }
}

/** The validator's French reason, as the Slack or web channel would show it. */
async function refusal(update: Promise<unknown>): Promise<string | null> {
  try {
    await update;
    return null;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return error.cause?.message ?? error.message;
    throw error;
  }
}
