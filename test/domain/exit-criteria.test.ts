import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween } from '../../src/domain/dates.ts';
import {
  assessExit,
  cumulatedHoursMetOn,
  isInsertionContract,
  lastDayOfMonths,
  type ExitFacts,
} from '../../src/domain/exit-criteria.ts';
import { contractFrom, facts } from '../helpers/exit-facts.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';

const contract = contractFrom('2026-01-01');
const assess = (f: Partial<ExitFacts>, asOf = '2027-12-31', config = CASA_CONFIG) => assessExit(config, facts(f), asOf);

describe('month arithmetic', () => {
  it.each([
    ['2026-01-01', 6, '2026-06-30'],
    ['2026-01-31', 1, '2026-02-27'], // 31/01 + 1 month = 28/02, so one month ends the day before
    ['2024-08-31', 6, '2025-02-27'],
    ['2026-03-15', 9, '2026-12-14'],
  ])('%s plus %i months ends on %s', (start, months, last) => {
    expect(lastDayOfMonths(start, months)).toBe(last);
  });

  it('never goes backwards, and a period of N months lasts between 28·N−3 and 31·N days', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 36 }), (d, n) => {
        const start = d.toISOString().slice(0, 10);
        const last = lastDayOfMonths(start, n);
        const days = daysBetween(start, last) + 1;
        expect(last >= start).toBe(true);
        expect(days).toBeGreaterThanOrEqual(28 * n - 3);
        expect(days).toBeLessThanOrEqual(31 * n + 1);
        expect(addMonths(start, n) > last).toBe(true);
      }),
    );
  });
});

