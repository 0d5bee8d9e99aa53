import { z } from './validation.ts';

/**
 * Calendar dates of the PLIE (birth, entry, due dates) are plain `YYYY-MM-DD` strings in
 * Europe/Paris: no time of day, so no timezone drift between the server, the database and people.
 */
export type CalendarDate = string;

const DAY_MS = 24 * 60 * 60 * 1000;

const parisFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Paris at this instant. */
export function parisDate(instant: Date | number): CalendarDate {
  return parisFormatter.format(instant);
}

/** `date` plus `days` calendar days (DST-proof: computed on the calendar, not on milliseconds). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Accepts `AAAA-MM-JJ` or the French `JJ/MM/AAAA`; returns `YYYY-MM-DD`, or undefined if not a real date. */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : fr
      ? [Number(fr[3]), Number(fr[2]), Number(fr[1])]
      : [NaN, NaN, NaN];
  if (!Number.isInteger(y) || y < 1900 || y > 2200) return undefined;
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return undefined;
  return utc.toISOString().slice(0, 10);
}

/** `JJ/MM/AAAA`, as French readers expect. */
export function formatFrenchDate(date: CalendarDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export function daysToMs(days: number): number {
  return days * DAY_MS;
}

/** A zod field for a date typed by a person (JJ/MM/AAAA or AAAA-MM-JJ), named in its messages. */
export function calendarDateField(label: string) {
  return z.string({ error: `${label} : obligatoire (JJ/MM/AAAA)` }).transform((text, ctx): CalendarDate => {
    const date = parseCalendarDate(text);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: `${label} : date invalide, attendu JJ/MM/AAAA` });
      return z.NEVER;
    }
    return date;
  });
}

/** `date` plus `months` calendar months, clamped to the month's last day (31/01 + 1 month = 28 or 29/02). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Whole years between a birth date and a day (the age on that day). */
export function ageOn(birthDate: CalendarDate, day: CalendarDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Days from `from` to `to` (0 when equal; negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A time of day typed by a person, `HH:MM` (24 h). */
export type ClockTime = string;

const parisClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** What Paris clocks show at this instant, as milliseconds of a UTC reading of the same digits. */
function parisWallClock(instant: number): number {
  const parts = Object.fromEntries(parisClock.formatToParts(instant).map((p) => [p.type, p.value]));
  const wholeSecond = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wholeSecond + (((instant % 1000) + 1000) % 1000);
}

/** The instant at which Paris clocks show this wall-clock reading (see `parisWallClock`). */
function fromParisWallClock(wall: number): number {
  // Paris is UTC+1 or UTC+2: try both offsets and keep the one whose Paris reading matches.
  for (const offsetHours of [1, 2]) {
    const guess = wall - offsetHours * 3_600_000;
    if (parisWallClock(guess) === wall) return guess;
  }
  // A time skipped by the spring change (02:30 on that Sunday): the hour after.
  return wall - 3_600_000;
}

/** The instant (ms) at which Paris clocks show this date and time (summer and winter time alike). */
export function parisInstant(date: CalendarDate, time: ClockTime): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return fromParisWallClock(Date.UTC(y, m - 1, d, h, min));
}

/**
 * The instant at which Paris clocks show `date` at the time of day they show at `instant`: a
 * deadline « in N days » keeps its hour across a change of summer or winter time, so it never
 * falls on the day before or after.
 */
export function sameParisTimeOn(instant: number, date: CalendarDate): number {
  const wall = parisWallClock(instant);
  const timeOfDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return fromParisWallClock(Date.UTC(y, m - 1, d) + timeOfDay);
}

/** `instant` plus `days` calendar days at the same Paris time of day (DST-proof). */
export function addDaysToInstant(instant: number, days: number): number {
  return sameParisTimeOn(instant, addDays(parisDate(instant), days));
}

/** A zod field for `HH:MM`. */
export function clockTimeField(label: string) {
  return z
    .string({ error: `${label} : obligatoire (HH:MM)` })
    .trim()
    .regex(/^([01]\d|2[0-3])[:h]([0-5]\d)$/, `${label} : heure invalide, attendu HH:MM`)
    .transform((t): ClockTime => t.replace('h', ':'));
}
