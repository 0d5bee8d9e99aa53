/**
 * Positive exit criteria (Article 5 of the protocol, « critères de validation de sortie »):
 * given the contracts, trainings and businesses of a person, which criterion is met, and on
 * which day — or on which day it will be, if things go as planned.
 *
 * Two kinds of durations, as the protocol words them:
 * - « d'une durée de / au moins égale à N mois »: the planned length of a contract, known at
 *   signature; the criterion is met on the first day of the contract.
 * - « depuis N mois », « maintien durant N mois », « au-delà de / plus de N mois »: time actually
 *   held; met on the last day of the N months (held) or the day after (more than N months).
 */
import type { IAE_STRUCTURES } from './codes.ts';
import { addDays, addMonths, daysBetween, type CalendarDate } from './dates.ts';
import type { PlieConfig } from './plie-config.ts';

/**
 * The rules only need the PLIE's exit criteria (workflows carry just these). `firstReading` keeps
 * the rules as first written here, for the pathways begun before they were corrected (their
 * histories replay as they ran): hours of insertion and non-market aided contracts counted towards
 * the 910 hours, and only ordinary part-time jobs went to the commission.
 */
export type ExitRules = Pick<PlieConfig, 'exitCriteria'> & { firstReading?: boolean };

export type ContractType =
  | 'CDI'
  | 'CDD'
  | 'INTERIM'
  | 'SAISONNIER'
  | 'CONTRAT_PRO'
  | 'APPRENTISSAGE'
  | 'FONCTION_PUBLIQUE'
  | 'CDDI'
  | 'AUTRE';

export interface WorkContract {
  type: ContractType;
  start: CalendarDate;
  /** Last day worked (planned or actual); null for an open-ended contract still running. */
  end: CalendarDate | null;
  weeklyHours: number;
  /** Insertion par l'activité économique (SIAE: ACI, EI, ETTI, AI). */
  iae: boolean;
  /** Which kind of SIAE, when known. */
  iaeStructure?: (typeof IAE_STRUCTURES)[number];
  /** Contrat aidé (PEC, CUI…). */
  aided: boolean;
  /** Market sector; aided contracts of the non-market sector do not count as a CDD exit. */
  marketSector: boolean;
  /** Entreprise d'insertion. */
  insertionCompany: boolean;
  /** Hours actually paid, when known (temporary work); otherwise weekly hours spread over the days. */
  hoursPaid?: number | null;
  /** Hours paid over given periods (each monthly check of the follow-up): they replace the estimate there. */
  paidPeriods?: ReadonlyArray<{ from: CalendarDate; to: CalendarDate; hours: number }>;
}

export interface Training {
  start: CalendarDate;
  end: CalendarDate | null;
  /** Leads to a qualification registered in the RNCP. */
  rncp: boolean;
  /** A long training (formation de longue durée). */
  long: boolean;
  qualificationObtainedOn: CalendarDate | null;
}

export interface Business {
  /** Creation or takeover. */
  start: CalendarDate;
  /** Day the activity stopped, if it did. */
  end: CalendarDate | null;
}

export interface ExitFacts {
  contracts: WorkContract[];
  trainings: Training[];
  businesses: Business[];
}

export type PositiveCriterion =
  | 'CDI_OU_CDD_LONG'
  | 'FONCTION_PUBLIQUE'
  | 'HEURES_CUMULEES'
  | 'CONTRAT_PRO'
  | 'QUALIFICATION_OBTENUE'
  | 'FORMATION_LONGUE'
  | 'CREATION_CONSOLIDEE';
export type AtypicalCriterion = 'TEMPS_PARTIEL_COURT' | 'CONTRAT_AIDE_LONG' | 'ENTREPRISE_INSERTION_LONG';
export type PositiveKind = 'EMPLOI' | 'CREATION' | 'FORMATION';

export interface CriterionMet {
  criterion: PositiveCriterion | AtypicalCriterion;
  atypical: boolean;
  kind: PositiveKind;
  metOn: CalendarDate;
  cdi: boolean;
}

export type ExitAssessment =
  | ({ status: 'positive' } & CriterionMet)
  | ({ status: 'atypical' } & CriterionMet)
  /** Nothing met yet; `next` is the first criterion that will be met if things go as planned. */
  | { status: 'not_yet'; next: CriterionMet | null };

/** Last day of a period of `months` months starting on `start` (6 months from 01/01 end on 30/06). */
export function lastDayOfMonths(start: CalendarDate, months: number): CalendarDate {
  return addDays(addMonths(start, months), -1);
}

/** Whether [start, end] lasts at least `months` months (an open end lasts). */
function lastsAtLeast(start: CalendarDate, end: CalendarDate | null, months: number): boolean {
  return end === null || end >= lastDayOfMonths(start, months);
}

/** The day `months` months are held from `start`, if the activity runs that long. */
function heldOn(start: CalendarDate, end: CalendarDate | null, months: number): CalendarDate | null {
  const day = lastDayOfMonths(start, months);
  return end === null || end >= day ? day : null;
}

