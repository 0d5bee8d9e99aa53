import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/common';
import {
  answerTaskUpdate,
  castVoteUpdate,
  commissionStateQuery,
  PATHWAY_WORKFLOW,
  pathwayWorkflowId,
  recordActionUpdate,
  stateQuery,
  type ActionRequest,
  type AnswerTaskRequest,
  type CastVoteRequest,
  type CommissionState,
  type PathwayInput,
  type PathwayState,
} from '../../workflows/pathway-messages.ts';
import { refusedInFrench, TaskAnswerRejectedError } from './refusals.ts';

export class PathwayAlreadyStartedError extends Error {
  constructor(readonly participantId: string) {
    super(`Un parcours existe déjà pour ce participant (${participantId}).`);
    this.name = 'PathwayAlreadyStartedError';
  }
}

export { TaskAnswerRejectedError };

/** Starts the participant's pathway; refuses (never duplicates) a second start for the same id. */
export async function startPathway(
  client: Client,
  taskQueue: string,
  input: PathwayInput,
  workflowId = pathwayWorkflowId(input.participantId),
): Promise<string> {
  try {
    await client.workflow.start(PATHWAY_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new PathwayAlreadyStartedError(input.participantId);
    throw error;
  }
  return workflowId;
}

/** Whether a workflow of that id was ever started (running or closed). */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** `workflowId`: the pathway to read, when not the participant's first (a re-entry). */
export async function pathwayState(client: Client, participantId: string, workflowId = pathwayWorkflowId(participantId)): Promise<PathwayState> {
  return await client.workflow.getHandle(workflowId).query(stateQuery);
}

/** Records an action on the pathway (contact, contract, exit proposal…); refused with the validator's reason. */
export async function recordAction(
  client: Client,
  participantId: string,
  request: ActionRequest,
  workflowId = pathwayWorkflowId(participantId),
): Promise<PathwayState> {
  return await refusedInFrench(() => client.workflow.getHandle(workflowId).executeUpdate(recordActionUpdate, { args: [request] }));
}

export async function answerTask(
  client: Client,
  participantId: string,
  request: AnswerTaskRequest,
  workflowId = pathwayWorkflowId(participantId),
): Promise<PathwayState> {
  return await refusedInFrench(() => client.workflow.getHandle(workflowId).executeUpdate(answerTaskUpdate, { args: [request] }));
}

/** A member's vote on a commission case (the case id is the commission workflow's id). */
export async function castVote(client: Client, caseId: string, request: CastVoteRequest): Promise<CommissionState> {
  return await refusedInFrench(() => client.workflow.getHandle(caseId).executeUpdate(castVoteUpdate, { args: [request] }));
}

export async function commissionState(client: Client, caseId: string): Promise<CommissionState> {
  return await client.workflow.getHandle(caseId).query(commissionStateQuery);
}
