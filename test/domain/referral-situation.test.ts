/** The situation a referral gives (article 3), read the same way from Slack, the web, the CLI and the API. */
import { describe, expect, it } from 'vitest';
import { checkEligibility, situationFacts } from '../../src/domain/eligibility.ts';
import { participantInputSchema } from '../../src/domain/participant.ts';
import { referralPreCheck, REFERRAL_FORM } from '../../src/forms/referral-form.ts';
import { readForm } from '../../src/forms/fields.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const who = { firstName: 'Inès', lastName: 'Durand', birthDate: '14/03/1985' };
const parse = (situation: Record<string, unknown>) => participantInputSchema.parse({ ...who, ...situation });

describe('the situation at referral', () => {
  it.each([
    // key, as typed or sent, as recorded
    ['sex', 'f', 'F'],
    ['sex', 'M', 'M'],
    ['sex', 'H', 'M'],
    ['qualificationLevel', '3', 3],
    ['qualificationLevel', 5, 5],
    ['qualificationLevel', 'V', 3],
    ['qualificationLevel', 'V bis', 2],
    ['qualificationLevel', 'niveau IV', 4],
    ['qualificationLevel', 'VI', 1],
    ['minimumIncome', 'rsa', 'RSA'],
    ['prescriber', 'france_travail', 'FRANCE_TRAVAIL'],
    ['longTermJobSeeker', 'oui', true],
    ['longTermJobSeeker', 'Non', false],
    ['qpv', true, true],
    ['exclusionRisk', false, false],
    ['orientationDate', '02/11/2026', '2026-11-02'],
    ['orientationDate', '2026-11-02', '2026-11-02'],
    ['postalCode', ' 06600 ', '06600'],
  ] as const)('reads %s given as %j as %j', (key, given, recorded) => {
    expect(parse({ [key]: given })[key]).toEqual(recorded);
  });

  it.each([['sex'], ['qualificationLevel'], ['minimumIncome'], ['longTermJobSeeker'], ['prescriber'], ['orientationDate'], ['postalCode']])(
    'leaves %s unknown when it is empty or absent',
    (key) => {
      expect(parse({ [key]: '' })[key as keyof ReturnType<typeof parse>]).toBeUndefined();
      expect(parse({ [key]: null })[key as keyof ReturnType<typeof parse>]).toBeUndefined();
      expect(parse({})[key as keyof ReturnType<typeof parse>]).toBeUndefined();
    },
  );

  it.each([
    [{ sex: 'X' }, 'sexe : F ou M attendu'],
    [{ qualificationLevel: '9' }, 'niveau de qualification : 1 à 8, ou VI à I'],
    [{ qualificationLevel: 'bac' }, 'niveau de qualification : 1 à 8, ou VI à I'],
    [{ minimumIncome: 'RSA socle' }, 'minima sociaux : RSA, ASS, AUTRE, AUCUN attendu'],
    [{ longTermJobSeeker: 'peut-être' }, 'demandeur·se d’emploi de longue durée : oui ou non'],
    [{ prescriber: 'POLE_EMPLOI' }, 'prescripteur : CD06, FRANCE_TRAVAIL, MISSION_LOCALE, CCAS, COMMUNE_CASA, MSD, SPIP, PARTENAIRE_PDI, SPONTANE, AUTRE attendu'],
    [{ postalCode: '6600' }, 'code postal : 5 chiffres attendus'],
    [{ orientationDate: '31/02/2026' }, 'date d’orientation : date invalide, attendu JJ/MM/AAAA'],
  ])('refuses %j in French', (situation, problem) => {
    const parsed = participantInputSchema.safeParse({ ...who, ...situation });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([problem]);
  });
});

