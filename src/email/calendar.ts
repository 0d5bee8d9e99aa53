/**
 * Appointment invitations as iCalendar `METHOD:REQUEST` events with an attendee, in Europe/Paris
 * (with its VTIMEZONE): mail clients then offer to add the appointment, not just open a file. A
 * move is the same event (UID) with the next SEQUENCE; a cancellation, `METHOD:CANCEL`.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

export interface AppointmentInvitation {
  /** Stable per appointment: a new version of the invitation (SEQUENCE) replaces the old one. */
  uid: string;
  sequence: number;
  start: Date;
  durationMinutes: number;
  /** Plain words only: no situation, no barrier. */
  summary: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  /** A cancellation withdraws the event from the person's calendar (METHOD:CANCEL). */
  cancelled?: boolean;
}

export function appointmentInvitation(a: AppointmentInvitation): string {
  const calendar = ical({
    method: a.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    prodId: { company: 'PLIE', product: 'parcours', language: 'FR' },
    timezone: { name: 'Europe/Paris', generator: getVtimezoneComponent },
  });
  calendar.createEvent({
    id: a.uid,
    sequence: a.sequence,
    // Zoned dates: ical-generator then writes Paris wall-clock times (a plain Date would be
    // written in the server's own zone under a Paris label).
    start: DateTime.fromJSDate(a.start, { zone: 'Europe/Paris' }),
    end: DateTime.fromJSDate(a.start, { zone: 'Europe/Paris' }).plus({ minutes: a.durationMinutes }),
    timezone: 'Europe/Paris',
    summary: a.summary,
    location: a.location,
    organizer: a.organizer,
    ...(a.cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
    attendees: [{ ...a.attendee, rsvp: true, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION }],
  });
  return calendar.toString();
}
