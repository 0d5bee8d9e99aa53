/**
 * The procurement (marché à clause d'insertion) workflow's vocabulary, shared by the workflow, the
 * CLI, the Slack listeners, the web forms and the simulator. What Temporal records keeps its French
 * names so that running workflows and their histories stay valid: the workflow type
 * `marcheWorkflow`, ids `marche-…`, the Update and query names, and the `marcheId` key of the
 * input, the state and the activities' arguments (the activities keep their names too).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PaceCheck } from '../src/domain/procurement.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { Channel } from './pathway-messages.ts';

export const PROCUREMENT_WORKFLOW = 'marcheWorkflow';

/** One workflow per marché. */
export const procurementWorkflowId = (procurementId: string) => `marche-${procurementId}`;

export interface ProcurementInput {
  marcheId: string;
  start: CalendarDate;
  end: CalendarDate;
  /** Prompted to validate the hours, chase the company, and alerted when the pace slips. */
  facilitatorEmail: string;
  /** Who may validate, chase and close: the PLIE's facilitators and its coordination. */
  managers: string[];
  /** The company's contact, who declares the hours through the emailed form. */
  contactEmail: string;
  /** Days after the request before the facilitator is asked to chase the company. */
  chaseAfterDays: number;
  /** The simulator's calendar runs this many days ahead of the workflow clock (0 in production). */
  calendarOffsetDays: number;
  /** History events past which the marché goes on in a new run (continue-as-new); 1,000 when absent. */
  maxHistoryEvents?: number;
  /** What the previous run handed over (continue-as-new); absent from a marché's first run. */
  carried?: ProcurementCarried;
}

/** A marché's whole state between two runs: its months (requests, chasers due), and who it prompts and heeds today. */
export interface ProcurementCarried {
  state: ProcurementState;
  /** Who may validate, chase and close, as last heard from the roster. */
  managers: string[];
  /** The facilitator prompted, as last heard from the roster. */
  facilitatorEmail: string;
}

/**
 * A month's hours: waiting for the month to end, requested from the company, declared (to be
 * validated), validated, or without anyone under contract (nothing to ask).
 */
export type MonthStatus = 'waiting' | 'requested' | 'declared' | 'validated' | 'none';

export interface MonthState {
  status: MonthStatus;
  /** Emails sent to the company for this month (first request, chasers, corrections). */
  requests: number;
  /** Workflow instant (ms) at which the facilitator is prompted to chase, while requested. */
  chaseAt: number | null;
  /** What the pace said once the month was validated. */
  pace?: PaceCheck;
}

export interface ProcurementState {
  marcheId: string;
  months: Record<string, MonthState>;
  alerts: Array<{ month: string; gap: number }>;
  closed: boolean;
  closedOn: CalendarDate | null;
  sequence: number;
}

export interface DeclareHoursRequest {
  month: string;
  /** Hours per person (the facilitator's identifiers). */
  hours: Record<string, number>;
  actor: string;
  channel: Channel;
}

export interface ReviewHoursRequest {
  month: string;
  decision: 'validate' | 'correct';
  /** What to correct, told to the company. */
  comment?: string;
  actor: string;
  channel: Channel;
}

export interface ChaseRequest {
  month: string;
  actor: string;
  channel: Channel;
}

export interface CloseRequest {
  actor: string;
  channel: Channel;
}

export const declareHoursUpdate = defineUpdate<ProcurementState, [DeclareHoursRequest]>('declareHours');
export const reviewHoursUpdate = defineUpdate<ProcurementState, [ReviewHoursRequest]>('reviewHours');
export const chaseCompanyUpdate = defineUpdate<ProcurementState, [ChaseRequest]>('chaseCompany');
export const closeProcurementUpdate = defineUpdate<ProcurementState, [CloseRequest]>('closeMarche');
export const procurementStateQuery = defineQuery<ProcurementState>('marcheState');
