/**
 * Eligibility to a PLIE pathway (Article 3 of the protocol), checked at orientation. The result
 * carries every reason, each with a code (for reports and tests) and a French sentence (for staff).
 */
import { MINIMUM_INCOMES } from './codes.ts';
import { addDays, ageOn, formatFrenchDate, type CalendarDate } from './dates.ts';
import { configuredProtocols, type PlieConfig } from './plie-config.ts';
import { isLowQualification, type QualificationLevel } from './qualification.ts';
import { matchCommune } from './territory.ts';

export type MinimumIncome = (typeof MINIMUM_INCOMES)[number];

/** Why an earlier pathway ended, when it ended for a reason that allows a new one (Article 3). */
export const READMITTING_EXIT_REASONS = ['GROSSESSE', 'DEMENAGEMENT', 'INCARCERATION', 'SANTE'] as const;
const READMITTING_LABELS: Record<string, string> = { GROSSESSE: 'grossesse', DEMENAGEMENT: 'déménagement', INCARCERATION: 'incarcération', SANTE: 'santé' };

export interface EarlierPathway {
  /** The day it began (entry, or else orientation); unknown: its exit day stands for it. */
  startDate?: CalendarDate | null;
  /** Null while the pathway is still open. */
  exitDate: CalendarDate | null;
  /** The precise exit reason (GROSSESSE, DEMENAGEMENT, …), when known. */
  exitReason: string | null;
  /** Exit type, when known (an administrative exit other than retirement readmits). */
  exitType?: string | null;
}

/** Whether an exit allows a new pathway (Article 3: pregnancy, moving, incarceration, health). */
export function readmittingExit(exit: { type?: string | null; reason: string | null }): boolean {
  const code = (exit.reason ?? '').toUpperCase();
  if ((READMITTING_EXIT_REASONS as readonly string[]).includes(code)) return true;
  return exit.type === 'ADMINISTRATIVE' && code !== 'RETRAITE';
}

/** A fact nobody has checked yet is null: the result is then « to review », never a guess. */
export interface EligibilityFacts {
  birthDate: CalendarDate;
  orientationDate: CalendarDate;
  commune: string;
  postalCode?: string | null;
  /** Null: not recorded yet (the situation is then to review, never assumed). */
  minimumIncome: MinimumIncome | null;
  /** Demandeur d'emploi de longue durée (null: not known yet). */
  longTermJobSeeker: boolean | null;
  /** Demandeur d'emploi à risque d'exclusion, de chômage de longue durée (prevention; null: not known yet). */
  atRiskOfLongTermUnemployment: boolean | null;
  followedByMissionLocale: boolean;
  activeJobSearch: boolean | null;
  /** Needs support to overcome barriers (freins périphériques). */
  needsSupport: boolean | null;
  /** Able and willing to commit; heavy barriers (serious health problems, no spoken French) lifted. */
  ableAndWilling: boolean | null;
  selfEmployed: boolean;
  earlierPathways: EarlierPathway[];
  // Priorities (attention particulière), not conditions:
  qpv: boolean;
  singleParent: boolean;
  discriminationVictim: boolean;
  veryShortPartTime: boolean;
  rqthLightRestriction: boolean;
  qualificationLevel: QualificationLevel | null;
}

export type Decision = 'eligible' | 'not_eligible' | 'to_review';

export interface Reason {
  code: string;
  /** ok: condition met; blocking: not eligible; review: someone must check; notice: for the coordination, no effect on the decision. */
  effect: 'ok' | 'blocking' | 'review' | 'notice';
  text: string;
}

export interface EligibilityResult {
  decision: Decision;
  reasons: Reason[];
  priorities: Array<{ code: string; text: string }>;
  override?: { justification: string; by: string };
}

const ok = (code: string, text: string): Reason => ({ code, effect: 'ok', text });
const blocking = (code: string, text: string): Reason => ({ code, effect: 'blocking', text });
const review = (code: string, text: string): Reason => ({ code, effect: 'review', text });
const notice = (code: string, text: string): Reason => ({ code, effect: 'notice', text });

/** A stretch of days; an open end (null) runs for ever that way. */
interface Period {
  from: CalendarDate | null;
  to: CalendarDate | null;
  /** The configured protocol it is, or null for days no configured protocol covers. */
  protocol: { from: CalendarDate; to: CalendarDate } | null;
}

/**
 * The protocol a day falls in; outside every configured one, the stretch between the protocols
 * around it (an avenant or a new protocol not configured yet), which may be one protocol or several.
 */
