/**
 * Actions recorded on a pathway besides answering a task (docs/product-requirements.md § 2.3):
 * checked once (who, what, whether the pathway's facts allow it), then recorded.
 */
import { addDaysToInstant, parisInstant, type CalendarDate } from '../dates.ts';
import { checkPathwayAction, type PathwayAction } from '../pathway-actions.ts';
import { mayRecordAction, rosterActor } from '../permissions.ts';
import { REFUSAL_CODES, refusal, type Refusal } from '../refusals.ts';
import type { PathwayContext } from './commands.ts';
import { contactLogged, contractEnded, factsChanged, noteContact, proposeExit, referentChanged } from './progress.ts';
import type { ActionRequest, ContractFact, PathwayState } from './state.ts';
import { currentContractOf, todayOf, type By, type Step } from './step.ts';

const DAY_MS = 86_400_000;
/** Participants are reminded of an appointment two days before. */
const APPOINTMENT_REMINDER_DAYS = 2;

export type CheckedAction = { ok: true; action: PathwayAction } | { ok: false; refusal: Refusal };

/** Whether this person may record this action now; the action parsed (the one place it is). */
export function checkAction(state: PathwayState, request: ActionRequest, ctx: PathwayContext, now: number): CheckedAction {
  const type = (request.action as { type?: unknown } | null)?.type;
  const actor = rosterActor(request.actor.trim().toLowerCase(), ctx.roster);
  if (!mayRecordAction(actor, type, state.referentEmail, ctx.policy.facilitatorEmails ?? [])) {
    const message =
      type === 'referentChanged'
        ? 'Seule la coordination peut confier ce parcours à un·e autre référent·e.'
        : 'Seul·e le ou la référent·e de parcours, ou la coordination, peut agir sur ce parcours.';
    return { ok: false, refusal: refusal(REFUSAL_CODES.notAllowed, message) };
  }
  const check = checkPathwayAction(request.action, state.stage);
  // A well-formed action refused only for the stage is « not now », not « invalid ».
  const code = check.ok || check.wrongStage ? REFUSAL_CODES.notNow : REFUSAL_CODES.invalid;
  if (!check.ok) return { ok: false, refusal: refusal(code, `Action refusée : ${check.problems.join(' ; ')}`) };
  const problem = actionProblem(state, check.action, todayOf(ctx.policy, now), { now, offsetDays: ctx.policy.calendarOffsetDays });
  return problem ? { ok: false, refusal: refusal(REFUSAL_CODES.notNow, `Action refusée : ${problem}`) } : { ok: true, action: check.action };
}

/** The appointment still to come that an action names by its instant (on the PLIE's calendar). */
function appointmentAt(s: PathwayState, from: string, offsetDays: number) {
  const due = Date.parse(from) - offsetDays * DAY_MS;
  return (s.appointments ?? []).find((a) => a.at === due);
}

