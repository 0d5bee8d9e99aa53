/**
 * The pathway's (parcours) and the commission's message vocabulary, defined once and used by the
 * workflows, the CLI, the HTTP API, the simulator, the Slack listeners and the web pages. In code
 * the family is « pathway »; what Temporal has registered keeps « parcours » (workflow type
 * `parcoursWorkflow`, ids `parcours-<participant>`), so that running pathways and their histories
 * stay valid.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DecisionRule, PanelWhy, Quorum } from '../src/domain/commission.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { PathwayPolicy } from '../src/domain/pathway-policy.ts';
import type { ActionRequest, AnswerTaskRequest, Channel, CommissionResult, PathwayState } from '../src/domain/pathway/state.ts';
import type { TaskTimings } from '../src/domain/tasks.ts';

export const PATHWAY_WORKFLOW = 'parcoursWorkflow';
export const COMMISSION_WORKFLOW = 'commissionWorkflow';

/** Deterministic: one pathway workflow per participant, so a second start is refused. */
export function pathwayWorkflowId(participantId: string): string {
  return `parcours-${participantId}`;
}

export function commissionWorkflowId(pathwayId: string, session: number): string {
  return `${pathwayId}/commission/${session}`;
}

export interface PathwayInput {
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
  carried?: PathwayState;
}

export type {
  ActionRequest,
  AnswerTaskRequest,
  Channel,
  CommissionResult,
  ContractFact,
  ExitState,
  OpenTask,
  PathwayState,
  PendingExit,
  TaskContext,
  TimerName,
} from '../src/domain/pathway/state.ts';

export const stateQuery = defineQuery<PathwayState>('state');
/** Answers an open task; returns the state once the workflow has acted on the answer. */
export const answerTaskUpdate = defineUpdate<PathwayState, [AnswerTaskRequest]>('answerTask');
/** Records an action on the pathway (contact, contract, exit proposal…); returns the new state. */
export const recordActionUpdate = defineUpdate<PathwayState, [ActionRequest]>('recordAction');
/**
 * The PLIE's coordination has changed (someone joined or left): running pathways judge who may
 * act with the new list from then on, besides the configured coordination address.
 */
export const coordinatorsChangedSignal = defineSignal<[{ coordinators: string[] }]>('coordinatorsChanged');
/**
 * A member of staff was deactivated (by `actor`): the pathway they held, and their open tasks on
 * it, go to the coordination until it entrusts them to someone else.
 */
export const staffLeftSignal = defineSignal<[{ email: string; actor: string; channel: Channel }]>('staffLeft');
/** A rectification assessed the person's eligibility again (the designation of the referent may wait on it). */
export const eligibilityRevisedSignal = defineSignal<[{ decision: 'eligible' | 'not_eligible' | 'to_review' }]>('eligibilityRevised');

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
  /** The PLIE's rules; absent from cases opened before they were options (the defaults then). */
  quorum?: Quorum;
  decision?: DecisionRule;
  /** Who decides: the coordination in place of the commission, and why; absent: the commission. */
  panel?: 'commission' | 'coordination';
  panelWhy?: PanelWhy | null;
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
