import { describe, expect, it } from 'vitest';
import { checkEligibility, overrideEligibility, type EligibilityFacts } from '../../src/domain/eligibility.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';

/** Someone who meets every condition of Article 3, on 2026-03-15. */
const base: EligibilityFacts = {
  birthDate: '1980-06-01',
  orientationDate: '2026-03-15',
  commune: 'Antibes',
  postalCode: '06600',
  minimumIncome: 'RSA',
  longTermJobSeeker: false,
  atRiskOfLongTermUnemployment: false,
  followedByMissionLocale: false,
  activeJobSearch: true,
  needsSupport: true,
  ableAndWilling: true,
  selfEmployed: false,
  earlierPathways: [],
  qpv: false,
  singleParent: false,
  discriminationVictim: false,
  veryShortPartTime: false,
  rqthLightRestriction: false,
  qualificationLevel: 4,
};

const codes = (facts: Partial<EligibilityFacts>, config = CASA_CONFIG) => {
  const result = checkEligibility(config, { ...base, ...facts });
  return {
    decision: result.decision,
    blocking: result.reasons.filter((r) => r.effect === 'blocking').map((r) => r.code),
    review: result.reasons.filter((r) => r.effect === 'review').map((r) => r.code),
  };
};

describe('eligibility (Article 3)', () => {
  it('shows the earlier administrative exit to whoever looks at a re-entry', () => {
    const result = checkEligibility(CASA_CONFIG, { ...base, earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'DEMENAGEMENT', inCurrentProtocol: true }] });
    expect(result.reasons.find((r) => r.code === 'PARCOURS_ANTERIEUR_ADMINISTRATIF')?.text).toBe(
      'Parcours antérieur sur ce protocole, sorti le 01/01/2025 pour raison administrative (déménagement) : nouvelle entrée possible pour certaines personnes, à examiner.',
    );
  });

  it('accepts someone who meets every condition, saying why for each', () => {
    const result = checkEligibility(CASA_CONFIG, base);
    expect(result.decision).toBe('eligible');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'TERRITOIRE',
      'AGE',
      'SITUATION_MINIMA',
      'RECHERCHE_ACTIVE',
      'BESOIN_ACCOMPAGNEMENT',
      'APTE_VOLONTAIRE',
      'INDEPENDANT',
      'PARCOURS_ANTERIEUR',
    ]);
    expect(result.reasons[1]?.text).toBe('45 ans à l’orientation (26 ans au moins).');
  });

  it.each([
    // age on the orientation date: 26th birthday the day before, on the day, the day after
    [{ birthDate: '2000-03-14' }, 'eligible', [], []],
    [{ birthDate: '2000-03-15' }, 'eligible', [], []],
    [{ birthDate: '2000-03-16', minimumIncome: 'ASS' as const }, 'not_eligible', ['AGE'], []],
    // 25 years old: only on RSA and without a Mission Locale
    [{ birthDate: '2001-01-01' }, 'eligible', [], []],
    [{ birthDate: '2001-01-01', followedByMissionLocale: true }, 'not_eligible', ['AGE_MISSION_LOCALE'], []],
    [{ birthDate: '2001-01-01', minimumIncome: 'ASS' as const }, 'not_eligible', ['AGE'], []],
    // 25, income not known yet: the exception may apply, to review (never a refusal on what is unknown)
    [{ birthDate: '2001-01-01', minimumIncome: null }, 'to_review', [], ['AGE_A_VERIFIER', 'SITUATION_A_VERIFIER']],
    [{ birthDate: '2002-01-01', minimumIncome: null }, 'not_eligible', ['AGE'], ['SITUATION_A_VERIFIER']],
    [{ birthDate: '2002-01-01' }, 'not_eligible', ['AGE'], []],
    // territory
    [{ commune: 'Juan-les-Pins', postalCode: '06160' }, 'eligible', [], []],
    [{ commune: 'Nice', postalCode: '06000' }, 'not_eligible', ['HORS_TERRITOIRE'], []],
    // a spelling it does not know: to review without a postal code, refused with one outside the territory
    [{ commune: 'Grasse', postalCode: null }, 'to_review', [], ['TERRITOIRE_A_VERIFIER']],
    [{ commune: 'Grasse', postalCode: '06130' }, 'not_eligible', ['HORS_TERRITOIRE'], []],
    [{ commune: 'Rouret', postalCode: '06650' }, 'eligible', [], []],
    [{ commune: 'Vence', postalCode: '06140' }, 'to_review', [], ['TERRITOIRE_A_VERIFIER']],
    [{ commune: 'Biot', postalCode: '75001' }, 'to_review', [], ['TERRITOIRE_CODE_POSTAL']],
    // administrative situation
    [{ minimumIncome: 'AUCUN' as const, longTermJobSeeker: true }, 'eligible', [], []],
    [{ minimumIncome: 'AUCUN' as const, atRiskOfLongTermUnemployment: true }, 'eligible', [], []],
    [{ minimumIncome: 'AUTRE' as const }, 'not_eligible', ['SITUATION'], []],
    // what someone must check
    [{ activeJobSearch: null, needsSupport: null }, 'to_review', [], ['RECHERCHE_ACTIVE', 'BESOIN_ACCOMPAGNEMENT']],
    [{ activeJobSearch: false }, 'not_eligible', ['RECHERCHE_ACTIVE'], []],
    [{ ableAndWilling: false }, 'not_eligible', ['APTE_VOLONTAIRE'], []],
    [{ selfEmployed: true }, 'not_eligible', ['INDEPENDANT'], []],
    // earlier pathways in this protocol
    [{ earlierPathways: [{ exitDate: null, exitReason: null, inCurrentProtocol: true }] }, 'not_eligible', ['PARCOURS_EN_COURS'], []],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'ABANDON', inCurrentProtocol: true }] }, 'not_eligible', ['PARCOURS_ANTERIEUR'], []],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'GROSSESSE', inCurrentProtocol: true }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'DEMENAGEMENT', inCurrentProtocol: true }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'INCARCERATION', inCurrentProtocol: true }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'SANTE', inCurrentProtocol: true }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2019-01-01', exitReason: 'ABANDON', inCurrentProtocol: false }] }, 'eligible', [], []],
  ])('%j → %s', (facts, decision, blocking, review) => {
    expect(codes(facts)).toEqual({ decision, blocking, review });
  });

  it('lists every blocking reason, not only the first', () => {
    expect(codes({ commune: 'Nice', postalCode: '06000', selfEmployed: true, birthDate: '2010-01-01' }).blocking).toEqual([
      'HORS_TERRITOIRE',
      'AGE',
      'INDEPENDANT',
    ]);
  });

  it('flags the priority public without making it a condition', () => {
    const result = checkEligibility(CASA_CONFIG, {
      ...base,
      birthDate: '1970-01-01',
      qpv: true,
      singleParent: true,
      discriminationVictim: true,
      veryShortPartTime: true,
      rqthLightRestriction: true,
      qualificationLevel: 3,
    });
    expect(result.decision).toBe('eligible');
    expect(result.priorities.map((p) => p.code)).toEqual([
      'QPV',
      'SENIOR',
      'FAMILLE_MONOPARENTALE',
      'DISCRIMINATION',
      'TEMPS_PARTIEL_REDUIT',
      'RQTH_LEGERE',
      'NIVEAU_V_OU_INFRA',
    ]);
    expect(checkEligibility(CASA_CONFIG, { ...base, qualificationLevel: 4 }).priorities).toEqual([]);
  });

  it('reads another PLIE’s thresholds', () => {
    const other = { commune: 'Saint-Étienne', postalCode: '42000' };
    expect(codes({ ...other, birthDate: '2001-01-01', minimumIncome: 'ASS' }, OTHER_CONFIG).decision).toBe('eligible');
    // No RSA exception there: 24 years old is too young.
    expect(codes({ ...other, birthDate: '2002-01-01' }, OTHER_CONFIG).blocking).toEqual(['AGE']);
    expect(codes({}, OTHER_CONFIG).blocking).toEqual(['HORS_TERRITOIRE']);
  });

  it('lets a referent override, with a justification that is kept', () => {
    const refused = checkEligibility(CASA_CONFIG, { ...base, commune: 'Nice', postalCode: '06000' });
    const overridden = overrideEligibility(refused, {
      decision: 'eligible',
      justification: 'Déménagement à Antibes prévu le mois prochain.',
      by: 'referente@plie.fr',
    });
    expect(overridden).toMatchObject({ decision: 'eligible', override: { by: 'referente@plie.fr' } });
    expect(overridden.reasons).toEqual(refused.reasons);
    expect(() => overrideEligibility(refused, { decision: 'eligible', justification: ' ok ', by: 'x' })).toThrow(
      'Une dérogation doit être justifiée',
    );
  });
});

