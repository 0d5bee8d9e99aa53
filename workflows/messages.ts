/**
 * The pathway workflow's message vocabulary, defined once and used by the workflow, the CLI,
 * the HTTP API and (later) the Slack listeners and web forms.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { Stage, TaskKind, TaskTimings } from '../src/domain/tasks.ts';

export const PARCOURS_WORKFLOW = 'parcoursWorkflow';

/** Deterministic: one pathway workflow per participant, so a second start is refused. */
export function parcoursWorkflowId(participantId: string): string {
  return `parcours-${participantId}`;
}

export interface ParcoursInput {
  participantId: string;
  /** Receives escalations and the referent-assignment task. */
  coordinatorEmail: string;
  timings: TaskTimings;
  /** For a pathway already under way elsewhere (imported history): where it stands. */
  resume?: { stage: 'active'; referentEmail: string | null; entryDate: CalendarDate };
}

/** How an action reached the workflow; recorded with every answer. */
export type Channel = 'cli' | 'http' | 'slack' | 'email' | 'import';

export interface OpenTask<K extends TaskKind = TaskKind> {
  id: string;
  kind: K;
  assigneeEmail: string;
  openedAt: string;
  dueDate: CalendarDate;
  reminded: boolean;
  escalated: boolean;
}

export interface ParcoursState {
  participantId: string;
  stage: Stage;
  referentEmail: string | null;
  entryDate: CalendarDate | null;
  openTasks: OpenTask[];
}

export interface AnswerTaskRequest {
  taskId: string;
  answer: unknown;
  /** Email or Slack id of the person who answered. */
  actor: string;
  channel: Channel;
}

export const stateQuery = defineQuery<ParcoursState>('state');
/** Answers an open task; returns the state once the workflow has acted on the answer. */
export const answerTaskUpdate = defineUpdate<ParcoursState, [AnswerTaskRequest]>('answerTask');