/** The first day beyond `months` months from `start`, if the activity runs that long. */
function beyondOn(start: CalendarDate, end: CalendarDate | null, months: number): CalendarDate | null {
  const day = addMonths(start, months);
  return end === null || end >= day ? day : null;
}

/**
 * An insertion contract (a CDDI in an ACI or an EI): a step of the pathway, not a job of the
 * ordinary market. ETTI and AI missions are work at a client's, like temporary work. An IAE
 * contract whose structure is not known is taken as an insertion one, unless it is a mission.
 */
export function isInsertionContract(contract: WorkContract): boolean {
  if (contract.iaeStructure) return contract.iaeStructure === 'ACI' || contract.iaeStructure === 'EI';
  return contract.type === 'CDDI' || contract.insertionCompany || (contract.iae && contract.type !== 'INTERIM');
}

/**
 * « ETT, ETTI, contrat saisonnier, CDD multi-employeurs… »: the hours of the ordinary labour market
 * count towards the 910 hours; those of an insertion contract or of a non-market aided contract do not.
 */
export function countsTowardsHours(config: ExitRules, contract: WorkContract): boolean {
  if (config.firstReading) return true;
  return !isInsertionContract(contract) && !(contract.aided && !contract.marketSector);
}

/** « Emploi à temps partiel de moins de 17h30 »: any job (aided, temporary, seasonal…) but an insertion contract, which has its own 12-month rule. */
function partTimeJob(config: ExitRules, contract: WorkContract): boolean {
  if (config.firstReading) return (contract.type === 'CDI' || contract.type === 'CDD' || contract.type === 'FONCTION_PUBLIQUE') && !contract.iae && !contract.aided;
  return !isInsertionContract(contract);
}

function contractCriteria(config: ExitRules, contract: WorkContract): CriterionMet[] {
  const rules = config.exitCriteria;
  const halfTime = rules.fullTimeWeeklyHours / 2;
  const met: CriterionMet[] = [];
  const employment = (criterion: CriterionMet['criterion'], atypical: boolean, metOn: CalendarDate | null) => {
    if (metOn) met.push({ criterion, atypical, kind: 'EMPLOI', metOn, cdi: contract.type === 'CDI' });
  };
  const excludedFromLongContract = contract.iae || (contract.aided && !contract.marketSector);
  if (contract.type === 'FONCTION_PUBLIQUE') {
    employment('FONCTION_PUBLIQUE', false, heldOn(contract.start, contract.end, rules.heldMonths));
  } else if (contract.type === 'CONTRAT_PRO') {
    employment('CONTRAT_PRO', false, beyondOn(contract.start, contract.end, rules.heldMonths));
  } else if (
    (contract.type === 'CDI' || contract.type === 'CDD') &&
    !excludedFromLongContract &&
    contract.weeklyHours >= halfTime &&
    // A CDI counts from its first day; one that ended (broken, e.g. during the trial period)
    // counts only if it was held as long as a CDD would have to last.
    lastsAtLeast(contract.start, contract.end, rules.contractMonths)
  ) {
    employment('CDI_OU_CDD_LONG', false, contract.start);
  }
  // Atypical exits, for the commission ad hoc.
  if (
    partTimeJob(config, contract) &&
    contract.weeklyHours > 0 &&
    contract.weeklyHours < halfTime &&
    lastsAtLeast(contract.start, contract.end, rules.contractMonths)
  ) {
    employment('TEMPS_PARTIEL_COURT', true, contract.start);
  }
  if (contract.aided && lastsAtLeast(contract.start, contract.end, rules.longContractMonths)) {
    employment('CONTRAT_AIDE_LONG', true, contract.start);
  }
  if (contract.insertionCompany && lastsAtLeast(contract.start, contract.end, rules.longContractMonths)) {
    employment('ENTREPRISE_INSERTION_LONG', true, contract.start);
  }
  return met;
}

interface Span {
  from: CalendarDate;
  to: CalendarDate;
  perDay: number;
}

/** Hours paid per day of a contract: the hours paid spread evenly, or the weekly hours / 7. */
function dailyHours(contract: WorkContract, horizon: CalendarDate): Span {
  const to = contract.end ?? horizon;
  const days = daysBetween(contract.start, to) + 1;
  const perDay = contract.hoursPaid != null && contract.end ? contract.hoursPaid / days : contract.weeklyHours / 7;
  return { from: contract.start, to, perDay };
}

/**
 * The same, where monthly checks gave the hours paid: each such period at its own rate, the days
 * no check covers at the weekly hours' estimate.
 */