describe('facts not recorded yet', () => {
  it.each([
    ['no commune', { commune: '', postalCode: null }, 'TERRITOIRE_A_VERIFIER'],
    ['no administrative situation', { minimumIncome: null, longTermJobSeeker: false }, 'SITUATION_A_VERIFIER'],
  ] as const)('%s: to review, never assumed not eligible', (_label, change, code) => {
    const result = checkEligibility(CASA_CONFIG, { ...base, ...change });
    expect(result.decision).toBe('to_review');
    expect(result.reasons.find((r) => r.code === code)?.effect).toBe('review');
  });
});

describe('earlier pathways (Article 3)', () => {
  const earlier = (exitType: string, exitReason: string | null) => ({ exitDate: '2025-06-30', exitReason, exitType, inCurrentProtocol: true });
  it.each([
    // « certaines personnes »: a re-entry to look at, not automatic
    ['an administrative exit (moving)', earlier('ADMINISTRATIVE', 'Déménagement hors du territoire'), 'to_review'],
    ['a health exit', earlier('AUTRE', 'SANTE'), 'to_review'],
    ['a retirement', earlier('ADMINISTRATIVE', 'RETRAITE'), 'not_eligible'],
    ['an abandonment', earlier('ABANDON', 'ABSENCES'), 'not_eligible'],
    ['a positive exit', earlier('POSITIVE', null), 'not_eligible'],
  ] as const)('after %s: %s', (_label, pathway, decision) => {
    expect(checkEligibility(CASA_CONFIG, { ...base, earlierPathways: [pathway] }).decision).toBe(decision);
  });
});
