import { describe, expect, it } from 'vitest';
import { withoutPersonalData } from '../../src/privacy/scrub.ts';

describe('error texts without personal data', () => {
  it.each([
    ['an SMTP refusal quoting the recipient', '550 5.1.1 <nadia.haddad@exemple.fr>: Recipient address rejected', '550 5.1.1 <[adresse]>: Recipient address rejected'],
    ['two addresses', "Can't send mail - all recipients were rejected: a.b+c@x.fr, d_e@sous.domaine.org", "Can't send mail - all recipients were rejected: [adresse], [adresse]"],
    ['a phone number with spaces', 'numéro 06 12 34 56 78 invalide', 'numéro [téléphone] invalide'],
    ['a phone number in one block', 'numéro 0612345678 invalide', 'numéro [téléphone] invalide'],
    ['an international number', 'numéro +33 6 12 34 56 78 invalide', 'numéro [téléphone] invalide'],
    ['a reply code and a port, which are no phone', '421 4.7.0 Try again later (port 587)', '421 4.7.0 Try again later (port 587)'],
    ['a Slack error', 'An API error occurred: user_not_found', 'An API error occurred: user_not_found'],
  ])('%s', (_label, text, expected) => {
    expect(withoutPersonalData(text)).toBe(expected);
  });

  it('masks the names the caller knows, whatever their case, not short ones', () => {
    expect(withoutPersonalData('Unique constraint failed for Nadia HADDAD (Al)', ['Nadia', 'Haddad', 'Al', null])).toBe('Unique constraint failed for [nom] [nom] (Al)');
  });
});
