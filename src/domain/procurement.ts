/**
 * Procurement (marchés publics with clauses d'insertion, docs/product-requirements.md § 6): who may be hired under a clause, the pace
 * at which a marché's hours should be realised, and the bilan of a marché. Pure functions.
 *
 * The publics are those the clause facilitators commonly accept under article L2112-2 of the
 * Code de la commande publique (« personnes rencontrant des difficultés sociales ou
 * professionnelles particulières »), as listed in the State's guide on the social aspects of public
 * procurement (Guide de l'achat public, OECP, 2018) and the facilitators' charter (Alliance Villes
 * Emploi): long-term job seekers, recipients of minimum incomes (RSA, ASS, AAH), young people
 * without qualification, disabled workers (RQTH), senior job seekers, IAE employees, PLIE
 * participants. Each PLIE may narrow or widen the list and its thresholds in its configuration.
 */
import { z } from './validation.ts';
import { addMonths, ageOn, daysBetween, type CalendarDate } from './dates.ts';
import { nthMonthly } from './schedules.ts';

export const CLAUSE_PUBLICS = ['DELD', 'MINIMA_SOCIAUX', 'JEUNE_SANS_QUALIFICATION', 'RQTH', 'SENIOR_DEMANDEUR', 'SALARIE_IAE', 'PARTICIPANT_PLIE'] as const;
export type ClausePublic = (typeof CLAUSE_PUBLICS)[number];

export const CLAUSE_PUBLIC_LABELS: Record<ClausePublic, string> = {
  DELD: 'Demandeur·se d’emploi de longue durée',
  MINIMA_SOCIAUX: 'Allocataire d’un minimum social (RSA, ASS, AAH)',
  JEUNE_SANS_QUALIFICATION: 'Jeune sans qualification',
  RQTH: 'Travailleur·se handicapé·e (RQTH)',
  SENIOR_DEMANDEUR: 'Demandeur·se d’emploi senior',
  SALARIE_IAE: 'Salarié·e d’une structure d’insertion par l’activité économique',
  PARTICIPANT_PLIE: 'Participant·e d’un PLIE',
};

export const clauseConfigSchema = z
  .object({
    /** The publics this PLIE's facilitator accepts. */
    publics: z.array(z.enum(CLAUSE_PUBLICS)).min(1).default([...CLAUSE_PUBLICS]),
    /** Job seekers registered this many months or more are « de longue durée ». */
    longTermMonths: z.number().int().positive().default(12),
    /** Young: under this age; without qualification: at most this level (2019 nomenclature; 3 = CAP/BEP). */
    youngUnderAge: z.number().int().positive().default(26),
    youngMaxQualificationLevel: z.number().int().min(1).max(8).default(2),
    /** Senior job seekers: this age or more. */
    seniorFromAge: z.number().int().positive().default(50),
    /** Realised hours below this share of the expected pace raise an alert to the facilitator. */
    paceAlertShare: z.number().min(0).max(1).default(0.8),
    /** Days after the monthly hours request before the facilitator is asked to chase the company. */
    chaseAfterDays: z.number().int().positive().max(60).default(10),
    /** The clause facilitators (addresses): a hire they record counts in the participant's pathway. */
    facilitators: z.array(z.email().transform((e) => e.toLowerCase())).default([]),
  })
  .default({ publics: [...CLAUSE_PUBLICS], longTermMonths: 12, youngUnderAge: 26, youngMaxQualificationLevel: 2, seniorFromAge: 50, paceAlertShare: 0.8, chaseAfterDays: 10, facilitators: [] });

export type ClauseConfig = z.output<typeof clauseConfigSchema>;

/** What is known of a candidate (a PLIE participant or not) when the facilitator proposes them. */
export interface CandidateFacts {
  birthDate: CalendarDate;
  /** Months registered as a job seeker; null: not a job seeker, or unknown. */
  jobSeekerMonths: number | null;
  minimumIncome: 'RSA' | 'ASS' | 'AAH' | 'AUTRE' | 'AUCUN' | null;
  qualificationLevel: number | null;
  rqth: boolean;
  iaeEmployee: boolean;
  plieParticipant: boolean;
}

export interface ClauseEligibility {
  eligible: boolean;
  /** The publics the person belongs to (those this PLIE accepts). */
  publics: ClausePublic[];
  /** Why not, or what is missing to say, in French. */
  reasons: string[];
}