describe('positive exit criteria (Article 5)', () => {
  it.each([
    ['a CDI, full time', [contract({ type: 'CDI' })], 'CDI_OU_CDD_LONG', '2026-01-01', true],
    ['a CDI at half-time exactly (17h30)', [contract({ type: 'CDI', weeklyHours: 17.5 })], 'CDI_OU_CDD_LONG', '2026-01-01', true],
    ['a CDD of 6 months exactly', [contract({ end: '2026-06-30' })], 'CDI_OU_CDD_LONG', '2026-01-01', false],
    ['a CDD of 6 months at half-time', [contract({ end: '2026-06-30', weeklyHours: 17.5 })], 'CDI_OU_CDD_LONG', '2026-01-01', false],
    ['an aided CDD of the market sector', [contract({ end: '2026-12-31', aided: true, marketSector: true })], 'CDI_OU_CDD_LONG', '2026-01-01', false],
  ] as const)('%s → %s on %s', (_label, contracts, criterion, metOn, cdi) => {
    expect(assess({ contracts: [...contracts] })).toMatchObject({ status: 'positive', criterion, metOn, kind: 'EMPLOI', cdi });
  });

  it.each([
    ['a CDD one day short of 6 months', contract({ end: '2026-06-29' })],
    ['a CDD under half-time', contract({ end: '2026-12-31', weeklyHours: 17.49 })],
    ['an aided contract of the non-market sector', contract({ end: '2026-12-31', aided: true, marketSector: false })],
    ['an IAE contract', contract({ type: 'CDDI', end: '2026-12-31', iae: true })],
    ['an IAE CDD', contract({ end: '2026-12-31', iae: true })],
  ])('%s is not a CDI/CDD exit', (_label, c) => {
    const result = assess({ contracts: [c] }, '2026-07-15');
    expect(result.status === 'positive' && result.criterion === 'CDI_OU_CDD_LONG').toBe(false);
  });

  it('civil service: held 6 months (met on the last day of the sixth month)', () => {
    const contracts = [contract({ type: 'FONCTION_PUBLIQUE' })];
    expect(assess({ contracts }, '2026-06-29')).toMatchObject({ status: 'not_yet', next: { criterion: 'FONCTION_PUBLIQUE', metOn: '2026-06-30' } });
    expect(assess({ contracts }, '2026-06-30')).toMatchObject({ status: 'positive', criterion: 'FONCTION_PUBLIQUE', metOn: '2026-06-30' });
    // Left before 6 months: never met.
    expect(assess({ contracts: [contract({ type: 'FONCTION_PUBLIQUE', end: '2026-06-29' })] }).status).toBe('not_yet');
  });

  it('contrat de professionnalisation: more than 6 months continuously (met the day after)', () => {
    const contracts = [contract({ type: 'CONTRAT_PRO', end: '2027-06-30' })];
    expect(assess({ contracts }, '2026-06-30').status).toBe('not_yet');
    expect(assess({ contracts }, '2026-07-01')).toMatchObject({ status: 'positive', criterion: 'CONTRAT_PRO', metOn: '2026-07-01' });
    expect(assess({ contracts: [contract({ type: 'CONTRAT_PRO', end: '2026-06-30' })] }).status).toBe('not_yet');
  });

  it('910 hours within 9 months: reached on day 273 counts, on day 275 does not', () => {
    // 01/01 → 30/09/2026 is 273 days, the whole of a 9-month window.
    expect(daysBetween('2026-01-01', '2026-09-30') + 1).toBe(273);
    const within = [contract({ type: 'INTERIM', end: '2026-09-30', hoursPaid: 910, weeklyHours: 0 })];
    expect(assess({ contracts: within })).toMatchObject({ status: 'positive', criterion: 'HEURES_CUMULEES', metOn: '2026-09-30' });
    const beyond = [contract({ type: 'INTERIM', end: '2026-10-02', hoursPaid: 910, weeklyHours: 0 })];
    expect(assess({ contracts: beyond }).status).toBe('not_yet');
  });

  it('910 hours from consecutive temporary contracts with several employers', () => {
    const contracts = [
      contract({ type: 'INTERIM', start: '2026-01-05', end: '2026-03-27', weeklyHours: 35 }),
      contract({ type: 'SAISONNIER', start: '2026-04-01', end: '2026-08-31', weeklyHours: 35 }),
      contract({ type: 'INTERIM', start: '2026-09-07', end: '2026-10-30', weeklyHours: 35 }),
    ];
    const metOn = cumulatedHoursMetOn(CASA_CONFIG, contracts, '2027-12-31');
    expect(metOn).not.toBeNull();
    // 5 h a day from 05/01: 82 days then 153 days give 1 175 h; 910 h fall during the seasonal job.
    expect(metOn! >= '2026-04-01' && metOn! <= '2026-08-31').toBe(true);
    expect(assess({ contracts })).toMatchObject({ status: 'positive', criterion: 'HEURES_CUMULEES', kind: 'EMPLOI', cdi: false });
  });

  it('qualifying training: qualification obtained, or 6 months in a long RNCP training', () => {
    const obtained = { start: '2026-01-10', end: '2026-05-20', rncp: true, long: false, qualificationObtainedOn: '2026-05-20' };
    expect(assess({ trainings: [obtained] })).toMatchObject({ status: 'positive', criterion: 'QUALIFICATION_OBTENUE', kind: 'FORMATION', metOn: '2026-05-20' });
    const long = { start: '2026-01-01', end: '2027-06-30', rncp: true, long: true, qualificationObtainedOn: null };
    expect(assess({ trainings: [long] }, '2026-06-29').status).toBe('not_yet');
    expect(assess({ trainings: [long] }, '2026-06-30')).toMatchObject({ status: 'positive', criterion: 'FORMATION_LONGUE', metOn: '2026-06-30' });
    expect(assess({ trainings: [{ ...long, rncp: false }] }).status).toBe('not_yet');
    expect(assess({ trainings: [{ ...long, end: '2026-06-29' }] }).status).toBe('not_yet');
  });

  it('business creation consolidated beyond 6 months', () => {
    const business = { start: '2026-01-01', end: null };
    expect(assess({ businesses: [business] }, '2026-06-30').status).toBe('not_yet');
    expect(assess({ businesses: [business] }, '2026-07-01')).toMatchObject({ status: 'positive', criterion: 'CREATION_CONSOLIDEE', kind: 'CREATION' });
    expect(assess({ businesses: [{ start: '2026-01-01', end: '2026-06-30' }] }).status).toBe('not_yet');
  });
});

describe('atypical exits, for the commission ad hoc', () => {
  it.each([
    ['part time under 17h30 for 6 months', contract({ weeklyHours: 17.49, end: '2026-06-30' }), 'TEMPS_PARTIEL_COURT'],
    ['an aided contract of 12 months (non-market)', contract({ aided: true, marketSector: false, end: '2026-12-31' }), 'CONTRAT_AIDE_LONG'],
    ['12 months in an entreprise d’insertion', contract({ type: 'CDDI', iae: true, insertionCompany: true, end: '2026-12-31' }), 'ENTREPRISE_INSERTION_LONG'],
  ])('%s → %s', (_label, c, criterion) => {
    expect(assess({ contracts: [c] }, '2026-03-01')).toMatchObject({ status: 'atypical', criterion, atypical: true });
  });

  it.each([
    ['part time under 17h30, one day short of 6 months', contract({ weeklyHours: 10, end: '2026-06-29' })],
    ['an aided contract one day short of 12 months', contract({ aided: true, marketSector: false, end: '2026-12-30' })],
    ['11 months in an entreprise d’insertion', contract({ type: 'CDDI', iae: true, insertionCompany: true, end: '2026-11-30' })],
  ])('%s → nothing', (_label, c) => {
    expect(assess({ contracts: [c] }, '2026-03-01').status).toBe('not_yet');
  });

  it('prefers a positive criterion met on the same day', () => {
    const contracts = [contract({ weeklyHours: 10, end: '2026-12-31' }), contract({ type: 'CDI', start: '2026-01-01' })];
    expect(assess({ contracts }, '2026-01-01')).toMatchObject({ status: 'positive', criterion: 'CDI_OU_CDD_LONG' });
  });
});

