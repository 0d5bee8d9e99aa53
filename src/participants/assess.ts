/** Article 3 on a participant's record, as the workflow's assessment and a rectification both make it. */
import type { Exit, Participant, Pathway } from '../generated/prisma/client.ts';
import { fromDbDate } from '../db/dates.ts';
import { parisDate, type CalendarDate } from '../domain/dates.ts';
import { checkEligibility, situationFacts, type EligibilityResult } from '../domain/eligibility.ts';
import type { PlieConfig } from '../domain/plie-config.ts';

/**
 * Judged at the orientation the referral recorded (it may be earlier than `today`); a re-entry
 * after an exit is a new orientation, judged on `today`.
 */
export function assessRecord(
  config: PlieConfig,
  p: Participant & { exits: Exit[]; pathways: Array<Pick<Pathway, 'id' | 'entryDate' | 'createdAt'>> },
  today: CalendarDate,
): { orientedOn: CalendarDate; result: EligibilityResult } {
  const orientedOn = p.orientationDate && p.exits.length === 0 ? fromDbDate(p.orientationDate) : today;
  const earlier = p.exits.map((e) => {
    const exitDate = fromDbDate(e.date);
    const pathway = p.pathways.find((w) => w.id === e.pathwayId);
    // Its entry, or the day it was recorded; never after its exit (an import records old pathways today).
    const began = pathway ? (pathway.entryDate ? fromDbDate(pathway.entryDate) : parisDate(pathway.createdAt)) : exitDate;
    return { startDate: began < exitDate ? began : exitDate, exitDate, exitReason: e.reason, exitType: e.type };
  });
  return { orientedOn, result: checkEligibility(config, situationFacts({ ...p, birthDate: fromDbDate(p.birthDate) }, orientedOn, earlier)) };
}

/** The codes of what decides (a refusal, a check to make), and of the notices beside them for the coordination. */
export const decisive = (result: EligibilityResult) => result.reasons.filter((r) => r.effect === 'blocking' || r.effect === 'review').map((r) => r.code);
export const noticed = (result: EligibilityResult) => result.reasons.filter((r) => r.effect === 'notice').map((r) => r.code);
