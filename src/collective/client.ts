/** Starting a collective action's workflow and acting on it; a refusal carries the workflow's French reason. */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { refusedInFrench } from '../temporal/refusals.ts';
import {
  COLLECTIVE_WORKFLOW,
  collectiveStateQuery,
  collectiveWorkflowId,
  inviteParticipantsUpdate,
  recordAttendanceUpdate,
  type AttendanceRequest,
  type CollectiveInput,
  type CollectiveState,
  type InviteRequest,
} from '../../workflows/collective-messages.ts';

export async function startCollective(client: Client, taskQueue: string, input: CollectiveInput): Promise<string> {
  const workflowId = collectiveWorkflowId(input.actionId);
  try {
    await client.workflow.start(COLLECTIVE_WORKFLOW, { workflowId, taskQueue, args: [input], workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

const handle = (client: Client, actionId: string) => client.workflow.getHandle(collectiveWorkflowId(actionId));

export const inviteParticipants = (client: Client, actionId: string, request: InviteRequest) => refusedInFrench(() => handle(client, actionId).executeUpdate(inviteParticipantsUpdate, { args: [request] }));
export const recordCollectiveAttendance = (client: Client, actionId: string, request: AttendanceRequest) => refusedInFrench(() => handle(client, actionId).executeUpdate(recordAttendanceUpdate, { args: [request] }));
export const collectiveState = async (client: Client, actionId: string): Promise<CollectiveState> => await handle(client, actionId).query(collectiveStateQuery);