describe('the protocol’s wording (article 5), and the first reading kept for pathways begun before', () => {
  const firstReading = { ...CASA_CONFIG, firstReading: true };
  // Nine months, 01/01 → 30/09/2026, at 26 h a week: 1 003 h.
  const nineMonths = { start: '2026-01-01', end: '2026-09-30', weeklyHours: 26 };
  const sixMonths = { start: '2026-01-01', end: '2026-06-30' };
  it.each([
    // contract, status under the protocol, criterion, status under the first reading
    ['a CDDI in an ACI', { type: 'CDDI', iae: true, iaeStructure: 'ACI', ...nineMonths }, 'not_yet', null, 'positive'],
    ['a CDDI in an EI', { type: 'CDDI', iae: true, iaeStructure: 'EI', insertionCompany: true, ...nineMonths }, 'not_yet', null, 'positive'],
    ['an IAE contract of unknown structure', { type: 'CDDI', iae: true, ...nineMonths }, 'not_yet', null, 'positive'],
    ['a non-market aided CDD (PEC)', { aided: true, marketSector: false, ...nineMonths }, 'not_yet', null, 'positive'],
    ['an ETTI mission', { type: 'INTERIM', iae: true, iaeStructure: 'ETTI', ...nineMonths }, 'positive', 'HEURES_CUMULEES', 'positive'],
    ['an AI mission', { type: 'INTERIM', iae: true, iaeStructure: 'AI', ...nineMonths }, 'positive', 'HEURES_CUMULEES', 'positive'],
    ['a temporary mission', { type: 'INTERIM', ...nineMonths }, 'positive', 'HEURES_CUMULEES', 'positive'],
    ['a market-sector aided CDD under half-time', { aided: true, marketSector: true, ...nineMonths, weeklyHours: 15 }, 'atypical', 'TEMPS_PARTIEL_COURT', 'not_yet'],
  ] as const)('910 hours: %s → %s %s (first reading: %s)', (_label, over, status, criterion, before) => {
    const contracts = [contract(over)];
    const result = assess({ contracts }, '2026-12-31');
    expect(result.status).toBe(status);
    if (criterion) expect(result).toMatchObject({ criterion });
    expect(assessExit(firstReading, facts({ contracts }), '2026-12-31').status).toBe(before);
  });

  it.each([
    // a part-time job under 17h30 held 6 months, whatever its kind, goes to the commission; an insertion contract does not
    ['an aided contract', { aided: true, marketSector: false, weeklyHours: 15, ...sixMonths }, 'TEMPS_PARTIEL_COURT', 'not_yet'],
    ['a temporary mission', { type: 'INTERIM', weeklyHours: 15, ...sixMonths }, 'TEMPS_PARTIEL_COURT', 'not_yet'],
    ['a seasonal job', { type: 'SAISONNIER', weeklyHours: 17.49, ...sixMonths }, 'TEMPS_PARTIEL_COURT', 'not_yet'],
    ['a CDD', { weeklyHours: 17.49, ...sixMonths }, 'TEMPS_PARTIEL_COURT', 'atypical'],
    ['a CDDI in an ACI', { type: 'CDDI', iae: true, iaeStructure: 'ACI', weeklyHours: 15, ...sixMonths }, null, 'not_yet'],
    ['a CDD at half-time exactly', { weeklyHours: 17.5, ...sixMonths }, 'CDI_OU_CDD_LONG', 'positive'],
    ['a temporary mission one day short', { type: 'INTERIM', weeklyHours: 15, start: '2026-01-01', end: '2026-06-29' }, null, 'not_yet'],
  ] as const)('part time: %s → %s (first reading: %s)', (_label, over, criterion, before) => {
    const contracts = [contract(over)];
    const result = assess({ contracts }, '2026-03-01');
    if (criterion === null) expect(result.status).toBe('not_yet');
    else expect(result).toMatchObject({ criterion });
    expect(assessExit(firstReading, facts({ contracts }), '2026-03-01').status).toBe(before);
  });

  it('the hours paid, where a monthly check gave them, replace the weekly hours’ estimate', () => {
    // 20 h a week is 780 h in nine months: not enough on the estimate alone.
    const mission = contract({ type: 'INTERIM', start: '2026-01-01', end: '2026-12-31', weeklyHours: 20 });
    expect(assess({ contracts: [mission] }, '2026-12-31').status).toBe('not_yet');
    // Paid 151 h in each of the first six months (906 h): 910 h reached early in July.
    const months = [1, 2, 3, 4, 5, 6].map((m) => ({ from: `2026-0${m}-01`, to: lastDayOfMonths(`2026-0${m}-01`, 1), hours: 151 }));
    const paid = { ...mission, paidPeriods: months };
    const result = assess({ contracts: [paid] }, '2026-12-31');
    expect(result).toMatchObject({ status: 'positive', criterion: 'HEURES_CUMULEES' });
    expect((result as { metOn: string }).metOn).toBe('2026-07-02');
    // And the other way: 35 h a week on paper, 60 h paid a month: never 910 h.
    const little = contract({ type: 'INTERIM', start: '2026-01-01', end: '2026-09-30', weeklyHours: 35, paidPeriods: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => ({ from: `2026-0${m}-01`, to: lastDayOfMonths(`2026-0${m}-01`, 1), hours: 60 })) });
    expect(assess({ contracts: [little] }, '2026-12-31').status).toBe('not_yet');
    expect(assessExit(firstReading, facts({ contracts: [little] }), '2026-12-31').status).toBe('positive');
  });

  it.each([
    [{ type: 'CDDI', iae: true, iaeStructure: 'ACI' }, true],
    [{ type: 'CDDI', iae: true, iaeStructure: 'EI' }, true],
    [{ type: 'CDDI', iae: true }, true],
    [{ type: 'CDD', insertionCompany: true }, true],
    [{ type: 'CDD', iae: true }, true],
    [{ type: 'INTERIM', iae: true }, false],
    [{ type: 'INTERIM', iae: true, iaeStructure: 'ETTI' }, false],
    [{ type: 'CDDI', iae: true, iaeStructure: 'AI' }, false],
    [{ type: 'CDD' }, false],
    [{ type: 'CDD', aided: true, marketSector: false }, false],
  ] as const)('insertion contract: %j → %s', (over, expected) => {
    expect(isInsertionContract(contract(over as Partial<Parameters<typeof contract>[0]>))).toBe(expected);
  });
});

