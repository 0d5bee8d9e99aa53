/**
 * Time on a pathway: the protocol's deadlines (no contact, monthly checks, the exit's day, the
 * parcours long, the FSE+ questionnaire, the commission's next session), the tasks' reminders,
 * escalations and lapses, and the participant's appointment reminders. Every instant lives in the
 * state; the workflow sleeps until the earliest (`nextWake`).
 */
import { nextDailyAfter, nextDailyInstantAfter, nextMonthlyAfter } from '../schedules.ts';
import { checksOrigin, exitCheck, followUpPlan, startCommission } from './progress.ts';
import type { CalendarDate } from '../dates.ts';
import type { PathwayState, TimerName } from './state.ts';
import type { Step } from './step.ts';

/** Everything due by now, in a fixed order: the protocol's timers, then the tasks, then appointments. */
export function timePassed(st: Step): void {
  for (const [name, at] of Object.entries(st.s.timers) as Array<[TimerName, number]>) {
    if (at <= st.now) {
      delete st.s.timers[name];
      timerFired(st, name);
    }
  }
  chaseTasks(st);
  remindAppointments(st);
}

/**
 * The end of a pause of reminders under way: until then nothing reminds anyone about the person —
 * not them (task reminders, appointment reminders, the monthly word) nor staff (reminders,
 * escalations, the no-contact prompt). Null when there is none (or, for a pathway begun before
 * this rule, for anything but the participant's task reminders).
 */
function pausedUntil(st: Step, forParticipantTask = false): CalendarDate | null {
  const pause = st.s.remindersPause;
  if (!pause || pause.until <= st.today()) return null;
  return st.ctx.legacy?.pause && !forParticipantTask ? null : pause.until;
}

function timerFired(st: Step, name: TimerName): void {
  const { s, policy } = st;
  const paused = pausedUntil(st);
  switch (name) {
    case 'contactPrompt':
      if (paused) {
        s.timers.contactPrompt = st.instantOf(paused);
        return;
      }
      // In the follow-up, the monthly check is the contact.
      if (s.stage === 'active' && !st.hasOpen('log_contact')) st.openTask('log_contact');
      s.timers.contactPrompt = st.instantOf(nextDailyAfter(s.lastContactOn ?? st.today(), st.today(), policy.pathway.noContactDays));
      return;
    case 'followUpCheck':
      return followUpCheck(st);
    case 'exitCheck':
      return exitCheck(st);
    case 'parcoursLong':
      if ((s.stage === 'active' || s.stage === 'followUp') && !st.hasOpen('parcours_long')) st.openTask('parcours_long');
      return;
    case 'fse':
      st.openTask('fse_questionnaire');
      return;
    case 'commissionSession':
      if (s.commission) startCommission(st, s.commission.criterion, s.commission.cdi ?? false, s.commission.metOn, s.commission.adjourned ?? 0, s.commission.interrupted ?? false);
      return;
  }
}

/** The n-th monthly check of the follow-up, n months after its origin; none on the exit's day. */
function followUpCheck(st: Step): void {
  const followUp = st.s.followUp;
  if (st.s.stage !== 'followUp' || !followUp) return;
  const plan = followUpPlan(st);
  // The exit is due today (whichever timer fires first that day): its confirmation is asked instead.
  if (plan.kind === 'confirm' && plan.on <= st.today()) return exitCheck(st);
  followUp.checks += 1;
  // Last month's check, still unanswered, gives way to this month's (one open check at a time).
  st.closeTasksOf(['follow_up_check'], { status: 'expired' });
  const check = st.openTask('follow_up_check');
  // The person hears from the PLIE too: a word to say how it goes (their reply reaches the referent);
  // not during a pause of reminders.
  if (!pausedUntil(st)) st.emailParticipant('suivi_mensuel', `${check.id}/participant`);
  if (followUp.checks < st.policy.pathway.followUpMonths) {
    st.s.timers.followUpCheck = st.instantOf(nextMonthlyAfter(checksOrigin(followUp), st.today(), { from: followUp.checks + 1 }).on);
  }
}

/** Reminders, escalations and lapses of the open tasks that are due now. */
function chaseTasks(st: Step): void {
  const { s, now } = st;
  for (const task of [...s.openTasks]) {
    const p = st.policy.tasks[task.kind];
    if (task.expiresAt !== null && now >= task.expiresAt) {
      st.closeTask(task, { status: 'expired' });
      if (task.kind === 'fse_questionnaire') {
        st.emit({ type: 'recordFseDataPoint', moment: 'SIX_MOIS_APRES', on: st.today(), labourMarketStatus: null });
        s.finished = true;
      }
      continue;
    }
    if (task.nextReminderAt !== null && now >= task.nextReminderAt) {
      const paused = pausedUntil(st, task.role === 'participant');
      if (paused) {
        // Paused: the reminder waits for the end of the pause, then goes by itself.
        task.nextReminderAt = st.instantOf(paused);
      } else {
        task.reminders += 1;
        task.reminded = true;
        // Every N days from the reminder that was due (or the end of a pause), not from when it went.
        const next = nextDailyInstantAfter(task.nextReminderAt, now, p.reminderEveryDays);
        task.nextReminderAt = task.reminders < p.maxReminders ? next : null;
        if (task.role === 'participant') st.emailParticipant(`${task.kind}.relance`, `${task.id}/reminder/${task.reminders}`);
        else st.emit({ type: 'notifyStaff', taskId: task.id, notice: 'reminder', to: task.assigneeEmail!, sequence: task.reminders });
      }
    }
    const escalationPaused = pausedUntil(st);
    if (task.escalateAt !== null && now >= task.escalateAt && p.escalateTo && escalationPaused) {
      task.escalateAt = st.instantOf(escalationPaused);
    } else if (task.escalateAt !== null && now >= task.escalateAt && p.escalateTo) {
      task.escalateAt = null;
      task.escalated = true;
      st.emit({ type: 'notifyStaff', taskId: task.id, notice: 'escalation', to: st.assigneeOf(p.escalateTo) ?? st.policy.coordinatorEmail });
    }
  }
}

/** The participant's reminder, two days before each appointment. */
function remindAppointments(st: Step): void {
  const { s, now } = st;
  for (const appointment of s.appointments ?? []) {
    if (appointment.remindAt === null || appointment.remindAt > now) continue;
    appointment.remindAt = null;
    // During a pause the reminder is not sent at all: sent late, it would often come after the appointment.
    // A moved appointment's reminder is a new one (its first may have gone for the old date).
    const key = appointment.sequence ? `${appointment.id}/rappel/${appointment.sequence}` : `${appointment.id}/rappel`;
    if (!pausedUntil(st)) st.emit({ type: 'emailParticipant', template: 'rendez_vous.rappel', key });
  }
  // Past appointments are dropped from the state (the database keeps them).
  if (s.appointments) s.appointments = s.appointments.filter((a) => a.at > now);
}

/** The earliest instant something is due (workflow time), or null when nothing waits. */
export function nextWake(state: PathwayState): number | null {
  const instants: number[] = Object.values(state.timers).filter((v): v is number => typeof v === 'number');
  for (const a of state.appointments ?? []) if (a.remindAt !== null) instants.push(a.remindAt);
  for (const t of state.openTasks) {
    for (const at of [t.nextReminderAt, t.escalateAt, t.expiresAt]) if (at !== null) instants.push(at);
  }
  return instants.length === 0 ? null : Math.min(...instants);
}

/** Whether a task waits past its due date (reminded or escalated): what the overdue views show. */
export const isOverdue = (state: PathwayState) => state.openTasks.some((t) => t.reminded || t.escalated);
