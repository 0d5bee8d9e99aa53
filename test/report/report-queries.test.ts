/**
 * The bilan counted by PostgreSQL equals the rules' reference (`aggregateRecords` over every record
 * loaded in memory), figure for figure, on a generated history full of edge cases: birthdays on
 * 29 February, several exits per person, exits before the period, marchés closed at night, decisions
 * taken just before or after midnight in Paris, people with nothing known.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { addDays, type CalendarDate } from '../../src/domain/dates.ts';
import { aggregateRecords, computeReport } from '../../src/report/evaluation.ts';
import { queryReport, queryReportFigures } from '../../src/report/report-queries.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { loadReportRecords } from '../helpers/report-records.ts';

const PLIE = `RQ_${randomBytes(4).toString('hex').toUpperCase()}`;
let db: Db;

// A fixed seed: the same history on every run, whatever the day.
let seed = 20261201;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const maybe = <T>(value: T, chance = 0.5) => (random() < chance ? value : null);
const dayIn = (from: CalendarDate, span: number) => addDays(from, Math.floor(random() * span));
/** An instant near a Paris midnight (22:00 to 00:59 UTC), when the day in Paris and in UTC differ. */
const nearMidnight = (day: CalendarDate) => new Date(Date.parse(`${day}T22:00:00Z`) + Math.floor(random() * 3) * 3_600_000 + Math.floor(random() * 60) * 60_000);

