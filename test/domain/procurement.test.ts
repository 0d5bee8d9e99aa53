import { describe, expect, it } from 'vitest';
import { checkPace, clauseConfigSchema, clauseEligibility, clauseMonths, expectedHours, hoursRequestDay, procurementBilan, monthLabel, type CandidateFacts } from '../../src/domain/procurement.ts';
import { CASA_CONFIG, plieConfigSchema } from '../../src/domain/plie-config.ts';

const defaults = clauseConfigSchema.parse(undefined);
const ON = '2026-12-01';
const nobody: CandidateFacts = { birthDate: '1990-06-01', jobSeekerMonths: null, minimumIncome: 'AUCUN', qualificationLevel: 4, rqth: false, iaeEmployee: false, plieParticipant: false };

describe('clause eligibility (configurable publics)', () => {
  it.each<[string, Partial<CandidateFacts>, string[]]>([
    ['job seeker for 12 months', { jobSeekerMonths: 12 }, ['DELD']],
    ['job seeker for 11 months', { jobSeekerMonths: 11 }, []],
    ['RSA', { minimumIncome: 'RSA' }, ['MINIMA_SOCIAUX']],
    ['AAH', { minimumIncome: 'AAH' }, ['MINIMA_SOCIAUX']],
    ['25, level 2 (no CAP)', { birthDate: '2001-06-01', qualificationLevel: 2 }, ['JEUNE_SANS_QUALIFICATION']],
    ['25, CAP (level 3)', { birthDate: '2001-06-01', qualificationLevel: 3 }, []],
    ['26 the day before, level 1', { birthDate: '2000-12-01', qualificationLevel: 1 }, []],
    ['RQTH', { rqth: true }, ['RQTH']],
    ['50, job seeker for 2 months', { birthDate: '1976-11-30', jobSeekerMonths: 2 }, ['SENIOR_DEMANDEUR']],
    ['50, not a job seeker', { birthDate: '1976-11-30' }, []],
    ['IAE employee', { iaeEmployee: true }, ['SALARIE_IAE']],
    ['PLIE participant on RSA for 2 years', { plieParticipant: true, minimumIncome: 'RSA', jobSeekerMonths: 24 }, ['DELD', 'MINIMA_SOCIAUX', 'PARTICIPANT_PLIE']],
  ])('%s → %o', (_name, facts, publics) => {
    const result = clauseEligibility(defaults, { ...nobody, ...facts }, ON);
    expect(result.publics).toEqual(publics);
    expect(result.eligible).toBe(publics.length > 0);
  });

  it('follows the PLIE’s own list and thresholds', () => {
    const narrow = clauseConfigSchema.parse({ publics: ['DELD', 'RQTH'], longTermMonths: 24 });
    expect(clauseEligibility(narrow, { ...nobody, jobSeekerMonths: 12, plieParticipant: true }, ON)).toMatchObject({ eligible: false, publics: [] });
    expect(clauseEligibility(narrow, { ...nobody, jobSeekerMonths: 24 }, ON).publics).toEqual(['DELD']);
  });

  it('says what is missing rather than refusing silently', () => {
    const result = clauseEligibility(defaults, { ...nobody, birthDate: '2004-01-01', qualificationLevel: null, minimumIncome: null }, ON);
    expect(result.eligible).toBe(false);
    expect(result.reasons).toEqual([
      'Ne relève d’aucun des publics retenus pour les clauses d’insertion.',
      'Niveau de qualification à préciser (jeune de moins de 26 ans).',
      'Minimum social à préciser.',
    ]);
  });

  it('is part of every PLIE configuration, with the defaults when absent', () => {
    expect(CASA_CONFIG.clauses).toEqual(defaults);
    expect(() => plieConfigSchema.parse({ ...CASA_CONFIG, clauses: { publics: ['INCONNU'] } })).toThrow();
  });
});

describe('pace of a marché’s hours', () => {
  const procurement = { start: '2026-01-01', end: '2026-12-31', requiredHours: 3640 };
  it.each([
    ['2025-12-15', 0],
    ['2026-01-01', 0],
    ['2026-07-02', 1820],
    ['2026-12-31', 3640],
    ['2027-03-01', 3640],
  ])('expects on %s: %i hours', (on, hours) => {
    expect(expectedHours(procurement, on)).toBe(hours);
  });

  it.each([
    [1500, false, 320],
    [1456, false, 364],
    [1455, true, 365],
    [2000, false, 0],
  ])('realised %i hours on 2026-07-02 (expected 1820, alert under 80 %%): behind %s, gap %i', (realised, behind, gap) => {
    expect(checkPace(defaults, procurement, realised, '2026-07-02')).toEqual({ expected: 1820, realised, gap, behind });
  });
});

describe('bilan of a marché', () => {
  it('adds the hours, counts contracts by type, persons and their last known outcome', () => {
    const bilan = procurementBilan(1000, [
      { personId: 'C1', type: 'INTERIM', hoursDone: 300, outcome: null },
      { personId: 'C1', type: 'CDD', hoursDone: 400, outcome: 'EMPLOI' },
      { personId: 'C2', type: 'CDDI', hoursDone: 420, outcome: 'FORMATION' },
    ]);
    expect(bilan).toEqual({
      requiredHours: 1000,
      realisedHours: 1120,
      completion: 1.12,
      contracts: 3,
      contractsByType: { INTERIM: 1, CDD: 1, CDDI: 1 },
      persons: 2,
      outcomes: { EMPLOI: 1, FORMATION: 1 },
    });
  });
});

describe('the months of a marché', () => {
  it.each([
    ['2026-01-05', '2026-12-20', 12, '2026-01', '2026-12'],
    ['2026-03-15', '2026-03-31', 1, '2026-03', '2026-03'],
    ['2025-11-01', '2026-02-01', 4, '2025-11', '2026-02'],
  ])('%s → %s runs %i months', (start, end, count, first, last) => {
    const months = clauseMonths(start, end);
    expect(months).toHaveLength(count);
    expect(months[0]).toBe(first);
    expect(months.at(-1)).toBe(last);
  });

  it.each([
    ['2026-01', '2026-02-01', 'janvier 2026'],
    ['2026-12', '2027-01-01', 'décembre 2026'],
    ['2026-08', '2026-09-01', 'août 2026'],
  ])('the hours of %s are asked on %s (%s)', (month, day, label) => {
    expect(hoursRequestDay(month)).toBe(day);
    expect(monthLabel(month)).toBe(label);
  });
});
