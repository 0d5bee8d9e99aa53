/** Activities of the job offer workflow: the « mises en relation » opened, recorded, closed, and the referents' prompts. */
import { ApplicationFailure } from '@temporalio/common';
import { placementPromptEmail } from '../src/email/placement-templates.ts';
import { offerMatches } from '../src/offers/offers.ts';
import { placementFacts, placementHeadline } from '../src/offers/placement-facts.ts';
import { placementMessage } from '../src/slack/placement-message.ts';
import { audit } from '../src/db/audit.ts';
import { createDelivery } from './delivery.ts';
import type { NotificationDeps } from './notifications.ts';

export function createOfferActivities(deps: NotificationDeps) {
  const { db } = deps;
  const { deliverOnce, link, slackUserFor } = createDelivery(deps);

  return {
    /** One « mise en relation » per matched participant (found again on a retry). */
    async openPlacements(args: { offerId: string }): Promise<Array<{ placementId: string; participantId: string; referentEmail: string | null }>> {
      const matches = await offerMatches(db, args.offerId);
      const opened = [];
      for (const m of matches) {
        const row = await db.placement.upsert({
          where: { offerId_participantId: { offerId: args.offerId, participantId: m.participantId } },
          create: { offerId: args.offerId, participantId: m.participantId, referentEmail: m.referentEmail, wish: m.wish },
          update: {},
        });
        opened.push({ placementId: row.id, participantId: row.participantId, referentEmail: row.referentEmail });
      }
      return opened;
    },

    async recordPlacement(args: { placementId: string; status: string; reason?: string; actor: string; channel: string; at: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const p = await tx.placement.update({ where: { id: args.placementId }, data: { status: args.status, reason: args.reason ?? null, decidedBy: args.actor, updatedAt: new Date(args.at) } });
        if (args.status === 'EMBAUCHE') await tx.jobOffer.update({ where: { id: p.offerId }, data: { status: 'POURVUE' } });
        await audit(tx, { idempotencyKey: `placement/${p.id}/${args.status}`, actor: args.actor, channel: args.channel, action: `placement.${args.status.toLowerCase()}`, entityType: 'placement', entityId: p.id, details: { offerId: p.offerId } });
      });
    },

    /** The offer's follow-up is over: closed, unless filled (kept) or nobody matched (kept open for later registrations). */
    async closeOfferRecord(args: { offerId: string; at: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const offer = await tx.jobOffer.findUniqueOrThrow({ where: { id: args.offerId } });
        const placements = await tx.placement.count({ where: { offerId: offer.id } });
        if (offer.status === 'OUVERTE' && placements > 0) await tx.jobOffer.update({ where: { id: offer.id }, data: { status: 'CLOSE' } });
        await audit(tx, { idempotencyKey: `offer/${offer.id}/close`, actor: 'système', channel: 'workflow', action: placements > 0 ? 'offer.close' : 'offer.no_match', entityType: 'job_offer', entityId: offer.id });
      });
    },

    /** Asks the referent, in Slack when they have it, else by email with a signed link to the form. */
    async promptPlacement(args: { placementId: string; to: string; key: string; at: string }): Promise<void> {
      const facts = await placementFacts(db, args.placementId);
      if (!facts) throw ApplicationFailure.nonRetryable(`mise en relation inconnue ${args.placementId}`);
      const at = new Date(args.at);
      const user = await slackUserFor(facts.plieCode, args.to);
      await deliverOnce({
        idempotencyKey: args.key,
        template: `placement.${facts.status === 'A_PROPOSER' ? 'proposer' : 'suite'}`,
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        ...(user ? { slack: { user, content: placementMessage(facts) } } : {}),
        render: async () => placementPromptEmail(placementHeadline(facts), link('placement', args.placementId, at, args.to)),
        audit: { action: 'placement.prompt', entityType: 'placement', entityId: args.placementId },
      });
    },
  };
}
