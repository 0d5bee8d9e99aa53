import { describe, expect, it } from 'vitest';
import { fseEntry, iscedBandOf, type FseFacts } from '../../src/domain/fse.ts';

const base: FseFacts = { sex: 'F', birthDate: '1990-06-15', qualificationLevel: 3, longTermJobSeeker: null, activeJobSearch: null, selfEmployed: null, rqth: null };

describe('FSE+ indicators at entry', () => {
  it.each([
    [null, null],
    [1, 'CITE_0_2'],
    [2, 'CITE_0_2'],
    // CAP, BEP: upper secondary.
    [3, 'CITE_3_4'],
    [4, 'CITE_3_4'],
    [5, 'CITE_5_8'],
    [8, 'CITE_5_8'],
  ])('qualification level %s is %s', (level, band) => {
    expect(iscedBandOf(level)).toBe(band);
  });

  it.each<[string, Partial<FseFacts>, ReturnType<typeof fseEntry>['labourMarket'], boolean]>([
    ['DELD: unemployed, long-term', { longTermJobSeeker: true }, 'CHOMEUR', true],
    ['searching, not DELD: unemployed', { longTermJobSeeker: false, activeJobSearch: true }, 'CHOMEUR', false],
    ['searching, DELD unknown: unemployed, not counted long-term', { activeJobSearch: true }, 'CHOMEUR', false],
    ['said not to search, not DELD: inactive', { longTermJobSeeker: false, activeJobSearch: false }, 'INACTIF', false],
    ['self-employed: employed', { selfEmployed: true, activeJobSearch: true }, 'EN_EMPLOI', false],
    ['nothing said: not known', {}, null, false],
    ['not searching, DELD unknown: not known', { activeJobSearch: false }, null, false],
  ])('%s', (_name, facts, labourMarket, longTerm) => {
    const entry = fseEntry({ ...base, ...facts }, '2025-01-10');
    expect(entry.labourMarket).toBe(labourMarket);
    expect(entry.longTermUnemployed).toBe(longTerm);
  });

  it.each([
    ['2007-01-11', 17, { under18: true, from18To29: false, from55: false }],
    ['2007-01-10', 18, { under18: false, from18To29: true, from55: false }],
    ['1995-01-11', 29, { under18: false, from18To29: true, from55: false }],
    ['1995-01-10', 30, { under18: false, from18To29: false, from55: false }],
    ['1970-01-11', 54, { under18: false, from18To29: false, from55: false }],
    ['1970-01-10', 55, { under18: false, from18To29: false, from55: true }],
  ])('born %s, entering on 2025-01-10: %i years old', (birthDate, age, bands) => {
    expect(fseEntry({ ...base, birthDate }, '2025-01-10')).toMatchObject({ age, ...bands });
  });

  it('keeps the gender as recorded, unknown otherwise, and counts a RQTH as a disability', () => {
    expect(fseEntry({ ...base, sex: 'M', rqth: true }, '2025-01-10')).toMatchObject({ gender: 'M', disability: true });
    expect(fseEntry({ ...base, sex: null, rqth: false }, '2025-01-10')).toMatchObject({ gender: null, disability: false });
  });
});
