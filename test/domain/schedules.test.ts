/**
 * Repeating dates are computed from their origin: checked for every start day of a non-leap and a
 * leap year (the 29th, 30th, 31st and 29/02 among them), against luxon's calendar as the oracle.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { clauseMonths, hoursRequestDay } from '../../src/domain/procurement.ts';
import { addDays, addMonths, parisDate, parisInstant, sameParisTimeOn, type CalendarDate } from '../../src/domain/dates.ts';
import { exitDueOn, planExit } from '../../src/domain/follow-up.ts';
import {
  followUpCheckDates,
  nextDailyAfter,
  nextDailyInstantAfter,
  nextMonthlyAfter,
  nextParcoursLongAfter,
  nthDaily,
  nthDailyInstant,
  nthMonthly,
  parcoursLongDate,
} from '../../src/domain/schedules.ts';
import { contractFrom, facts } from '../helpers/exit-facts.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

/** Every day of 2027 (not leap) and 2028 (leap). */
const START_DAYS: CalendarDate[] = Array.from({ length: 365 + 366 }, (_, i) => addDays('2027-01-01', i));

/** Luxon's own month arithmetic (clamped to the month's last day), as an independent oracle. */
const plusMonths = (date: CalendarDate, months: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ months }).toISODate()!;
const plusDays = (date: CalendarDate, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;
const parisClock = (instant: number) => DateTime.fromMillis(instant, { zone: 'Europe/Paris' });

/** What chaining does (each date from the previous one): kept here to show why it is not used. */
function chainedMonthly(origin: CalendarDate, n: number): CalendarDate {
  let date = origin;
  for (let i = 0; i < n; i += 1) date = addMonths(date, 1);
  return date;
}

describe('monthly schedules: the n-th date is the origin plus n months, clamped to the month’s end', () => {
  it.each([
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-11-30', 4, '2027-03-30'],
    ['2026-11-30', 6, '2027-05-30'],
    ['2027-01-31', 1, '2027-02-28'],
    ['2027-01-31', 2, '2027-03-31'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
  ])('from %s, occurrence %i is %s', (origin, n, expected) => {
    expect(nthMonthly(origin, n)).toBe(expected);
  });

  it('chaining from the previous date would drift (30/11 → 28/02 → 28/03), which is why it is not done', () => {
    expect(chainedMonthly('2026-11-30', 4)).toBe('2027-03-28');
    expect(nthMonthly('2026-11-30', 4)).toBe('2027-03-30');
  });

  it('holds for every start day of 2027 and 2028, up to 5 years ahead', () => {
    for (const origin of START_DAYS) {
      for (let n = 0; n <= 60; n += 1) {
        const date = nthMonthly(origin, n);
        if (date !== plusMonths(origin, n)) expect({ origin, n, date }).toEqual({ origin, n, date: plusMonths(origin, n) });
      }
      expect(nthMonthly(origin, 6, 2)).toBe(plusMonths(origin, 12));
    }
  });

  it('the next occurrence after a day is the first of the schedule beyond it, never an earlier one', () => {
    expect(nextMonthlyAfter('2026-11-30', '2027-02-28')).toEqual({ n: 4, on: '2027-03-30' });
    expect(nextMonthlyAfter('2026-11-30', '2027-02-27')).toEqual({ n: 3, on: '2027-02-28' });
    expect(nextMonthlyAfter('2026-11-30', '2026-11-30', { from: 3 })).toEqual({ n: 3, on: '2027-02-28' });
    fc.assert(
      fc.property(fc.constantFrom(...START_DAYS), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 6 }), (origin, later, every) => {
        const day = addDays(origin, later);
        const { n, on } = nextMonthlyAfter(origin, day, { everyMonths: every });
        expect(on).toBe(plusMonths(origin, n * every));
        expect(on > day).toBe(true);
        expect(n === 1 || plusMonths(origin, (n - 1) * every) <= day).toBe(true);
      }),
    );
  });
});

