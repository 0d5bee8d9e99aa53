/**
 * The pathway's state (parcours, in the protocol's words): what the workflow carries for one
 * participant, through continue-as-new too. Plain JSON, so that it can be carried and queried.
 */
import type { CommissionOutcome } from '../commission.ts';
import type { CalendarDate } from '../dates.ts';
import type { AtypicalCriterion, PositiveCriterion, PositiveKind, WorkContract } from '../exit-criteria.ts';
import type { ExitType } from '../exit-types.ts';
import type { AssigneeRole, ProofKind, Stage, TaskKind } from '../tasks.ts';

/** How an action reached the workflow; recorded with every answer. */
export type Channel = 'cli' | 'http' | 'slack' | 'email' | 'web' | 'import' | 'simulation';

export interface OpenTask<K extends TaskKind = TaskKind> {
  id: string;
  kind: K;
  role: AssigneeRole;
  /** Null for the participant (their address stays in the database). */
  assigneeEmail: string | null;
  openedAt: string;
  dueDate: CalendarDate;
  reminders: number;
  reminded: boolean;
  escalated: boolean;
  /** Workflow-time instants (ms) of the next reminder, the escalation and the lapse. */
  nextReminderAt: number | null;
  escalateAt: number | null;
  expiresAt: number | null;
  context?: TaskContext;
}

/** What a task is about, beyond its kind. */
export interface TaskContext {
  eligibility?: 'eligible' | 'not_eligible' | 'to_review';
  proofKind?: ProofKind;
  exit?: PendingExit;
}

export interface PendingExit {
  type: ExitType;
  reason: string | null;
  kind: PositiveKind | null;
  criterion: PositiveCriterion | AtypicalCriterion | null;
  cdi: boolean;
  /** For an exit the criteria brought: the day they were met (the exit's date unless the confirmation says otherwise). */
  on?: CalendarDate;
  /** A positive exit the referent declared (employment, training, business) without its proofs: counted positive, flagged. */
  declared?: boolean;
}

/** A contract as the workflow knows it: the exit rules' view, with its id and why it ended early. */
export interface ContractFact extends WorkContract {
  id: string;
  /** The decision it comes from (`placement/<id>`), when one: recorded once. */
  source?: string;
  hoursPaid: number | null;
  endReason: string | null;
}

export interface TrainingFact {
  id: string;
  start: CalendarDate;
  end: CalendarDate | null;
  rncp: boolean;
  long: boolean;
  qualificationObtainedOn: CalendarDate | null;
}

export interface BusinessFact {
  id: string;
  start: CalendarDate;
  end: CalendarDate | null;
}

export interface BarrierFact {
  category: string;
  since: CalendarDate;
  liftedOn: CalendarDate | null;
}

export interface ExitState extends PendingExit {
  date: CalendarDate;
  proofsMissing: boolean;
}

export type TimerName = 'contactPrompt' | 'followUpCheck' | 'exitCheck' | 'parcoursLong' | 'fse' | 'commissionSession';

export interface PathwayState {
  participantId: string;
  stage: Stage;
  referentEmail: string | null;
  entryDate: CalendarDate | null;
  openTasks: OpenTask[];
  facts: { contracts: ContractFact[]; trainings: TrainingFact[]; businesses: BusinessFact[] };
  steps: Array<{ id: string; stepType: string; planned: CalendarDate; done: CalendarDate | null }>;
  lastContactOn: CalendarDate | null;
  /** Missed appointments since the last contact. */
  absences: number;
  /**
   * The follow-up in employment: its start, the monthly checks opened so far, and the day they
   * count from (absent from follow-ups opened before it was kept).
   */
  followUp: { start: CalendarDate; checks: number; checksFrom?: CalendarDate } | null;
  /** Contracts that ended early during a follow-up (sent back to the active pathway). */
  earlyEnds: number;
  exit: ExitState | null;
  /** `cdi`: the case is a CDI, which an approval counts as such; `metOn`: the day its criterion was met (both absent from cases opened before they were kept). */
  commission: {
    session: number;
    running: boolean;
    outcome: CommissionOutcome | null;
    date: CalendarDate | null;
    criterion: string;
    cdi?: boolean;
    metOn?: CalendarDate;
    /** Sessions that adjourned this case (absent from cases opened before it was counted: none). */
    adjourned?: number;
    /** The previous session's vote was interrupted (the coordination decides this one). */
    interrupted?: true;
  } | null;
  /** Atypical criteria the commission rejected, each with the day it was met (`criterion@day`): not submitted again on the same facts. */
  rejectedCriteria: string[];
  remindersPause: { until: CalendarDate; reason: string } | null;
  /** Workflow-time instant of the last email of each participant template (24-hour rule). */
  lastParticipantEmail: Record<string, number>;
  timers: Partial<Record<TimerName, number>>;
  /** Appointments to come (workflow time), and when their reminder goes (null: sent or too late). Absent before the channels patch. */
  /** `sequence`: the invitation's version (0 when sent, one more at each move or the cancellation). */
  appointments?: Array<{ id: string; at: number; remindAt: number | null; sequence?: number }>;
  /**
   * The person's barriers as this workflow knows them, opened at the diagnostic or later; absent
   * when it cannot know them all (imported pathways, pathways begun before it was kept), and then
   * a lifting is not checked against it.
   */
  barriers?: BarrierFact[];
  sequence: number;
  /** Runs before this one (continue-as-new). */
  runs: number;
  finished: boolean;
}

/** What the commission ad hoc decided on a case. */
export interface CommissionResult {
  outcome: CommissionOutcome;
  date: CalendarDate;
  pour: number;
  contre: number;
  abstention: number;
}

export interface AnswerTaskRequest {
  taskId: string;
  answer: unknown;
  /** Email or Slack id of the person who answered; `participant` for the participant's own link. */
  actor: string;
  channel: Channel;
}

export interface ActionRequest {
  action: unknown;
  actor: string;
  channel: Channel;
}

export function initialState(participantId: string): PathwayState {
  return {
    participantId,
    stage: 'orientation',
    referentEmail: null,
    entryDate: null,
    openTasks: [],
    facts: { contracts: [], trainings: [], businesses: [] },
    steps: [],
    lastContactOn: null,
    absences: 0,
    followUp: null,
    earlyEnds: 0,
    exit: null,
    commission: null,
    rejectedCriteria: [],
    remindersPause: null,
    lastParticipantEmail: {},
    timers: {},
    sequence: 0,
    runs: 0,
    finished: false,
  };
}
