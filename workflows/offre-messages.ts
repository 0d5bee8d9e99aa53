/** The job offer workflow's vocabulary (relation entreprise). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PlacementDecision, PlacementStatus } from '../src/domain/placements.ts';
import type { Channel } from './messages.ts';

export const OFFRE_WORKFLOW = 'offreWorkflow';
export const offreWorkflowId = (offerId: string) => `offre-${offerId}`;

export interface OffreInput {
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
}

export interface PlacementState {
  participantId: string;
  referentEmail: string;
  status: PlacementStatus;
  /** Workflow instant of the next question to the referent (null: nothing to ask). */
  askAt: number | null;
  asked: number;
}

export interface OffreState {
  offerId: string;
  /** Lower-cased: the coordination may decide for any referent. */
  coordinatorEmail: string;
  placements: Record<string, PlacementState>;
  closed: boolean;
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

export const decidePlacementUpdate = defineUpdate<OffreState, [PlacementRequest]>('decidePlacement');
export const closeOfferUpdate = defineUpdate<OffreState, [CloseOfferRequest]>('closeOffer');
export const offreStateQuery = defineQuery<OffreState>('offreState');
