/** Article 3 on a participant's record, as the workflow's assessment and a rectification both make it. */
import type { Exit, Participant } from '../generated/prisma/client.ts';
import { fromDbDate } from '../db/dates.ts';
import type { CalendarDate } from '../domain/dates.ts';
import { checkEligibility, situationFacts, type EligibilityResult } from '../domain/eligibility.ts';
import type { PlieConfig } from '../domain/plie-config.ts';

/**
 * Judged at the orientation the referral recorded (it may be earlier than `today`); a re-entry
 * after an exit is a new orientation, judged on `today`.
 */
export function assessRecord(config: PlieConfig, p: Participant & { exits: Exit[] }, today: CalendarDate): { orientedOn: CalendarDate; result: EligibilityResult } {
  const orientedOn = p.orientationDate && p.exits.length === 0 ? fromDbDate(p.orientationDate) : today;
  const earlier = p.exits.map((e) => ({ exitDate: fromDbDate(e.date), exitReason: e.reason, exitType: e.type, inCurrentProtocol: true }));
  return { orientedOn, result: checkEligibility(config, situationFacts({ ...p, birthDate: fromDbDate(p.birthDate) }, orientedOn, earlier)) };
}
