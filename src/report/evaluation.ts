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

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};
/** Summed in a fixed order, so that the same records give the same figure to the last decimal. */
const mean = (values: number[]) =>
  values.length === 0 ? 0 : [...values].sort((a, b) => a - b).reduce((a, b) => a + b, 0) / values.length;

export function computeReport(config: PlieConfig, records: ReportRecords, period: { from: CalendarDate; to: CalendarDate }) {
  const inPeriod = (d: CalendarDate | null) => d !== null && d >= period.from && d <= period.to;
  const byId = new Map(records.participants.map((p) => [p.id, p]));

  const integrated = records.participants.filter((p) => inPeriod(p.integrationDate));
  /** Communes by their official name, however the file wrote them. */
  const communeName = (written: string) => {
    const match = matchCommune(config, written);
    return match.found ? match.commune : written;
  };
  const ageAtEntry = (p: ReportParticipant) => ageOn(p.birthDate, p.integrationDate!);

  const oriented = records.participants.filter((p) => inPeriod(p.orientationDate));
  const byPrescriber = countBy(oriented.filter((p) => p.prescriber), (p) => p.prescriber!);

  const exitsInPeriod = records.exits.filter((e) => inPeriod(e.date));
  const exitedBefore = new Set(records.exits.filter((e) => e.date < period.from).map((e) => e.participantId));
  const accompanied = records.participants.filter(
    (p) => p.integrationDate !== null && p.integrationDate <= period.to && !exitedBefore.has(p.id),
  );
  const accompaniedIds = new Set(accompanied.map((p) => p.id));

  const steps = records.steps.filter((s) => inPeriod(s.start));
  const contracts = records.contracts.filter((c) => inPeriod(c.start));
  const nonIae = contracts.filter((c) => !c.iae);
  const iae = contracts.filter((c) => c.iae);

  const barrierMentions = integrated.flatMap((p) => p.barriers);
  const barrierCounts = countBy(barrierMentions, (b) => b);

  const wishCounts = countBy(integrated.flatMap((p) => p.sectorWishes), (w) => w);

  const months = (e: ReportExit) => {
    const entry = byId.get(e.participantId)?.integrationDate;
    return entry ? daysBetween(entry, e.date) / DAYS_PER_MONTH : null;
  };
  const durations = exitsInPeriod.map(months).filter((m): m is number => m !== null);
  const positives = exitsInPeriod.filter((e) => e.type === 'POSITIVE');
  const positiveDurations = positives.map(months).filter((m): m is number => m !== null);

  // Every pathway accompanied in the period, to its exit or to the period's end.
  const exitOf = new Map(records.exits.map((e) => [e.participantId, e.date]));
  const accompaniedMonths = accompanied.map((p) => {
    const exit = exitOf.get(p.id);
    const end = exit !== undefined && exit <= period.to ? exit : period.to;
    return daysBetween(p.integrationDate!, end) / DAYS_PER_MONTH;
  });

  const lifted = records.participants.flatMap((p) => (p.liftedBarriers ?? []).filter((b) => inPeriod(b.on)));
  const protocolShare = config.protocol ? overlapShare(period, config.protocol) : null;
  const byMonth = (dates: CalendarDate[]) => countBy(dates, (d) => d.slice(0, 7));
  const paceSteps = byMonth(steps.map((x) => x.start));
  const paceContracts = byMonth(contracts.map((c) => c.start));
  const paceExits = byMonth(exitsInPeriod.map((e) => e.date));

  const clauses = records.clauses.filter((c) => inPeriod(c.start));
  // A marché is followed in the period when its span meets it, whether or not a contract started then.
  const followed = (records.procurements ?? []).filter((m) => m.start <= period.to && (m.end === null || m.end >= period.from));
  // Monthly hours cannot be split by day: a month counts when any of its days is in the period.
  const hoursMonths = (records.validatedHours ?? []).filter((h) => `${h.month}-31` >= period.from && `${h.month}-01` <= period.to);
  const placements = (records.placements ?? []).filter((p) => inPeriod(p.date));
  const actions = (records.collectiveActions ?? []).filter((a) => inPeriod(a.date)).sort((a, b) => a.date.localeCompare(b.date));
  const withContract = new Set(contracts.map((c) => c.participantId).filter((id) => accompaniedIds.has(id)));

  return {
    period,
    public: {
      integrated: integrated.length,
      womenShare: share(integrated.filter((p) => p.sex === 'F').length, integrated.length),
      lowQualificationShare: share(integrated.filter((p) => p.qualificationLevel !== null && p.qualificationLevel <= 3).length, integrated.length),
      rsaShare: share(integrated.filter((p) => p.minimumIncome === 'RSA').length, integrated.length),
      age26to44Share: share(integrated.filter((p) => ageAtEntry(p) >= 26 && ageAtEntry(p) <= 44).length, integrated.length),
      age45plusShare: share(integrated.filter((p) => ageAtEntry(p) >= 45).length, integrated.length),
      qpvShare: share(integrated.filter((p) => p.qpv).length, integrated.length),
      byCommune: countBy(integrated.filter((p) => p.commune), (p) => communeName(p.commune!)),
    },
    referrals: {
      total: oriented.length,
      byPrescriber,
      spontaneousShare: share(byPrescriber.SPONTANE ?? 0, oriented.length),
    },
    steps: {
      total: steps.length,
      perPerson: share(steps.length, accompanied.length),
      byType: countBy(steps, (s) => s.type),
    },
    durations: { meanMonths: mean(durations), meanMonthsPositive: mean(positiveDurations), meanMonthsAccompanied: mean(accompaniedMonths) },
    contracts: {
      total: nonIae.length,
      persons: new Set(nonIae.map((c) => c.participantId)).size,
      iaeTotal: iae.length,
      iaePersons: new Set(iae.map((c) => c.participantId)).size,
      // The relation-entreprise objective: contracts that did not last the trial period.
      brokenDuringTrial: contracts.filter((c) => c.endReason === 'periode_essai').length,
    },
    barriers: {
      byCategoryShare: Object.fromEntries(Object.entries(barrierCounts).map(([k, n]) => [k, share(n, barrierMentions.length)])),
      // « Contribution à la réduction des freins »: found at the entries of the period, lifted in it.
      foundAtEntry: barrierMentions.length,
      liftedInPeriod: lifted.length,
      liftedByCategory: countBy(lifted, (b) => b.category),
    },
    // Equal access: who is oriented, who is integrated, by sex.
    equalAccess: {
      oriented: countBy(oriented, (p) => p.sex ?? 'INCONNU'),
      integrated: countBy(integrated, (p) => p.sex ?? 'INCONNU'),
      integrationRateWomen: share(oriented.filter((p) => p.sex === 'F' && inPeriod(p.integrationDate)).length, oriented.filter((p) => p.sex === 'F').length),
      integrationRateMen: share(oriented.filter((p) => p.sex === 'M' && inPeriod(p.integrationDate)).length, oriented.filter((p) => p.sex === 'M').length),
    },
    /** The pace of the actions, month by month. */
    pace: [...new Set([...Object.keys(paceSteps), ...Object.keys(paceContracts), ...Object.keys(paceExits)])]
      .sort()
      .map((month) => ({ month, steps: paceSteps[month] ?? 0, contracts: paceContracts[month] ?? 0, exits: paceExits[month] ?? 0 })),
    sectorWishes: Object.entries(wishCounts)
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr')),
    exits: {
      total: exitsInPeriod.length,
      positive: positives.length,
      positiveShare: share(positives.length, exitsInPeriod.length),
      byType: countBy(exitsInPeriod, (e) => e.type),
      byKind: {
        EMPLOI: positives.filter((e) => e.positiveKind === 'EMPLOI').length,
        CREATION: positives.filter((e) => e.positiveKind === 'CREATION').length,
        FORMATION: positives.filter((e) => e.positiveKind === 'FORMATION').length,
      },
      cdiAmongEmployment: positives.filter((e) => e.positiveKind === 'EMPLOI' && e.cdi).length,
      positiveWithoutProofs: positives.filter((e) => !e.proofsComplete).length,
      // Among them, those the referent declared (article 5: « déclarées en emploi … sans justificatifs »).
      positiveDeclared: positives.filter((e) => e.declared === true).length,
    },
    clauses: {
      marches: new Set(clauses.map((c) => c.procurementId)).size,
      hours: clauses.reduce((sum, c) => sum + c.hoursDone, 0),
      contracts: clauses.length,
      persons: new Set(clauses.map((c) => c.personId)).size,
      btpShare: share(clauses.filter((c) => c.procurementSector === 'BTP').length, clauses.length),
      byBuyer: clauseBreakdown(clauses, (c) => c.buyer),
      bySector: clauseBreakdown(clauses, (c) => c.procurementSector),
      marchesFollowed: followed.length,
      hoursValidatedInPeriod: hoursMonths.reduce((sum, h) => sum + h.hours, 0),
    },
    relation: {
      // Put to the person (proposed, interview, hire, not retained), and hired.
      misesEnRelation: placements.filter((p) => ['PROPOSEE', 'ENTRETIEN', 'EMBAUCHE', 'NON_RETENU'].includes(p.status)).length,
      hires: placements.filter((p) => p.status === 'EMBAUCHE').length,
      collectiveActions: actions,
    },
    objectives: {
      accompanied: accompanied.length,
      accompaniedRsa: accompanied.filter((p) => p.minimumIncome === 'RSA').length,
      positiveExitShare: share(positives.length, exitsInPeriod.length),
      withContractShare: share(withContract.size, accompanied.length),
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

export interface ClauseBreakdown {
  key: string;
  marches: number;
  hours: number;
  contracts: number;
  persons: number;
}

/** The clause figures per buyer or per sector, the most hours first (then by name, for a stable order). */
function clauseBreakdown(clauses: ReportClauseContract[], keyOf: (c: ReportClauseContract) => string): ClauseBreakdown[] {
  const groups = new Map<string, ReportClauseContract[]>();
  for (const c of clauses) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
  return [...groups.entries()]
    .map(([key, group]) => ({
      key,
      marches: new Set(group.map((c) => c.procurementId)).size,
      hours: group.reduce((sum, c) => sum + c.hoursDone, 0),
      contracts: group.length,
      persons: new Set(group.map((c) => c.personId)).size,
    }))
    .sort((a, b) => b.hours - a.hours || a.key.localeCompare(b.key));
}