describe('eligibility on what the referral says', () => {
  /** Everything article 3 asks, said by the prescriber, on 15/03/2026. */
  const full = {
    commune: 'Antibes',
    postalCode: '06600',
    minimumIncome: 'AUCUN',
    longTermJobSeeker: 'oui',
    exclusionRisk: 'non',
    activeJobSearch: 'oui',
    needsSupport: 'oui',
    ableAndWilling: 'oui',
    selfEmployed: 'non',
    orientationDate: '15/03/2026',
  };
  const decide = (change: Record<string, unknown>) => {
    const result = referralPreCheck(CASA_CONFIG, parse({ ...full, ...change }), new Date('2026-03-15T10:00:00Z'));
    // The decision's reasons; the 2021–2023 protocol's notice (a 2026 orientation) is told apart.
    expect(result.reasons.filter((r) => r.effect === 'notice').map((r) => r.code)).toEqual(['HORS_PROTOCOLE']);
    return [result.decision, result.reasons.filter((r) => r.effect === 'blocking' || r.effect === 'review').map((r) => r.code)];
  };

  it.each([
    ['everything said', {}, 'eligible', []],
    ['on RSA, the rest of the situation unsaid', { minimumIncome: 'RSA', longTermJobSeeker: undefined, exclusionRisk: undefined }, 'eligible', []],
    ['at risk of exclusion only', { longTermJobSeeker: 'non', exclusionRisk: 'oui' }, 'eligible', []],
    ['no situation at all, each one said', { longTermJobSeeker: 'non', exclusionRisk: 'non' }, 'not_eligible', ['SITUATION']],
    ['long-term unemployment unsaid', { longTermJobSeeker: undefined }, 'to_review', ['SITUATION_A_VERIFIER']],
    ['risk of exclusion unsaid, not a long-term job seeker', { longTermJobSeeker: 'non', exclusionRisk: undefined }, 'to_review', ['SITUATION_A_VERIFIER']],
    ['minimum income unsaid', { minimumIncome: undefined, longTermJobSeeker: 'non' }, 'to_review', ['SITUATION_A_VERIFIER']],
    ['active search unsaid', { activeJobSearch: undefined }, 'to_review', ['RECHERCHE_ACTIVE']],
    ['needs and commitment left to the first interview', { needsSupport: undefined, ableAndWilling: undefined }, 'to_review', ['BESOIN_ACCOMPAGNEMENT', 'APTE_VOLONTAIRE']],
    ['self-employed', { selfEmployed: 'oui' }, 'not_eligible', ['INDEPENDANT']],
    ['self-employment unsaid', { selfEmployed: undefined }, 'eligible', []],
    ['24 on the orientation date given, even on RSA', { minimumIncome: 'RSA', orientationDate: '13/03/2010' }, 'not_eligible', ['AGE']],
  ])('%s: %s', (_label, change, decision, concerns) => {
    expect(decide(change)).toEqual([decision, concerns]);
  });

  it('judges the age on the orientation date the referral gives, else on today', () => {
    // Born on 16/03/2000, not on RSA: 26, so admitted, from 16/03/2026 only.
    const young = { ...full, birthDate: '16/03/2000' };
    const on = (orientationDate: string | undefined, now: string) =>
      referralPreCheck(CASA_CONFIG, participantInputSchema.parse({ ...who, ...young, orientationDate }), new Date(now)).decision;
    expect(on('15/03/2026', '2026-04-01T10:00:00Z')).toBe('not_eligible');
    expect(on('16/03/2026', '2026-04-01T10:00:00Z')).toBe('eligible');
    expect(on(undefined, '2026-03-15T10:00:00Z')).toBe('not_eligible');
    expect(on(undefined, '2026-03-16T10:00:00Z')).toBe('eligible');
  });

  it.each([
    // what the record says → the priorities of article 3 (never conditions)
    [{}, []],
    [{ qpv: true, singleParent: true }, ['QPV', 'FAMILLE_MONOPARENTALE']],
    [{ rqth: true }, []], // an RQTH alone is not what the protocol names
    [{ rqth: true, rqthLightRestriction: true }, ['RQTH_LEGERE']],
    [{ discriminationVictim: true, veryShortPartTime: true }, ['DISCRIMINATION', 'TEMPS_PARTIEL_REDUIT']],
    [{ discriminationVictim: null, veryShortPartTime: false, singleParent: null }, []],
  ])('reads the priorities from the captured facts: %j → %j', (recorded, codes) => {
    const facts = situationFacts({ birthDate: '1985-03-14', commune: 'Antibes', qualificationLevel: 4, ...recorded }, '2026-03-15', []);
    const result = checkEligibility(CASA_CONFIG, facts);
    expect(result.priorities.map((p) => p.code)).toEqual(codes);
  });

  it('reads the priorities as typed or sent', () => {
    expect(parse({ rqthLightRestriction: 'oui', discriminationVictim: 'Non', veryShortPartTime: true })).toMatchObject({ rqthLightRestriction: true, discriminationVictim: false, veryShortPartTime: true });
  });

  it('reads a record and a form alike: unknown stays unknown', () => {
    const facts = situationFacts({ birthDate: '1985-03-14', longTermJobSeeker: null, exclusionRisk: null, selfEmployed: null, qualificationLevel: 12 }, '2026-03-15', []);
    expect(facts).toMatchObject({ longTermJobSeeker: null, atRiskOfLongTermUnemployment: null, selfEmployed: false, qualificationLevel: null, minimumIncome: null });
    expect(checkEligibility(CASA_CONFIG, facts).decision).toBe('to_review');
  });
});

describe('the referral form (Slack modal and web page)', () => {
  it('turns what was chosen into the same situation as the API', () => {
    const raw = {
      lastName: 'Durand',
      firstName: 'Inès',
      birthDate: '1985-03-14',
      sex: 'F',
      qualificationLevel: '3',
      minimumIncome: 'RSA',
      prescriber: 'CCAS',
      prescriberContact: 'M. Martin, CCAS d’Antibes',
      activeJobSearch: 'oui',
      qpv: 'non',
      orientationDate: '2026-03-02',
    };
    const result = readForm(REFERRAL_FORM, raw);
    expect(result).toEqual({
      ok: true,
      value: {
        lastName: 'Durand',
        firstName: 'Inès',
        birthDate: '1985-03-14',
        sex: 'F',
        qualificationLevel: 3,
        minimumIncome: 'RSA',
        prescriber: 'CCAS',
        prescriberContact: 'M. Martin, CCAS d’Antibes',
        activeJobSearch: true,
        qpv: false,
        orientationDate: '2026-03-02',
      },
    });
  });

  it('places a refusal next to its field', () => {
    const result = readForm(REFERRAL_FORM, { lastName: 'Durand', firstName: 'Inès', birthDate: '1985-03-14', postalCode: '066' });
    expect(result).toEqual({ ok: false, errors: { postalCode: 'code postal : 5 chiffres attendus' } });
  });
});
