/**
 * The shared validation: every zod string refuses what no person types (NUL and the other control
 * characters, lone surrogates) with a French message naming the field, while multi-line texts keep
 * their line breaks; and the dates people type are judged plausible on the app's today.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, parisDate } from '../../src/domain/dates.ts';
import { contractSchema, pathwayActionSchema } from '../../src/domain/pathway-actions.ts';
import { birthDateProblem, DATE_BOUNDS, factDateProblem, hasUntypableCharacters, z } from '../../src/domain/validation.ts';
import { rectificationInputSchema, referralSchema } from '../../src/forms/referral-form.ts';
import { taskAnswerSchema } from '../../src/forms/task-forms.ts';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => (result.success ? [] : result.error!.issues.map((i) => i.message));
const person = { firstName: 'Inès', lastName: 'Durand', birthDate: '14/03/1985' };
/** What no one types: each C0 control but tab, LF and CR; DEL and the C1 controls; lone surrogates. */
const untypable = fc
  .oneof(
    fc.integer({ min: 0, max: 0x1f }).filter((c) => ![0x09, 0x0a, 0x0d].includes(c)),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
  )
  .map((c) => String.fromCharCode(c));
/** Years later, as the rules count them (the same day of the month). */
/** The same day `years` later on the calendar (29 February gives 28 February in a common year). */
const yearsAfter = (date: string, years: number) => addMonths(date, years * 12);

describe('text no one types', () => {
  it.each([
    ['a NUL in a first name', referralSchema, { ...person, firstName: 'A\u0000b' }, 'prénom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['an escape in a last name', referralSchema, { ...person, lastName: 'Du\u001brand' }, 'nom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['a lone surrogate in a phone number', referralSchema, { ...person, phone: '06\ud83d12' }, 'téléphone : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['a C1 control in a birth date', referralSchema, { ...person, birthDate: '14/03/1985\u0085' }, 'date de naissance : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['a DEL in an employer', pathwayActionSchema, { type: 'contractSigned', contract: { type: 'CDI', start: '2024-01-08', weeklyHours: 35, employer: 'Boulangerie\u007f' } }, 'employeur : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['a NUL in an exit’s reason', pathwayActionSchema, { type: 'exitProposed', exitType: 'AUTRE', reason: 'Parti\u0000' }, 'motif : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
    ['a NUL in a diagnostic’s project', taskAnswerSchema('diagnostic_decision'), { decision: 'integrate', entryDate: '2024-01-08', project: 'Cariste\u0000' }, 'projet : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller'],
  ])('refuses %s, naming the field', (_what, schema, value, expected) => {
    expect(messages(schema.safeParse(value))).toEqual([expected]);
  });

  it.each([
    ['a name on two lines', referralSchema, { ...person, firstName: 'Inès\nMarie' }, 'prénom : tient sur une seule ligne (ni retour à la ligne ni tabulation)'],
    ['a tab in a commune', rectificationInputSchema, { commune: 'Antibes\tJuan' }, 'commune : tient sur une seule ligne (ni retour à la ligne ni tabulation)'],
  ])('refuses %s', (_what, schema, value, expected) => {
    expect(messages(schema.safeParse(value))).toEqual([expected]);
  });

  it('keeps the line breaks and tabs of a multi-line text (a browser sends CR LF)', () => {
    const reason = 'Déménagement à Lyon.\r\nNouvelle adresse\tà confirmer.';
    expect(pathwayActionSchema.parse({ type: 'exitProposed', exitType: 'AUTRE', reason })).toMatchObject({ reason });
  });

  it('refuses any text carrying one, wherever it sits, and accepts any text without', () => {
    const schema = z.object({ comment: z.string().max(10_000) });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), untypable, fc.string({ unit: 'grapheme', maxLength: 30 }), (before, odd, after) => {
        const refused = messages(schema.safeParse({ comment: `${before}${odd}${after}` }));
        expect(refused).toEqual(['commentaire : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller']);
        const clean = `${before}${after}`;
        expect(schema.safeParse({ comment: clean }).success).toBe(!hasUntypableCharacters(clean));
      }),
      { numRuns: 2_000 },
    );
  });

  it('names a field it does not know by its key', () => {
    expect(messages(z.object({ nickname: z.string() }).safeParse({ nickname: '\u0000' }))).toEqual(['champ « nickname » : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller']);
  });
});

