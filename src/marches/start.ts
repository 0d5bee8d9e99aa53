/** The marché's workflow input from its record and the PLIE's configuration. */
import { fromDbDate } from '../db/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { MarcheInput } from '../../workflows/marche-messages.ts';

/**
 * The facilitator prompted is the one who registered the marché when she is one of the PLIE's
 * facilitators, else the first of them, else the coordination (a PLIE without a facilitator).
 */
export function marcheInput(
  marche: { id: string; start: Date; end: Date | null; contactEmail: string | null; createdBy: string | null },
  config: Pick<PlieConfig, 'clauses'>,
  coordinatorEmail: string,
  calendarOffsetDays = 0,
): MarcheInput {
  const facilitators = config.clauses.facilitators;
  const by = marche.createdBy?.toLowerCase() ?? '';
  const facilitatorEmail = facilitators.includes(by) ? by : (facilitators[0] ?? coordinatorEmail.toLowerCase());
  if (!marche.contactEmail || !marche.end) throw new Error('a marché run by its workflow has a contact and an end');
  return {
    marcheId: marche.id,
    start: fromDbDate(marche.start),
    end: fromDbDate(marche.end),
    facilitatorEmail,
    managers: [...new Set([...facilitators, coordinatorEmail.toLowerCase()])],
    contactEmail: marche.contactEmail,
    chaseAfterDays: config.clauses.chaseAfterDays,
    calendarOffsetDays,
  };
}