/** Refusals that depend on the pathway's facts, not only on the stage. */
function actionProblem(s: PathwayState, action: PathwayAction, today: CalendarDate, clock: { now: number; offsetDays: number }): string | null {
  switch (action.type) {
    case 'appointmentMoved':
    case 'appointmentCancelled': {
      const appointment = appointmentAt(s, action.from, clock.offsetDays);
      if (!appointment || appointment.at <= clock.now) return 'ce rendez-vous est passé ou n’existe pas';
      if (action.type === 'appointmentMoved' && parisInstant(action.date, action.time) - clock.offsetDays * DAY_MS <= clock.now) return 'la nouvelle date doit être à venir';
      return null;
    }
    case 'stepDone':
      return s.steps.some((x) => x.stepType === action.stepType && !x.done) ? null : 'aucune étape de ce type n’est en cours';
    case 'contractEnded':
      return currentContractOf(s, today) ? null : 'aucun contrat en cours';
    case 'contractSigned': {
      // Two decisions on one placement raced (an email link and Slack): the hire is recorded once.
      const { source } = action.contract;
      return source && s.facts.contracts.some((c) => c.source === source) ? 'cette embauche est déjà enregistrée sur le parcours' : null;
    }
    case 'qualificationObtained':
      return s.facts.trainings.some((t) => t.rncp && !t.qualificationObtainedOn) ? null : 'aucune formation qualifiante en cours';
    case 'exitProposed':
    case 'positiveExitDeclared':
      return s.openTasks.some((t) => t.kind === 'confirm_exit') ? 'une sortie attend déjà sa confirmation' : null;
    case 'remindersPaused':
      return action.until > today ? null : 'la date de fin de pause doit être à venir';
    case 'referentChanged':
      return s.referentEmail?.toLowerCase() === action.referentEmail ? 'cette personne est déjà la ou le référent·e de ce parcours' : null;
    case 'barrierRaised':
      if (action.date > today) return 'la date ne peut pas être à venir';
      return s.barriers?.some((b) => b.category === action.category && !b.liftedOn) ? 'ce frein est déjà relevé et non levé' : null;
    case 'barrierLifted':
      if (action.date > today) return 'la date de levée ne peut pas être à venir';
      // Unknown barriers (an imported pathway) are checked by the record itself.
      if (!s.barriers) return null;
      return s.barriers.some((b) => b.category === action.category && !b.liftedOn && b.since <= action.date) ? null : 'aucun frein de ce type n’est ouvert à cette date';
    default:
      return null;
  }
}

