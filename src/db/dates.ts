import type { CalendarDate } from '../domain/dates.ts';

/** A calendar date as PostgreSQL DATE columns take it through Prisma: midnight UTC of that day. */
export function toDbDate(date: CalendarDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** A DATE column read back as the calendar date it holds. */
export function fromDbDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}
