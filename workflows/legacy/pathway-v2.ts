/**
 * FROZEN: the second version of the pathway workflow, the event loop written as one closure, kept
 * as it was (its initial state and commission input now shared, identical) so that pathways
 * started before the `pathway-state-machine` patch replay exactly (they
 * move to the current shell at their next continue-as-new). Do not edit; delete it with its
 * `patched()` call once no such run is left (see the README, « Faire évoluer un workflow »).
 *
 * The pathway (parcours) of one participant, as the protocol describes it: orientation →
 * diagnostic → active pathway → follow-up in employment → exit (confirmed; atypical cases voted by
 * the commission ad hoc) → FSE+ questionnaire 6 months later → done.
 *
 * The workflow is an event loop over a state it can carry through continue-as-new: answers and
 * actions arrive by Updates (validated first), timers fire reminders, escalations and the
 * protocol's deadlines. Deterministic code only: every effect goes through an activity.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { createAlarm } from '../alarm.ts';
import { deliver } from '../best-effort.ts';
import { pathwayNotices as notices, pathwayRecords as activities } from '../proxies.ts';
import { addDays, addMonths, daysBetween, parisDate, parisInstant, sameParisTimeOn, type CalendarDate } from '../../src/domain/dates.ts';
import type { ExitFacts } from '../../src/domain/exit-criteria.ts';
import { opensFollowUp, planExit } from '../../src/domain/follow-up.ts';
import { checkPathwayAction, type PathwayAction } from '../../src/domain/pathway-actions.ts';
import { pathwayPolicy, type PathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { nextDailyAfter, nextMonthlyAfter, nextParcoursLongAfter } from '../../src/domain/schedules.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { initialState } from '../../src/domain/pathway/state.ts';
import { commissionInput } from '../pathway-effects.ts';
import { checkTaskAnswer, type AnyTaskAnswer, type AssigneeRole, type Stage, type TaskAnswer, type TaskKind } from '../../src/domain/tasks.ts';
import { commissionWorkflow } from '../commission.ts';
import {
  answerTaskUpdate,
  commissionWorkflowId,
  recordActionUpdate,
  stateQuery,
  type ActionRequest,
  type AnswerTaskRequest,
  type CommissionResult,
  type ContractFact,
  type OpenTask,
  type PathwayInput,
  type PathwayState,
  type PendingExit,
  type TaskContext,
  type TimerName,
} from '../pathway-messages.ts';
import { CHANNELS_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, daysAfter, nextEvery } from '../patches.ts';
import { OVERDUE_KEY, REFERENT_KEY, STAGE_KEY } from '../search-attributes.ts';
import { createUpdateQueue, RefusedOnItsTurn } from '../update-queue.ts';
import { mayAnswerTask, mayRecordAction, rosterActor, type Roster } from '../../src/domain/permissions.ts';

const LATER_ACTIONS: readonly string[] = ['referentChanged', 'barrierRaised', 'barrierLifted', 'positiveExitDeclared', 'appointmentMoved', 'appointmentCancelled'];


const DAY_MS = 86_400_000;
/** Participants are reminded of an appointment two days before. */
const APPOINTMENT_REMINDER_DAYS = 2;
/** The same participant email is never sent twice within this delay. */
const PARTICIPANT_EMAIL_GAP_MS = DAY_MS;


/** An answer or an action, queued for the loop. */
type PathwayRequest = { answer: AnswerTaskRequest } | { action: ActionRequest };