export function protocolPeriod(config: PlieConfig, day: CalendarDate): Period {
  const spans = configuredProtocols(config);
  const within = spans.find((p) => p.from <= day && day <= p.to);
  if (within) return { from: within.from, to: within.to, protocol: within };
  const before = spans.filter((p) => p.to < day).map((p) => p.to).sort().at(-1);
  const after = spans.filter((p) => p.from > day).map((p) => p.from).sort()[0];
  return { from: before ? addDays(before, 1) : null, to: after ? addDays(after, -1) : null, protocol: null };
}

function overlaps(pathway: EarlierPathway, period: Period): boolean {
  const start = pathway.startDate ?? pathway.exitDate!;
  return (period.to === null || start <= period.to) && (period.from === null || pathway.exitDate! >= period.from);
}

function protocolNotice(config: PlieConfig, period: Period): Reason | null {
  if (period.protocol) return null;
  const last = configuredProtocols(config).map((p) => p.to).sort().at(-1);
  return notice(
    'HORS_PROTOCOLE',
    last
      ? `Orientation hors des protocoles configurés (le dernier a pris fin le ${formatFrenchDate(last)}) : à signaler à la coordination, qui renseigne l’avenant ou le nouveau protocole.`
      : 'Aucun protocole configuré pour ce PLIE : à signaler à la coordination, qui renseigne les dates du protocole.',
  );
}

function territoryReason(config: PlieConfig, facts: EligibilityFacts): Reason {
  if (!facts.commune.trim() && !facts.postalCode) return review('TERRITOIRE_A_VERIFIER', 'Commune de résidence à renseigner.');
  const match = matchCommune(config, facts.commune, facts.postalCode);
  if (match.found && match.postalCodeMatches === false) {
    return review(
      'TERRITOIRE_CODE_POSTAL',
      `Commune ${match.commune} reconnue, mais le code postal ${facts.postalCode ?? ''} ne lui correspond pas : adresse à vérifier.`,
    );
  }
  if (match.found) return ok('TERRITOIRE', `Domicilié·e à ${match.commune}, sur le territoire du PLIE.`);
  if (match.postalCodeInTerritory) {
    return review(
      'TERRITOIRE_A_VERIFIER',
      `Commune « ${facts.commune} » non reconnue, mais son code postal est celui d’une commune du territoire : adresse à vérifier.`,
    );
  }
  // A spelling it does not know, with no postal code to tell: to review, never a refusal.
  if (!facts.postalCode) return review('TERRITOIRE_A_VERIFIER', `Commune « ${facts.commune} » non reconnue : adresse et code postal à vérifier.`);
  return blocking('HORS_TERRITOIRE', `Commune « ${facts.commune} » hors du territoire du PLIE.`);
}

function ageReason(config: PlieConfig, facts: EligibilityFacts): Reason {
  const { minAge, rsaExceptionAge } = config.eligibility;
  const age = ageOn(facts.birthDate, facts.orientationDate);
  if (age >= minAge) return ok('AGE', `${age} ans à l’orientation (${minAge} ans au moins).`);
  if (age === rsaExceptionAge && facts.minimumIncome === 'RSA' && !facts.followedByMissionLocale) {
    return ok('AGE_EXCEPTION_RSA', `${age} ans, allocataire du RSA sans suivi Mission Locale : admis par exception.`);
  }
  if (age === rsaExceptionAge && facts.minimumIncome === 'RSA') {
    return blocking('AGE_MISSION_LOCALE', `${age} ans et suivi·e par une Mission Locale : l’exception des ${age} ans au RSA ne s’applique pas.`);
  }
  // The exception may apply: what is not known yet is never a refusal.
  if (age === rsaExceptionAge && facts.minimumIncome === null) {
    return review('AGE_A_VERIFIER', `${age} ans : admis·e par exception si allocataire du RSA sans suivi Mission Locale ; minima sociaux à renseigner.`);
  }
  return blocking('AGE', `${age} ans à l’orientation : le PLIE accueille à partir de ${minAge} ans.`);
}

