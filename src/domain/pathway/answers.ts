/**
 * Answers to the pathway's tasks: checked once (who answers, what the answer says), then each
 * kind of task moves the pathway on.
 */
import { addMonths } from '../dates.ts';
import { mayAnswerTask, rosterActor } from '../permissions.ts';
import { REFUSAL_CODES, refusal, type Refusal } from '../refusals.ts';
import { nextParcoursLongAfter } from '../schedules.ts';
import { checkTaskAnswer, type AnyTaskAnswer, type TaskAnswer, type TaskKind } from '../tasks.ts';
import type { PathwayContext } from './commands.ts';
import { contactLogged, contractEnded, hoursPaid, integrate, noteContact, proposeExit, recordExit, referentAssigned, resumeAfterRefusedExit, tellPrescriber } from './progress.ts';
import type { AnswerTaskRequest, OpenTask, PathwayState } from './state.ts';
import type { Step } from './step.ts';

export const NOT_OPEN = 'Cette tâche n’est plus ouverte (déjà traitée ou inconnue).';

export type CheckedAnswer = { ok: true; task: OpenTask; answer: AnyTaskAnswer } | { ok: false; refusal: Refusal };

/** Whether this answer may be given now, by this person; the answer parsed (the one place it is). */
export function checkAnswer(state: PathwayState, request: AnswerTaskRequest, ctx: PathwayContext): CheckedAnswer {
  const task = state.openTasks.find((t) => t.id === request.taskId);
  if (!task) return { ok: false, refusal: refusal(REFUSAL_CODES.taskNotOpen, NOT_OPEN) };
  const actor = rosterActor(request.actor.trim().toLowerCase(), ctx.roster);
  if (!mayAnswerTask(actor, { kind: task.kind, assigneeEmail: task.assigneeEmail, assigneeRole: task.role }, state.referentEmail)) {
    return { ok: false, refusal: refusal(REFUSAL_CODES.notAllowed, 'Cette tâche revient à la personne qui en est chargée, ou à la coordination.') };
  }
  const check = checkTaskAnswer(task.kind, request.answer);
  if (!check.ok) return { ok: false, refusal: refusal(REFUSAL_CODES.invalid, `Réponse invalide : ${check.problems.join(' ; ')}`) };
  if (task.kind === 'assign_referent' && task.context?.eligibility === 'not_eligible' && !(check.answer as TaskAnswer<'assign_referent'>).eligibilityJustification) {
    return { ok: false, refusal: refusal(REFUSAL_CODES.invalid, 'Réponse invalide : la personne paraît non éligible ; une justification est nécessaire pour l’intégrer quand même.') };
  }
  return { ok: true, task, answer: check.answer };
}

/** What an answer does, by kind of task (the task is closed first, with the answer). */
export function answered(st: Step, task: OpenTask, answer: AnyTaskAnswer, request: AnswerTaskRequest): void {
  const { s } = st;
  const by = { actor: request.actor, channel: request.channel };
  st.closeTask(s.openTasks.find((t) => t.id === task.id)!, { status: 'done', ...by, answer });
  const as = <K extends TaskKind>(_kind: K) => answer as TaskAnswer<K>;
  switch (task.kind) {
    case 'assign_referent':
      return referentAssigned(st, as('assign_referent').referentEmail);
    case 'diagnostic_decision': {
      const decision = as('diagnostic_decision');
      if (decision.decision === 'reorient') {
        st.enter('reoriented');
        tellPrescriber(st, 'reorientation');
        s.finished = true;
        return;
      }
      // The barriers found at the diagnostic are open from the entry date (the record's Barrier rows).
      s.barriers = [...new Set(decision.barriers)].map((category) => ({ category, since: decision.entryDate, liftedOn: null }));
      return integrate(st, decision.entryDate);
    }
    case 'log_contact':
      return contactLogged(st, as('log_contact').date, by);
    case 'follow_up_check': {
      const check = as('follow_up_check');
      noteContact(st, st.today(), by);
      if (check.hours !== undefined) hoursPaid(st, check.hours, check.date ?? st.today());
      if (!check.inPost) contractEnded(st, check.date ?? st.today(), 'autre', by);
      return;
    }
    case 'proof_request':
      // Sent by the person through their link: their referent is told.
      if (request.actor === 'participant' && s.referentEmail) st.emit({ type: 'notifyStaff', taskId: task.id, notice: 'received', to: s.referentEmail });
      return;
    case 'confirm_exit': {
      const confirmation = as('confirm_exit');
      const exit = task.context!.exit!;
      if (confirmation.confirm) return recordExit(st, exit, confirmation.date ?? exit.on ?? st.today());
      return resumeAfterRefusedExit(st);
    }
    case 'parcours_long': {
      if (as('parcours_long').decision === 'exit') {
        return recordExit(st, { type: 'PARCOURS_LONG', reason: 'PARCOURS_LONG', kind: null, criterion: null, cdi: false }, st.today());
      }
      // Asked again six months later (counted from the entry: 30, 36… months).
      const next = s.entryDate ? nextParcoursLongAfter(s.entryDate, st.policy.pathway.parcoursLongMonths, st.today()) : addMonths(st.today(), 6);
      s.timers.parcoursLong = st.instantOf(next);
      return;
    }
    case 'rupture_review': {
      const decision = as('rupture_review');
      s.absences = 0;
      if (decision.decision === 'propose_exit') {
        proposeExit(st, { type: 'ABANDON', reason: decision.reason, kind: null, criterion: null, cdi: false }, 'coordinator');
      }
      return;
    }
    case 'fse_questionnaire':
      st.emit({ type: 'recordFseDataPoint', moment: 'SIX_MOIS_APRES', on: st.today(), labourMarketStatus: as('fse_questionnaire').labourMarketStatus });
      s.finished = true;
      return;
    case 'commission_vote':
      return;
  }
}
