import { describe, expect, it } from 'vitest';
import type { ExitFacts } from '../../src/domain/exit-criteria.ts';
import { assessExit } from '../../src/domain/exit-criteria.ts';
import { opensFollowUp, planExit } from '../../src/domain/follow-up.ts';
import { contractFrom, facts } from '../helpers/exit-facts.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const contract = contractFrom('2026-01-05');
const TODAY = '2026-01-10';

describe('follow-up: when the exit can be confirmed', () => {
  it.each([
    ['a CDI: six months after its first day', { contracts: [contract({ type: 'CDI' })] }, 'confirm', '2026-07-05', 'CDI_OU_CDD_LONG', false],
    ['a CDD of 6 months: six months after its first day', { contracts: [contract({ end: '2026-07-04' })] }, 'confirm', '2026-07-05', 'CDI_OU_CDD_LONG', false],
    [
      'temporary missions: the day the 910 hours are reached',
      { contracts: [contract({ type: 'INTERIM', end: '2026-04-05' }), contract({ type: 'INTERIM', start: '2026-04-13', end: '2026-07-31' })] },
      'confirm',
      // 91 days × 5 h = 455 h on the first mission; 91 more days of the second: 04-13 + 90 days.
      '2026-07-12',
      'HEURES_CUMULEES',
      false,
    ],
    ['a civil-service post: once held six months', { contracts: [contract({ type: 'FONCTION_PUBLIQUE' })] }, 'confirm', '2026-07-04', 'FONCTION_PUBLIQUE', false],
    ['a part-time job of 15 h for 6 months: atypical, for the commission', { contracts: [contract({ weeklyHours: 15, end: '2026-07-04' })] }, 'confirm', '2026-07-05', 'TEMPS_PARTIEL_COURT', true],
    ['a qualification obtained: at once', { trainings: [{ start: '2025-09-01', end: '2026-01-08', rncp: true, long: false, qualificationObtainedOn: '2026-01-08' }] }, 'confirm', TODAY, 'QUALIFICATION_OBTENUE', false],
  ] satisfies Array<[string, Partial<ExitFacts>, string, string, string, boolean]>)('%s', (_label, f, kind, on, criterion, atypical) => {
    const plan = planExit(CASA_CONFIG, facts(f), TODAY);
    expect(plan).toMatchObject({ kind, on, criterion: { criterion }, atypical });
  });

  it.each([
    ['a CDI broken during its trial period', { contracts: [contract({ type: 'CDI', end: '2026-01-20' })] }],
    ['a CDD of 3 months', { contracts: [contract({ end: '2026-04-04' })] }],
    ['an IAE contract of 6 months', { contracts: [contract({ iae: true, end: '2026-07-04' })] }],
    ['nothing at all', {}],
  ] satisfies Array<[string, Partial<ExitFacts>]>)('%s: back to the active pathway', (_label, f) => {
    expect(planExit(CASA_CONFIG, facts(f), '2026-01-25')).toEqual({ kind: 'backToActive' });
  });

  it('a qualifying training still under way: looked at again a month later', () => {
    const training = { start: '2026-01-05', end: '2026-12-18', rncp: true, long: false, qualificationObtainedOn: null };
    expect(planExit(CASA_CONFIG, facts({ trainings: [training] }), TODAY)).toEqual({ kind: 'recheck', on: '2026-02-10' });
    expect(opensFollowUp(CASA_CONFIG, facts({ trainings: [training] }), TODAY)).toBe(true);
    expect(opensFollowUp(CASA_CONFIG, facts({ trainings: [{ ...training, rncp: false }] }), TODAY)).toBe(false);
  });

  it('a CDI that ended counts only if held six months (Article 5 is about lasting jobs)', () => {
    const held = contract({ type: 'CDI', end: '2026-07-04' });
    const broken = contract({ type: 'CDI', end: '2026-07-03' });
    expect(assessExit(CASA_CONFIG, facts({ contracts: [held] }), '2026-08-01')).toMatchObject({ status: 'positive', criterion: 'CDI_OU_CDD_LONG' });
    expect(assessExit(CASA_CONFIG, facts({ contracts: [broken] }), '2026-08-01').status).toBe('not_yet');
  });
});
