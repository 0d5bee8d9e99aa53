/**
 * How a pathway moves through its stages (docs/product-requirements.md § 2): orientation →
 * diagnostic → active pathway → follow-up in employment → exit (confirmed, or voted by the
 * commission ad hoc for the atypical cases) → FSE+ questionnaire → done.
 */
import { addDays, addMonths, type CalendarDate } from '../dates.ts';
import type { CriterionMet, ExitRules } from '../exit-criteria.ts';
import { opensFollowUp, planExit } from '../follow-up.ts';
import { nextMonthlyAfter } from '../schedules.ts';
import { sameAddress } from '../permissions.ts';
import type { AssigneeRole, ProofKind } from '../tasks.ts';
import type { CommissionResult, PathwayState, PendingExit, TaskContext } from './state.ts';
import type { By, Step } from './step.ts';

type FollowUp = NonNullable<PathwayState['followUp']>;

/** The start of the active pathway: the entry, its FSE+ data point, the person's welcome. */
export function integrate(st: Step, entryDate: CalendarDate): void {
  const { s, policy } = st;
  s.entryDate = entryDate;
  s.lastContactOn = st.today();
  st.enter('active');
  st.emit({ type: 'recordFseDataPoint', moment: 'ENTREE', on: st.today(), labourMarketStatus: null });
  st.emailParticipant('entree', `${st.ctx.pathwayId}/entree`);
  s.timers.contactPrompt = st.instantOf(addDays(st.today(), policy.pathway.noContactDays));
  s.timers.parcoursLong = st.instantOf(addMonths(entryDate, policy.pathway.parcoursLongMonths));
}

/** An imported pathway already under way starts where it stands. */
export function resume(st: Step, referentEmail: string | null, entryDate: CalendarDate): void {
  const { s, policy } = st;
  s.referentEmail = referentEmail;
  s.entryDate = entryDate;
  s.lastContactOn = st.today();
  st.enter('active');
  s.timers.contactPrompt = st.instantOf(addDays(st.today(), policy.pathway.noContactDays));
  s.timers.parcoursLong = st.instantOf(addMonths(entryDate, policy.pathway.parcoursLongMonths));
}

export function referentAssigned(st: Step, referentEmail: string): void {
  st.s.referentEmail = referentEmail;
  st.enter('diagnostic');
  st.emailParticipant('convocation', `${st.ctx.pathwayId}/convocation`);
  st.openTask('diagnostic_decision');
}

/**
 * A rectification assessed the person again while the referent is still to be designated: the
 * designation asks for a justification only if they are still not eligible, and a PLIE's automatic
 * rule designates at once someone now found eligible. Later, the new assessment changes nothing here.
 */
export function eligibilityRevised(st: Step, decision: NonNullable<TaskContext['eligibility']>): void {
  const task = st.s.stage === 'orientation' ? st.s.openTasks.find((t) => t.kind === 'assign_referent') : undefined;
  if (!task) return;
  const auto = st.ctx.policy.autoReferentEmail;
  if (auto && decision === 'eligible') {
    st.closeTask(task, { status: 'cancelled' });
    return referentAssigned(st, auto);
  }
  task.context = { ...task.context, eligibility: decision };
}

/**
 * The coordination entrusts the pathway to another referent: the tasks that are the referent's
 * follow the pathway (follow-up checks included); both referents are told.
 */
export function referentChanged(st: Step, to: string, reason: string | null, by: By): void {
  const { s } = st;
  const from = s.referentEmail;
  s.referentEmail = to;
  const moved = s.openTasks.filter((t) => t.role === 'referent');
  for (const task of moved) task.assigneeEmail = to;
  st.recordFact({ kind: 'referentChanged', from, to, on: st.today(), reason }, by);
  st.emit({ type: 'notifyReferentChange', key: st.nextId('referent'), from, to, taskIds: moved.map((t) => t.id) });
}

/**
 * A member of staff left the PLIE: the pathway they held comes back to the coordination (as a
 * change of referent, so that the coordination then entrusts it with the usual action), and any
 * other open task in their name goes to it too. A pathway they held nothing on is left as it was.
 */
