/** Starting a collective action's workflow and acting on it; a refusal carries the workflow's French reason. */
import type { Client } from '@temporalio/client';
import { refusedInFrench } from '../temporal/refusals.ts';
import { startOnce } from '../temporal/start-once.ts';
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

export const startCollective = (client: Client, taskQueue: string, input: CollectiveInput) =>
  startOnce(client, COLLECTIVE_WORKFLOW, { workflowId: collectiveWorkflowId(input.actionId), taskQueue, args: [input] });

const handle = (client: Client, actionId: string) => client.workflow.getHandle(collectiveWorkflowId(actionId));

export const inviteParticipants = (client: Client, actionId: string, request: InviteRequest) => refusedInFrench(() => handle(client, actionId).executeUpdate(inviteParticipantsUpdate, { args: [request] }));
export const recordCollectiveAttendance = (client: Client, actionId: string, request: AttendanceRequest) => refusedInFrench(() => handle(client, actionId).executeUpdate(recordAttendanceUpdate, { args: [request] }));
export const collectiveState = async (client: Client, actionId: string): Promise<CollectiveState> => await handle(client, actionId).query(collectiveStateQuery);
