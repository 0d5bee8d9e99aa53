import type { Db } from '../../src/db/client.ts';
import { fromDbDate } from '../../src/db/dates.ts';
import type { ReportRecords } from '../../src/report/evaluation.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { collectiveFigures, type InvitationFacts } from '../../src/domain/collective-actions.ts';

const optionalDay = (d: Date | null) => (d ? fromDbDate(d) : null);

/** Every record the report counts, for one PLIE: the input of `aggregateRecords`, the reference the SQL figures must equal. */
export async function loadReportRecords(db: Db, plieCode: string): Promise<ReportRecords> {
  const ofPlie = { participant: { plieCode } };
  // A fixed order: the same records always give the same figures, to the last decimal.
  const byId = { id: 'asc' } as const;
  const [participants, steps, contracts, exits, clauses, placements, actions, procurements, validatedHours] = await Promise.all([
    db.participant.findMany({ where: { plieCode }, include: { barriers: { select: { category: true, closedOn: true }, orderBy: byId } }, orderBy: byId }),
    db.step.findMany({ where: ofPlie, select: { participantId: true, type: true, start: true }, orderBy: byId }),
    db.workContract.findMany({ where: ofPlie, select: { participantId: true, start: true, iae: true, endReason: true }, orderBy: byId }),
    db.exit.findMany({ where: ofPlie, orderBy: byId }),
    db.clauseContract.findMany({ where: { procurement: { plieCode } }, include: { procurement: { select: { sector: true, buyer: true } } }, orderBy: byId }),
    db.jobOffer.findMany({ where: { plieCode }, select: { id: true } }).then((offers) =>
      db.placement.findMany({ where: { offerId: { in: offers.map((o) => o.id) } }, select: { status: true, createdAt: true, updatedAt: true }, orderBy: byId }),
    ),
    db.collectiveAction.findMany({ where: { plieCode }, include: { invitations: true }, orderBy: byId }),
    db.procurement.findMany({ where: { plieCode }, select: { id: true, start: true, end: true, closedAt: true }, orderBy: byId }),
    db.hoursDeclaration.findMany({ where: { procurement: { plieCode }, status: 'VALIDEE' }, select: { procurementId: true, month: true, hours: true }, orderBy: byId }),
  ]);
  return {
    participants: participants.map((p) => ({
      id: p.id,
      sex: p.sex,
      birthDate: fromDbDate(p.birthDate),
      commune: p.commune,
      qualificationLevel: p.qualificationLevel,
      minimumIncome: p.minimumIncome,
      qpv: p.qpv,
      prescriber: p.prescriber,
      orientationDate: optionalDay(p.orientationDate),
      integrationDate: optionalDay(p.integrationDate),
      barriers: p.barriers.map((b) => b.category),
      sectorWishes: p.sectorWishes,
      liftedBarriers: p.barriers.flatMap((b) => (b.closedOn ? [{ category: b.category, on: fromDbDate(b.closedOn) }] : [])),
    })),
    steps: steps.map((s) => ({ ...s, start: fromDbDate(s.start) })),
    contracts: contracts.map((c) => ({ ...c, start: fromDbDate(c.start) })),
    exits: exits.map((e) => ({
      participantId: e.participantId,
      date: fromDbDate(e.date),
      type: e.type,
      positiveKind: e.positiveKind,
      cdi: e.cdi,
      proofsComplete: e.proofsComplete,
      declared: e.declared,
    })),
    clauses: clauses.map((c) => ({
      procurementId: c.procurementId,
      procurementSector: c.procurement.sector,
      buyer: c.procurement.buyer,
      personId: c.personId,
      start: fromDbDate(c.start),
      hoursDone: c.hoursDone,
    })),
    procurements: procurements.map((m) => ({
      id: m.id,
      start: fromDbDate(m.start),
      end: m.end ? fromDbDate(m.end) : m.closedAt ? parisDate(m.closedAt) : null,
    })),
    validatedHours,
    placements: placements.map((p) => ({ date: parisDate(p.updatedAt ?? p.createdAt), status: p.status })),
    collectiveActions: actions.map((a) => {
      const figures = collectiveFigures(a.invitations.map((i) => ({ status: i.status as InvitationFacts['status'], miseEnRelation: i.miseEnRelation, hired: i.hired })));
      return { date: parisDate(a.at), kind: a.kind, title: a.title, present: figures.present, misesEnRelation: figures.misesEnRelation, hires: figures.hires };
    }),
  };
}