describe('the follow-up in employment: its monthly checks before the exit', () => {
  it('a CDI signed today: five checks, one a month, and none on the day the exit is due (every start day)', () => {
    const counts = new Map<number, CalendarDate[]>();
    const chainedCounts = new Set<number>();
    for (const start of START_DAYS) {
      const plan = planExit(CASA_CONFIG, facts({ contracts: [contractFrom(start)({ type: 'CDI' })] }), start);
      expect(plan).toMatchObject({ kind: 'confirm', on: plusMonths(start, 6) });
      const exitOn = plan.kind === 'confirm' ? plan.on : null;
      const checks = followUpCheckDates(start, exitOn, 6);
      expect(checks).toEqual([1, 2, 3, 4, 5].map((n) => plusMonths(start, n)));
      counts.set(checks.length, [...(counts.get(checks.length) ?? []), start]);
      chainedCounts.add([1, 2, 3, 4, 5, 6].filter((n) => chainedMonthly(start, n) < exitOn!).length);
    }
    expect([...counts.keys()]).toEqual([5]);
    // The drift the origin avoids: chained, a start on the 30th or 31st got a sixth check.
    expect([...chainedCounts].sort()).toEqual([5, 6]);
  });

  it.each([
    // A follow-up opened after the contract began: checks count from the opening, the exit from the contract.
    ['2027-01-31', '2027-01-15', ['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30']],
    ['2028-02-29', '2028-02-29', ['2028-03-29', '2028-04-29', '2028-05-29', '2028-06-29', '2028-07-29']],
    ['2027-08-31', '2027-08-10', ['2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31', '2028-01-31']],
  ])('checks from %s for a contract begun %s', (origin, contractStart, expected) => {
    const exitOn = exitDueOn({ criterion: 'CDI_OU_CDD_LONG', kind: 'EMPLOI', metOn: contractStart, cdi: true, atypical: false });
    expect(exitOn).toBe(plusMonths(contractStart, 6));
    expect(followUpCheckDates(origin, exitOn, 6)).toEqual(expected);
  });

  it('without a known exit date, at most the follow-up’s months', () => {
    expect(followUpCheckDates('2027-01-31', null, 6)).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-31']);
  });

  it('a qualification that may still come: looked at again monthly from the follow-up’s origin', () => {
    const training = { start: '2026-11-30', end: '2027-12-18', rncp: true, long: false, qualificationObtainedOn: null };
    const withTraining = facts({ trainings: [training] });
    expect(planExit(CASA_CONFIG, withTraining, '2027-02-28', 6, '2026-11-30')).toEqual({ kind: 'recheck', on: '2027-03-30' });
    // Without an origin (pathways running before this rule): a month after today.
    expect(planExit(CASA_CONFIG, withTraining, '2027-02-28')).toEqual({ kind: 'recheck', on: '2027-03-28' });
    for (const origin of START_DAYS) {
      for (const later of [0, 27, 28, 29, 30, 31, 59, 89, 181]) {
        const today = addDays(origin, later);
        const plan = planExit(CASA_CONFIG, facts({ trainings: [{ ...training, start: origin, end: addDays(origin, 400) }] }), today, 6, origin);
        expect(plan.kind).toBe('recheck');
        if (plan.kind === 'recheck') expect(plan.on).toBe(nextMonthlyAfter(origin, today).on);
      }
    }
  });
});

describe('the parcours-long question: 24 months after the entry, then every six months', () => {
  it('is computed from the entry date, whatever the day of entry', () => {
    for (const entry of START_DAYS) {
      for (let n = 0; n <= 4; n += 1) expect(parcoursLongDate(entry, 24, n)).toBe(plusMonths(entry, 24 + 6 * n));
      // Answered « continue » on the day asked (or a few days late): the next is six months after the one asked.
      for (const late of [0, 3, 20]) {
        const asked = addDays(parcoursLongDate(entry, 24, 0), late);
        expect(nextParcoursLongAfter(entry, 24, asked)).toBe(plusMonths(entry, 30));
      }
    }
    expect(nextParcoursLongAfter('2026-08-31', 24, '2028-08-31')).toBe('2029-02-28');
    expect(nextParcoursLongAfter('2026-08-31', 24, '2029-02-28')).toBe('2029-08-31');
  });
});

