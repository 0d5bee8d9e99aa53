/** Starting a procurement's (marché) workflow and acting on it; a refusal carries the workflow's French reason. */
import type { Client } from '@temporalio/client';
import {
  chaseCompanyUpdate,
  closeProcurementUpdate,
  declareHoursUpdate,
  PROCUREMENT_WORKFLOW,
  procurementStateQuery,
  procurementWorkflowId,
  reviewHoursUpdate,
  type ChaseRequest,
  type CloseRequest,
  type DeclareHoursRequest,
  type ProcurementInput,
  type ProcurementState,
  type ReviewHoursRequest,
} from '../../workflows/procurement-messages.ts';
import { refusedInFrench } from './refusals.ts';
import { startOnce } from './start-once.ts';

/** Starts the marché's workflow; a second start for the same marché is a no-op (its id is the marché's). */
export const startProcurement = (client: Client, taskQueue: string, input: ProcurementInput) => startOnce(client, PROCUREMENT_WORKFLOW, { workflowId: procurementWorkflowId(input.marcheId), taskQueue, args: [input] });

const handle = (client: Client, procurementId: string) => client.workflow.getHandle(procurementWorkflowId(procurementId));

export const declareHours = (client: Client, procurementId: string, request: DeclareHoursRequest) =>
  refusedInFrench(() => handle(client, procurementId).executeUpdate(declareHoursUpdate, { args: [request] }));
export const reviewHours = (client: Client, procurementId: string, request: ReviewHoursRequest) =>
  refusedInFrench(() => handle(client, procurementId).executeUpdate(reviewHoursUpdate, { args: [request] }));
export const chaseCompany = (client: Client, procurementId: string, request: ChaseRequest) =>
  refusedInFrench(() => handle(client, procurementId).executeUpdate(chaseCompanyUpdate, { args: [request] }));
export const closeProcurement = (client: Client, procurementId: string, request: CloseRequest) =>
  refusedInFrench(() => handle(client, procurementId).executeUpdate(closeProcurementUpdate, { args: [request] }));
export const procurementState = async (client: Client, procurementId: string): Promise<ProcurementState> => await handle(client, procurementId).query(procurementStateQuery);