async function generateHistory(people: number) {
  const ids = Array.from({ length: people }, () => randomUUID());
  await db.participant.createMany({
    data: ids.map((id, i) => {
      const orientation = maybe(dayIn('2019-01-01', 1500), 0.9);
      const integration = orientation && random() < 0.8 ? addDays(orientation, Math.floor(random() * 90)) : null;
      return {
        id,
        plieCode: PLIE,
        firstName: `Prénom${i}`,
        lastName: `Nom${i}`,
        identityKey: `nom${i}|prenom|${i}`,
        sex: pick(['F', 'M', null]),
        birthDate: toDbDate(i % 17 === 0 ? pick(['1980-02-29', '1996-02-29', '1976-03-01']) : dayIn('1960-01-01', 15_000)),
        commune: pick(['Antibes', 'ANTIBES', 'Vallauris', 'Biot', 'Valbonne', 'Ailleurs', null]),
        qualificationLevel: pick([null, 1, 2, 3, 4, 5, 6, 7, 8]),
        minimumIncome: pick(['RSA', 'ASS', 'AUTRE', 'AUCUN', null]),
        qpv: random() < 0.3,
        prescriber: pick(['CD06', 'FRANCE_TRAVAIL', 'SPONTANE', 'MISSION_LOCALE', null]),
        orientationDate: orientation ? toDbDate(orientation) : null,
        integrationDate: integration ? toDbDate(integration) : null,
        sectorWishes: random() < 0.4 ? [pick(['Propreté', 'BTP', 'Espaces verts']), ...(random() < 0.3 ? ['Logistique'] : [])] : [],
        createdBy: 'test',
      };
    }),
  });
  const integrated = (await db.participant.findMany({ where: { plieCode: PLIE, integrationDate: { not: null } }, select: { id: true, integrationDate: true } })).map((p) => ({
    id: p.id,
    entry: p.integrationDate!.toISOString().slice(0, 10),
  }));
  await db.barrier.createMany({
    data: integrated.flatMap((p) =>
      Array.from({ length: Math.floor(random() * 3) }, () => ({ participantId: p.id, category: pick(['MOBILITE', 'SANTE', 'LOGEMENT', 'GARDE_ENFANTS']), closedOn: maybe(toDbDate(dayIn(p.entry, 700))) })),
    ),
  });
  await db.step.createMany({
    data: integrated.flatMap((p) => Array.from({ length: Math.floor(random() * 4) }, () => ({ participantId: p.id, type: pick(['FORMATION', 'STAGE', 'ACCOMPAGNEMENT']), start: toDbDate(dayIn(p.entry, 600)), status: 'TERMINEE' }))),
  });
  await db.workContract.createMany({
    data: integrated.flatMap((p) =>
      Array.from({ length: Math.floor(random() * 3) }, () => ({ participantId: p.id, type: pick(['CDD', 'CDI', 'INTERIM']), start: toDbDate(dayIn(p.entry, 600)), iae: random() < 0.3, endReason: maybe('periode_essai', 0.15) })),
    ),
  });
  // Some people exit twice (a re-entry); one exit in twenty comes before the entry (a mistaken date).
  await db.exit.createMany({
    data: integrated.flatMap((p) =>
      Array.from({ length: random() < 0.15 ? 2 : random() < 0.6 ? 1 : 0 }, () => {
        const type = pick(['POSITIVE', 'POSITIVE', 'ADMINISTRATIVE', 'AUTRE']);
        return {
          participantId: p.id,
          date: toDbDate(random() < 0.05 ? addDays(p.entry, -10) : dayIn(p.entry, 800)),
          type,
          positiveKind: type === 'POSITIVE' ? pick(['EMPLOI', 'EMPLOI', 'CREATION', 'FORMATION']) : null,
          cdi: random() < 0.4,
          proofsComplete: random() < 0.6,
          declared: random() < 0.2,
        };
      }),
    ),
  });
  for (let m = 0; m < 6; m++) {
    const start = dayIn('2019-01-01', 1200);
    const marche = await db.procurement.create({
      data: {
        plieCode: PLIE,
        externalId: `M-${m}`,
        buyer: pick(['CASA', 'Ville d’Antibes', 'Département']),
        title: `Marché ${m}`,
        sector: pick(['BTP', 'Propreté']),
        plannedHours: 1000,
        start: toDbDate(start),
        end: m % 3 === 0 ? null : toDbDate(addDays(start, 300)),
        // Closed on an evening in Paris that is already the next day in UTC, or not at all.
        closedAt: m % 3 === 0 && m > 0 ? nearMidnight(addDays(start, 400)) : null,
      },
    });
    await db.clauseContract.createMany({
      data: Array.from({ length: 5 }, (_, n) => ({ procurementId: marche.id, personId: `C${m}-${n % 3}`, type: 'CDD', start: toDbDate(dayIn(start, 400)), hoursDone: Math.floor(random() * 500) })),
    });
    await db.hoursDeclaration.createMany({
      data: Array.from({ length: 8 }, (_, n) => ({
        procurementId: marche.id,
        personId: `C${m}-0`,
        month: addDays(start, n * 31).slice(0, 7),
        hours: Math.floor(random() * 300) / 2,
        status: n % 3 === 0 ? 'DECLAREE' : 'VALIDEE',
        declaredBy: 'test',
        declaredAt: new Date(Date.parse(`${start}T12:00:00Z`)),
      })),
      skipDuplicates: true,
    });
  }
  const offer = await db.jobOffer.create({ data: { plieCode: PLIE, company: 'Entreprise', jobTitle: 'Agent·e', sector: 'Propreté', contractType: 'CDD', createdBy: 'test' } });
  await db.placement.createMany({
    data: ids.slice(0, 60).map((participantId) => ({
      offerId: offer.id,
      participantId,
      wish: 'Propreté',
      status: pick(['A_PROPOSER', 'NON_PROPOSEE', 'PROPOSEE', 'ENTRETIEN', 'EMBAUCHE', 'NON_RETENU']),
      createdAt: nearMidnight(dayIn('2019-06-01', 1000)),
      updatedAt: maybe(nearMidnight(dayIn('2020-01-01', 1000))),
    })),
  });
  for (let a = 0; a < 12; a++) {
    const action = await db.collectiveAction.create({
      data: { plieCode: PLIE, kind: pick(['ATELIER_DECOUVERTE', 'JOB_DATING']), title: `Atelier ${a % 5}`, at: nearMidnight(dayIn('2019-06-01', 1000)), durationMinutes: 120, place: 'Antibes', organizerEmail: 'coordination@plie.test', createdBy: 'test' },
    });
    // One action in four has nobody invited yet.
    if (a % 4 !== 0) {
      await db.collectiveInvitation.createMany({
        data: ids.slice(a * 7, a * 7 + 7).map((participantId) => ({ actionId: action.id, participantId, status: pick(['INVITE', 'PRESENT', 'ABSENT']), miseEnRelation: random() < 0.3, hired: random() < 0.15 })),
      });
    }
  }
}

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  await generateHistory(600);
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('the bilan counted in the database', () => {
  const periods: Array<{ from: CalendarDate; to: CalendarDate }> = [
    { from: '2019-01-01', to: '2023-12-31' },
    { from: '2020-03-01', to: '2020-03-31' },
    { from: '2021-02-28', to: '2022-02-28' },
    { from: '2024-06-01', to: '2024-06-01' },
    { from: '2030-01-01', to: '2030-12-31' },
  ];

  it.each(periods)('equals the reference over the records, $from to $to', async (period) => {
    const records = await loadReportRecords(db, PLIE);
    const figures = await queryReportFigures(db, PLIE, period);
    expect(figures).toEqual(aggregateRecords(records, period));
    // And so the whole bilan, the keys of its tables in the same order.
    const report = await queryReport(db, PLIE, CASA_CONFIG, period);
    expect(JSON.stringify(report)).toBe(JSON.stringify(computeReport(CASA_CONFIG, records, period)));
  });

  it('is not an empty bilan: the generated history reaches every section', async () => {
    const report = await queryReport(db, PLIE, CASA_CONFIG, periods[0]!);
    expect(report.public.integrated).toBeGreaterThan(100);
    expect(report.public.byCommune.Antibes).toBeGreaterThan(0);
    expect(report.public.byCommune.ANTIBES).toBeUndefined();
    expect(report.steps.total).toBeGreaterThan(0);
    expect(report.contracts.brokenDuringTrial).toBeGreaterThan(0);
    expect(report.exits.positiveDeclared).toBeGreaterThan(0);
    expect(report.barriers.liftedInPeriod).toBeGreaterThan(0);
    expect(report.clauses.byBuyer.length).toBeGreaterThan(1);
    expect(report.clauses.hoursValidatedInPeriod).toBeGreaterThan(0);
    expect(report.relation.hires).toBeGreaterThan(0);
    expect(report.relation.collectiveActions.length).toBeGreaterThan(0);
    expect(report.durations.meanMonthsAccompanied).toBeGreaterThan(0);
  });

  it('counts nothing of another PLIE', async () => {
    const report = await queryReport(db, `${PLIE}_VIDE`, CASA_CONFIG, periods[0]!);
    expect(report.public.integrated).toBe(0);
    expect(report.clauses.contracts).toBe(0);
    expect(report.relation).toEqual({ misesEnRelation: 0, hires: 0, collectiveActions: [] });
    expect(report.durations).toEqual({ meanMonths: 0, meanMonthsPositive: 0, meanMonthsAccompanied: 0 });
  });
});