describe('another PLIE’s thresholds', () => {
  it('reads durations and hours from the configuration', () => {
    const cdd = [contract({ end: '2026-04-30' })];
    expect(assess({ contracts: cdd }, '2026-01-02', OTHER_CONFIG)).toMatchObject({ status: 'positive', criterion: 'CDI_OU_CDD_LONG' });
    expect(assess({ contracts: cdd }, '2026-01-02', CASA_CONFIG).status).toBe('not_yet');
    const interim = [contract({ type: 'INTERIM', end: '2026-06-30', hoursPaid: 600, weeklyHours: 0 })];
    expect(assess({ contracts: interim }, '2026-12-31', OTHER_CONFIG)).toMatchObject({ criterion: 'HEURES_CUMULEES', metOn: '2026-06-30' });
    expect(assess({ contracts: interim }, '2026-12-31', CASA_CONFIG).status).toBe('not_yet');
  });
});

describe('properties', () => {
  const day = fc.date({ min: new Date('2015-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it('a CDD meets the criterion exactly when it lasts at least 6 months and half-time', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), fc.double({ min: 1, max: 39, noNaN: true }), (start, length, hours) => {
        const end = addDays(start, length);
        const result = assess({ contracts: [contract({ start, end, weeklyHours: hours })] }, addDays(start, 1));
        const expected = end >= lastDayOfMonths(start, 6) && hours >= 17.5;
        expect(result.status === 'positive' && result.criterion === 'CDI_OU_CDD_LONG').toBe(expected);
      }),
    );
  });

  it('steady work reaches 910 hours within 9 months exactly when the daily hours allow it', () => {
    fc.assert(
      fc.property(day, fc.double({ min: 5, max: 45, noNaN: true }), (start, weekly) => {
        const metOn = cumulatedHoursMetOn(CASA_CONFIG, [contract({ type: 'INTERIM', start, end: null, weeklyHours: weekly })], addMonths(start, 24));
        const windowDays = daysBetween(start, lastDayOfMonths(start, 9)) + 1;
        const daysNeeded = Math.ceil(910 / (weekly / 7) - 1e-6);
        if (daysNeeded <= windowDays) {
          expect(metOn).not.toBeNull();
          expect(Math.abs(daysBetween(start, metOn!) + 1 - daysNeeded)).toBeLessThanOrEqual(1);
        } else {
          expect(metOn).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('more facts never take a met criterion away', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 500 }), (start, extra) => {
        const base = [contract({ type: 'CDI', start })];
        const asOf = addDays(start, extra);
        const more = [...base, contract({ type: 'INTERIM', start: addDays(start, 3), end: addDays(start, 40), weeklyHours: 20 })];
        expect(assess({ contracts: base }, asOf).status).toBe('positive');
        expect(assess({ contracts: more }, asOf).status).toBe('positive');
      }),
      { numRuns: 50 },
    );
  });
});