/** What an action records, and where it moves the pathway. */
export function recorded(st: Step, action: PathwayAction, by: By): void {
  const { s } = st;
  switch (action.type) {
    case 'stepPlanned': {
      const step = { id: st.nextId('step'), stepType: action.stepType, planned: action.date, done: null };
      s.steps.push(step);
      return st.recordFact({ kind: 'step', stepId: step.id, stepType: action.stepType, start: action.date, status: 'PREVUE' }, by);
    }
    case 'stepDone': {
      const step = s.steps.find((x) => x.stepType === action.stepType && !x.done)!;
      step.done = action.date;
      return st.recordFact({ kind: 'step', stepId: step.id, stepType: step.stepType, start: step.planned, end: action.date, status: 'REALISEE' }, by);
    }
    case 'contactLogged':
      st.recordFact({ kind: 'contact', date: action.date, mode: action.mode }, by);
      return contactLogged(st, action.date, by);
    case 'appointmentScheduled': {
      const id = st.nextId('rdv');
      const at = parisInstant(action.date, action.time);
      // In workflow time (a simulation runs on shifted days; in production the offset is 0).
      const due = at - st.policy.calendarOffsetDays * DAY_MS;
      const appointments = (s.appointments ??= []);
      // The first appointment before the pathway begins is the convocation to the first interview.
      const first = (s.stage === 'orientation' || s.stage === 'diagnostic') && appointments.length === 0;
      const remindAt = addDaysToInstant(due, -APPOINTMENT_REMINDER_DAYS);
      appointments.push({ id, at: due, remindAt: remindAt > st.now ? remindAt : null });
      st.recordFact({ kind: 'appointment', appointmentId: id, at: new Date(at).toISOString(), place: action.place, durationMinutes: action.durationMinutes, first }, by);
      // The invitation, whatever was sent today (each appointment has its own).
      st.emit({ type: 'emailParticipant', template: 'rendez_vous', key: `${id}/invitation` });
      return;
    }
    case 'appointmentMoved': {
      const appointment = appointmentAt(s, action.from, st.policy.calendarOffsetDays)!;
      const at = parisInstant(action.date, action.time);
      appointment.at = at - st.policy.calendarOffsetDays * DAY_MS;
      const remindAt = addDaysToInstant(appointment.at, -APPOINTMENT_REMINDER_DAYS);
      appointment.remindAt = remindAt > st.now ? remindAt : null;
      appointment.sequence = (appointment.sequence ?? 0) + 1;
      st.recordFact({ kind: 'appointmentMoved', appointmentId: appointment.id, at: new Date(at).toISOString(), place: action.place, durationMinutes: action.durationMinutes, sequence: appointment.sequence }, by);
      // The invitation's new version replaces the old one in the person's calendar (same UID, next SEQUENCE).
      st.emit({ type: 'emailParticipant', template: 'rendez_vous.deplace', key: `${appointment.id}/deplacement/${appointment.sequence}` });
      return;
    }
    case 'appointmentCancelled': {
      const appointment = appointmentAt(s, action.from, st.policy.calendarOffsetDays)!;
      s.appointments = s.appointments!.filter((a) => a !== appointment);
      const sequence = (appointment.sequence ?? 0) + 1;
      st.recordFact({ kind: 'appointmentCancelled', appointmentId: appointment.id, sequence }, by);
      st.emit({ type: 'emailParticipant', template: 'rendez_vous.annulation', key: `${appointment.id}/annulation/${sequence}` });
      return;
    }
    case 'appointmentMissed':
      s.absences += 1;
      st.recordFact({ kind: 'absence', date: action.date }, by);
      if (s.absences >= st.policy.pathway.absencesBeforeReview && !st.hasOpen('rupture_review')) st.openTask('rupture_review');
      return;
    case 'contractSigned': {
      // Employer and sector are recorded, not kept in the workflow (the rules do not need them).
      const { employer, sector, ...terms } = action.contract;
      const contract: ContractFact = { id: st.nextId('contract'), ...terms, endReason: null };
      s.facts.contracts.push(contract);
      noteContact(st, st.today(), by);
      st.recordFact({ kind: 'contract', contract: { ...contract, employer: employer ?? null, sector: sector ?? null } }, by);
      return factsChanged(st, contract.start, 'contrat');
    }
    case 'contractEnded':
      return contractEnded(st, action.date, action.reason, by);
    case 'trainingStarted': {
      const training = { id: st.nextId('training'), start: action.start, end: action.end, rncp: action.rncp, long: action.longTraining, qualificationObtainedOn: null };
      s.facts.trainings.push(training);
      st.recordFact({ kind: 'training', training }, by);
      return factsChanged(st, action.start, 'attestation_formation');
    }
    case 'qualificationObtained': {
      const training = [...s.facts.trainings].reverse().find((t) => t.rncp && !t.qualificationObtainedOn)!;
      training.qualificationObtainedOn = action.date;
      st.recordFact({ kind: 'training', training }, by);
      return factsChanged(st, action.date, 'attestation_formation');
    }
    case 'businessCreated': {
      const business = { id: st.nextId('business'), start: action.start, end: null };
      s.facts.businesses.push(business);
      st.recordFact({ kind: 'business', business }, by);
      return factsChanged(st, action.start, 'immatriculation');
    }
    case 'exitProposed':
      return proposeExit(st, { type: action.exitType, reason: action.reason, kind: null, criterion: null, cdi: false }, 'coordinator');
    case 'positiveExitDeclared':
      // Counted positive as the protocol counts it, once the coordination confirms; its proofs are missing by definition.
      return proposeExit(st, { type: 'POSITIVE', reason: action.reason, kind: action.kind, criterion: null, cdi: action.kind === 'EMPLOI' && action.cdi, declared: true }, 'coordinator');
    case 'remindersPaused':
      s.remindersPause = { until: action.until, reason: action.reason };
      return st.recordFact({ kind: 'remindersPaused', until: action.until, reason: action.reason }, by);
    case 'remindersResumed':
      s.remindersPause = null;
      return st.recordFact({ kind: 'remindersResumed' }, by);
    case 'referentChanged':
      return referentChanged(st, action.referentEmail, action.reason ?? null, by);
    case 'barrierRaised':
      s.barriers?.push({ category: action.category, since: action.date, liftedOn: null });
      return st.recordFact({ kind: 'barrierRaised', category: action.category, on: action.date }, by);
    case 'barrierLifted': {
      const barrier = s.barriers?.find((b) => b.category === action.category && !b.liftedOn);
      if (barrier) barrier.liftedOn = action.date;
      return st.recordFact({ kind: 'barrierLifted', category: action.category, on: action.date }, by);
    }
  }
}