export function staffLeft(st: Step, email: string, by: By): void {
  const { s } = st;
  const coordination = st.policy.coordinatorEmail;
  const same = (a: string | null) => sameAddress(a, email);
  if (same(s.referentEmail)) referentChanged(st, coordination, 'départ de la ou du référent·e', by);
  const theirs = s.openTasks.filter((t) => t.role !== 'participant' && same(t.assigneeEmail));
  for (const task of theirs) task.assigneeEmail = coordination;
  if (theirs.length > 0) st.emit({ type: 'notifyReferentChange', key: st.nextId('referent'), from: email, to: coordination, taskIds: theirs.map((t) => t.id) });
}

/** The origin of the follow-up's monthly dates (its start, for a follow-up opened before it was kept). */
export const checksOrigin = (followUp: FollowUp) => followUp.checksFrom ?? followUp.start;

/** The exit rules this pathway follows (its first reading if it began before they were corrected). */
const exitRules = (st: Step): ExitRules => (st.ctx.legacy?.firstExitRules ? { exitCriteria: st.policy.exitCriteria, firstReading: true } : st.policy);

/**
 * What a rejection by the commission bars: the criterion as met by the same facts, on the same day
 * (another contract meeting it brings it back); at the first reading, the criterion for good.
 */
const rejectionKey = (st: Step, criterion: string, metOn: CalendarDate | undefined) =>
  st.ctx.legacy?.firstExitRules || !metOn ? criterion : `${criterion}@${metOn}`;

/** Left out of the exit's plan: rejected on these facts (a bare criterion, rejected before rejections were dated, stays barred). */
const barredBy = (st: Step) => (st.ctx.legacy?.firstExitRules ? undefined : (c: CriterionMet) => st.s.rejectedCriteria.some((r) => r === c.criterion || r === rejectionKey(st, c.criterion, c.metOn)));

const wasRejected = (st: Step, criterion: string) => st.s.rejectedCriteria.includes(criterion);

/**
 * A monthly check gave the hours paid over the month ending on its day: they take the place of the
 * weekly hours' estimate for the 910 hours, and the exit's day is looked at again.
 */
export function hoursPaid(st: Step, hours: number, on: CalendarDate): void {
  if (st.ctx.legacy?.firstExitRules) return;
  const contract = st.currentContract() ?? [...st.s.facts.contracts].reverse().find((c) => c.start <= on);
  if (!contract) return;
  const from = addDays(addMonths(on, -1), 1);
  contract.paidPeriods = [...(contract.paidPeriods ?? []).filter((p) => p.to < from), { from: from < contract.start ? contract.start : from, to: on, hours }];
  planFollowUp(st);
}

/** The follow-up's exit plan; its monthly rechecks count from the follow-up's origin. */
export function followUpPlan(st: Step) {
  const followUp = st.s.followUp;
  return planExit(exitRules(st), st.exitFacts(), st.today(), st.policy.pathway.followUpMonths, followUp ? checksOrigin(followUp) : undefined, barredBy(st));
}

function startFollowUp(st: Step, start: CalendarDate): void {
  // The monthly checks count from the contract's first day, or from today if it has begun.
  const checksFrom = start > st.today() ? start : st.today();
  st.s.followUp = { start, checks: 0, checksFrom };
  st.enter('followUp');
  st.s.timers.followUpCheck = st.instantOf(addMonths(checksFrom, 1));
  planFollowUp(st);
}

export function backToActive(st: Step): void {
  st.s.followUp = null;
  delete st.s.timers.followUpCheck;
  delete st.s.timers.exitCheck;
  st.closeTasksOf(['follow_up_check'], { status: 'cancelled' });
  st.enter('active');
}

/** Looks at the facts again: when the exit can be confirmed, or back to the active pathway. */
function planFollowUp(st: Step): void {
  if (!st.s.followUp) return;
  const plan = followUpPlan(st);
  if (plan.kind === 'backToActive' || (plan.kind === 'confirm' && wasRejected(st, plan.criterion.criterion))) {
    backToActive(st);
  } else {
    st.s.timers.exitCheck = st.instantOf(plan.on);
  }
}

