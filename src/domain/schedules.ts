/**
 * Dates that repeat (a monthly follow-up check, a parcours-long question every six months, a
 * reminder every seven days): the n-th date is always computed from the schedule's origin, never
 * from the previous date. Months are clamped to their last day, so chaining them drifts: 30/11 →
 * 30/12 → 30/01 → 28/02 → 28/03 loses two days for good, while origin + n months gives 30/03.
 */
import { addDays, addDaysToInstant, addMonths, type CalendarDate } from './dates.ts';

/** The n-th date of a schedule every `everyMonths` months from `origin` (n = 0 is the origin). */
export function nthMonthly(origin: CalendarDate, n: number, everyMonths = 1): CalendarDate {
  return addMonths(origin, n * everyMonths);
}

/** The n-th date of a schedule every `everyDays` days from `origin`. */
export function nthDaily(origin: CalendarDate, n: number, everyDays: number): CalendarDate {
  return addDays(origin, n * everyDays);
}

/** The n-th instant of a schedule every `everyDays` days from `origin` (ms), at the origin's Paris time of day. */
export function nthDailyInstant(origin: number, n: number, everyDays: number): number {
  return addDaysToInstant(origin, n * everyDays);
}

/** The first occurrence (counting from `from`) that falls after `after`: dates and instants compare alike. */
function firstAfter<T extends string | number>(occurrence: (n: number) => T, after: T, from = 1): { n: number; at: T } {
  let n = from;
  while (occurrence(n) <= after) n += 1;
  return { n, at: occurrence(n) };
}

/**
 * The first occurrence of a monthly schedule that falls after `day`, counting from occurrence
 * `from` on (a schedule whose first dates have passed, or that resumes after a pause).
 */
export function nextMonthlyAfter(origin: CalendarDate, day: CalendarDate, opts: { everyMonths?: number; from?: number } = {}): { n: number; on: CalendarDate } {
  const { n, at } = firstAfter((k) => nthMonthly(origin, k, opts.everyMonths ?? 1), day, opts.from);
  return { n, on: at };
}

/** The first occurrence of a schedule every `everyDays` days that falls after `day`. */
export function nextDailyAfter(origin: CalendarDate, day: CalendarDate, everyDays: number): CalendarDate {
  return firstAfter((k) => nthDaily(origin, k, everyDays), day).at;
}

// --- The pathway's schedules ---

/**
 * Monthly checks of the follow-up in employment (suivi en emploi): the n-th is n months after the
 * day the checks start from (the contract's first day, or the day the follow-up opened if later).
 * No check falls on or after the day the exit is due: that day, the exit is what is asked.
 */
export function followUpCheckDates(origin: CalendarDate, exitDueOn: CalendarDate | null, maxChecks: number): CalendarDate[] {
  const dates: CalendarDate[] = [];
  for (let n = 1; n <= maxChecks; n += 1) {
    const on = nthMonthly(origin, n);
    if (exitDueOn !== null && on >= exitDueOn) break;
    dates.push(on);
  }
  return dates;
}

/** After the first parcours-long question (24 months after the entry), asked again every six months. */
export const PARCOURS_LONG_EVERY_MONTHS = 6;

/** The parcours-long questions: `afterMonths` after the entry, then every six months. */
export function parcoursLongDate(entryDate: CalendarDate, afterMonths: number, n: number): CalendarDate {
  return addMonths(entryDate, afterMonths + n * PARCOURS_LONG_EVERY_MONTHS);
}

/** The next parcours-long question after `day` (the referent chose to continue the pathway). */
export function nextParcoursLongAfter(entryDate: CalendarDate, afterMonths: number, day: CalendarDate): CalendarDate {
  return firstAfter((k) => parcoursLongDate(entryDate, afterMonths, k), day).at;
}

/**
 * The next instant of a schedule every `everyDays` days from `origin` that is after `now`
 * (occurrences missed while nothing ran are not made up one after another).
 */
export function nextDailyInstantAfter(origin: number, now: number, everyDays: number): number {
  return firstAfter((k) => nthDailyInstant(origin, k, everyDays), now).at;
}
