/**
 * The evaluation report (bilan) that the comité de pilotage reads: the figures of the seed's
 * « éléments de réalisation » and the protocol's objectives (Article 5), for a period [from, to]
 * (both days included). Pure: the records come in, the figures come out.
 */
import { ageOn, daysBetween, type CalendarDate } from '../domain/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { matchCommune } from '../domain/territory.ts';

export interface ReportParticipant {
  id: string;
  sex: string | null;
  birthDate: CalendarDate;
  commune: string | null;
  qualificationLevel: number | null;
  minimumIncome: string | null;
  qpv: boolean;
  prescriber: string | null;
  orientationDate: CalendarDate | null;
  integrationDate: CalendarDate | null;
  barriers: string[];
  sectorWishes: string[];
  /** Barriers lifted during the pathway (levée de freins), each on its day. */
  liftedBarriers?: Array<{ category: string; on: CalendarDate }>;
}
export interface ReportStep {
  participantId: string;
  type: string;
  start: CalendarDate;
}
export interface ReportContract {
  participantId: string;
  start: CalendarDate;
  iae: boolean;
  /** Why it ended early, when it did (`periode_essai`…). */
  endReason?: string | null;
}
export interface ReportExit {
  participantId: string;
  date: CalendarDate;
  type: string;
  positiveKind: string | null;
  cdi: boolean;
  proofsComplete: boolean;
  /** Declared by the referent without proofs (absent from imported histories: not declared). */
  declared?: boolean;
}
export interface ReportClauseContract {
  procurementId: string;
  procurementSector: string;
  /** The marché's buyer (maître d'ouvrage). */
  buyer: string;
  personId: string;
  start: CalendarDate;
  hoursDone: number;
}

/** A marché with a clause, as followed by the facilitator: its span, open while it has no end. */
export interface ReportProcurement {
  id: string;
  start: CalendarDate;
  /** Its end, or the day it was closed; null while it runs. */
  end: CalendarDate | null;
}
/** Hours worked under a clause in one month (YYYY-MM), once the facilitator validated them. */
export interface ReportValidatedHours {
  procurementId: string;
  month: string;
  hours: number;
}

/** A « mise en relation » on a job offer, dated by its last decision. */
export interface ReportPlacement {
  date: CalendarDate;
  status: string;
}
/** A collective action (workshop, company visit…) and what it led to. */
export interface ReportCollectiveAction {
  date: CalendarDate;
  kind: string;
  title: string;
  present: number;
  misesEnRelation: number;
  hires: number;
}

export interface ReportRecords {
  participants: ReportParticipant[];
  steps: ReportStep[];
  contracts: ReportContract[];
  exits: ReportExit[];
  clauses: ReportClauseContract[];
  /** Marchés and their validated monthly hours (absent from imported histories). */
  procurements?: ReportProcurement[];
  validatedHours?: ReportValidatedHours[];
  /** Relation entreprise (absent from imported histories). */
  placements?: ReportPlacement[];
  collectiveActions?: ReportCollectiveAction[];
}

/** Average days in a month, to express durations in months. */
const DAYS_PER_MONTH = 30.4375;

/** How many of each kind, keys in a fixed (code point) order so that ties always print alike. */
export type Counts = Record<string, number>;
export const sortedCounts = (entries: Iterable<[string, number]>): Counts => {
  const counts: Counts = {};
  for (const [key, n] of entries) counts[key] = (counts[key] ?? 0) + n;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};
const countBy = <T>(items: T[], key: (item: T) => string): Counts => sortedCounts(items.map((item) => [key(item), 1]));

/** Days summed as integers (exact), so that the same records give the same mean to the last decimal. */
export interface DaySum {
  sum: number;
  count: number;
}
export interface ClauseBreakdown {
  key: string;
  marches: number;
  hours: number;
  contracts: number;
  persons: number;
}

/**
 * What the bilan counts for a period, before shares and means: small enough to come from one SQL
 * aggregate per section (`report/report-queries.ts`) or from the records themselves (`aggregateRecords`).
 */