/** The exit's day may have come: asked for confirmation, or sent to the commission if atypical. */
export function exitCheck(st: Step): void {
  const { s } = st;
  if (s.stage !== 'followUp' || !s.followUp) return;
  const plan = followUpPlan(st);
  if (plan.kind === 'backToActive') return backToActive(st);
  if (plan.kind === 'recheck' || plan.on > st.today()) {
    s.timers.exitCheck = st.instantOf(plan.on);
    return;
  }
  const c = plan.criterion;
  if (plan.atypical) {
    if (wasRejected(st, c.criterion)) return backToActive(st);
    st.enter('exitPending');
    st.closeTasksOf(['follow_up_check'], { status: 'cancelled' });
    // The follow-up's dates end here, whichever of them brought the exit's day.
    delete s.timers.followUpCheck;
    delete s.timers.exitCheck;
    return startCommission(st, c.criterion, c.cdi, c.metOn);
  }
  // « Les premières fiches de paye justifiant de 6 mois » join the contract among the proofs an employment exit needs.
  if (c.kind === 'EMPLOI' && !st.ctx.legacy?.contractProofOnly) askProof(st, 'bulletins_salaire');
  proposeExit(st, { type: 'POSITIVE', reason: null, kind: c.kind, criterion: c.criterion, cdi: c.cdi, on: plan.on }, 'referent');
}

/** Asks the person for a proof, unless that request is already open. */
function askProof(st: Step, proofKind: ProofKind): void {
  if (st.s.openTasks.some((t) => t.kind === 'proof_request' && t.context?.proofKind === proofKind)) return;
  st.openTask('proof_request', { context: { proofKind } });
}

export function proposeExit(st: Step, exit: PendingExit, confirmer: AssigneeRole): void {
  st.enter('exitPending');
  // The exit is what is awaited now; a refusal opens the stage's task again.
  st.closeTasksOf(['assign_referent', 'diagnostic_decision', 'follow_up_check', 'log_contact', 'rupture_review', 'parcours_long'], { status: 'cancelled' });
  delete st.s.timers.followUpCheck;
  delete st.s.timers.exitCheck;
  st.openTask('confirm_exit', { role: confirmer, context: { exit } });
}

/** The stage to go back to when a proposed exit is not confirmed. */
export function resumeAfterRefusedExit(st: Step): void {
  const { s } = st;
  if (s.followUp) {
    st.enter('followUp');
    // The follow-up goes on: its next monthly date, for both the check and a new look at the exit.
    const next = nextMonthlyAfter(checksOrigin(s.followUp), st.today(), { from: s.followUp.checks + 1 }).on;
    s.timers.followUpCheck = st.instantOf(next);
    s.timers.exitCheck = st.instantOf(next);
  } else if (s.entryDate) {
    st.enter('active');
  } else if (s.referentEmail) {
    st.enter('diagnostic');
    st.openTask('diagnostic_decision');
  } else {
    st.enter('orientation');
    st.openTask('assign_referent');
  }
}

export function recordExit(st: Step, exit: PendingExit, date: CalendarDate): void {
  const { s } = st;
  // Proofs still awaited: the exit is counted positive and flagged; chasing ends here.
  const proofsMissing = exit.type === 'POSITIVE' && (st.hasOpen('proof_request') || exit.declared === true);
  st.closeTasksOf(['proof_request'], { status: 'expired' });
  for (const task of s.openTasks.filter((t) => t.kind !== 'fse_questionnaire')) st.closeTask(task, { status: 'cancelled' });
  s.exit = { type: exit.type, reason: exit.reason, kind: exit.kind, criterion: exit.criterion, cdi: exit.cdi, date, proofsMissing, ...(exit.declared ? { declared: true } : {}) };
  s.timers = {};
  st.emit({ type: 'recordExit', exit: s.exit });
  st.emit({ type: 'recordFseDataPoint', moment: 'SORTIE', on: date, labourMarketStatus: exit.kind });
  st.enter('exited');
  s.timers.fse = st.instantOf(addMonths(date, st.policy.pathway.fseMonthsAfterExit));
  tellPrescriber(st, 'exit');
}

/** The prescriber's loop: whoever referred the person hears how it ended (the PLIE's configuration says whether, and where). */
export function tellPrescriber(st: Step, event: 'exit' | 'reorientation'): void {
  if (st.ctx.legacy?.noPrescriberNotice) return;
  st.emit({ type: 'notifyPrescriber', event, key: `${st.ctx.pathwayId}/prescripteur/${event}` });
}

