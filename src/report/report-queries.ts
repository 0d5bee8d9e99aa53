/**
 * The bilan's figures counted by PostgreSQL: one aggregate query per section, run side by side, so
 * that a PLIE of 100,000 people is counted without loading a record. They must equal
 * `aggregateRecords` over the same records (the rules' reference, table-tested): a test holds the two
 * together on generated histories.
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import type { CalendarDate } from '../domain/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { reportFromFigures, sortBreakdown, sortedCounts, type ClauseBreakdown, type Counts, type ReportCollectiveAction, type ReportFigures } from './evaluation.ts';

type Period = { from: CalendarDate; to: CalendarDate };

/** A timestamp (stored in UTC) as the day it was in Paris, as `parisDate` gives it. */
const parisDay = (column: Prisma.Sql) => Prisma.sql`((${column} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris')::date`;
/** Full years at entry, by the same rule as `ageOn`: a birthday not reached yet that year does not count. */
const AGE_AT_ENTRY = Prisma.raw(`(extract(year FROM p."integrationDate") - extract(year FROM p."birthDate")
  - CASE WHEN (extract(month FROM p."integrationDate"), extract(day FROM p."integrationDate")) < (extract(month FROM p."birthDate"), extract(day FROM p."birthDate")) THEN 1 ELSE 0 END)`);

const countsOf = (rows: Array<{ key: string | null; n: number }>): Counts => sortedCounts(rows.flatMap((r) => (r.key === null ? [] : [[r.key, r.n] as [string, number]])));