function situationReason(facts: EligibilityFacts): Reason {
  if (facts.minimumIncome === 'RSA' || facts.minimumIncome === 'ASS') {
    return ok('SITUATION_MINIMA', `Allocataire des minima sociaux (${facts.minimumIncome}).`);
  }
  if (facts.longTermJobSeeker) return ok('SITUATION_DELD', 'Demandeur·se d’emploi de longue durée.');
  if (facts.atRiskOfLongTermUnemployment) {
    return ok('SITUATION_RISQUE_DELD', 'Demandeur·se d’emploi à risque de chômage de longue durée.');
  }
  // One situation is enough; none is a refusal only once each of them is known to be absent.
  if (facts.minimumIncome === null || facts.longTermJobSeeker === null || facts.atRiskOfLongTermUnemployment === null) {
    return review('SITUATION_A_VERIFIER', 'Situation administrative (minima sociaux, chômage) à renseigner.');
  }
  return blocking(
    'SITUATION',
    'Ni minima sociaux (RSA, ASS), ni chômage de longue durée ou risque de l’être : situation administrative hors du public du PLIE.',
  );
}

function checked(value: boolean | null, code: string, yes: string, no: string, unknown: string): Reason {
  if (value === null) return review(code, unknown);
  return value ? ok(code, yes) : blocking(code, no);
}

function earlierPathwayReason(config: PlieConfig, facts: EligibilityFacts): Reason {
  if (facts.earlierPathways.some((p) => p.exitDate === null)) {
    return blocking('PARCOURS_EN_COURS', 'Un parcours PLIE est déjà en cours pour cette personne.');
  }
  // « Sur le présent protocole »: a pathway that ran, even in part, during the protocol of this orientation.
  const period = protocolPeriod(config, facts.orientationDate);
  const current = facts.earlierPathways.filter((p) => overlaps(p, period));
  const notReadmitting = current.filter((p) => !readmittingExit({ type: p.exitType ?? null, reason: p.exitReason }));
  const lastOf = (pathways: EarlierPathway[]) => [...pathways].sort((a, b) => (b.exitDate ?? '').localeCompare(a.exitDate ?? ''))[0]!;
  if (notReadmitting.length > 0 && period.protocol === null) {
    // No configured protocol says whether it is the same one: never a refusal, a question for the coordination.
    return review(
      'PARCOURS_ANTERIEUR_PROTOCOLE',
      `Parcours antérieur sorti le ${formatFrenchDate(lastOf(notReadmitting).exitDate!)}, sur une période qu’aucun protocole configuré ne couvre : s’il relève du protocole en cours, une nouvelle entrée n’est pas possible ; à examiner.`,
    );
  }
  if (notReadmitting.length > 0) {
    return blocking(
      'PARCOURS_ANTERIEUR',
      'Un parcours a déjà été suivi sur le présent protocole (sortie autre que grossesse, déménagement, incarcération ou santé).',
    );
  }
  if (current.length > 0) {
    // « Certaines personnes » may come back: a case to look at, with the earlier exit in view.
    const last = lastOf(current);
    const said = last.exitReason ? (READMITTING_LABELS[last.exitReason.toUpperCase()] ?? last.exitReason) : null;
    const reason = said ? ` (${said})` : '';
    return review(
      'PARCOURS_ANTERIEUR_ADMINISTRATIF',
      `Parcours antérieur sur ce protocole, sorti le ${formatFrenchDate(last.exitDate!)} pour raison administrative${reason} : nouvelle entrée possible pour certaines personnes, à examiner.`,
    );
  }
  return ok('PARCOURS_ANTERIEUR', 'Aucun parcours sur le présent protocole.');
}

function priorities(config: PlieConfig, facts: EligibilityFacts): Array<{ code: string; text: string }> {
  const age = ageOn(facts.birthDate, facts.orientationDate);
  const flags: Array<[boolean, string, string]> = [
    [facts.qpv, 'QPV', 'Habite un quartier prioritaire de la politique de la ville.'],
    [age >= config.eligibility.seniorAge, 'SENIOR', `Sénior (${age} ans).`],
    [facts.singleParent, 'FAMILLE_MONOPARENTALE', 'Famille monoparentale.'],
    [facts.discriminationVictim, 'DISCRIMINATION', 'Victime de discrimination.'],
    [facts.veryShortPartTime, 'TEMPS_PARTIEL_REDUIT', 'Travaille à temps partiel très réduit.'],
    [facts.rqthLightRestriction, 'RQTH_LEGERE', 'RQTH avec restriction légère.'],
    [
      facts.qualificationLevel !== null && isLowQualification(facts.qualificationLevel),
      'NIVEAU_V_OU_INFRA',
      'Niveau de qualification inférieur ou égal au niveau V (niveau 3).',
    ],
  ];
  return flags.filter(([on]) => on).map(([, code, text]) => ({ code, text }));
}

/**
 * A person's situation as a referral form or the participant record holds it (null or absent: not
 * known yet). One reading for the pre-check before saving and the assessment of the workflow.
 */
