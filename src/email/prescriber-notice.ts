/**
 * The prescriber's loop: a short word to whoever referred the person, at the exit or at a
 * reorientation — the file reference, initials, dates and the exit's type; never the reason, the
 * situation or anything said in the pathway.
 */
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { EXIT_TYPE_LABELS, type ExitType } from '../domain/exit-types.ts';
import { render, type RenderedEmail } from './templates.ts';

const POSITIVE_KIND_LABELS: Record<string, string> = { EMPLOI: 'emploi', CREATION: 'création d’entreprise', FORMATION: 'formation qualifiante' };

export interface PrescriberNotice {
  plieName: string;
  fileReference: string;
  initials: string;
  orientedOn: CalendarDate | null;
  /** Who follows or followed the person (their address, for any question). */
  referent: string | null;
  outcome: { event: 'exit'; type: ExitType; positiveKind: string | null; entryDate: CalendarDate | null; exitDate: CalendarDate } | { event: 'reorientation' };
}

export function prescriberNoticeEmail(n: PrescriberNotice): RenderedEmail {
  const referred = `Vous aviez orienté vers le PLIE${n.orientedOn ? `, le ${formatFrenchDate(n.orientedOn)},` : ''} la personne du dossier ${n.fileReference} (${n.initials}).`;
  const contact = n.referent ? [`Pour en savoir plus, son ou sa référent·e de parcours : ${n.referent}.`] : [];
  if (n.outcome.event === 'reorientation') {
    return render(`[${n.plieName}] Réorientation : dossier ${n.fileReference}`, [
      'Bonjour,',
      `${referred} À l’issue du diagnostic, le PLIE ne l’a pas intégrée à un parcours : elle est réorientée.`,
      ...contact,
      'Merci pour cette orientation.',
    ]);
  }
  const { type, positiveKind, entryDate, exitDate } = n.outcome;
  const kind = type === 'POSITIVE' && positiveKind && POSITIVE_KIND_LABELS[positiveKind] ? ` (${POSITIVE_KIND_LABELS[positiveKind]})` : '';
  return render(`[${n.plieName}] Fin de parcours : dossier ${n.fileReference}`, [
    'Bonjour,',
    `${referred} Son parcours${entryDate ? `, commencé le ${formatFrenchDate(entryDate)},` : ''} s’est terminé le ${formatFrenchDate(exitDate)} : ${EXIT_TYPE_LABELS[type].toLowerCase()}${kind}.`,
    ...contact,
    'Merci pour cette orientation.',
  ]);
}

/** Where the word goes: an address in the contact given at the referral, else the service's configured one. */
export function prescriberAddress(contact: string | null, prescriber: string | null, addresses: Partial<Record<string, string>>): string | null {
  const inContact = contact ? /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i.exec(contact)?.[0] : undefined;
  if (inContact) return inContact.toLowerCase();
  return prescriber ? (addresses[prescriber] ?? null) : null;
}