/** Which accepted publics the candidate belongs to, on the day of the check. */
export function clauseEligibility(config: ClauseConfig, facts: CandidateFacts, on: CalendarDate): ClauseEligibility {
  const age = ageOn(facts.birthDate, on);
  const jobSeeker = facts.jobSeekerMonths !== null;
  const belongs: Record<ClausePublic, boolean> = {
    DELD: jobSeeker && facts.jobSeekerMonths! >= config.longTermMonths,
    MINIMA_SOCIAUX: facts.minimumIncome === 'RSA' || facts.minimumIncome === 'ASS' || facts.minimumIncome === 'AAH',
    JEUNE_SANS_QUALIFICATION: age < config.youngUnderAge && facts.qualificationLevel !== null && facts.qualificationLevel <= config.youngMaxQualificationLevel,
    RQTH: facts.rqth,
    SENIOR_DEMANDEUR: jobSeeker && age >= config.seniorFromAge,
    SALARIE_IAE: facts.iaeEmployee,
    PARTICIPANT_PLIE: facts.plieParticipant,
  };
  const publics = config.publics.filter((p) => belongs[p]);
  if (publics.length > 0) return { eligible: true, publics, reasons: [] };
  const reasons = ['Ne relève d’aucun des publics retenus pour les clauses d’insertion.'];
  if (facts.qualificationLevel === null && age < config.youngUnderAge) reasons.push('Niveau de qualification à préciser (jeune de moins de ' + config.youngUnderAge + ' ans).');
  if (facts.minimumIncome === null) reasons.push('Minimum social à préciser.');
  return { eligible: false, publics: [], reasons };
}

export interface ProcurementPeriod {
  start: CalendarDate;
  end: CalendarDate;
  requiredHours: number;
}

/** The hours expected by `on`, the clause's hours spread evenly over the marché's days. */
export function expectedHours(m: ProcurementPeriod, on: CalendarDate): number {
  const total = Math.max(1, daysBetween(m.start, m.end));
  const elapsed = Math.min(total, Math.max(0, daysBetween(m.start, on)));
  return Math.round((m.requiredHours * elapsed) / total);
}

export interface PaceCheck {
  expected: number;
  realised: number;
  /** Hours behind the pace (0 when on or ahead of it). */
  gap: number;
  behind: boolean;
}

/** Behind when the realised hours are under the configured share of the expected ones. */
export function checkPace(config: Pick<ClauseConfig, 'paceAlertShare'>, m: ProcurementPeriod, realised: number, on: CalendarDate): PaceCheck {
  const expected = expectedHours(m, on);
  const gap = Math.max(0, expected - realised);
  return { expected, realised, gap, behind: expected > 0 && realised < expected * config.paceAlertShare };
}

export interface BilanContract {
  personId: string;
  type: string;
  hoursDone: number;
  /** What became of the person after the clause job, when known (EMPLOI, FORMATION, RECHERCHE…). */
  outcome: string | null;
}

export interface ProcurementBilan {
  requiredHours: number;
  realisedHours: number;
  /** Realised over required (may exceed 1). */
  completion: number;
  contracts: number;
  contractsByType: Record<string, number>;
  persons: number;
  outcomes: Record<string, number>;
}

export function procurementBilan(requiredHours: number, contracts: BilanContract[]): ProcurementBilan {
  const realisedHours = contracts.reduce((sum, c) => sum + c.hoursDone, 0);
  const count = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  const lastOutcome = new Map<string, string>();
  for (const c of contracts) if (c.outcome) lastOutcome.set(c.personId, c.outcome);
  return {
    requiredHours,
    realisedHours,
    completion: requiredHours > 0 ? realisedHours / requiredHours : 0,
    contracts: contracts.length,
    contractsByType: count(contracts.map((c) => c.type)),
    persons: new Set(contracts.map((c) => c.personId)).size,
    outcomes: count([...lastOutcome.values()]),
  };
}

/** The month (YYYY-MM) a day belongs to. */
export const monthOf = (date: CalendarDate): string => date.slice(0, 7);

/** The months a marché runs (YYYY-MM), from its start's month to its end's, each once. */
export function clauseMonths(start: CalendarDate, end: CalendarDate): string[] {
  const first = `${monthOf(start)}-01`;
  const months: string[] = [];
  for (let n = 0; monthOf(nthMonthly(first, n)) <= monthOf(end); n += 1) months.push(monthOf(nthMonthly(first, n)));
  return months;
}

/** A month's hours are asked of the company on the first day of the next month, once worked. */
export const hoursRequestDay = (month: string): CalendarDate => addMonths(`${month}-01`, 1);

const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « mars 2026 » for 2026-03. */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTH_NAMES[Number(number) - 1]} ${year}`;
}
