/**
 * An appointment invitation sent over real SMTP: the message carries a text/calendar
 * METHOD:REQUEST part, in Europe/Paris, with the participant as attendee.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentInvitation } from '../../src/email/calendar.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { TestInbox } from '../helpers/smtp.ts';

let inbox: TestInbox;
let mailer: Mailer;

beforeAll(async () => {
  inbox = await TestInbox.start();
  mailer = createMailer(inbox.url);
});

afterAll(async () => {
  mailer?.close();
  await inbox?.stop();
});

describe('appointment invitations (iCalendar)', () => {
  it.each([
    // 8:30 UTC is 9:30 in Paris in winter (UTC+1) and 10:30 in summer (UTC+2).
    ['in winter', '2026-12-02T08:30:00Z', '20261202T093000', '20261202T101500'],
    ['in summer', '2027-06-15T08:30:00Z', '20270615T103000', '20270615T111500'],
  ])('are a REQUEST with an attendee, in Paris time %s, that mail clients offer to add', async (_season, utc, start, end) => {
    const subject = `Votre rendez-vous au PLIE (${utc})`;
    const content = appointmentInvitation({
      uid: 'parcours-123/rdv/1@plie',
      sequence: 0,
      start: new Date(utc),
      durationMinutes: 45,
      summary: 'Rendez-vous avec votre référente PLIE',
      location: 'Maison des Solidarités, Antibes',
      organizer: { name: 'PLIE', email: 'referente@plie.test' },
      attendee: { name: 'Amina Durand', email: 'amina@exemple.fr' },
    });
    await mailer.sendMail({
      from: 'PLIE <plie@plie.test>',
      to: 'amina@exemple.fr',
      subject,
      text: 'Bonjour, voici votre rendez-vous.',
      icalEvent: { method: 'REQUEST', content },
    });
    const mail = await inbox.waitFor((m) => m.subject === subject);
    const part = mail.raw.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(part).toBeDefined();
    const ics = part!.content.toString('utf8').replace(/\r\n /g, '');
    expect(ics).toMatch(/^METHOD:REQUEST$/m);
    expect(ics).toMatch(/^BEGIN:VTIMEZONE$/m);
    expect(ics).toMatch(/^TZID:Europe\/Paris$/m);
    expect(ics).toMatch(new RegExp(`^DTSTART;TZID=Europe/Paris:${start}$`, 'm'));
    expect(ics).toMatch(new RegExp(`^DTEND;TZID=Europe/Paris:${end}$`, 'm'));
    expect(ics).toMatch(/^ATTENDEE;.*ROLE=REQ-PARTICIPANT.*PARTSTAT=NEEDS-ACTION.*:MAILTO:amina@exemple\.fr$/m);
    expect(ics).toMatch(/^ORGANIZER;CN="?PLIE"?:mailto:referente@plie\.test$/im);
    expect(ics).toMatch(/^UID:parcours-123\/rdv\/1@plie$/m);
  });

  it.each([
    ['moved', false, 'REQUEST', 2, null],
    ['cancelled', true, 'CANCEL', 3, 'CANCELLED'],
  ])('once %s, are the same event (UID) in its next version', (_what, cancelled, method, sequence, status) => {
    const ics = appointmentInvitation({
      uid: 'parcours-123/rdv/1@plie',
      sequence,
      cancelled,
      start: new Date('2027-03-10T13:00:00Z'),
      durationMinutes: 60,
      summary: 'Rendez-vous au PLIE',
      location: 'Antibes',
      organizer: { name: 'PLIE', email: 'referente@plie.test' },
      attendee: { name: 'Amina Durand', email: 'amina@exemple.fr' },
    }).replace(/\r\n /g, '');
    expect(ics).toMatch(new RegExp(`^METHOD:${method}$`, 'm'));
    expect(ics).toMatch(/^UID:parcours-123\/rdv\/1@plie$/m);
    expect(ics).toMatch(new RegExp(`^SEQUENCE:${sequence}$`, 'm'));
    if (status) expect(ics).toMatch(new RegExp(`^STATUS:${status}$`, 'm'));
    else expect(ics).not.toMatch(/^STATUS:CANCELLED$/m);
  });
});
