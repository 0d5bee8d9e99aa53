/**
 * Relation entreprise (docs/product-requirements.md § 6): a job offer reaches the participants whose validated sector wishes
 * and availability fit it and who are looking for work in their pathway. Pure: the caller brings the rows.
 */
import type { CalendarDate } from './dates.ts';
import { foldText } from './territory.ts';

export interface OfferFacts {
  sector: string;
  jobTitle: string;
  startDate?: CalendarDate | null;
  weeklyHours?: number | null;
}

export interface CandidateForOffer {
  stage: string;
  activeJobSearch: boolean | null;
  sectorWishes: string[];
  /** Availability agreed at the diagnostic (null: not said, no limit). */
  availableFrom?: CalendarDate | null;
  maxWeeklyHours?: number | null;
}

/** Same words once folded (accents, case, punctuation), or one wish naming the whole sector or job. */
function fits(wish: string, target: string): boolean {
  const w = foldText(wish);
  const t = foldText(target);
  if (!w || !t) return false;
  const words = (s: string) => ` ${s} `;
  return w === t || words(t).includes(words(w)) || words(w).includes(words(t));
}

/** Which wish of the person the offer answers, if any (null: not a match). */
export function offerMatch(offer: OfferFacts, person: CandidateForOffer): string | null {
  // In employment already, reoriented or gone: not proposed. Someone said not to be searching: not either.
  if (person.stage !== 'active' || person.activeJobSearch === false) return null;
  // Not available by the start, or more hours than the person can work.
  if (person.availableFrom && offer.startDate && person.availableFrom > offer.startDate) return null;
  if (person.maxWeeklyHours && offer.weeklyHours && offer.weeklyHours > person.maxWeeklyHours) return null;
  return person.sectorWishes.find((wish) => fits(wish, offer.sector) || fits(wish, offer.jobTitle)) ?? null;
}
