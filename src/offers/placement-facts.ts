/** What a referent is told of a « mise en relation »: the offer, the person by file reference and initials, the wish it answers. */
import { fromDbDate } from '../db/dates.ts';
import { formatFrenchDate } from '../domain/dates.ts';
import { fileReference, initials } from '../domain/participant.ts';
import type { PlacementStatus } from '../domain/placements.ts';
import type { Db } from '../db/client.ts';

export interface PlacementFacts {
  placementId: string;
  offerId: string;
  /** The offer's PLIE (whose staff directory says who has Slack). */
  plieCode: string;
  status: PlacementStatus;
  offer: string;
  person: string;
  wish: string;
}

export async function placementFacts(db: Db, placementId: string): Promise<PlacementFacts | null> {
  const p = await db.placement.findUnique({ where: { id: placementId } });
  if (!p) return null;
  const [offer, participant] = await Promise.all([db.jobOffer.findUniqueOrThrow({ where: { id: p.offerId } }), db.participant.findUniqueOrThrow({ where: { id: p.participantId } })]);
  const details = [
    offer.contractType,
    offer.weeklyHours ? `${offer.weeklyHours} h/semaine` : null,
    offer.place,
    offer.startDate ? `à partir du ${formatFrenchDate(fromDbDate(offer.startDate))}` : null,
    offer.clause ? 'clause d’insertion' : null,
  ].filter(Boolean);
  return {
    placementId: p.id,
    offerId: offer.id,
    plieCode: offer.plieCode,
    status: p.status as PlacementStatus,
    offer: `${offer.jobTitle} chez ${offer.company} (${details.join(', ')})`,
    person: `dossier ${fileReference(participant.id)} (${initials(participant.firstName, participant.lastName)})`,
    wish: p.wish,
  };
}

export function placementHeadline(f: PlacementFacts): string {
  return f.status === 'A_PROPOSER'
    ? `Offre à proposer ? ${f.offer}, pour le ${f.person}, qui souhaite travailler dans : ${f.wish}.`
    : `Où en est la mise en relation ? ${f.offer}, ${f.person} (offre ${f.status === 'ENTRETIEN' ? 'avec entretien' : 'proposée'}).`;
}