export interface ReportFigures {
  /** Integrated in the period. */
  integrated: { total: number; women: number; lowQualification: number; rsa: number; age26to44: number; age45plus: number; qpv: number; byCommune: Counts; bySex: Counts; barriers: Counts; sectorWishes: Counts };
  /** Oriented in the period. */
  oriented: { total: number; byPrescriber: Counts; bySex: Counts; women: number; womenIntegrated: number; men: number; menIntegrated: number };
  /** Accompanied in the period: integrated by its end and not exited before it began. */
  accompanied: { total: number; rsa: number; days: number; withContract: number };
  steps: { byType: Counts; byMonth: Counts };
  contracts: { total: number; persons: number; iaeTotal: number; iaePersons: number; brokenDuringTrial: number; byMonth: Counts };
  exits: {
    byType: Counts;
    positive: number;
    byKind: { EMPLOI: number; CREATION: number; FORMATION: number };
    cdiAmongEmployment: number;
    positiveWithoutProofs: number;
    positiveDeclared: number;
    byMonth: Counts;
    days: DaySum;
    positiveDays: DaySum;
  };
  liftedBarriers: Counts;
  /** Per buyer and per sector, the most hours first (then by name). */
  clauses: { total: ClauseBreakdown; btp: number; byBuyer: ClauseBreakdown[]; bySector: ClauseBreakdown[]; marchesFollowed: number; hoursValidated: number };
  relation: { misesEnRelation: number; hires: number; collectiveActions: ReportCollectiveAction[] };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const meanMonths = (days: DaySum) => (days.count === 0 ? 0 : days.sum / days.count / DAYS_PER_MONTH);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const MISES_EN_RELATION = ['PROPOSEE', 'ENTRETIEN', 'EMBAUCHE', 'NON_RETENU'];

/** The figures of the period, counted over the records in memory: the rules' reference, table-tested. */
export function aggregateRecords(records: ReportRecords, period: { from: CalendarDate; to: CalendarDate }): ReportFigures {
  const inPeriod = (d: CalendarDate | null) => d !== null && d >= period.from && d <= period.to;
  const byId = new Map(records.participants.map((p) => [p.id, p]));
  const integrated = records.participants.filter((p) => inPeriod(p.integrationDate));
  const ageAtEntry = (p: ReportParticipant) => ageOn(p.birthDate, p.integrationDate!);
  const oriented = records.participants.filter((p) => inPeriod(p.orientationDate));

  const exitsInPeriod = records.exits.filter((e) => inPeriod(e.date));
  const exitedBefore = new Set(records.exits.filter((e) => e.date < period.from).map((e) => e.participantId));
  const accompanied = records.participants.filter((p) => p.integrationDate !== null && p.integrationDate <= period.to && !exitedBefore.has(p.id));
  const accompaniedIds = new Set(accompanied.map((p) => p.id));
  // Every pathway accompanied in the period, to its exit (the last recorded) or to the period's end.
  const exitOf = new Map(records.exits.map((e) => [e.participantId, e.date]));
  const accompaniedDays = accompanied.map((p) => {
    const exit = exitOf.get(p.id);
    return daysBetween(p.integrationDate!, exit !== undefined && exit <= period.to ? exit : period.to);
  });

  const steps = records.steps.filter((s) => inPeriod(s.start));
  const contracts = records.contracts.filter((c) => inPeriod(c.start));
  const nonIae = contracts.filter((c) => !c.iae);
  const iae = contracts.filter((c) => c.iae);
  const month = (d: CalendarDate) => d.slice(0, 7);

  const daysToExit = (exits: ReportExit[]): DaySum => {
    const days = exits.flatMap((e) => {
      const entry = byId.get(e.participantId)?.integrationDate;
      return entry ? [daysBetween(entry, e.date)] : [];
    });
    return { sum: sum(days), count: days.length };
  };
  const positives = exitsInPeriod.filter((e) => e.type === 'POSITIVE');

  const clauses = records.clauses.filter((c) => inPeriod(c.start));
  const placements = (records.placements ?? []).filter((p) => inPeriod(p.date));
  return {
    integrated: {
      total: integrated.length,
      women: integrated.filter((p) => p.sex === 'F').length,
      lowQualification: integrated.filter((p) => p.qualificationLevel !== null && p.qualificationLevel <= 3).length,
      rsa: integrated.filter((p) => p.minimumIncome === 'RSA').length,
      age26to44: integrated.filter((p) => ageAtEntry(p) >= 26 && ageAtEntry(p) <= 44).length,
      age45plus: integrated.filter((p) => ageAtEntry(p) >= 45).length,
      qpv: integrated.filter((p) => p.qpv).length,
      byCommune: countBy(integrated.filter((p) => p.commune), (p) => p.commune!),
      bySex: countBy(integrated, (p) => p.sex ?? 'INCONNU'),
      barriers: countBy(integrated.flatMap((p) => p.barriers), (b) => b),
      sectorWishes: countBy(integrated.flatMap((p) => p.sectorWishes), (w) => w),
    },
    oriented: {
      total: oriented.length,
      byPrescriber: countBy(oriented.filter((p) => p.prescriber), (p) => p.prescriber!),
      bySex: countBy(oriented, (p) => p.sex ?? 'INCONNU'),
      women: oriented.filter((p) => p.sex === 'F').length,
      womenIntegrated: oriented.filter((p) => p.sex === 'F' && inPeriod(p.integrationDate)).length,
      men: oriented.filter((p) => p.sex === 'M').length,
      menIntegrated: oriented.filter((p) => p.sex === 'M' && inPeriod(p.integrationDate)).length,
    },
    accompanied: {
      total: accompanied.length,
      rsa: accompanied.filter((p) => p.minimumIncome === 'RSA').length,
      days: sum(accompaniedDays),
      withContract: new Set(contracts.map((c) => c.participantId).filter((id) => accompaniedIds.has(id))).size,
    },
    steps: { byType: countBy(steps, (s) => s.type), byMonth: countBy(steps, (s) => month(s.start)) },
    contracts: {
      total: nonIae.length,
      persons: new Set(nonIae.map((c) => c.participantId)).size,
      iaeTotal: iae.length,
      iaePersons: new Set(iae.map((c) => c.participantId)).size,
      brokenDuringTrial: contracts.filter((c) => c.endReason === 'periode_essai').length,
      byMonth: countBy(contracts, (c) => month(c.start)),
    },
    exits: {
      byType: countBy(exitsInPeriod, (e) => e.type),
      positive: positives.length,
      byKind: {
        EMPLOI: positives.filter((e) => e.positiveKind === 'EMPLOI').length,
        CREATION: positives.filter((e) => e.positiveKind === 'CREATION').length,
        FORMATION: positives.filter((e) => e.positiveKind === 'FORMATION').length,
      },
      cdiAmongEmployment: positives.filter((e) => e.positiveKind === 'EMPLOI' && e.cdi).length,
      positiveWithoutProofs: positives.filter((e) => !e.proofsComplete).length,
      positiveDeclared: positives.filter((e) => e.declared === true).length,
      byMonth: countBy(exitsInPeriod, (e) => month(e.date)),
      days: daysToExit(exitsInPeriod),
      positiveDays: daysToExit(positives),
    },
    liftedBarriers: countBy(
      records.participants.flatMap((p) => (p.liftedBarriers ?? []).filter((b) => inPeriod(b.on))),
      (b) => b.category,
    ),
    clauses: {
      total: clauseFigures('', clauses),
      btp: clauses.filter((c) => c.procurementSector === 'BTP').length,
      byBuyer: clauseBreakdown(clauses, (c) => c.buyer),
      bySector: clauseBreakdown(clauses, (c) => c.procurementSector),
      // A marché is followed in the period when its span meets it, whether or not a contract started then.
      marchesFollowed: (records.procurements ?? []).filter((m) => m.start <= period.to && (m.end === null || m.end >= period.from)).length,
      // Monthly hours cannot be split by day: a month counts when any of its days is in the period.
      hoursValidated: sum((records.validatedHours ?? []).filter((h) => `${h.month}-31` >= period.from && `${h.month}-01` <= period.to).map((h) => h.hours)),
    },
    relation: {
      misesEnRelation: placements.filter((p) => MISES_EN_RELATION.includes(p.status)).length,
      hires: placements.filter((p) => p.status === 'EMBAUCHE').length,
      collectiveActions: (records.collectiveActions ?? []).filter((a) => inPeriod(a.date)).sort((a, b) => a.date.localeCompare(b.date)),
    },
  };
}

export function computeReport(config: PlieConfig, records: ReportRecords, period: { from: CalendarDate; to: CalendarDate }) {
  return reportFromFigures(config, aggregateRecords(records, period), period);
}

/** The bilan as the comité reads it: the figures of the period, with their shares, means and targets. */
export function reportFromFigures(config: PlieConfig, figures: ReportFigures, period: { from: CalendarDate; to: CalendarDate }) {
  const { integrated, oriented, accompanied, exits } = figures;
  /** Communes by their official name, however the file wrote them. */
  const communeName = (written: string) => {
    const match = matchCommune(config, written);
    return match.found ? match.commune : written;
  };
  const barrierMentions = sum(Object.values(integrated.barriers));
  const exitsTotal = sum(Object.values(exits.byType));
  const stepsTotal = sum(Object.values(figures.steps.byType));
  const protocolShare = config.protocol ? overlapShare(period, config.protocol) : null;
  const pace = figures.steps.byMonth;
  const { byMonth: paceContracts } = figures.contracts;
  const { byMonth: paceExits } = figures.exits;
  const clauses = figures.clauses;

  return {
    period,
    public: {
      integrated: integrated.total,
      womenShare: share(integrated.women, integrated.total),
      lowQualificationShare: share(integrated.lowQualification, integrated.total),
      rsaShare: share(integrated.rsa, integrated.total),
      age26to44Share: share(integrated.age26to44, integrated.total),
      age45plusShare: share(integrated.age45plus, integrated.total),
      qpvShare: share(integrated.qpv, integrated.total),
      byCommune: sortedCounts(Object.entries(integrated.byCommune).map(([written, n]) => [communeName(written), n])),
    },
    referrals: {
      total: oriented.total,
      byPrescriber: oriented.byPrescriber,
      spontaneousShare: share(oriented.byPrescriber.SPONTANE ?? 0, oriented.total),
    },
    steps: {
      total: stepsTotal,
      perPerson: share(stepsTotal, accompanied.total),
      byType: figures.steps.byType,
    },
    durations: {
      meanMonths: meanMonths(exits.days),
      meanMonthsPositive: meanMonths(exits.positiveDays),
      meanMonthsAccompanied: meanMonths({ sum: accompanied.days, count: accompanied.total }),
    },
    contracts: {
      total: figures.contracts.total,
      persons: figures.contracts.persons,
      iaeTotal: figures.contracts.iaeTotal,
      iaePersons: figures.contracts.iaePersons,
      // The relation-entreprise objective: contracts that did not last the trial period.
      brokenDuringTrial: figures.contracts.brokenDuringTrial,
    },
    barriers: {
      byCategoryShare: Object.fromEntries(Object.entries(integrated.barriers).map(([k, n]) => [k, share(n, barrierMentions)])),
      // « Contribution à la réduction des freins »: found at the entries of the period, lifted in it.
      foundAtEntry: barrierMentions,
      liftedInPeriod: sum(Object.values(figures.liftedBarriers)),
      liftedByCategory: figures.liftedBarriers,
    },
    // Equal access: who is oriented, who is integrated, by sex.
    equalAccess: {
      oriented: oriented.bySex,
      integrated: integrated.bySex,
      integrationRateWomen: share(oriented.womenIntegrated, oriented.women),
      integrationRateMen: share(oriented.menIntegrated, oriented.men),
    },
    /** The pace of the actions, month by month. */
    pace: [...new Set([...Object.keys(pace), ...Object.keys(paceContracts), ...Object.keys(paceExits)])]
      .sort()
      .map((month) => ({ month, steps: pace[month] ?? 0, contracts: paceContracts[month] ?? 0, exits: paceExits[month] ?? 0 })),
    sectorWishes: Object.entries(integrated.sectorWishes)
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr')),
    exits: {
      total: exitsTotal,
      positive: exits.positive,
      positiveShare: share(exits.positive, exitsTotal),
      byType: exits.byType,
      byKind: exits.byKind,
      cdiAmongEmployment: exits.cdiAmongEmployment,
      positiveWithoutProofs: exits.positiveWithoutProofs,
      // Among them, those the referent declared (article 5: « déclarées en emploi … sans justificatifs »).
      positiveDeclared: exits.positiveDeclared,
    },
    clauses: {
      marches: clauses.total.marches,
      hours: clauses.total.hours,
      contracts: clauses.total.contracts,
      persons: clauses.total.persons,
      btpShare: share(clauses.btp, clauses.total.contracts),
      byBuyer: clauses.byBuyer,
      bySector: clauses.bySector,
      marchesFollowed: clauses.marchesFollowed,
      hoursValidatedInPeriod: clauses.hoursValidated,
    },
    relation: {
      // Put to the person (proposed, interview, hire, not retained), and hired.
      misesEnRelation: figures.relation.misesEnRelation,
      hires: figures.relation.hires,
      collectiveActions: figures.relation.collectiveActions,
    },
    objectives: {
      accompanied: accompanied.total,
      accompaniedRsa: accompanied.rsa,
      positiveExitShare: share(exits.positive, exitsTotal),
      withContractShare: share(accompanied.withContract, accompanied.total),
      targets: { ...config.objectives },
      // The protocol's targets are for all of it: the part that falls in the period.
      protocol: config.protocol ?? null,
      periodShareOfProtocol: protocolShare,
      proratedTargets:
        protocolShare === null
          ? null
          : { accompanied: Math.round(config.objectives.accompanied * protocolShare), accompaniedRsa: Math.round(config.objectives.accompaniedRsa * protocolShare) },
    },
  };
}

export type EvaluationReport = ReturnType<typeof computeReport>;

/** The share of the protocol's days that fall in the period (both ends included). */
function overlapShare(period: { from: CalendarDate; to: CalendarDate }, protocol: { from: CalendarDate; to: CalendarDate }): number {
  const from = period.from > protocol.from ? period.from : protocol.from;
  const to = period.to < protocol.to ? period.to : protocol.to;
  if (from > to) return 0;
  return (daysBetween(from, to) + 1) / (daysBetween(protocol.from, protocol.to) + 1);
}

function clauseFigures(key: string, group: ReportClauseContract[]): ClauseBreakdown {
  return {
    key,
    marches: new Set(group.map((c) => c.procurementId)).size,
    hours: sum(group.map((c) => c.hoursDone)),
    contracts: group.length,
    persons: new Set(group.map((c) => c.personId)).size,
  };
}

function clauseBreakdown(clauses: ReportClauseContract[], keyOf: (c: ReportClauseContract) => string): ClauseBreakdown[] {
  const groups = new Map<string, ReportClauseContract[]>();
  for (const c of clauses) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
  return sortBreakdown([...groups.entries()].map(([key, group]) => clauseFigures(key, group)));
}

/** The clause figures per buyer or per sector, the most hours first (then by name, for a stable order). */
export const sortBreakdown = (groups: ClauseBreakdown[]) => [...groups].sort((a, b) => b.hours - a.hours || a.key.localeCompare(b.key));
