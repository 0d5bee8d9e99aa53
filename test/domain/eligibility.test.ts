import { describe, expect, it } from 'vitest';
import { checkEligibility, overrideEligibility, type EligibilityFacts } from '../../src/domain/eligibility.ts';
import { plieConfigSchema, type PlieConfig } from '../../src/domain/plie-config.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';

/** The CASA rules under a protocol covering the tests' 2026 orientation (the 2021–2023 one before it). */
const IN_PROTOCOL: PlieConfig = { ...CASA_CONFIG, earlierProtocols: [{ from: '2021-01-01', to: '2023-12-31' }], protocol: { from: '2024-01-01', to: '2026-12-31' } };

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

const codes = (facts: Partial<EligibilityFacts>, config = IN_PROTOCOL) => {
  const result = checkEligibility(config, { ...base, ...facts });
  return {
    decision: result.decision,
    blocking: result.reasons.filter((r) => r.effect === 'blocking').map((r) => r.code),
    review: result.reasons.filter((r) => r.effect === 'review').map((r) => r.code),
  };
};

describe('eligibility (Article 3)', () => {
  it('shows the earlier administrative exit to whoever looks at a re-entry', () => {
    const result = checkEligibility(IN_PROTOCOL, { ...base, earlierPathways: [{ startDate: '2024-03-01', exitDate: '2025-01-01', exitReason: 'DEMENAGEMENT' }] });
    expect(result.reasons.find((r) => r.code === 'PARCOURS_ANTERIEUR_ADMINISTRATIF')?.text).toBe(
      'Parcours antérieur sur ce protocole, sorti le 01/01/2025 pour raison administrative (déménagement) : nouvelle entrée possible pour certaines personnes, à examiner.',
    );
  });

  it('accepts someone who meets every condition, saying why for each', () => {
    const result = checkEligibility(IN_PROTOCOL, base);
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
    [{ earlierPathways: [{ exitDate: null, exitReason: null }] }, 'not_eligible', ['PARCOURS_EN_COURS'], []],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'ABANDON', startDate: '2024-03-01' }] }, 'not_eligible', ['PARCOURS_ANTERIEUR'], []],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'GROSSESSE', startDate: '2024-03-01' }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'DEMENAGEMENT', startDate: '2024-03-01' }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'INCARCERATION', startDate: '2024-03-01' }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ exitDate: '2025-01-01', exitReason: 'SANTE', startDate: '2024-03-01' }] }, 'to_review', [], ['PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    [{ earlierPathways: [{ startDate: '2018-02-01', exitDate: '2019-01-01', exitReason: 'ABANDON' }] }, 'eligible', [], []],
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
  const earlier = (exitType: string, exitReason: string | null) => ({ exitDate: '2025-06-30', exitReason, exitType, startDate: '2024-03-01' });
  it.each([
    // « certaines personnes »: a re-entry to look at, not automatic
    ['an administrative exit (moving)', earlier('ADMINISTRATIVE', 'Déménagement hors du territoire'), 'to_review'],
    ['a health exit', earlier('AUTRE', 'SANTE'), 'to_review'],
    ['a retirement', earlier('ADMINISTRATIVE', 'RETRAITE'), 'not_eligible'],
    ['an abandonment', earlier('ABANDON', 'ABSENCES'), 'not_eligible'],
    ['a positive exit', earlier('POSITIVE', null), 'not_eligible'],
  ] as const)('after %s: %s', (_label, pathway, decision) => {
    expect(checkEligibility(IN_PROTOCOL, { ...base, earlierPathways: [pathway] }).decision).toBe(decision);
  });
});