describe('plausible dates', () => {
  const today = '2026-06-15';

  it.each([
    ['1950-01-01', undefined],
    ['1949-12-31', 'date : le 31/12/1949 est trop ancien (pas avant le 01/01/1950) ; vérifiez l’année'],
    ['2028-06-15', undefined],
    ['2028-06-16', 'date : le 16/06/2028 est trop loin dans l’avenir (2 ans au plus, soit le 15/06/2028) ; vérifiez l’année'],
    ['2024-01-08', undefined],
  ])('a fact dated %s: %s', (date, expected) => {
    expect(factDateProblem('date', date, today)).toBe(expected);
  });

  it('gives a planned end five years, and counts years from a 29 February', () => {
    expect(factDateProblem('fin', '2031-06-15', today, DATE_BOUNDS.plannedEndYearsAhead)).toBeUndefined();
    expect(factDateProblem('fin', '2031-06-16', today, DATE_BOUNDS.plannedEndYearsAhead)).toMatch(/^fin : le 16\/06\/2031 est trop loin/);
    expect(factDateProblem('date', '2030-02-28', '2028-02-29')).toBeUndefined();
    expect(factDateProblem('date', '2030-03-01', '2028-02-29')).toMatch(/trop loin/);
  });

  it.each([
    ['2026-06-16', 'date de naissance : elle ne peut pas être dans le futur (16/06/2026)'],
    ['2010-06-15', undefined],
    ['2010-06-16', 'date de naissance : la personne aurait 15 ans ; vérifiez la date (16 ans au moins)'],
    ['2026-01-01', 'date de naissance : la personne aurait 0 an ; vérifiez la date (16 ans au moins)'],
    ['1925-06-16', undefined],
    ['1925-06-15', 'date de naissance : la personne aurait 101 ans ; vérifiez l’année (100 ans au plus)'],
  ])('a birth date %s: %s', (date, expected) => {
    expect(birthDateProblem('date de naissance', date, today)).toBe(expected);
  });

  // The schemas judge on the app's today (Paris), whatever the day the tests run.
  const now = parisDate(Date.now());

  it.each([
    ['12/03/2080', ['date de naissance : elle ne peut pas être dans le futur (12/03/2080)']],
    [addDays(now, 1), [`date de naissance : elle ne peut pas être dans le futur (${addDays(now, 1).split('-').reverse().join('/')})`]],
    [yearsAfter(now, -10), ['date de naissance : la personne aurait 10 ans ; vérifiez la date (16 ans au moins)']],
    ['21/06/1968', []],
    [yearsAfter(now, -16), []],
  ])('a referral born on %s', (birthDate, expected) => {
    expect(messages(referralSchema.safeParse({ ...person, birthDate }))).toEqual(expected);
    expect(messages(rectificationInputSchema.safeParse({ birthDate }))).toEqual(expected);
  });

  it('keeps a contract of 2024 valid, and refuses one from before 1950 or too far ahead', () => {
    const signed = (contract: Record<string, unknown>) => pathwayActionSchema.safeParse({ type: 'contractSigned', contract: { type: 'CDD', start: '2024-01-08', end: '2024-12-31', weeklyHours: 35, ...contract } });
    expect(signed({}).success).toBe(true);
    expect(messages(signed({ start: '1949-12-31' }))).toEqual(['début du contrat : le 31/12/1949 est trop ancien (pas avant le 01/01/1950) ; vérifiez l’année']);
    expect(signed({ start: yearsAfter(now, 2), end: yearsAfter(now, 5) }).success).toBe(true);
    expect(messages(signed({ start: addDays(yearsAfter(now, 2), 1), end: null, type: 'CDI' }))).toEqual([expect.stringMatching(/^début du contrat : le .* est trop loin dans l’avenir \(2 ans au plus/)]);
    expect(messages(signed({ start: now, end: addDays(yearsAfter(now, 5), 1) }))).toEqual([expect.stringMatching(/^fin du contrat : le .* est trop loin dans l’avenir \(5 ans au plus/)]);
    // A marché's hire reads its contract as is: the pathway it goes to judges its dates, on its own calendar.
    expect(contractSchema.safeParse({ type: 'CDD', start: addDays(yearsAfter(now, 2), 1), end: addDays(yearsAfter(now, 3), 1), weeklyHours: 35 }).success).toBe(true);
  });

  it('checks the dates of every action and of the answers that carry one', () => {
    const far = addDays(yearsAfter(now, 2), 1);
    for (const action of [
      { type: 'stepPlanned', stepType: 'ATELIER', date: far },
      { type: 'contactLogged', date: '1900-01-01', mode: 'telephone' },
      { type: 'remindersPaused', until: far, reason: 'Hospitalisation' },
      { type: 'trainingStarted', start: '1949-06-01', rncp: true },
    ]) {
      expect(messages(pathwayActionSchema.safeParse(action))).toEqual([expect.stringMatching(/est trop (ancien|loin dans l’avenir)/)]);
    }
    expect(messages(taskAnswerSchema('log_contact').safeParse({ date: far, mode: 'telephone' }))).toEqual([expect.stringMatching(/^date du contact : le .* est trop loin/)]);
    expect(messages(taskAnswerSchema('confirm_exit').safeParse({ confirm: true, date: '1901-01-01' }))).toEqual(['date de sortie : le 01/01/1901 est trop ancien (pas avant le 01/01/1950) ; vérifiez l’année']);
    expect(taskAnswerSchema('diagnostic_decision').safeParse({ decision: 'integrate', entryDate: now }).success).toBe(true);
  });
});
