/**
 * One step of the state machine: a working copy of the state, the commands issued so far, and the
 * helpers every transition shares (time on the PLIE's calendar, tasks, participant emails).
 */
import { addDays, addDaysToInstant, parisDate, sameParisTimeOn, type CalendarDate } from '../dates.ts';
import type { ExitFacts } from '../exit-criteria.ts';
import type { AnyTaskAnswer, AssigneeRole, Stage, TaskKind } from '../tasks.ts';
import type { PathwayCommand, PathwayContext, PathwayFact } from './commands.ts';
import type { OpenTask, PathwayState, TaskContext } from './state.ts';

/** The same participant email is never sent twice within this delay. */
const PARTICIPANT_EMAIL_GAP_MS = 86_400_000;

/** Today on the PLIE's calendar (shifted in a simulation; the offset is 0 in production). */
export const todayOf = (policy: PathwayContext['policy'], now: number): CalendarDate => addDays(parisDate(now), policy.calendarOffsetDays);

/** The contract under way on a day (the last one not ended before it). */
export const currentContractOf = (state: PathwayState, today: CalendarDate) =>
  [...state.facts.contracts].reverse().find((c) => c.end === null || c.end >= today);

export type Closing = { status: 'done'; actor: string; channel: string; answer: unknown } | { status: 'expired' | 'cancelled' };

export interface By {
  actor: string;
  channel: string;
}

export class Step {
  readonly out: PathwayCommand[] = [];
  readonly s: PathwayState;

  constructor(
    state: PathwayState,
    readonly ctx: PathwayContext,
    /** Workflow time (ms). */
    readonly now: number,
  ) {
    // A copy: the caller's state is left as it was (a refused request changes nothing).
    this.s = JSON.parse(JSON.stringify(state)) as PathwayState;
  }

  get policy() {
    return this.ctx.policy;
  }

  today(): CalendarDate {
    return todayOf(this.policy, this.now);
  }

  /** The workflow instant of a calendar day, at the same Paris time of day as now. */
  instantOf(date: CalendarDate): number {
    return sameParisTimeOn(this.now, addDays(date, -this.policy.calendarOffsetDays));
  }

  nextId(what: string): string {
    return `${this.ctx.pathwayId}/${what}/${++this.s.sequence}`;
  }

  emit(command: PathwayCommand): void {
    this.out.push(command);
  }

  enter(stage: Stage): void {
    this.s.stage = stage;
    this.emit({ type: 'recordStage', stage, referentEmail: this.s.referentEmail, entryDate: this.s.entryDate });
  }

  assigneeOf(role: AssigneeRole): string | null {
    if (role === 'coordinator') return this.policy.coordinatorEmail;
    if (role === 'referent') return this.s.referentEmail ?? this.policy.coordinatorEmail;
    return null;
  }

  /** Emails the participant, at most once a day per template. */
  emailParticipant(template: string, key: string): void {
    const last = this.s.lastParticipantEmail[template];
    if (last !== undefined && this.now - last < PARTICIPANT_EMAIL_GAP_MS) return;
    this.s.lastParticipantEmail[template] = this.now;
    this.emit({ type: 'emailParticipant', template, key });
  }

  /** Opens a task: recorded, its assignee told; reminded, escalated and lapsed by the timers. */
  openTask(kind: TaskKind, opts: { role?: AssigneeRole; context?: TaskContext } = {}): OpenTask {
    const p = this.policy.tasks[kind];
    const role = opts.role ?? p.role;
    const task: OpenTask = {
      id: this.nextId(kind),
      kind,
      role,
      assigneeEmail: this.assigneeOf(role),
      openedAt: new Date(this.now).toISOString(),
      dueDate: addDays(this.today(), p.dueDays),
      reminders: 0,
      reminded: false,
      escalated: false,
      nextReminderAt: p.maxReminders > 0 ? addDaysToInstant(this.now, p.dueDays) : null,
      escalateAt: p.escalateTo ? addDaysToInstant(this.now, p.escalateAfterDays) : null,
      expiresAt: p.expireAfterDays === null ? null : addDaysToInstant(this.now, p.expireAfterDays),
      ...(opts.context ? { context: opts.context } : {}),
    };
    this.s.openTasks.push(task);
    this.emit({ type: 'recordTaskOpened', task });
    if (task.role === 'participant') this.emailParticipant(kind, `${task.id}/opened`);
    else this.emit({ type: 'notifyStaff', taskId: task.id, notice: 'opened', to: task.assigneeEmail! });
    return task;
  }

  closeTask(task: OpenTask, closing: Closing): void {
    this.s.openTasks = this.s.openTasks.filter((t) => t.id !== task.id);
    const done = closing.status === 'done';
    this.emit({
      type: 'recordTaskClosed',
      taskId: task.id,
      status: closing.status,
      answer: done ? (closing.answer as AnyTaskAnswer) : null,
      actor: done ? closing.actor : 'système',
      channel: done ? closing.channel : 'workflow',
    });
    this.emit({ type: 'showTaskOutcome', taskId: task.id });
  }

  closeTasksOf(kinds: TaskKind[], closing: Closing): void {
    for (const task of this.s.openTasks.filter((t) => kinds.includes(t.kind))) this.closeTask(task, closing);
  }

  hasOpen(kind: TaskKind): boolean {
    return this.s.openTasks.some((t) => t.kind === kind);
  }

  recordFact(fact: PathwayFact, by: By): void {
    this.emit({ type: 'recordFact', key: this.nextId('fact'), fact, actor: by.actor, channel: by.channel });
  }

  currentContract() {
    return currentContractOf(this.s, this.today());
  }

  exitFacts(): ExitFacts {
    const { contracts, trainings, businesses } = this.s.facts;
    return { contracts, trainings, businesses };
  }
}
