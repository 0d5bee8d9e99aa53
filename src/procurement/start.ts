/** The procurement (marché) workflow's input from its record and the PLIE's configuration. */
import { fromDbDate } from '../db/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { marcheManagers, type StaffRoster } from '../domain/staff-roster.ts';
import type { ProcurementInput } from '../../workflows/procurement-messages.ts';

/**
 * The facilitator prompted is the one who registered the marché when she is one of the PLIE's
 * facilitators, else the first of them, else the coordination (a PLIE without a facilitator).
 */
export function facilitatorOf(procurement: { createdBy: string | null }, config: Pick<PlieConfig, 'clauses'>, coordinatorEmail: string): string {
  const facilitators = config.clauses.facilitators;
  const by = procurement.createdBy?.toLowerCase() ?? '';
  return facilitators.includes(by) ? by : (facilitators[0] ?? coordinatorEmail.toLowerCase());
}

export function procurementInput(
  procurement: { id: string; start: Date; end: Date | null; contactEmail: string | null; createdBy: string | null },
  config: Pick<PlieConfig, 'clauses'>,
  coordinatorEmail: string,
  opts: { calendarOffsetDays?: number; roster?: StaffRoster } = {},
): ProcurementInput {
  const facilitators = config.clauses.facilitators;
  const facilitatorEmail = facilitatorOf(procurement, config, coordinatorEmail);
  if (!procurement.contactEmail || !procurement.end) throw new Error('a marché run by its workflow has a contact and an end');
  return {
    marcheId: procurement.id,
    start: fromDbDate(procurement.start),
    end: fromDbDate(procurement.end),
    facilitatorEmail,
    // Today's staff when known (as the roster signal gives them later), else the configuration's.
    managers: opts.roster ? marcheManagers(opts.roster) : [...new Set([...facilitators, coordinatorEmail.toLowerCase()])],
    contactEmail: procurement.contactEmail,
    chaseAfterDays: config.clauses.chaseAfterDays,
    calendarOffsetDays: opts.calendarOffsetDays ?? 0,
  };
}