export interface RecordedSituation {
  birthDate: CalendarDate;
  commune?: string | null;
  postalCode?: string | null;
  minimumIncome?: string | null;
  longTermJobSeeker?: boolean | null;
  exclusionRisk?: boolean | null;
  followedByMissionLocale?: boolean | null;
  activeJobSearch?: boolean | null;
  needsSupport?: boolean | null;
  ableAndWilling?: boolean | null;
  selfEmployed?: boolean | null;
  qpv?: boolean | null;
  singleParent?: boolean | null;
  rqth?: boolean | null;
  rqthLightRestriction?: boolean | null;
  discriminationVictim?: boolean | null;
  veryShortPartTime?: boolean | null;
  qualificationLevel?: number | null;
}

export function situationFacts(s: RecordedSituation, orientationDate: CalendarDate, earlierPathways: EarlierPathway[]): EligibilityFacts {
  const level = s.qualificationLevel;
  return {
    birthDate: s.birthDate,
    orientationDate,
    commune: s.commune ?? '',
    postalCode: s.postalCode ?? null,
    minimumIncome: MINIMUM_INCOMES.find((m) => m === s.minimumIncome) ?? null,
    longTermJobSeeker: s.longTermJobSeeker ?? null,
    atRiskOfLongTermUnemployment: s.exclusionRisk ?? null,
    followedByMissionLocale: s.followedByMissionLocale ?? false,
    activeJobSearch: s.activeJobSearch ?? null,
    needsSupport: s.needsSupport ?? null,
    ableAndWilling: s.ableAndWilling ?? null,
    // Being self-employed is the exception a prescriber states; unsaid, the person is not.
    selfEmployed: s.selfEmployed ?? false,
    earlierPathways,
    qpv: s.qpv ?? false,
    singleParent: s.singleParent ?? false,
    discriminationVictim: s.discriminationVictim ?? false,
    veryShortPartTime: s.veryShortPartTime ?? false,
    // A light restriction is what the protocol names; an RQTH alone is not a priority of article 3.
    rqthLightRestriction: s.rqthLightRestriction ?? false,
    qualificationLevel: level !== null && level !== undefined && level >= 1 && level <= 8 ? (level as QualificationLevel) : null,
  };
}

/** Checks every condition of Article 3 and lists the priorities; never stops at the first problem. */
export function checkEligibility(config: PlieConfig, facts: EligibilityFacts): EligibilityResult {
  const reasons: Reason[] = [
    territoryReason(config, facts),
    ageReason(config, facts),
    situationReason(facts),
    checked(facts.activeJobSearch, 'RECHERCHE_ACTIVE', 'En recherche active d’emploi.', 'Pas en recherche active d’emploi.', 'Recherche active d’emploi à vérifier.'),
    checked(
      facts.needsSupport,
      'BESOIN_ACCOMPAGNEMENT',
      'A besoin d’un accompagnement pour lever des freins à l’emploi.',
      'N’a pas besoin d’un accompagnement renforcé.',
      'Besoin d’accompagnement à évaluer au diagnostic.',
    ),
    checked(
      facts.ableAndWilling,
      'APTE_VOLONTAIRE',
      'Apte et volontaire pour s’engager dans un parcours.',
      'Pas en mesure de s’engager pour l’instant (freins lourds à lever avant l’entrée).',
      'Aptitude et volonté à confirmer au premier entretien.',
    ),
    facts.selfEmployed
      ? blocking('INDEPENDANT', 'Travailleur·se indépendant·e reconnu·e : hors du public du PLIE.')
      : ok('INDEPENDANT', 'Pas travailleur·se indépendant·e.'),
    earlierPathwayReason(config, facts),
  ];
  const outside = protocolNotice(config, protocolPeriod(config, facts.orientationDate));
  if (outside) reasons.push(outside);
  const decision: Decision = reasons.some((r) => r.effect === 'blocking')
    ? 'not_eligible'
    : reasons.some((r) => r.effect === 'review')
      ? 'to_review'
      : 'eligible';
  return { decision, reasons, priorities: priorities(config, facts) };
}

/** A referent may decide otherwise, with a justification that is kept with the result. */
export function overrideEligibility(
  result: EligibilityResult,
  override: { decision: 'eligible' | 'not_eligible'; justification: string; by: string },
): EligibilityResult {
  const justification = override.justification.trim();
  if (justification.length < 10) {
    throw new Error('Une dérogation doit être justifiée (10 caractères au moins).');
  }
  return { ...result, decision: override.decision, override: { justification, by: override.by } };
}
