/**
 * The job offer's (offre d'emploi, relation entreprise) workflow vocabulary. In code the family is
 * « offer »; what Temporal has registered keeps « offre » (workflow type, ids, query name), so that
 * running offers and their histories stay valid.
 */
import type { StaffRoster } from '../src/domain/staff-roster.ts';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PlacementDecision, PlacementStatus } from '../src/domain/placements.ts';
import type { Channel } from './pathway-messages.ts';

export const OFFER_WORKFLOW = 'offreWorkflow';
export const offerWorkflowId = (offerId: string) => `offre-${offerId}`;

export interface OfferInput {
  offerId: string;
  /** Answers for referents who do not, and for participants without a referent. */
  coordinatorEmail: string;
  /** A proposal not answered after this many days is asked again, once. */
  reminderDays: number;
  /** Days between two questions about a proposal's outcome (interview, hire, no). */
  followUpDays: number;
  /** Questions about one outcome asked at most this many times. */
  maxFollowUps: number;
  calendarOffsetDays: number;
  /** The PLIE's staff when it starts (absent from offers started before it was given: the mailbox alone until the roster is heard). */
  roster?: StaffRoster;
  /** History events past which the offer goes on in a new run (continue-as-new); 1,000 when absent. */
  maxHistoryEvents?: number;
  /** What the previous run handed over (continue-as-new); absent from an offer's first run. */
  carried?: OfferCarried;
}

/** An offer's whole state between two runs: its placements (questions asked, the next one due), and the roster it judges with. */
export interface OfferCarried {
  state: OfferState;
  /** The roster as last heard (the coordination's mailbox alone if none was). */
  roster: StaffRoster;
}

export interface PlacementState {
  participantId: string;
  referentEmail: string;
  status: PlacementStatus;
  /** Workflow instant of the next question to the referent (null: nothing to ask). */
  askAt: number | null;
  asked: number;
}

export interface OfferState {
  offerId: string;
  /** Lower-cased: the coordination may decide for any referent. */
  coordinatorEmail: string;
  placements: Record<string, PlacementState>;
  closed: boolean;
  /** The PLIE's staff as last heard (see staffRosterSignal); absent until then. */
  roster?: StaffRoster;
}

export interface PlacementRequest {
  placementId: string;
  decision: PlacementDecision;
  reason?: string;
  /** The participant's referent today, when the caller found a new one since the offer was put to the old. */
  currentReferentEmail?: string;
  actor: string;
  channel: Channel;
}

export interface CloseOfferRequest {
  actor: string;
  channel: Channel;
}

export const decidePlacementUpdate = defineUpdate<OfferState, [PlacementRequest]>('decidePlacement');
export const closeOfferUpdate = defineUpdate<OfferState, [CloseOfferRequest]>('closeOffer');
// The registered name stays as running offers know it.
export const offerStateQuery = defineQuery<OfferState>('offreState');