export async function pathwayWorkflowV2(input: PathwayInput): Promise<PathwayState> {
  const pathwayId = workflowInfo().workflowId;
  const policy: PathwayPolicy =
    input.policy ?? pathwayPolicy(CASA_CONFIG, { coordinatorEmail: input.coordinatorEmail });
  const state: PathwayState = input.carried ?? initialState(input.participantId);
  // Frozen: the exit rules as they read when this code ran.
  const firstReading = { exitCriteria: policy.exitCriteria, firstReading: true };
  const channels = patched(CHANNELS_PATCH);
  // Who may act: one authority (src/domain/permissions.ts) over the coordination known at the start.
  const roster: Roster = { coordinators: [policy.coordinatorEmail, ...(input.coordinators ?? [])] };
  const actorOf = (email: string) => rosterActor(email.trim().toLowerCase(), roster);

  const updates = createUpdateQueue<PathwayRequest>();
  let commissionResult: CommissionResult | null = null;
  let searchAttributes = '';
  const alarm = createAlarm();

  // --- Time: workflow time, on the PLIE's calendar. ---
  const today = (): CalendarDate => addDays(parisDate(Date.now()), policy.calendarOffsetDays);
  const nowIso = () => new Date(Date.now()).toISOString();
  /**
   * Whether repeating dates come from their origin and deadlines keep their Paris hour (asked
   * where it matters: a pathway running before this change keeps its dates until its next one).
   */
  const fromOrigin = () => patched(SCHEDULES_FROM_ORIGIN_PATCH);
  /** The workflow instant of a calendar day (same Paris time of day as now). */
  const instantOf = (date: CalendarDate) =>
    fromOrigin() ? sameParisTimeOn(Date.now(), addDays(date, -policy.calendarOffsetDays)) : Date.now() + daysBetween(today(), date) * DAY_MS;
  const nextId = (what: string) => `${pathwayId}/${what}/${++state.sequence}`;

  // --- Handlers: validate, queue, and return once the workflow has acted (database included). ---
  setHandler(stateQuery, () => state);
  const enqueue = async (request: PathwayRequest): Promise<PathwayState> => {
    await updates.submit(request);
    return state;
  };
  setHandler(answerTaskUpdate, (request) => enqueue({ answer: request }), {
    validator: (request: AnswerTaskRequest) => {
      const task = state.openTasks.find((t) => t.id === request.taskId);
      const queued = updates.has((r) => 'answer' in r && r.answer.taskId === request.taskId);
      if (!task || queued) throw new Error('Cette tâche n’est plus ouverte (déjà traitée ou inconnue).');
      if (!mayAnswerTask(actorOf(request.actor), { kind: task.kind, assigneeEmail: task.assigneeEmail, assigneeRole: task.role }, state.referentEmail)) {
        throw new Error('Cette tâche revient à la personne qui en est chargée, ou à la coordination.');
      }
      const check = checkTaskAnswer(task.kind, request.answer);
      if (!check.ok) throw new Error(`Réponse invalide : ${check.problems.join(' ; ')}`);
      if (task.kind === 'assign_referent' && task.context?.eligibility === 'not_eligible') {
        const answer = check.answer as TaskAnswer<'assign_referent'>;
        if (!answer.eligibilityJustification) {
          throw new Error('Réponse invalide : la personne paraît non éligible ; une justification est nécessaire pour l’intégrer quand même.');
        }
      }
    },
  });
  setHandler(recordActionUpdate, (request) => enqueue({ action: request }), {
    validator: (request: ActionRequest) => {
      const type = (request.action as { type?: unknown } | null)?.type;
      if (!mayRecordAction(actorOf(request.actor), type, state.referentEmail, policy.facilitatorEmails ?? [])) {
        throw new Error('Seul·e le ou la référent·e de parcours, ou la coordination, peut agir sur ce parcours.');
      }
      const check = checkPathwayAction(request.action, state.stage);
      if (!check.ok) throw new Error(`Action refusée : ${check.problems.join(' ; ')}`);
      // Actions added after this version was frozen: refused until the pathway moves to the state machine.
      if (LATER_ACTIONS.includes(check.action.type)) throw new Error('Action refusée : ce parcours a commencé avant l’arrivée de cette fonction, qui ne lui est pas encore ouverte.');
      const problem = actionProblem(check.action);
      if (problem) throw new Error(`Action refusée : ${problem}`);
    },
  });

  /** Refusals that depend on the pathway's facts, not only on the stage. */
  function actionProblem(action: PathwayAction): string | null {
    switch (action.type) {
      case 'stepDone':
        return state.steps.some((s) => s.stepType === action.stepType && !s.done) ? null : 'aucune étape de ce type n’est en cours';
      case 'contractEnded':
        return currentContract() ? null : 'aucun contrat en cours';
      case 'qualificationObtained':
        return state.facts.trainings.some((t) => t.rncp && !t.qualificationObtainedOn) ? null : 'aucune formation qualifiante en cours';
      case 'exitProposed':
        return state.openTasks.some((t) => t.kind === 'confirm_exit') ? 'une sortie attend déjà sa confirmation' : null;
      case 'remindersPaused':
        return action.until > today() ? null : 'la date de fin de pause doit être à venir';
      default:
        return null;
    }
  }

  /** The stage read afresh (TypeScript would keep a narrowing across awaits). */
  const stage = (): Stage => state.stage;
  const currentContract = () => [...state.facts.contracts].reverse().find((c) => c.end === null || c.end >= today());

  // --- Recording ---

  async function enter(stage: Stage): Promise<void> {
    state.stage = stage;
    await activities.recordStage({
      pathwayId,
      participantId: input.participantId,
      stage,
      referentEmail: state.referentEmail,
      entryDate: state.entryDate,
      at: nowIso(),
    });
  }

  function assigneeOf(role: AssigneeRole): string | null {
    if (role === 'coordinator') return policy.coordinatorEmail;
    if (role === 'referent') return state.referentEmail ?? policy.coordinatorEmail;
    return null;
  }

  /** Emails the participant, at most once a day per template. */
  async function emailParticipant(template: string, key: string): Promise<boolean> {
    const last = state.lastParticipantEmail[template];
    if (last !== undefined && Date.now() - last < PARTICIPANT_EMAIL_GAP_MS) return false;
    state.lastParticipantEmail[template] = Date.now();
    await deliver(
      () => notices.notifyParticipant({ pathwayId, participantId: input.participantId, template, key, at: nowIso() }),
      { template },
    );
    return true;
  }

  /** Opens a task of the generic mechanism: recorded, delivered, then reminded and escalated by the loop. */
  async function openTask(kind: TaskKind, opts: { role?: AssigneeRole; context?: TaskContext } = {}): Promise<OpenTask> {
    const p = policy.tasks[kind];
    const role = opts.role ?? p.role;
    const now = Date.now();
    const task: OpenTask = {
      id: nextId(kind),
      kind,
      role,
      assigneeEmail: assigneeOf(role),
      openedAt: new Date(now).toISOString(),
      dueDate: addDays(today(), p.dueDays),
      reminders: 0,
      reminded: false,
      escalated: false,
      nextReminderAt: p.maxReminders > 0 ? daysAfter(fromOrigin(), now, p.dueDays) : null,
      escalateAt: p.escalateTo ? daysAfter(fromOrigin(), now, p.escalateAfterDays) : null,
      expiresAt: p.expireAfterDays === null ? null : daysAfter(fromOrigin(), now, p.expireAfterDays),
      ...(opts.context ? { context: opts.context } : {}),
    };
    state.openTasks.push(task);
    await activities.openTask({
      id: task.id,
      pathwayId,
      kind,
      assigneeEmail: task.assigneeEmail ?? '',
      assigneeRole: task.role,
      openedAt: task.openedAt,
      dueDate: task.dueDate,
    });
    if (task.role === 'participant') await emailParticipant(kind, `${task.id}/opened`);
    else await deliver(() => notices.notifyTask({ taskId: task.id, notice: 'opened', to: task.assigneeEmail! }), { taskId: task.id });
    return task;
  }

  type Closing = { status: 'done'; actor: string; channel: string; answer: unknown } | { status: 'expired' | 'cancelled' };

  async function closeTask(task: OpenTask, closing: Closing): Promise<void> {
    state.openTasks = state.openTasks.filter((t) => t.id !== task.id);
    const done = closing.status === 'done';
    await activities.closeTask({
      taskId: task.id,
      status: closing.status,
      answer: done ? (closing.answer as AnyTaskAnswer) : null,
      actor: done ? closing.actor : 'système',
      channel: done ? closing.channel : 'workflow',
      answeredAt: nowIso(),
    });
    if (channels) await deliver(() => notices.showTaskOutcome({ taskId: task.id }), { taskId: task.id });
  }

  async function closeTasksOf(kinds: TaskKind[], closing: Closing): Promise<void> {
    for (const task of state.openTasks.filter((t) => kinds.includes(t.kind))) await closeTask(task, closing);
  }

  async function recordFact(fact: Parameters<Activities['recordPathwayFact']>[0]['fact'], actor: string, channel: string): Promise<void> {
    await activities.recordPathwayFact({ pathwayId, participantId: input.participantId, key: nextId('fact'), fact, actor, channel, at: nowIso() });
  }

  // --- Stages ---

  async function integrate(entryDate: CalendarDate): Promise<void> {
    state.entryDate = entryDate;
    state.lastContactOn = today();
    await enter('active');
    await activities.recordFseDataPoint({ participantId: input.participantId, moment: 'ENTREE', on: today(), labourMarketStatus: null });
    await emailParticipant('entree', `${pathwayId}/entree`);
    state.timers.contactPrompt = instantOf(addDays(today(), policy.pathway.noContactDays));
    state.timers.parcoursLong = instantOf(addMonths(entryDate, policy.pathway.parcoursLongMonths));
  }

  const exitFacts = (): ExitFacts => ({
    contracts: state.facts.contracts,
    trainings: state.facts.trainings,
    businesses: state.facts.businesses,
  });

  async function startFollowUp(start: CalendarDate): Promise<void> {
    // The monthly checks count from the contract's first day, or from today if it has begun.
    const checksFrom = start > today() ? start : today();
    state.followUp = { start, checks: 0, checksFrom };
    await enter('followUp');
    state.timers.followUpCheck = instantOf(addMonths(checksFrom, 1));
    await planFollowUp();
  }

  /** The origin of the follow-up's monthly dates (its start, for a follow-up opened before it was kept). */
  const checksOrigin = (followUp: NonNullable<PathwayState['followUp']>) => followUp.checksFrom ?? followUp.start;

  /** The follow-up's exit plan; its monthly rechecks count from the follow-up's origin. */
  const followUpPlan = () =>
    planExit(firstReading, exitFacts(), today(), policy.pathway.followUpMonths, fromOrigin() && state.followUp ? checksOrigin(state.followUp) : undefined);

  async function backToActive(): Promise<void> {
    state.followUp = null;
    delete state.timers.followUpCheck;
    delete state.timers.exitCheck;
    await closeTasksOf(['follow_up_check'], { status: 'cancelled' });
    await enter('active');
  }

  /** Looks at the facts again: when the exit can be confirmed, or back to the active pathway. */
  async function planFollowUp(): Promise<void> {
    if (!state.followUp) return;
    const plan = followUpPlan();
    if (plan.kind === 'backToActive' || (plan.kind === 'confirm' && state.rejectedCriteria.includes(plan.criterion.criterion))) {
      await backToActive();
    } else {
      state.timers.exitCheck = instantOf(plan.on);
    }
  }

  async function exitCheck(): Promise<void> {
    if (state.stage !== 'followUp' || !state.followUp) return;
    const plan = followUpPlan();
    if (plan.kind === 'backToActive') return await backToActive();
    if (plan.kind === 'recheck' || plan.on > today()) {
      state.timers.exitCheck = instantOf(plan.on);
      return;
    }
    const c = plan.criterion;
    if (plan.atypical) {
      if (state.rejectedCriteria.includes(c.criterion)) return await backToActive();
      await enter('exitPending');
      await closeTasksOf(['follow_up_check'], { status: 'cancelled' });
      delete state.timers.followUpCheck;
      return await startCommission(c.criterion);
    }
    await proposeExit({ type: 'POSITIVE', reason: null, kind: c.kind, criterion: c.criterion, cdi: c.cdi, on: plan.on }, 'referent');
  }

  async function proposeExit(exit: PendingExit, confirmer: AssigneeRole): Promise<void> {
    await enter('exitPending');
    // The exit is what is awaited now; a refusal opens the stage's task again.
    await closeTasksOf(['assign_referent', 'diagnostic_decision', 'follow_up_check', 'log_contact', 'rupture_review', 'parcours_long'], {
      status: 'cancelled',
    });
    delete state.timers.followUpCheck;
    delete state.timers.exitCheck;
    await openTask('confirm_exit', { role: confirmer, context: { exit } });
  }

  /** The stage to go back to when a proposed exit is not confirmed. */
  async function resumeAfterRefusedExit(): Promise<void> {
    if (state.followUp) {
      await enter('followUp');
      // The follow-up goes on: its next monthly date, for both the check and a new look at the exit.
      const next = fromOrigin() ? nextMonthlyAfter(checksOrigin(state.followUp), today(), { from: state.followUp.checks + 1 }).on : addMonths(today(), 1);
      state.timers.followUpCheck = instantOf(next);
      state.timers.exitCheck = instantOf(next);
    } else if (state.entryDate) {
      await enter('active');
    } else if (state.referentEmail) {
      await enter('diagnostic');
      await openTask('diagnostic_decision');
    } else {
      await enter('orientation');
      await openTask('assign_referent');
    }
  }

  async function recordExit(exit: PendingExit, date: CalendarDate): Promise<void> {
    // Proofs still awaited: the exit is counted positive and flagged; chasing ends here.
    const proofsMissing = exit.type === 'POSITIVE' && state.openTasks.some((t) => t.kind === 'proof_request');
    await closeTasksOf(['proof_request'], { status: 'expired' });
    for (const task of state.openTasks.filter((t) => t.kind !== 'fse_questionnaire')) await closeTask(task, { status: 'cancelled' });
    state.exit = { type: exit.type, reason: exit.reason, kind: exit.kind, criterion: exit.criterion, cdi: exit.cdi, date, proofsMissing };
    state.timers = {};
    await activities.recordExit({ pathwayId, participantId: input.participantId, exit: state.exit });
    await activities.recordFseDataPoint({ participantId: input.participantId, moment: 'SORTIE', on: date, labourMarketStatus: exit.kind });
    await enter('exited');
    state.timers.fse = instantOf(addMonths(date, policy.pathway.fseMonthsAfterExit));
  }

  async function startCommission(criterion: string): Promise<void> {
    const session = (state.commission?.session ?? 0) + 1;
    state.commission = { session, running: true, outcome: null, date: null, criterion };
    const child = await startChild(commissionWorkflow, {
      workflowId: commissionWorkflowId(pathwayId, session),
      args: [commissionInput({ pathwayId, participantId: input.participantId }, policy, session, criterion)],
      // The vote goes on if the pathway is ever terminated by an operator; its result is recorded.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    void child.result().then((result) => {
      commissionResult = result;
    });
  }

  async function commissionDone(result: CommissionResult): Promise<void> {
    const commission = state.commission!;
    state.commission = { ...commission, running: false, outcome: result.outcome, date: result.date };
    if (result.outcome === 'approved') {
      await recordExit({ type: 'POSITIVE', reason: 'commission ad hoc', kind: 'EMPLOI', criterion: commission.criterion as PendingExit['criterion'], cdi: false }, result.date);
    } else if (result.outcome === 'rejected') {
      state.rejectedCriteria.push(commission.criterion);
      await backToActive();
    } else {
      // Adjourned: the case comes back to the next session.
      state.timers.commissionSession = instantOf(addDays(today(), policy.commission.resubmitAfterDays));
    }
  }

  // --- Answers ---

  async function onAnswer(request: AnswerTaskRequest): Promise<void> {
    const task = state.openTasks.find((t) => t.id === request.taskId);
    // Closed meanwhile (lapsed, or made pointless by an earlier request).
    if (!task) throw new RefusedOnItsTurn('Cette tâche n’est plus ouverte (déjà traitée ou inconnue).');
    const check = checkTaskAnswer(task.kind, request.answer);
    // The validator already refused bad answers; this only narrows the type.
    if (!check.ok) throw new RefusedOnItsTurn(`Réponse invalide : ${check.problems.join(' ; ')}`);
    await closeTask(task, { status: 'done', actor: request.actor, channel: request.channel, answer: check.answer });
    const answer = check.answer;
    switch (task.kind) {
      case 'assign_referent':
        return await referentAssigned((answer as TaskAnswer<'assign_referent'>).referentEmail);
      case 'diagnostic_decision': {
        const decision = answer as TaskAnswer<'diagnostic_decision'>;
        if (decision.decision === 'reorient') {
          await enter('reoriented');
          state.finished = true;
          return;
        }
        return await integrate(decision.entryDate);
      }
      case 'log_contact':
        return await contactLogged((answer as TaskAnswer<'log_contact'>).date, request);
      case 'follow_up_check': {
        const check = answer as TaskAnswer<'follow_up_check'>;
        await noteContact(today(), request);
        if (!check.inPost) return await contractEnded(check.date ?? today(), 'autre', request);
        return;
      }
      case 'proof_request':
        // Sent by the person through their link: their referent is told.
        if (channels && request.actor === 'participant' && state.referentEmail) {
          const to = state.referentEmail;
          await deliver(() => notices.notifyTask({ taskId: task.id, notice: 'received', to, at: nowIso() }), { taskId: task.id });
        }
        return;
      case 'confirm_exit': {
        const confirmation = answer as TaskAnswer<'confirm_exit'>;
        const exit = task.context!.exit!;
        if (confirmation.confirm) return await recordExit(exit, confirmation.date ?? exit.on ?? today());
        return await resumeAfterRefusedExit();
      }
      case 'parcours_long': {
        const decision = answer as TaskAnswer<'parcours_long'>;
        if (decision.decision === 'exit') {
          return await recordExit({ type: 'PARCOURS_LONG', reason: 'PARCOURS_LONG', kind: null, criterion: null, cdi: false }, today());
        }
        // Asked again six months later (counted from the entry: 30, 36… months).
        state.timers.parcoursLong = instantOf(
          fromOrigin() && state.entryDate ? nextParcoursLongAfter(state.entryDate, policy.pathway.parcoursLongMonths, today()) : addMonths(today(), 6),
        );
        return;
      }
      case 'rupture_review': {
        const decision = answer as TaskAnswer<'rupture_review'>;
        state.absences = 0;
        if (decision.decision === 'propose_exit') {
          await proposeExit({ type: 'ABANDON', reason: decision.reason, kind: null, criterion: null, cdi: false }, 'coordinator');
        }
        return;
      }
      case 'fse_questionnaire': {
        const reply = answer as TaskAnswer<'fse_questionnaire'>;
        await activities.recordFseDataPoint({
          participantId: input.participantId,
          moment: 'SIX_MOIS_APRES',
          on: today(),
          labourMarketStatus: reply.labourMarketStatus,
        });
        state.finished = true;
        return;
      }
      case 'commission_vote':
        return;
    }
  }

  async function referentAssigned(referentEmail: string): Promise<void> {
    state.referentEmail = referentEmail;
    await enter('diagnostic');
    await emailParticipant('convocation', `${pathwayId}/convocation`);
    await openTask('diagnostic_decision');
  }

  /**
   * Something only a conversation with the person brings (a contact, a contract recorded, a
   * monthly check): it answers the « no contact » prompt and starts its delay again.
   */
  async function noteContact(date: CalendarDate, by: { actor: string; channel: string }): Promise<void> {
    if (!state.lastContactOn || date > state.lastContactOn) state.lastContactOn = date;
    state.timers.contactPrompt = instantOf(addDays(state.lastContactOn, policy.pathway.noContactDays));
    await closeTasksOf(['log_contact'], { status: 'done', ...by, answer: { date } });
  }

  async function contactLogged(date: CalendarDate, by: { actor: string; channel: string }): Promise<void> {
    state.absences = 0;
    await noteContact(date, by);
  }

  async function contractEnded(date: CalendarDate, reason: string, request: { actor: string; channel: string }): Promise<void> {
    const contract = currentContract();
    if (!contract) return;
    const early = contract.end === null || date < contract.end;
    contract.end = date;
    contract.endReason = reason;
    await recordFact({ kind: 'contractEnded', contractId: contract.id, end: date, reason, early }, request.actor, request.channel);
    if (state.stage === 'followUp') {
      await planFollowUp();
      // Sent back to the active pathway by a contract ended early (counted, docs/product-requirements.md § 2.4).
      if (stage() === 'active' && early) state.earlyEnds += 1;
    }
  }

  // --- Actions ---

  async function onAction(request: ActionRequest): Promise<void> {
    // Checked again: an earlier request may have changed the pathway since the validator ran.
    const check = checkPathwayAction(request.action, state.stage);
    if (!check.ok) throw new RefusedOnItsTurn(`Action refusée : ${check.problems.join(' ; ')}`);
    const action = check.action;
    const problem = actionProblem(action);
    if (problem) throw new RefusedOnItsTurn(`Action refusée : ${problem}`);
    const by = { actor: request.actor, channel: request.channel };
    switch (action.type) {
      case 'stepPlanned':
        state.steps.push({ id: nextId('step'), stepType: action.stepType, planned: action.date, done: null });
        await recordFact({ kind: 'step', stepId: state.steps.at(-1)!.id, stepType: action.stepType, start: action.date, status: 'PREVUE' }, by.actor, by.channel);
        return;
      case 'stepDone': {
        const step = state.steps.find((s) => s.stepType === action.stepType && !s.done)!;
        step.done = action.date;
        await recordFact({ kind: 'step', stepId: step.id, stepType: step.stepType, start: step.planned, end: action.date, status: 'REALISEE' }, by.actor, by.channel);
        return;
      }
      case 'contactLogged':
        await recordFact({ kind: 'contact', date: action.date, mode: action.mode }, by.actor, by.channel);
        return await contactLogged(action.date, by);
      case 'appointmentScheduled': {
        const id = nextId('rdv');
        const at = parisInstant(action.date, action.time);
        // In workflow time (a simulation runs on shifted days; in production the offset is 0).
        const due = at - policy.calendarOffsetDays * DAY_MS;
        const appointments = (state.appointments ??= []);
        // The first appointment before the pathway begins is the convocation to the first interview.
        const first = (state.stage === 'orientation' || state.stage === 'diagnostic') && appointments.length === 0;
        const remindAt = daysAfter(fromOrigin(), due, -APPOINTMENT_REMINDER_DAYS);
        appointments.push({ id, at: due, remindAt: remindAt > Date.now() ? remindAt : null });
        await recordFact(
          { kind: 'appointment', appointmentId: id, at: new Date(at).toISOString(), place: action.place, durationMinutes: action.durationMinutes, first },
          by.actor,
          by.channel,
        );
        await deliver(
          () => notices.notifyParticipant({ pathwayId, participantId: input.participantId, template: 'rendez_vous', key: `${id}/invitation`, at: nowIso() }),
          { appointment: id },
        );
        return;
      }
      case 'appointmentMissed':
        state.absences += 1;
        await recordFact({ kind: 'absence', date: action.date }, by.actor, by.channel);
        if (state.absences >= policy.pathway.absencesBeforeReview && !state.openTasks.some((t) => t.kind === 'rupture_review')) {
          await openTask('rupture_review');
        }
        return;
      case 'contractSigned': {
        // Employer and sector are recorded, not kept in the workflow (the rules do not need them).
        const { employer, sector, ...terms } = action.contract;
        const contract: ContractFact = { id: nextId('contract'), ...terms, endReason: null };
        state.facts.contracts.push(contract);
        await noteContact(today(), by);
        await recordFact({ kind: 'contract', contract: { ...contract, employer: employer ?? null, sector: sector ?? null } }, by.actor, by.channel);
        await factsChanged(contract.start, 'contrat');
        return;
      }
      case 'contractEnded':
        return await contractEnded(action.date, action.reason, by);
      case 'trainingStarted': {
        const training = { id: nextId('training'), start: action.start, end: action.end, rncp: action.rncp, long: action.longTraining, qualificationObtainedOn: null };
        state.facts.trainings.push(training);
        await recordFact({ kind: 'training', training }, by.actor, by.channel);
        await factsChanged(action.start, 'attestation_formation');
        return;
      }
      case 'qualificationObtained': {
        const training = [...state.facts.trainings].reverse().find((t) => t.rncp && !t.qualificationObtainedOn)!;
        training.qualificationObtainedOn = action.date;
        await recordFact({ kind: 'training', training }, by.actor, by.channel);
        await factsChanged(action.date, 'attestation_formation');
        return;
      }
      case 'businessCreated': {
        const business = { id: nextId('business'), start: action.start, end: null };
        state.facts.businesses.push(business);
        await recordFact({ kind: 'business', business }, by.actor, by.channel);
        await factsChanged(action.start, 'immatriculation');
        return;
      }
      case 'exitProposed':
        return await proposeExit({ type: action.exitType, reason: action.reason, kind: null, criterion: null, cdi: false }, 'coordinator');
      case 'remindersPaused':
        state.remindersPause = { until: action.until, reason: action.reason };
        await recordFact({ kind: 'remindersPaused', until: action.until, reason: action.reason }, by.actor, by.channel);
        return;
      case 'remindersResumed':
        state.remindersPause = null;
        await recordFact({ kind: 'remindersResumed' }, by.actor, by.channel);
        return;
    }
  }

  /** A contract, a training or a business: it may open the follow-up, or move the exit date. */
  async function factsChanged(start: CalendarDate, proofKind: 'contrat' | 'attestation_formation' | 'immatriculation'): Promise<void> {
    if (state.stage === 'active' && opensFollowUp(firstReading, exitFacts(), today())) {
      await startFollowUp(start);
      if (stage() === 'followUp') await openTask('proof_request', { context: { proofKind } });
    } else if (state.stage === 'followUp') {
      await planFollowUp();
    }
  }

  // --- Timers ---

  async function onTimer(name: TimerName): Promise<void> {
    const open = (kind: TaskKind) => state.openTasks.some((t) => t.kind === kind);
    switch (name) {
      case 'contactPrompt':
        // In the follow-up, the monthly check is the contact.
        if (state.stage === 'active' && !open('log_contact')) await openTask('log_contact');
        state.timers.contactPrompt = instantOf(
          fromOrigin() ? nextDailyAfter(state.lastContactOn ?? today(), today(), policy.pathway.noContactDays) : addDays(today(), policy.pathway.noContactDays),
        );
        return;
      case 'followUpCheck':
        if (state.stage !== 'followUp' || !state.followUp) return;
        if (fromOrigin()) return await followUpCheck(state.followUp);
        state.followUp.checks += 1;
        {
          const check = await openTask('follow_up_check');
          // The person hears from the PLIE too: a word to say how it goes (their reply reaches the referent).
          if (channels) await emailParticipant('suivi_mensuel', `${check.id}/participant`);
        }
        if (state.followUp.checks < policy.pathway.followUpMonths) state.timers.followUpCheck = instantOf(addMonths(today(), 1));
        return;
      case 'exitCheck':
        return await exitCheck();
      case 'parcoursLong':
        if ((state.stage === 'active' || state.stage === 'followUp') && !open('parcours_long')) await openTask('parcours_long');
        return;
      case 'fse':
        await openTask('fse_questionnaire');
        return;
      case 'commissionSession':
        if (state.commission) await startCommission(state.commission.criterion);
        return;
    }
  }

  /** The n-th monthly check of the follow-up, n months after its origin; none on the exit's day. */
  async function followUpCheck(followUp: NonNullable<PathwayState['followUp']>): Promise<void> {
    const plan = followUpPlan();
    // The exit is due today (whichever timer fires first that day): its confirmation is asked instead.
    if (plan.kind === 'confirm' && plan.on <= today()) return await exitCheck();
    followUp.checks += 1;
    const check = await openTask('follow_up_check');
    if (channels) await emailParticipant('suivi_mensuel', `${check.id}/participant`);
    if (followUp.checks < policy.pathway.followUpMonths) {
      state.timers.followUpCheck = instantOf(nextMonthlyAfter(checksOrigin(followUp), today(), { from: followUp.checks + 1 }).on);
    }
  }

  /** Reminders, escalations and lapses of the open tasks that are due now. */
  async function chaseTasks(): Promise<void> {
    const now = Date.now();
    for (const task of [...state.openTasks]) {
      const p = policy.tasks[task.kind];
      if (task.expiresAt !== null && now >= task.expiresAt) {
        await closeTask(task, { status: 'expired' });
        if (task.kind === 'fse_questionnaire') {
          await activities.recordFseDataPoint({ participantId: input.participantId, moment: 'SIX_MOIS_APRES', on: today(), labourMarketStatus: null });
          state.finished = true;
        }
        continue;
      }
      if (task.nextReminderAt !== null && now >= task.nextReminderAt) {
        const pause = state.remindersPause;
        if (task.role === 'participant' && pause && pause.until > today()) {
          // Paused: the reminder waits for the end of the pause, then goes by itself.
          task.nextReminderAt = instantOf(pause.until);
        } else {
          task.reminders += 1;
          task.reminded = true;
          // Every N days from the reminder that was due (or the end of a pause), not from when it went.
          const next = nextEvery(fromOrigin(), task.nextReminderAt, now, p.reminderEveryDays);
          task.nextReminderAt = task.reminders < p.maxReminders ? next : null;
          if (task.role === 'participant') await emailParticipant(`${task.kind}.relance`, `${task.id}/reminder/${task.reminders}`);
          else {
            await deliver(
              () => notices.notifyTask({ taskId: task.id, notice: 'reminder', to: task.assigneeEmail!, sequence: task.reminders, at: nowIso() }),
              { taskId: task.id },
            );
          }
        }
      }
      if (task.escalateAt !== null && now >= task.escalateAt && p.escalateTo) {
        task.escalateAt = null;
        task.escalated = true;
        const to = assigneeOf(p.escalateTo) ?? policy.coordinatorEmail;
        await deliver(() => notices.notifyTask({ taskId: task.id, notice: 'escalation', to, at: nowIso() }), { taskId: task.id });
      }
    }
  }

  /** The participant's reminder, two days before each appointment. */
  async function remindAppointments(): Promise<void> {
    const now = Date.now();
    for (const appointment of state.appointments ?? []) {
      if (appointment.remindAt === null || appointment.remindAt > now) continue;
      appointment.remindAt = null;
      const key = `${appointment.id}/rappel`;
      await deliver(() => notices.notifyParticipant({ pathwayId, participantId: input.participantId, template: 'rendez_vous.rappel', key, at: nowIso() }), { key });
    }
    // Past appointments are dropped from the state (the database keeps them).
    if (state.appointments) state.appointments = state.appointments.filter((a) => a.at > now);
  }

  function nextWake(): number | null {
    const instants: number[] = Object.values(state.timers).filter((v): v is number => typeof v === 'number');
    for (const a of state.appointments ?? []) if (a.remindAt !== null) instants.push(a.remindAt);
    for (const t of state.openTasks) {
      for (const at of [t.nextReminderAt, t.escalateAt, t.expiresAt]) if (at !== null) instants.push(at);
    }
    return instants.length === 0 ? null : Math.min(...instants);
  }

  /** Keeps the search attributes in step with the state (upserted only when they change). */
  function syncSearchAttributes(): void {
    const overdue = state.openTasks.some((t) => t.reminded || t.escalated);
    const key = JSON.stringify([state.stage, state.referentEmail, overdue]);
    if (key === searchAttributes) return;
    searchAttributes = key;
    upsertSearchAttributes([
      { key: STAGE_KEY, value: state.stage },
      { key: REFERENT_KEY, value: state.referentEmail ?? null },
      { key: OVERDUE_KEY, value: overdue },
    ]);
  }

  // --- Start ---

  if (!input.carried) {
    if (input.resume) {
      // An imported pathway already under way starts where it stands.
      state.referentEmail = input.resume.referentEmail;
      state.entryDate = input.resume.entryDate;
      state.lastContactOn = today();
      await enter('active');
      state.timers.contactPrompt = instantOf(addDays(today(), policy.pathway.noContactDays));
      state.timers.parcoursLong = instantOf(addMonths(input.resume.entryDate, policy.pathway.parcoursLongMonths));
    } else {
      await enter('orientation');
      const eligibility = await activities.assessEligibility({ participantId: input.participantId, on: today() });
      if (policy.autoReferentEmail && eligibility.decision === 'eligible') {
        await referentAssigned(policy.autoReferentEmail);
      } else {
        await openTask('assign_referent', { context: { eligibility: eligibility.decision } });
      }
    }
  } else {
    state.runs += 1;
  }

  // --- The loop ---
  for (;;) {
    while (await updates.handleNext((r) => ('answer' in r ? onAnswer(r.answer) : onAction(r.action)))) {
      if (state.finished) break;
    }
    if (commissionResult) {
      const result = commissionResult;
      commissionResult = null;
      await commissionDone(result);
    }
    if (!state.finished) {
      const now = Date.now();
      for (const [name, at] of Object.entries(state.timers) as Array<[TimerName, number]>) {
        if (at <= now) {
          delete state.timers[name];
          await onTimer(name);
        }
      }
      await chaseTasks();
      await remindAppointments();
    }
    syncSearchAttributes();
    if (state.finished && updates.pending() === 0) break;

    const info = workflowInfo();
    const longHistory = info.continueAsNewSuggested || info.historyLength > policy.maxHistoryEvents;
    if (longHistory && updates.pending() === 0 && !state.commission?.running) {
      await condition(allHandlersFinished);
      if (updates.pending() === 0) {
        await continueAsNew<typeof pathwayWorkflowV2>({ ...input, policy, carried: state, resume: undefined });
      }
    }
    await alarm.wait(nextWake(), () => updates.pending() > 0 || commissionResult !== null);
  }
  // Anything that came after the end is refused; pending Updates return before the workflow completes.
  updates.close('Ce parcours est terminé : plus rien n’y est enregistré.');
  await condition(allHandlersFinished);
  return state;
}
