import { describe, expect, it } from 'vitest';
import { appointmentMessageStale, parseAppointmentKey } from '../../src/email/appointment-messages.ts';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const later = new Date(NOW + 3_600_000);
const earlier = new Date(NOW - 3_600_000);

describe('appointment messages', () => {
  it.each([
    ['parcours-1/rdv/2/invitation', { appointmentId: 'parcours-1/rdv/2', sequence: 0 }],
    ['parcours-1/rdv/2/rappel', { appointmentId: 'parcours-1/rdv/2', sequence: 0 }],
    ['parcours-1/rdv/2/rappel/3', { appointmentId: 'parcours-1/rdv/2', sequence: 3 }],
    ['parcours-1/rdv/2/deplacement/1', { appointmentId: 'parcours-1/rdv/2', sequence: 1 }],
    ['parcours-1/rdv/2/annulation/4', { appointmentId: 'parcours-1/rdv/2', sequence: 4 }],
    ['parcours-1/tache/opened', null],
    ['parcours-1/rdv/2/deplacement', null],
  ])('reads the appointment of the key %s', (key, expected) => {
    expect(parseAppointmentKey(key)).toEqual(expected);
  });

  it.each([
    ['an invitation to an appointment still ahead', 'rendez_vous', { status: 'PREVU', at: later }, null],
    ['a move to an appointment still ahead', 'rendez_vous.deplace', { status: 'PREVU', at: later }, null],
    ['an invitation to an appointment cancelled since', 'rendez_vous', { status: 'ANNULE', at: later }, 'le rendez-vous a été annulé depuis'],
    ['a reminder of an appointment cancelled since', 'rendez_vous.rappel', { status: 'ANNULE', at: later }, 'le rendez-vous a été annulé depuis'],
    ['a reminder of an appointment already past', 'rendez_vous.rappel', { status: 'PREVU', at: earlier }, 'le rendez-vous est passé'],
    ['an invitation to an appointment at this very minute', 'rendez_vous', { status: 'PREVU', at: new Date(NOW) }, 'le rendez-vous est passé'],
    ['an invitation whose appointment is gone', 'rendez_vous', null, 'le rendez-vous n’existe plus'],
    ['the word of a cancellation', 'rendez_vous.annulation', { status: 'ANNULE', at: later }, null],
    ['a message about no appointment', 'diagnostic', null, null],
  ])('%s: %s', (_label, template, appointment, expected) => {
    expect(appointmentMessageStale(template, appointment, NOW)).toBe(expected);
  });
});
