import { describe, expect, it } from 'vitest';
import { addDays, formatFrenchDate, parisDate, parisInstant, parseCalendarDate } from '../../src/domain/dates.ts';

describe('calendar dates', () => {
  it.each([
    ['12/03/1980', '1980-03-12'],
    ['1/2/1975', '1975-02-01'],
    ['1975-02-01', '1975-02-01'],
    [' 29/02/2024 ', '2024-02-29'],
    ['29/02/2023', undefined],
    ['31/04/2026', undefined],
    ['2026-13-01', undefined],
    ['12-03-1980', undefined],
    ['01/01/1850', undefined],
    ['', undefined],
  ])('parses %j as %j', (text, expected) => {
    expect(parseCalendarDate(text)).toBe(expected);
  });

  it.each([
    ['2026-11-28', 7, '2026-12-05'],
    ['2026-03-25', 7, '2026-04-01'], // across the spring DST change in Paris
    ['2026-10-22', 7, '2026-10-29'], // across the autumn one
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
  ])('%s plus %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-11-28T22:59:59Z', '2026-11-28'],
    ['2026-11-28T23:00:00Z', '2026-11-29'], // midnight in Paris (UTC+1 in winter)
    ['2026-06-30T21:59:59Z', '2026-06-30'],
    ['2026-06-30T22:00:00Z', '2026-07-01'], // UTC+2 in summer
  ])('the instant %s is %s in Paris', (instant, expected) => {
    expect(parisDate(new Date(instant))).toBe(expected);
  });

  it('formats for French readers', () => {
    expect(formatFrenchDate('2026-12-05')).toBe('05/12/2026');
  });
});

describe('Paris wall-clock times', () => {
  it.each([
    ['2026-01-15', '09:30', '2026-01-15T08:30:00.000Z'],
    ['2026-07-15', '09:30', '2026-07-15T07:30:00.000Z'],
    // The night clocks go back (25 October 2026): 01:30 is still summer time.
    ['2026-10-25', '01:30', '2026-10-24T23:30:00.000Z'],
    ['2026-10-25', '04:00', '2026-10-25T03:00:00.000Z'],
    // The night clocks go forward (29 March 2026): 02:30 does not exist, the hour after is taken.
    ['2026-03-29', '02:30', '2026-03-29T01:30:00.000Z'],
    ['2026-03-29', '03:30', '2026-03-29T01:30:00.000Z'],
  ])('%s %s in Paris is %s', (date, time, instant) => {
    expect(new Date(parisInstant(date, time)).toISOString()).toBe(instant);
  });
});
