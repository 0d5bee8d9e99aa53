/**
 * The in-employment follow-up (suivi en emploi, SPEC « Follow-up »): when it opens, and on which
 * day the exit can be confirmed — the criterion met and the follow-up months done.
 */
import { addMonths, type CalendarDate } from './dates.ts';
import { assessExit, type CriterionMet, type ExitFacts } from './exit-criteria.ts';
import type { PlieConfig } from './plie-config.ts';

/** Months of follow-up in employment before an exit is confirmed. */
export const FOLLOW_UP_MONTHS = 6;

/** Whether the facts could lead to a positive exit: then the follow-up opens. */
export function opensFollowUp(config: Pick<PlieConfig, 'exitCriteria'>, facts: ExitFacts, asOf: CalendarDate): boolean {
  const assessment = assessExit(config, facts, asOf);
  if (assessment.status !== 'not_yet' || assessment.next) return true;
  // A qualifying training may end with the qualification; a business may consolidate.
  return facts.trainings.some((t) => t.rncp && (t.end === null || t.end >= asOf)) || facts.businesses.some((b) => b.end === null);
}

export type ExitPlan =
  /** Confirm the exit on `on` (today or later), for this criterion. */
  | { kind: 'confirm'; on: CalendarDate; criterion: CriterionMet; atypical: boolean }
  /** Nothing met yet but something may come (a qualification): look again on `on`. */
  | { kind: 'recheck'; on: CalendarDate }
  /** Nothing can lead to a positive exit any more: back to the active pathway. */
  | { kind: 'backToActive' };

const later = (a: CalendarDate, b: CalendarDate) => (a > b ? a : b);

/**
 * Plans the exit of a follow-up started on `start`: the day the criterion is (or will be) met,
 * not before the follow-up months are done.
 */
export function planExit(
  config: Pick<PlieConfig, 'exitCriteria'>,
  facts: ExitFacts,
  start: CalendarDate,
  today: CalendarDate,
  followUpMonths = FOLLOW_UP_MONTHS,
): ExitPlan {
  const end = addMonths(start, followUpMonths);
  const assessment = assessExit(config, facts, today);
  if (assessment.status !== 'not_yet') {
    return { kind: 'confirm', on: later(later(assessment.metOn, end), today), criterion: assessment, atypical: assessment.status === 'atypical' };
  }
  if (assessment.next) {
    return { kind: 'confirm', on: later(later(assessment.next.metOn, end), today), criterion: assessment.next, atypical: assessment.next.atypical };
  }
  if (opensFollowUp(config, facts, today)) return { kind: 'recheck', on: later(end, addMonths(today, 1)) };
  return { kind: 'backToActive' };
}