function paidSpans(contract: WorkContract, horizon: CalendarDate): Span[] {
  const whole = dailyHours(contract, horizon);
  const periods = [...(contract.paidPeriods ?? [])].filter((p) => p.from <= p.to).sort((a, b) => a.from.localeCompare(b.from));
  if (periods.length === 0) return [whole];
  const spans: Span[] = [];
  let next = whole.from;
  for (const p of periods) {
    const from = p.from < next ? next : p.from;
    const to = p.to > whole.to ? whole.to : p.to;
    if (from > to) continue;
    if (from > next) spans.push({ from: next, to: addDays(from, -1), perDay: contract.weeklyHours / 7 });
    spans.push({ from, to, perDay: p.hours / (daysBetween(from, to) + 1) });
    next = addDays(to, 1);
  }
  if (next <= whole.to) spans.push({ from: next, to: whole.to, perDay: contract.weeklyHours / 7 });
  return spans;
}

/**
 * « Activité professionnelle rémunérée régulière d'une durée cumulée ≥ 910 heures sur une période
 * maximale de 9 mois »: the first day on which the hours paid within some window of at most
 * 9 months reach the threshold. Windows worth trying start on a contract's first day.
 */
export function cumulatedHoursMetOn(config: ExitRules, contracts: WorkContract[], horizon: CalendarDate): CalendarDate | null {
  const { cumulatedHours, hoursWindowMonths } = config.exitCriteria;
  const counted = contracts.filter((c) => c.start <= horizon && countsTowardsHours(config, c));
  // The first reading knew only the estimate.
  const spans = counted.flatMap((c) => (config.firstReading ? [dailyHours(c, horizon)] : paidSpans(c, horizon)));
  let best: CalendarDate | null = null;
  // Windows worth trying start on a contract's first day.
  for (const windowStart of [...new Set(counted.map((c) => c.start))].sort()) {
    const windowEnd = lastDayOfMonths(windowStart, hoursWindowMonths);
    let total = 0;
    // Walk the window day by day: a few hundred days at most.
    for (let day = windowStart; day <= windowEnd && day <= horizon && (best === null || day < best); day = addDays(day, 1)) {
      for (const span of spans) if (span.from <= day && day <= span.to) total += span.perDay;
      // Hours are fractions of days; compare with a tolerance for floating-point sums.
      if (total >= cumulatedHours - 1e-6) {
        best = day;
        break;
      }
    }
  }
  return best;
}

function trainingCriteria(config: ExitRules, training: Training): CriterionMet[] {
  const met: CriterionMet[] = [];
  if (training.rncp && training.qualificationObtainedOn) {
    met.push({ criterion: 'QUALIFICATION_OBTENUE', atypical: false, kind: 'FORMATION', metOn: training.qualificationObtainedOn, cdi: false });
  }
  const held = training.rncp && training.long ? heldOn(training.start, training.end, config.exitCriteria.heldMonths) : null;
  if (held) met.push({ criterion: 'FORMATION_LONGUE', atypical: false, kind: 'FORMATION', metOn: held, cdi: false });
  return met;
}

function businessCriteria(config: ExitRules, business: Business): CriterionMet[] {
  const metOn = beyondOn(business.start, business.end, config.exitCriteria.heldMonths);
  return metOn ? [{ criterion: 'CREATION_CONSOLIDEE', atypical: false, kind: 'CREATION', metOn, cdi: false }] : [];
}

/** Every criterion the facts meet or will meet as planned, earliest first. */
export function criteriaMet(config: ExitRules, facts: ExitFacts, horizon: CalendarDate): CriterionMet[] {
  const all = [
    ...facts.contracts.flatMap((c) => contractCriteria(config, c)),
    ...facts.trainings.flatMap((t) => trainingCriteria(config, t)),
    ...facts.businesses.flatMap((b) => businessCriteria(config, b)),
  ];
  const hours = cumulatedHoursMetOn(config, facts.contracts, horizon);
  if (hours) {
    all.push({ criterion: 'HEURES_CUMULEES', atypical: false, kind: 'EMPLOI', metOn: hours, cdi: false });
  }
  return all.sort((a, b) => a.metOn.localeCompare(b.metOn) || Number(a.atypical) - Number(b.atypical));
}

/**
 * Where a person stands on `asOf`: a positive criterion met (the earliest), else an atypical one
 * (for the commission), else not yet — with the first criterion planned to be met, looking as far
 * as `horizon` (by default two years on) for open-ended contracts.
 */
export function assessExit(
  config: ExitRules,
  facts: ExitFacts,
  asOf: CalendarDate,
  horizon = addMonths(asOf, 24),
  /** Criteria the commission rejected: left out, so that another one can still lead to the exit. */
  barred?: (criterion: CriterionMet) => boolean,
): ExitAssessment {
  const met = criteriaMet(config, facts, horizon).filter((m) => !barred?.(m));
  const byThen = met.filter((m) => m.metOn <= asOf);
  const positive = byThen.find((m) => !m.atypical);
  if (positive) return { status: 'positive', ...positive };
  const atypical = byThen.find((m) => m.atypical);
  if (atypical) return { status: 'atypical', ...atypical };
  return { status: 'not_yet', next: met.find((m) => !m.atypical) ?? met[0] ?? null };
}

