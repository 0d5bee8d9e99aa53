/**
 * Messages about an appointment (invitation, reminder, move, cancellation) name it in their key, and
 * are worth sending again only while it still stands: an invitation to an appointment cancelled since,
 * or already past, would mislead the person.
 */
import type { Db } from '../db/client.ts';
import { uuidFromKey } from '../db/ids.ts';

/**
 * The appointment an appointment message is about, and its invitation's version: its key is
 * <appointment id>/invitation, …/rappel (…/rappel/<n> once moved), …/deplacement/<n> or …/annulation/<n>.
 */
export function parseAppointmentKey(key: string): { appointmentId: string; sequence: number } | null {
  const match = /^(.+)\/(?:invitation|rappel(?:\/(\d+))?|deplacement\/(\d+)|annulation\/(\d+))$/.exec(key);
  return match ? { appointmentId: match[1]!, sequence: Number(match[2] ?? match[3] ?? match[4] ?? 0) } : null;
}

const isAppointmentMessage = (template: string) => template.startsWith('rendez_vous');

/** Why an appointment's message may no longer go (null: it may, or it is about no appointment). */
export function appointmentMessageStale(template: string, appointment: { status: string; at: Date } | null, now: number): string | null {
  // The word of a cancellation stays true.
  if (!isAppointmentMessage(template) || template === 'rendez_vous.annulation') return null;
  if (!appointment) return 'le rendez-vous n’existe plus';
  if (appointment.status === 'ANNULE') return 'le rendez-vous a été annulé depuis';
  if (appointment.at.getTime() <= now) return 'le rendez-vous est passé';
  return null;
}

/** The same, for messages as recorded: what keeps each of them from going again, by message id. */
export async function staleAppointmentMessages(db: Db, messages: Array<{ id: string; template: string; idempotencyKey: string }>, now: number): Promise<Map<string, string>> {
  const about = messages.flatMap((m) => {
    const key = isAppointmentMessage(m.template) ? parseAppointmentKey(m.idempotencyKey) : null;
    return key ? [{ message: m, appointmentId: uuidFromKey(key.appointmentId) }] : [];
  });
  if (about.length === 0) return new Map();
  const appointments = await db.appointment.findMany({ where: { id: { in: [...new Set(about.map((a) => a.appointmentId))] } }, select: { id: true, status: true, at: true } });
  const byId = new Map(appointments.map((a) => [a.id, a]));
  return new Map(about.flatMap(({ message, appointmentId }) => {
    const reason = appointmentMessageStale(message.template, byId.get(appointmentId) ?? null, now);
    return reason ? [[message.id, reason] as [string, string]] : [];
  }));
}
