import { describe, expect, it } from 'vitest';
import { ageOn } from '../../src/domain/dates.ts';
import { CASA_CONFIG, plieConfigSchema } from '../../src/domain/plie-config.ts';
import { identityNeedles, maskJson, maskText, standInBirthDate, uniqueNeedles } from '../../src/rgpd/pseudonym.ts';

describe('the stand-in birth date', () => {
  it.each([
    // birth date, entry, stand-in
    ['1984-02-29', '2026-01-05', '1985-01-05'],
    ['1990-07-14', '2026-03-01', '1991-03-01'],
    ['1970-01-01', '2026-12-31', '1970-12-31'],
    // The day the rule would give is the real birth date: the first day of that year of age instead.
    ['1980-06-15', '2026-06-15', '1979-06-16'],
    // An entry on 29 February: the same day of a leap year, or the 28th of a common one.
    ['1975-09-30', '2024-02-29', '1976-02-29'],
    ['1975-02-28', '2024-02-29', '1974-03-01'],
    ['1981-05-02', '2024-02-29', '1982-02-28'],
  ])('born %s, entered %s: %s, the same age at entry and never the real date', (birth, entry, expected) => {
    const stand = standInBirthDate(birth, entry);
    expect(stand).toBe(expected);
    expect(ageOn(stand, entry)).toBe(ageOn(birth, entry));
    expect(stand).not.toBe(birth);
  });
});

const person = { firstName: 'Zoé', lastName: 'Li', email: 'zoe.li@exemple.fr', phone: '06 12 34 56 78', birthDate: '1990-07-14', externalId: 'P1', identityKey: 'li|zoe|1990-07-14' };

describe('what names the person', () => {
  it('looks for the address before the name inside it, and for the birth date as written in French', () => {
    expect(identityNeedles(person)).toEqual(['li|zoe|1990-07-14', 'zoe.li@exemple.fr', '06 12 34 56 78', '0612345678', '1990-07-14', '14/07/1990', 'Zoé', 'Li']);
  });

  it('looks also for what the person was called before a rectification', () => {
    expect(identityNeedles(person, ['Zoey', 'zoe@ancien.fr', '1990-07-15'])).toEqual(expect.arrayContaining(['Zoey', 'zoe@ancien.fr', '1990-07-15', '15/07/1990']));
  });

  it('looks in everyone’s records only for what names this person alone', () => {
    expect(uniqueNeedles(person)).toEqual(['li|zoe|1990-07-14', 'zoe.li@exemple.fr', '06 12 34 56 78', '0612345678']);
  });

  it.each([
    ['Demande de ZOÉ LI', 'Demande de [effacé] [effacé]'],
    ['écrire à zoe.li@exemple.fr', 'écrire à [effacé]'],
    ['<zoe.li@exemple.fr> : boîte inconnue', '<[effacé]> : boîte inconnue'],
    ['née le 14/07/1990', 'née le [effacé]'],
    ['aucune mention', 'aucune mention'],
    ['a+b (c) [d] ?', 'a+b (c) [d] ?'],
    // A name as a whole word only: « Li » is no part of « éligible » nor of « CDI ».
    ['éligible en CDI, vu par Li-Na', 'éligible en CDI, vu par [effacé]-Na'],
  ])('masks %j as %j', (text, expected) => {
    expect(maskText(text, identityNeedles(person))).toBe(expected);
  });

  it('masks every string of a JSON value, never its keys nor its other values', () => {
    const value = { Zoé: 'Zoé', n: 3, ok: true, none: null, list: ['Li', { comment: 'vu avec Zoé' }] };
    expect(maskJson(value, identityNeedles(person))).toEqual({ Zoé: '[effacé]', n: 3, ok: true, none: null, list: ['[effacé]', { comment: 'vu avec [effacé]' }] });
  });
});

describe('the retention durations of a PLIE', () => {
  it.each([
    [{}, []],
    [{ retention: { identityMonthsAfterExit: 36 } }, []],
    [{ retention: { identityMonthsAfterExit: 9 } }, []],
    [{ retention: { identityMonthsAfterExit: 8 } }, ['retention.identityMonthsAfterExit : 9 mois au moins (le suivi FSE+ 6 mois après la sortie, puis son questionnaire ouvert deux mois)']],
    [{ retention: { identityMonthsAfterExit: 14 }, pathway: { fseMonthsAfterExit: 12 } }, ['retention.identityMonthsAfterExit : 15 mois au moins (le suivi FSE+ 12 mois après la sortie, puis son questionnaire ouvert deux mois)']],
    [{ retention: { proofsYearsAfterExit: 0 } }, ['retention.proofsYearsAfterExit : une année au moins']],
  ])('%j: %j', (change, problems) => {
    const parsed = plieConfigSchema.safeParse({ ...CASA_CONFIG, ...change });
    expect(parsed.error?.issues.map((i) => i.message) ?? []).toEqual(problems);
    if (parsed.success) expect(parsed.data.retention).toMatchObject({ proofsYearsAfterExit: 8, securityRecordsMonths: 6 });
  });
});
