/** Job offers (relation entreprise): registered, validated, audited, and matched to participants. */
import type { Db } from '../db/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { CONTRACT_TYPES } from '../domain/codes.ts';
import { calendarDateField } from '../domain/dates.ts';
import { offerMatch } from '../domain/job-offers.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';

const text = (label: string, max: number) => z.string({ error: `${label} : obligatoire` }).trim().min(1, `${label} : obligatoire`).max(max, `${label} : ${max} caractères au plus`);

export const offerInputSchema = z.object({
  company: text('entreprise', 200),
  jobTitle: text('intitulé du poste', 200),
  sector: text('secteur', 100),
  contractType: z.enum(CONTRACT_TYPES, { error: 'type de contrat inconnu' }),
  weeklyHours: z.number().positive().max(60).optional(),
  place: z.string().trim().max(200).optional(),
  startDate: calendarDateField('date de début').optional(),
  clause: z.boolean().default(false),
});

export async function registerOffer(db: Db, plieCode: string, raw: unknown, actor: string, channel: 'cli' | 'web' = 'cli') {
  const parsed = offerInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const o = parsed.data;
  return await db.$transaction(async (tx) => {
    const offer = await tx.jobOffer.create({
      data: { plieCode, company: o.company, jobTitle: o.jobTitle, sector: o.sector, contractType: o.contractType, weeklyHours: o.weeklyHours ?? null, place: o.place ?? null, startDate: o.startDate ? toDbDate(o.startDate) : null, clause: o.clause, createdBy: actor },
    });
    await audit(tx, { idempotencyKey: `offer/${offer.id}/register`, actor, channel, action: 'offer.register', entityType: 'job_offer', entityId: offer.id });
    return offer;
  });
}

export interface OfferMatch {
  participantId: string;
  fileReference: string;
  initials: string;
  referentEmail: string | null;
  wish: string;
}

/** The participants of the offer's PLIE, in an active pathway, whose wishes the offer answers. */
export async function offerMatches(db: Db, offerId: string): Promise<OfferMatch[]> {
  const offer = await db.jobOffer.findUnique({ where: { id: offerId } });
  if (!offer) throw new InvalidInputError(['offre inconnue']);
  const participants = await db.participant.findMany({
    // Only people with a pathway under way can match (`offerMatch` then reads the latest one).
    where: { plieCode: offer.plieCode, NOT: { sectorWishes: { isEmpty: true } }, pathways: { some: { stage: 'active' } } },
    include: { pathways: { orderBy: { createdAt: 'desc' }, take: 1 } },
    orderBy: { id: 'asc' },
  });
  const matches: OfferMatch[] = [];
  for (const p of participants) {
    const pathway = p.pathways[0];
    const wish = pathway
      ? offerMatch(
          { ...offer, startDate: offer.startDate ? fromDbDate(offer.startDate) : null },
          { stage: pathway.stage, activeJobSearch: p.activeJobSearch, sectorWishes: p.sectorWishes, availableFrom: p.availableFrom ? fromDbDate(p.availableFrom) : null, maxWeeklyHours: p.maxWeeklyHours },
        )
      : null;
    if (wish) matches.push({ participantId: p.id, fileReference: fileReference(p.id), initials: initials(p.firstName, p.lastName), referentEmail: pathway!.referentEmail, wish });
  }
  return matches;
}