describe('the marché’s months: one request a month, from the first of each', () => {
  it('a 12-month marché started on any day has 12 months, each asked on the first of the next', () => {
    for (const start of START_DAYS) {
      const months = clauseMonths(start, addDays(plusMonths(start, 12), -1));
      const first = `${start.slice(0, 7)}-01`;
      const expected = Array.from({ length: start.endsWith('-01') ? 12 : 13 }, (_, n) => plusMonths(first, n).slice(0, 7));
      expect(months).toEqual(expected);
      for (const month of months) expect(hoursRequestDay(month)).toBe(plusMonths(`${month}-01`, 1));
    }
  });
});

describe('schedules in days: the n-th occurrence from the origin, at its Paris time of day', () => {
  it('in calendar days', () => {
    for (const origin of START_DAYS) {
      expect(nthDaily(origin, 3, 30)).toBe(plusDays(origin, 90));
      expect(nextDailyAfter(origin, addDays(origin, 30), 30)).toBe(plusDays(origin, 60));
      expect(nextDailyAfter(origin, addDays(origin, 29), 30)).toBe(plusDays(origin, 30));
    }
  });

  it.each([
    // 00:30 in summer, a week later in winter (clocks go back on 31/10/2027): still 00:30, not 23:30 the day before.
    ['2027-10-27', '00:30', 1, 7, '2027-11-03 00:30'],
    // 23:30 in winter, a week later in summer (clocks go forward on 28/03/2027): still 23:30.
    ['2027-03-22', '23:30', 1, 7, '2027-03-29 23:30'],
    ['2028-02-22', '09:00', 2, 7, '2028-03-07 09:00'],
    // 02:30 does not exist on 26/03/2028: the hour after.
    ['2028-03-19', '02:30', 1, 7, '2028-03-26 03:30'],
  ])('from %s at %s, occurrence %i every %i days is %s (Paris)', (date, time, n, every, expected) => {
    const at = nthDailyInstant(parisInstant(date, time), n, every);
    expect(parisClock(at).toFormat('yyyy-MM-dd HH:mm')).toBe(expected);
  });

  it('for any instant of 2027–2028: the same Paris time, n × every days later on the calendar', () => {
    const from = Date.parse('2027-01-01T00:00:00Z');
    const to = Date.parse('2028-12-31T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 30 }), (origin, n, every) => {
        const at = nthDailyInstant(origin, n, every);
        const start = parisClock(origin);
        const end = parisClock(at);
        expect(parisDate(at)).toBe(plusDays(parisDate(origin), n * every));
        // Same time of day, unless that time does not exist on the day (the spring change's hour).
        if (end.toFormat('HH:mm:ss.SSS') !== start.toFormat('HH:mm:ss.SSS')) {
          expect(end.hour - start.hour).toBe(1);
          expect(start.hour).toBe(2);
        }
        expect(at).toBe(sameParisTimeOn(origin, plusDays(parisDate(origin), n * every)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the next occurrence after a late run is the first one still to come, counted from the origin', () => {
    const origin = parisInstant('2027-10-20', '10:00');
    expect(parisClock(nextDailyInstantAfter(origin, parisInstant('2027-10-27', '10:00'), 7)).toFormat('yyyy-MM-dd HH:mm')).toBe('2027-11-03 10:00');
    expect(parisClock(nextDailyInstantAfter(origin, parisInstant('2027-10-27', '09:59'), 7)).toFormat('yyyy-MM-dd HH:mm')).toBe('2027-10-27 10:00');
    expect(parisClock(nextDailyInstantAfter(origin, parisInstant('2027-11-12', '08:00'), 7)).toFormat('yyyy-MM-dd HH:mm')).toBe('2027-11-17 10:00');
  });
});
