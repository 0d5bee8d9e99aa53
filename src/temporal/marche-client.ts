/** Starting a marché's workflow and acting on it; a refusal carries the workflow's French reason. */
import type { Client } from '@temporalio/client';
import {
  chaseCompanyUpdate,
  closeMarcheUpdate,
  declareHoursUpdate,
  MARCHE_WORKFLOW,
  marcheStateQuery,
  marcheWorkflowId,
  reviewHoursUpdate,
  type ChaseRequest,
  type CloseRequest,
  type DeclareHoursRequest,
  type MarcheInput,
  type MarcheState,
  type ReviewHoursRequest,
} from '../../workflows/marche-messages.ts';
import { refusedInFrench } from './refusals.ts';
import { startOnce } from './start-once.ts';

/** Starts the marché's workflow; a second start for the same marché is a no-op (its id is the marché's). */
export const startMarche = (client: Client, taskQueue: string, input: MarcheInput) => startOnce(client, MARCHE_WORKFLOW, { workflowId: marcheWorkflowId(input.marcheId), taskQueue, args: [input] });

const handle = (client: Client, marcheId: string) => client.workflow.getHandle(marcheWorkflowId(marcheId));

export const declareHours = (client: Client, marcheId: string, request: DeclareHoursRequest) =>
  refusedInFrench(() => handle(client, marcheId).executeUpdate(declareHoursUpdate, { args: [request] }));
export const reviewHours = (client: Client, marcheId: string, request: ReviewHoursRequest) =>
  refusedInFrench(() => handle(client, marcheId).executeUpdate(reviewHoursUpdate, { args: [request] }));
export const chaseCompany = (client: Client, marcheId: string, request: ChaseRequest) =>
  refusedInFrench(() => handle(client, marcheId).executeUpdate(chaseCompanyUpdate, { args: [request] }));
export const closeMarche = (client: Client, marcheId: string, request: CloseRequest) =>
  refusedInFrench(() => handle(client, marcheId).executeUpdate(closeMarcheUpdate, { args: [request] }));
export const marcheState = async (client: Client, marcheId: string): Promise<MarcheState> => await handle(client, marcheId).query(marcheStateQuery);
