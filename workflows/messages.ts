/**
 * The workflows' message vocabulary, defined once and used by the workflows, the CLI, the HTTP
 * API, the simulator and (later) the Slack listeners and web forms.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommissionOutcome } from '../src/domain/commission.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { AtypicalCriterion, PositiveCriterion, PositiveKind, WorkContract } from '../src/domain/exit-criteria.ts';
import type { ExitType } from '../src/domain/exit-types.ts';
import type { PathwayPolicy } from '../src/domain/pathway-policy.ts';
import type { AssigneeRole, ProofKind, Stage, TaskKind, TaskTimings } from '../src/domain/tasks.ts';

export const PARCOURS_WORKFLOW = 'parcoursWorkflow';
export const COMMISSION_WORKFLOW = 'commissionWorkflow';

/** Deterministic: one pathway workflow per participant, so a second start is refused. */
export function parcoursWorkflowId(participantId: string): string {
  return `parcours-${participantId}`;
}

export function commissionWorkflowId(pathwayId: string, session: number): string {
  return `${pathwayId}/commission/${session}`;
}

export interface ParcoursInput {
  participantId: string;
  /** Receives escalations and the referent-assignment task. */
  coordinatorEmail: string;
  timings: TaskTimings;
  /** For a pathway already under way elsewhere (imported history): where it stands. */
  resume?: { stage: 'active'; referentEmail: string | null; entryDate: CalendarDate };
  /** The PLIE's rules, fixed when the pathway starts (absent from pathways started before them). */
  policy?: PathwayPolicy;
  /** The PLIE's coordination when the pathway started, besides `coordinatorEmail` (absent before it was kept). */
  coordinators?: string[];
  /** The state carried over by continue-as-new. */
  carried?: ParcoursState;
}

/** How an action reached the workflow; recorded with every answer. */
export type Channel = 'cli' | 'http' | 'slack' | 'email' | 'import' | 'simulation';

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
}

/** A contract as the workflow knows it: the exit rules' view, with its id and why it ended early. */
export interface ContractFact extends WorkContract {
  id: string;
  hoursPaid: number | null;
  endReason: string | null;
}

export interface ExitState extends PendingExit {
  date: CalendarDate;
  proofsMissing: boolean;
}

export type TimerName = 'contactPrompt' | 'followUpCheck' | 'exitCheck' | 'parcoursLong' | 'fse' | 'commissionSession';

export interface ParcoursState {
  participantId: string;
  stage: Stage;
  referentEmail: string | null;
  entryDate: CalendarDate | null;
  openTasks: OpenTask[];
  facts: {
    contracts: ContractFact[];
    trainings: Array<{ id: string; start: CalendarDate; end: CalendarDate | null; rncp: boolean; long: boolean; qualificationObtainedOn: CalendarDate | null }>;
    businesses: Array<{ id: string; start: CalendarDate; end: CalendarDate | null }>;
  };
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
  commission: { session: number; running: boolean; outcome: CommissionOutcome | null; date: CalendarDate | null; criterion: string } | null;
  /** Atypical criteria the commission rejected: not submitted again. */
  rejectedCriteria: string[];
  remindersPause: { until: CalendarDate; reason: string } | null;
  /** Workflow-time instant of the last email of each participant template (24-hour rule). */
  lastParticipantEmail: Record<string, number>;
  timers: Partial<Record<TimerName, number>>;
  /** Appointments to come (workflow time), and when their reminder goes (null: sent or too late). Absent before the channels patch. */
  appointments?: Array<{ id: string; at: number; remindAt: number | null }>;
  sequence: number;
  /** Runs before this one (continue-as-new). */
  runs: number;
  finished: boolean;
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

export const stateQuery = defineQuery<ParcoursState>('state');
/** Answers an open task; returns the state once the workflow has acted on the answer. */
export const answerTaskUpdate = defineUpdate<ParcoursState, [AnswerTaskRequest]>('answerTask');
/** Records an action on the pathway (contact, contract, exit proposal…); returns the new state. */
export const recordActionUpdate = defineUpdate<ParcoursState, [ActionRequest]>('recordAction');

// --- Commission ad hoc ---

export interface CommissionInput {
  pathwayId: string;
  participantId: string;
  session: number;
  criterion: string;
  members: string[];
  voteDays: number;
  reminderAfterDays: number;
  calendarOffsetDays: number;
}

export interface CommissionResult {
  outcome: CommissionOutcome;
  date: CalendarDate;
  pour: number;
  contre: number;
  abstention: number;
}

export interface CommissionState {
  session: number;
  open: boolean;
  votes: Record<string, 'pour' | 'contre' | 'abstention'>;
  deadline: CalendarDate;
  result: CommissionResult | null;
}

export interface CastVoteRequest {
  /** The member voting (their email). */
  actor: string;
  vote: unknown;
  channel: Channel;
}

export const commissionStateQuery = defineQuery<CommissionState>('commissionState');
export const castVoteUpdate = defineUpdate<CommissionState, [CastVoteRequest]>('castVote');
