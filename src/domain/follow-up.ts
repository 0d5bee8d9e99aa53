/**
 * The in-employment follow-up (suivi en emploi, docs/product-requirements.md § 2.4): when it opens, and on which
 * day the exit can be confirmed — the criterion met and the follow-up months done.
 */
import { addMonths, type CalendarDate } from './dates.ts';
import { nextMonthlyAfter } from './schedules.ts';
import { assessExit, type CriterionMet, type ExitFacts, type ExitRules } from './exit-criteria.ts';

/** Months of follow-up in employment before an exit is confirmed. */
export const FOLLOW_UP_MONTHS = 6;

/** Whether the facts could lead to a positive exit: then the follow-up opens. */
export function opensFollowUp(config: ExitRules, facts: ExitFacts, asOf: CalendarDate, barred?: (criterion: CriterionMet) => boolean): boolean {
  const assessment = assessExit(config, facts, asOf, undefined, barred);
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
 * Criteria met on a contract's first day (its planned length decides): the person is followed
 * for the follow-up months from that day before the exit is confirmed. The others (held 6 months,
 * hours reached, qualification obtained…) carry their own duration.
 */
const MET_AT_SIGNATURE: ReadonlySet<string> = new Set(['CDI_OU_CDD_LONG', 'TEMPS_PARTIEL_COURT', 'CONTRAT_AIDE_LONG', 'ENTREPRISE_INSERTION_LONG']);

/** The day an exit on this criterion can be confirmed. */
export function exitDueOn(criterion: CriterionMet, followUpMonths = FOLLOW_UP_MONTHS): CalendarDate {
  return MET_AT_SIGNATURE.has(criterion.criterion) ? addMonths(criterion.metOn, followUpMonths) : criterion.metOn;
}

/**
 * Plans the exit of a follow-up: the day the criterion is (or will be) met and, for a contract,
 * followed long enough; a recheck when only a qualification may still come; or back to the
 * active pathway when nothing can lead to a positive exit any more. Rechecks come monthly from
 * `recheckFrom` (the follow-up's origin) when given, else a month after today.
 */
export function planExit(
  config: ExitRules,
  facts: ExitFacts,
  today: CalendarDate,
  followUpMonths = FOLLOW_UP_MONTHS,
  recheckFrom?: CalendarDate,
  barred?: (criterion: CriterionMet) => boolean,
): ExitPlan {
  const assessment = assessExit(config, facts, today, undefined, barred);
  const met = assessment.status === 'not_yet' ? assessment.next : assessment;
  if (met) return { kind: 'confirm', on: later(exitDueOn(met, followUpMonths), today), criterion: met, atypical: met.atypical };
  if (opensFollowUp(config, facts, today, barred)) {
    return { kind: 'recheck', on: recheckFrom === undefined ? addMonths(today, 1) : nextMonthlyAfter(recheckFrom, today).on };
  }
  return { kind: 'backToActive' };
}