describe('the protocol of an orientation (Article 3: « sur le présent protocole »)', () => {
  const CASA_2021_2023 = CASA_CONFIG; // as shipped: the protocol of the seed, over since 2024
  const EXTENDED: PlieConfig = { ...CASA_CONFIG, protocol: { from: '2021-01-01', to: '2026-12-31' } }; // an avenant to 2026
  const NONE: PlieConfig = { ...CASA_CONFIG, protocol: undefined, earlierProtocols: [] };
  const GAP: PlieConfig = { ...CASA_CONFIG, earlierProtocols: [{ from: '2018-01-01', to: '2020-12-31' }], protocol: { from: '2022-01-01', to: '2024-12-31' } };
  const abandon = (startDate: string, exitDate: string) => ({ startDate, exitDate, exitReason: 'ABSENCES', exitType: 'ABANDON' });
  const check = (config: PlieConfig, earlierPathways: EligibilityFacts['earlierPathways'], orientationDate = base.orientationDate) => {
    const result = checkEligibility(config, { ...base, orientationDate, earlierPathways });
    return { decision: result.decision, flagged: result.reasons.filter((r) => r.effect !== 'ok').map((r) => `${r.effect}:${r.code}`) };
  };
  it.each([
    // Outside every configured protocol: accepted, flagged for the coordination, never refused.
    ['no earlier pathway, after the last protocol', CASA_2021_2023, [], undefined, 'eligible', ['notice:HORS_PROTOCOLE']],
    ['a pathway wholly in the protocol that ended', CASA_2021_2023, [abandon('2022-01-10', '2022-12-20')], undefined, 'eligible', ['notice:HORS_PROTOCOLE']],
    ['a pathway since its end: same protocol or not, nobody configured it', CASA_2021_2023, [abandon('2024-02-05', '2024-10-31')], undefined, 'to_review', ['review:PARCOURS_ANTERIEUR_PROTOCOLE', 'notice:HORS_PROTOCOLE']],
    ['a pathway that ran past its end', CASA_2021_2023, [abandon('2023-06-01', '2024-02-28')], undefined, 'to_review', ['review:PARCOURS_ANTERIEUR_PROTOCOLE', 'notice:HORS_PROTOCOLE']],
    ['an open pathway, whatever the protocol', CASA_2021_2023, [{ exitDate: null, exitReason: null }], undefined, 'not_eligible', ['blocking:PARCOURS_EN_COURS', 'notice:HORS_PROTOCOLE']],
    ['no protocol configured at all', NONE, [abandon('2022-01-10', '2022-12-20')], undefined, 'to_review', ['review:PARCOURS_ANTERIEUR_PROTOCOLE', 'notice:HORS_PROTOCOLE']],
    // The protocol extended by avenant: the same protocol, and the same one pathway.
    ['extended by avenant: a pathway of 2022', EXTENDED, [abandon('2022-01-10', '2022-12-20')], undefined, 'not_eligible', ['blocking:PARCOURS_ANTERIEUR']],
    // A new protocol after the first: only a pathway of the present one bars a new one.
    ['new protocol: a pathway wholly in the earlier one', IN_PROTOCOL, [abandon('2022-01-10', '2023-12-31')], undefined, 'eligible', []],
    ['new protocol: a pathway that ran into it by one day', IN_PROTOCOL, [abandon('2023-03-01', '2024-01-01')], undefined, 'not_eligible', ['blocking:PARCOURS_ANTERIEUR']],
    ['new protocol: an administrative exit in it', IN_PROTOCOL, [{ startDate: '2024-05-02', exitDate: '2025-01-10', exitReason: 'GROSSESSE' }], undefined, 'to_review', ['review:PARCOURS_ANTERIEUR_ADMINISTRATIF']],
    // Between two configured protocols: the days between them stand on their own.
    ['between two protocols: a pathway of the one before', GAP, [abandon('2019-01-07', '2019-11-29')], '2021-06-15', 'eligible', ['notice:HORS_PROTOCOLE']],
    ['between two protocols: a pathway between them too', GAP, [abandon('2021-02-01', '2021-05-31')], '2021-06-15', 'to_review', ['review:PARCOURS_ANTERIEUR_PROTOCOLE', 'notice:HORS_PROTOCOLE']],
    ['the first day of a protocol is in it', GAP, [abandon('2021-02-01', '2021-05-31')], '2022-01-01', 'eligible', []],
  ] as const)('%s → %s', (_label, config, pathways, on, decision, flagged) => {
    expect(check(config, [...pathways], on)).toEqual({ decision, flagged: [...flagged] });
  });

  it('says to the coordination what to configure', () => {
    const said = (config: PlieConfig) => checkEligibility(config, base).reasons.find((r) => r.code === 'HORS_PROTOCOLE')?.text;
    expect(said(CASA_2021_2023)).toBe('Orientation hors des protocoles configurés (le dernier a pris fin le 31/12/2023) : à signaler à la coordination, qui renseigne l’avenant ou le nouveau protocole.');
    expect(said(NONE)).toBe('Aucun protocole configuré pour ce PLIE : à signaler à la coordination, qui renseigne les dates du protocole.');
    expect(said(IN_PROTOCOL)).toBeUndefined();
  });

  it('refuses protocols that overlap, in French', () => {
    const input = { ...CASA_CONFIG, earlierProtocols: [{ from: '2018-01-01', to: '2021-03-31' }] };
    const parsed = plieConfigSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['protocoles : les périodes 2018-01-01 – 2021-03-31 et 2021-01-01 – 2023-12-31 se chevauchent']);
  });
});
