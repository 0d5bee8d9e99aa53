/**
 * Starting an offer's follow-up and recording a referent's decision on a « mise en relation ». A
 * hire enters the participant's pathway first, as a work contract with the offer's company and
 * sector: should the pathway refuse it, nothing is recorded.
 */
import { mailboxOnly, mayDecidePlacement, type StaffRoster } from '../domain/staff-roster.ts';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import type { PlacementAnswer } from '../forms/placement-form.ts';
import { nextPlacementStatus } from '../domain/placements.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { pathwayState, recordAction, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { refusedInFrench } from '../temporal/refusals.ts';
import { startOnce } from '../temporal/start-once.ts';
import { closeOfferUpdate, decidePlacementUpdate, OFFER_WORKFLOW, offerStateQuery, offerWorkflowId, type CloseOfferRequest, type OfferInput, type OfferState } from '../../workflows/offer-messages.ts';
import type { Channel } from '../../workflows/pathway-messages.ts';

export const startOffer = (client: Client, taskQueue: string, input: OfferInput) =>
  startOnce(client, OFFER_WORKFLOW, { workflowId: offerWorkflowId(input.offerId), taskQueue, args: [input] });

/** The follow-up's defaults: a proposal asked again after a week; its outcome every three weeks, three times. */
export const offerInput = (offerId: string, coordinatorEmail: string, opts: { calendarOffsetDays?: number; roster?: StaffRoster } = {}): OfferInput => ({
  offerId,
  coordinatorEmail,
  reminderDays: 7,
  followUpDays: 21,
  maxFollowUps: 3,
  calendarOffsetDays: opts.calendarOffsetDays ?? 0,
  ...(opts.roster ? { roster: opts.roster } : {}),
});

export const closeOffer = (client: Client, offerId: string, request: CloseOfferRequest) =>
  refusedInFrench(() => client.workflow.getHandle(offerWorkflowId(offerId)).executeUpdate(closeOfferUpdate, { args: [request] }));

export const offerState = async (client: Client, offerId: string): Promise<OfferState> => await client.workflow.getHandle(offerWorkflowId(offerId)).query(offerStateQuery);

export async function decidePlacement(deps: { db: Db; temporal: Client }, placementId: string, answer: PlacementAnswer, actor: string, channel: Channel): Promise<OfferState> {
  const placement = await deps.db.placement.findUnique({ where: { id: placementId } });
  if (!placement) throw new TaskAnswerRejectedError('Cette mise en relation est inconnue.');
  const offer = await deps.db.jobOffer.findUniqueOrThrow({ where: { id: placement.offerId } });
  const handle = deps.temporal.workflow.getHandle(offerWorkflowId(offer.id));
  // Checked before the hire goes into the pathway: a refused decision writes nothing anywhere.
  const state = await handle.query(offerStateQuery);
  const current = state.placements[placementId];
  if (!current) throw new TaskAnswerRejectedError('Cette mise en relation est inconnue.');
  if (state.closed) throw new TaskAnswerRejectedError('Cette offre est close.');
  // The participant may have changed referent since the offer was put to the old one.
  const pathway = await deps.db.pathway.findUnique({ where: { id: await currentPathwayId(deps.db, placement.participantId) } });
  const currentReferent = pathway?.referentEmail?.toLowerCase() ?? null;
  if (!mayDecidePlacement(actor, { asked: current.referentEmail, current: currentReferent }, state.roster ?? mailboxOnly(state.coordinatorEmail))) throw new TaskAnswerRejectedError('Seul·e le ou la référent·e de la personne, ou la coordination, décide de cette mise en relation.', REFUSAL_CODES.notAllowed);
  if (!nextPlacementStatus(current.status, answer.decision)) throw new TaskAnswerRejectedError('Cette décision ne suit pas l’état de la mise en relation (déjà traitée ?).');
  if (answer.decision === 'hired') {
    if (!answer.contract) throw new TaskAnswerRejectedError('Pour une embauche, précisez le contrat.');
    const workflowId = await currentPathwayId(deps.db, placement.participantId);
    const source = `placement/${placementId}`;
    // A decision retried after the pathway took the hire (the offer's Update failed): it goes on to the offer.
    const recorded = (await pathwayState(deps.temporal, placement.participantId, workflowId)).facts.contracts.some((c) => c.source === source);
    if (!recorded) await recordAction(deps.temporal, placement.participantId, { action: { type: 'contractSigned', contract: { ...answer.contract, employer: offer.company, sector: offer.sector, source } }, actor, channel }, workflowId);
  }
  const request = { placementId, decision: answer.decision, ...(answer.reason ? { reason: answer.reason } : {}), ...(currentReferent && currentReferent !== current.referentEmail.toLowerCase() ? { currentReferentEmail: currentReferent } : {}), actor, channel };
  return await refusedInFrench(() => handle.executeUpdate(decidePlacementUpdate, { args: [request] }));
}
