/** The period a bilan covers when none is asked: the current protocol to date, else the year to date. */
import type { CalendarDate } from './dates.ts';
import type { PlieConfig } from './plie-config.ts';

export function defaultReportPeriod(config: Pick<PlieConfig, 'protocol'>, today: CalendarDate): { from: CalendarDate; to: CalendarDate } {
  const protocol = config.protocol;
  if (protocol && protocol.from <= today && today <= protocol.to) return { from: protocol.from, to: today };
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}