export async function queryReportFigures(db: Db, plieCode: string, period: Period): Promise<ReportFigures> {
  const from = Prisma.sql`${period.from}::date`;
  const to = Prisma.sql`${period.to}::date`;
  const between = (column: Prisma.Sql) => Prisma.sql`${column} BETWEEN ${from} AND ${to}`;
  const month = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM')`;

  const [integrated, oriented, barriers, wishes, accompanied, steps, contracts, exits, clauses, marches, relation, actions] = await Promise.all([
    // Integrated in the period: the totals, then per commune and per sex (grouping sets).
    db.$queryRaw<Array<{ set: string; key: string | null; n: number; women: number; low: number; rsa: number; a26: number; a45: number; qpv: number }>>`
      SELECT CASE WHEN GROUPING(p.commune) = 0 THEN 'commune' WHEN GROUPING(p.sex_key) = 0 THEN 'sex' ELSE 'all' END AS set,
             COALESCE(p.commune, p.sex_key) AS key, count(*)::int AS n,
             count(*) FILTER (WHERE p.sex = 'F')::int AS women,
             count(*) FILTER (WHERE p."qualificationLevel" <= 3)::int AS low,
             count(*) FILTER (WHERE p."minimumIncome" = 'RSA')::int AS rsa,
             count(*) FILTER (WHERE p.age BETWEEN 26 AND 44)::int AS a26,
             count(*) FILTER (WHERE p.age >= 45)::int AS a45,
             count(*) FILTER (WHERE p.qpv)::int AS qpv
      FROM (SELECT p.*, COALESCE(p.sex, 'INCONNU') AS sex_key, ${AGE_AT_ENTRY} AS age FROM "Participant" p
            WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`p."integrationDate"`)}) p
      GROUP BY GROUPING SETS ((), (p.commune), (p.sex_key))`,
    // Oriented in the period: per prescriber and per sex, and who of them was integrated in it.
    db.$queryRaw<Array<{ set: string; key: string | null; n: number; women: number; womenIn: number; men: number; menIn: number }>>`
      SELECT CASE WHEN GROUPING(p.prescriber) = 0 THEN 'prescriber' WHEN GROUPING(p.sex_key) = 0 THEN 'sex' ELSE 'all' END AS set,
             COALESCE(p.prescriber, p.sex_key) AS key, count(*)::int AS n,
             count(*) FILTER (WHERE p.sex = 'F')::int AS women,
             count(*) FILTER (WHERE p.sex = 'F' AND p.integrated)::int AS "womenIn",
             count(*) FILTER (WHERE p.sex = 'M')::int AS men,
             count(*) FILTER (WHERE p.sex = 'M' AND p.integrated)::int AS "menIn"
      FROM (SELECT p.prescriber, p.sex, COALESCE(p.sex, 'INCONNU') AS sex_key, COALESCE(${between(Prisma.sql`p."integrationDate"`)}, false) AS integrated
            FROM "Participant" p WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`p."orientationDate"`)}) p
      GROUP BY GROUPING SETS ((), (p.prescriber), (p.sex_key))`,
    // Barriers found at the entries of the period, and barriers lifted in it.
    db.$queryRaw<Array<{ set: string; key: string; n: number }>>`
      SELECT 'entry' AS set, b.category AS key, count(*)::int AS n FROM "Barrier" b JOIN "Participant" p ON p.id = b."participantId"
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`p."integrationDate"`)} GROUP BY b.category
      UNION ALL
      SELECT 'lifted', b.category, count(*)::int FROM "Barrier" b JOIN "Participant" p ON p.id = b."participantId"
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`b."closedOn"`)} GROUP BY b.category`,
    db.$queryRaw<Array<{ key: string; n: number }>>`
      SELECT w AS key, count(*)::int AS n FROM "Participant" p, unnest(p."sectorWishes") AS w
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`p."integrationDate"`)} GROUP BY w`,
    // Accompanied: integrated by the period's end, no exit before it began; days to the last exit
    // recorded (the greatest id, as the records' order gives it) or to the period's end.
    db.$queryRaw<Array<{ n: number; rsa: number; days: number; withContract: number }>>`
      WITH last_exit AS (
        SELECT DISTINCT ON (e."participantId") e."participantId", e.date FROM "Exit" e JOIN "Participant" p ON p.id = e."participantId"
        WHERE p."plieCode" = ${plieCode} ORDER BY e."participantId", e.id DESC
      ), accompanied AS (
        SELECT p.id, p."minimumIncome", p."integrationDate", le.date AS last_exit FROM "Participant" p
        LEFT JOIN last_exit le ON le."participantId" = p.id
        WHERE p."plieCode" = ${plieCode} AND p."integrationDate" <= ${to}
          AND NOT EXISTS (SELECT 1 FROM "Exit" e WHERE e."participantId" = p.id AND e.date < ${from})
      )
      SELECT count(*)::int AS n, count(*) FILTER (WHERE a."minimumIncome" = 'RSA')::int AS rsa,
             COALESCE(sum((CASE WHEN a.last_exit <= ${to} THEN a.last_exit ELSE ${to} END) - a."integrationDate"), 0)::float8 AS days,
             (SELECT count(DISTINCT c."participantId") FROM "WorkContract" c JOIN accompanied x ON x.id = c."participantId"
              WHERE ${between(Prisma.sql`c.start`)})::int AS "withContract"
      FROM accompanied a`,
    db.$queryRaw<Array<{ type: string; month: string; n: number }>>`
      SELECT s.type, ${month(Prisma.sql`s.start`)} AS month, count(*)::int AS n FROM "Step" s JOIN "Participant" p ON p.id = s."participantId"
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`s.start`)} GROUP BY s.type, month`,
    db.$queryRaw<Array<{ iae: boolean | null; month: string | null; n: number; persons: number; broken: number }>>`
      SELECT c.iae, ${month(Prisma.sql`c.start`)} AS month, count(*)::int AS n, count(DISTINCT c."participantId")::int AS persons,
             count(*) FILTER (WHERE c."endReason" = 'periode_essai')::int AS broken
      FROM "WorkContract" c JOIN "Participant" p ON p.id = c."participantId"
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`c.start`)}
      GROUP BY GROUPING SETS ((c.iae), (month))`,
    // Exits of the period: per type and kind, per month; days from entry (when known) to the exit.
    db.$queryRaw<Array<{ type: string | null; kind: string | null; month: string | null; n: number; cdi: number; withoutProofs: number; declared: number; days: number; known: number }>>`
      SELECT e.type, e."positiveKind" AS kind, ${month(Prisma.sql`e.date`)} AS month, count(*)::int AS n,
             count(*) FILTER (WHERE e.cdi)::int AS cdi, count(*) FILTER (WHERE NOT e."proofsComplete")::int AS "withoutProofs",
             count(*) FILTER (WHERE e.declared)::int AS declared,
             COALESCE(sum(e.date - p."integrationDate"), 0)::float8 AS days, count(p."integrationDate")::int AS known
      FROM "Exit" e JOIN "Participant" p ON p.id = e."participantId"
      WHERE p."plieCode" = ${plieCode} AND ${between(Prisma.sql`e.date`)}
      GROUP BY GROUPING SETS ((e.type, e."positiveKind"), (month))`,
    db.$queryRaw<Array<{ set: string; key: string | null; marches: number; hours: number; contracts: number; persons: number; btp: number }>>`
      SELECT CASE WHEN GROUPING(m.buyer) = 0 THEN 'buyer' WHEN GROUPING(m.sector) = 0 THEN 'sector' ELSE 'all' END AS set,
             COALESCE(m.buyer, m.sector) AS key, count(DISTINCT c."marcheId")::int AS marches, COALESCE(sum(c."hoursDone"), 0)::float8 AS hours,
             count(*)::int AS contracts, count(DISTINCT c."personId")::int AS persons, count(*) FILTER (WHERE m.sector = 'BTP')::int AS btp
      FROM "ClauseContract" c JOIN "Marche" m ON m.id = c."marcheId"
      WHERE m."plieCode" = ${plieCode} AND ${between(Prisma.sql`c.start`)}
      GROUP BY GROUPING SETS ((), (m.buyer), (m.sector))`,
    // Marchés whose span meets the period (open while no end, closed on their closing day), and the
    // hours validated for a month with a day in the period.
    db.$queryRaw<Array<{ followed: number; hours: number }>>`
      SELECT (SELECT count(*) FROM "Marche" m, LATERAL (SELECT COALESCE(m."end", ${parisDay(Prisma.sql`m."closedAt"`)}) AS ends) e
              WHERE m."plieCode" = ${plieCode} AND m.start <= ${to} AND (e.ends IS NULL OR e.ends >= ${from}))::int AS followed,
             (SELECT COALESCE(sum(h.hours), 0) FROM "HoursDeclaration" h JOIN "Marche" m ON m.id = h."marcheId"
              WHERE m."plieCode" = ${plieCode} AND h.status = 'VALIDEE'
                AND (h.month || '-31') COLLATE "C" >= ${period.from} AND (h.month || '-01') COLLATE "C" <= ${period.to})::float8 AS hours`,
    db.$queryRaw<Array<{ mises: number; hires: number }>>`
      SELECT count(*) FILTER (WHERE pl.status IN ('PROPOSEE', 'ENTRETIEN', 'EMBAUCHE', 'NON_RETENU'))::int AS mises,
             count(*) FILTER (WHERE pl.status = 'EMBAUCHE')::int AS hires
      FROM "Placement" pl JOIN "JobOffer" o ON o.id = pl."offerId"
      WHERE o."plieCode" = ${plieCode} AND ${between(parisDay(Prisma.sql`COALESCE(pl."updatedAt", pl."createdAt")`))}`,
    // The collective actions of the period, in their order, with what they led to (as `collectiveFigures` counts it).
    db.$queryRaw<Array<{ date: Date; kind: string; title: string; present: number; mises: number; hires: number }>>`
      SELECT ${parisDay(Prisma.sql`a."at"`)} AS date, a.kind, a.title,
             count(i.id) FILTER (WHERE i.status = 'PRESENT')::int AS present,
             count(i.id) FILTER (WHERE i."miseEnRelation" OR i.hired)::int AS mises,
             count(i.id) FILTER (WHERE i.hired)::int AS hires
      FROM "CollectiveAction" a LEFT JOIN "CollectiveInvitation" i ON i."actionId" = a.id
      WHERE a."plieCode" = ${plieCode} AND ${between(parisDay(Prisma.sql`a."at"`))}
      GROUP BY a.id ORDER BY date, a.id`,
  ]);

  const totals = <T extends { set: string }>(rows: T[]) => rows.find((r) => r.set === 'all')!;
  const ofSet = <T extends { set: string; key: string | null; n: number }>(rows: T[], set: string) => countsOf(rows.filter((r) => r.set === set));
  const allIntegrated = totals(integrated);
  const allOriented = totals(oriented);
  const kinds = exits.filter((r) => r.month === null);
  const positives = kinds.filter((r) => r.type === 'POSITIVE');
  const sumOf = (rows: typeof exits, pick: (r: (typeof exits)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const byKind = (kind: string) => sumOf(positives.filter((r) => r.kind === kind), (r) => r.n);
  const iae = (value: boolean) => contracts.find((r) => r.month === null && r.iae === value);
  const clauseRow = (row: (typeof clauses)[number]): ClauseBreakdown => ({ key: row.key ?? '', marches: row.marches, hours: row.hours, contracts: row.contracts, persons: row.persons });
  const allClauses = totals(clauses);
  const typeTotals = sortedCounts(kinds.map((r) => [r.type!, r.n]));
  const [acc] = accompanied;

  return {
    integrated: {
      total: allIntegrated.n,
      women: allIntegrated.women,
      lowQualification: allIntegrated.low,
      rsa: allIntegrated.rsa,
      age26to44: allIntegrated.a26,
      age45plus: allIntegrated.a45,
      qpv: allIntegrated.qpv,
      byCommune: ofSet(integrated, 'commune'),
      bySex: ofSet(integrated, 'sex'),
      barriers: countsOf(barriers.filter((r) => r.set === 'entry')),
      sectorWishes: countsOf(wishes),
    },
    oriented: {
      total: allOriented.n,
      byPrescriber: ofSet(oriented, 'prescriber'),
      bySex: ofSet(oriented, 'sex'),
      women: allOriented.women,
      womenIntegrated: allOriented.womenIn,
      men: allOriented.men,
      menIntegrated: allOriented.menIn,
    },
    accompanied: { total: acc!.n, rsa: acc!.rsa, days: acc!.days, withContract: acc!.withContract },
    steps: { byType: sortedCounts(steps.map((r) => [r.type, r.n])), byMonth: sortedCounts(steps.map((r) => [r.month, r.n])) },
    contracts: {
      total: iae(false)?.n ?? 0,
      persons: iae(false)?.persons ?? 0,
      iaeTotal: iae(true)?.n ?? 0,
      iaePersons: iae(true)?.persons ?? 0,
      brokenDuringTrial: (iae(false)?.broken ?? 0) + (iae(true)?.broken ?? 0),
      byMonth: sortedCounts(contracts.flatMap((r) => (r.month === null ? [] : [[r.month, r.n] as [string, number]]))),
    },
    exits: {
      byType: typeTotals,
      positive: sumOf(positives, (r) => r.n),
      byKind: { EMPLOI: byKind('EMPLOI'), CREATION: byKind('CREATION'), FORMATION: byKind('FORMATION') },
      cdiAmongEmployment: sumOf(positives.filter((r) => r.kind === 'EMPLOI'), (r) => r.cdi),
      positiveWithoutProofs: sumOf(positives, (r) => r.withoutProofs),
      positiveDeclared: sumOf(positives, (r) => r.declared),
      byMonth: sortedCounts(exits.flatMap((r) => (r.month === null ? [] : [[r.month, r.n] as [string, number]]))),
      days: { sum: sumOf(kinds, (r) => r.days), count: sumOf(kinds, (r) => r.known) },
      positiveDays: { sum: sumOf(positives, (r) => r.days), count: sumOf(positives, (r) => r.known) },
    },
    liftedBarriers: countsOf(barriers.filter((r) => r.set === 'lifted')),
    clauses: {
      total: clauseRow({ ...allClauses, key: '' }),
      btp: allClauses.btp,
      byBuyer: sortBreakdown(clauses.filter((r) => r.set === 'buyer').map(clauseRow)),
      bySector: sortBreakdown(clauses.filter((r) => r.set === 'sector').map(clauseRow)),
      marchesFollowed: marches[0]!.followed,
      hoursValidated: marches[0]!.hours,
    },
    relation: {
      misesEnRelation: relation[0]!.mises,
      hires: relation[0]!.hires,
      collectiveActions: actions.map(
        (a): ReportCollectiveAction => ({ date: a.date.toISOString().slice(0, 10), kind: a.kind, title: a.title, present: a.present, misesEnRelation: a.mises, hires: a.hires }),
      ),
    },
  };
}

/** The bilan of one PLIE for a period, counted in the database. */
export async function queryReport(db: Db, plieCode: string, config: PlieConfig, period: Period) {
  return reportFromFigures(config, await queryReportFigures(db, plieCode, period), period);
}