/** A new case, or (`adjourned` > 0) the same case back after its adjournments. */
export function startCommission(st: Step, criterion: string, cdi: boolean, metOn: CalendarDate | undefined, adjourned = 0, interrupted = false): void {
  const session = (st.s.commission?.session ?? 0) + 1;
  const marks = { ...(adjourned ? { adjourned } : {}), ...(interrupted ? { interrupted: true as const } : {}) };
  st.s.commission = { session, running: true, outcome: null, date: null, criterion, cdi, ...(metOn ? { metOn } : {}), ...marks };
  st.emit({ type: 'startCommission', session, criterion, ...marks });
}

/**
 * The vote of a session ended without a result (an operator terminated it, or it failed): its case
 * is closed as interrupted, and the same case goes at once to the coordination, which decides it.
 * Nothing changes if that session is no longer the one running (a late report), or if the
 * pathway ended meanwhile (the exit stands).
 */
export function commissionInterrupted(st: Step, session: number): void {
  const commission = st.s.commission;
  if (!commission?.running || commission.session !== session) return;
  st.emit({ type: 'closeInterruptedCommission', caseSession: session });
  st.s.commission = { ...commission, running: false };
  if (st.s.exit || st.s.finished) return;
  startCommission(st, commission.criterion, commission.cdi ?? false, commission.metOn, commission.adjourned ?? 0, true);
}

export function commissionDecided(st: Step, result: CommissionResult): void {
  const { s } = st;
  const commission = s.commission!;
  s.commission = { ...commission, running: false, outcome: result.outcome, date: result.date };
  // The pathway ended while the commission voted (an abandonment confirmed meanwhile): the exit stands.
  if (s.exit && !st.ctx.legacy?.commissionAfterExit) return;
  if (result.outcome === 'approved') {
    recordExit(st, { type: 'POSITIVE', reason: 'commission ad hoc', kind: 'EMPLOI', criterion: commission.criterion as PendingExit['criterion'], cdi: commission.cdi ?? false }, result.date);
  } else if (result.outcome === 'rejected') {
    s.rejectedCriteria.push(rejectionKey(st, commission.criterion, commission.metOn));
    backToActive(st);
  } else {
    // Adjourned: the case comes back to the next session (to the coordination after two adjournments).
    s.commission.adjourned = (commission.adjourned ?? 0) + 1;
    s.timers.commissionSession = st.instantOf(addDays(st.today(), st.policy.commission.resubmitAfterDays));
  }
}

/**
 * Something only a conversation with the person brings (a contact, a contract recorded, a
 * monthly check): it answers the « no contact » prompt and starts its delay again.
 */
export function noteContact(st: Step, date: CalendarDate, by: By): void {
  const { s } = st;
  if (!s.lastContactOn || date > s.lastContactOn) s.lastContactOn = date;
  s.timers.contactPrompt = st.instantOf(addDays(s.lastContactOn, st.policy.pathway.noContactDays));
  st.closeTasksOf(['log_contact'], { status: 'done', ...by, answer: { date } });
}

export function contactLogged(st: Step, date: CalendarDate, by: By): void {
  st.s.absences = 0;
  noteContact(st, date, by);
}

export function contractEnded(st: Step, date: CalendarDate, reason: string, by: By): void {
  const contract = st.currentContract();
  if (!contract) return;
  const early = contract.end === null || date < contract.end;
  contract.end = date;
  contract.endReason = reason;
  st.recordFact({ kind: 'contractEnded', contractId: contract.id, end: date, reason, early }, by);
  if (st.s.stage === 'followUp') {
    planFollowUp(st);
    // Sent back to the active pathway by a contract ended early (counted, docs/product-requirements.md § 2.4).
    if ((st.s.stage as string) === 'active' && early) st.s.earlyEnds += 1;
  }
}

/** A contract, a training or a business: it may open the follow-up, or move the exit date. */
export function factsChanged(st: Step, start: CalendarDate, proofKind: 'contrat' | 'attestation_formation' | 'immatriculation'): void {
  if (st.s.stage === 'active' && opensFollowUp(exitRules(st), st.exitFacts(), st.today(), barredBy(st))) {
    startFollowUp(st, start);
    // Each follow-up asks for its own proofs (a request from an earlier one may still be open).
    if ((st.s.stage as string) === 'followUp') st.openTask('proof_request', { context: { proofKind } });
  } else if (st.s.stage === 'followUp') {
    planFollowUp(st);
  }
}
