import { describe, expect, it } from 'vitest';
import { prescriberAddress, prescriberNoticeEmail, type PrescriberNotice } from '../../src/email/prescriber-notice.ts';

const base: Omit<PrescriberNotice, 'outcome'> = { plieName: 'PLIE CASA', fileReference: 'AB12CD34', initials: 'N. B.', orientedOn: '2025-03-04', referent: 'karim@plie.test' };

describe('the prescriber’s loop', () => {
  it.each([
    ['an address in the contact comes first', 'Mme Durand <Claire.Durand@ccas-antibes.fr>, 04 93 00 00 00', 'CCAS', 'claire.durand@ccas-antibes.fr'],
    ['else the service’s configured address', 'M. Martin, CCAS d’Antibes', 'CCAS', 'insertion@ccas.test'],
    ['no contact: the service’s address', null, 'CCAS', 'insertion@ccas.test'],
    ['a service without an address: nothing', 'M. Martin', 'SPIP', null],
    ['no prescriber: nothing', null, null, null],
  ])('%s', (_name, contact, prescriber, expected) => {
    expect(prescriberAddress(contact, prescriber, { CCAS: 'insertion@ccas.test' })).toBe(expected);
  });

  it('tells the exit’s type and dates, and nothing of the reason', () => {
    const email = prescriberNoticeEmail({ ...base, outcome: { event: 'exit', type: 'POSITIVE', positiveKind: 'EMPLOI', entryDate: '2025-04-01', exitDate: '2026-05-29' } });
    expect(email.subject).toBe('[PLIE CASA] Fin de parcours : dossier AB12CD34');
    expect(email.text).toContain('Vous aviez orienté vers le PLIE, le 04/03/2025, la personne du dossier AB12CD34 (N. B.). Son parcours, commencé le 01/04/2025, s’est terminé le 29/05/2026 : sortie positive (emploi).');
    expect(email.text).toContain('son ou sa référent·e de parcours : karim@plie.test');
    const administrative = prescriberNoticeEmail({ ...base, outcome: { event: 'exit', type: 'ADMINISTRATIVE', positiveKind: null, entryDate: null, exitDate: '2026-05-29' } });
    expect(administrative.text).toContain('Son parcours s’est terminé le 29/05/2026 : sortie administrative.');
  });

  it('tells a reorientation without its reason', () => {
    const email = prescriberNoticeEmail({ ...base, referent: null, outcome: { event: 'reorientation' } });
    expect(email.subject).toBe('[PLIE CASA] Réorientation : dossier AB12CD34');
    expect(email.text).toContain('le PLIE ne l’a pas intégrée à un parcours : elle est réorientée.');
    expect(email.text).not.toContain('référent·e');
  });
});
