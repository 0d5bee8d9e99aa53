import type { Db } from '../src/db/client.ts';
import { toDbDate } from '../src/db/dates.ts';
import { uuidFromKey } from '../src/db/ids.ts';
import { assessRecord, decisive, noticed } from '../src/participants/assess.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import { audit } from '../src/db/audit.ts';
import { commissionMembersOf, coordinatorsOf, staffByEmail } from '../src/staff/directory.ts';
import { SYSTEM, writeExit, writeFseDataPoint, writeOne, writePathwayFact, writeStage, writeTaskClosed, writeTaskOpened, type PathwayWrite } from './pathway-writes.ts';

export type { PathwayFact } from '../src/domain/pathway/commands.ts';

/** Projection of the workflows' state and facts into PostgreSQL; each call is idempotent. */
export function createPathwayActivities(db: Db, plieConfig: (code: string) => Promise<PlieConfig>) {
  return {
    /** The staff id of the person's referent, for the pathway's search attribute (null: not of the staff). */
    async referentStaffId(args: { participantId: string; email: string }): Promise<string | null> {
      const participant = await db.participant.findUnique({ where: { id: args.participantId }, select: { plieCode: true } });
      return participant ? ((await staffByEmail(db, participant.plieCode, args.email))?.id ?? null) : null;
    },

    async recordStage(args: Parameters<typeof writeStage>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writeStage(tx, args));
    },

    async openTask(args: Parameters<typeof writeTaskOpened>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writeTaskOpened(tx, args));
    },

    async closeTask(args: Parameters<typeof writeTaskClosed>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writeTaskClosed(tx, args));
    },

    /** Article 3 at orientation, on the participant's recorded facts; the result is kept for staff. */
    async assessEligibility(args: { participantId: string; on: CalendarDate }): Promise<{ decision: 'eligible' | 'not_eligible' | 'to_review'; reasons: string[] }> {
      const p = await db.participant.findUniqueOrThrow({ where: { id: args.participantId }, include: { exits: true, pathways: { select: { id: true, entryDate: true, createdAt: true } } } });
      const config = await plieConfig(p.plieCode);
      const { orientedOn, result } = assessRecord(config, p, args.on);
      const reasons = decisive(result);
      const every = result.reasons.map((r) => ({ ...r }));
      await db.$transaction(async (tx) => {
        await tx.participant.update({ where: { id: p.id }, data: { eligibility: { decision: result.decision, on: args.on, reasons: every, priorities: result.priorities.map((x) => x.code) } } });
        const assessment = { participantId: p.id, on: toDbDate(args.on), orientedOn: toDbDate(orientedOn), decision: result.decision, reasons: every, source: 'orientation', actor: SYSTEM };
        const id = uuidFromKey(`${p.id}/eligibility/${args.on}`);
        await tx.eligibilityAssessment.upsert({ where: { id }, create: { id, ...assessment }, update: {} });
        await audit(tx, {
          idempotencyKey: `${p.id}/eligibility/${args.on}`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'participant.eligibility',
          entityType: 'participant',
          entityId: p.id,
          details: { decision: result.decision, reasons, notices: noticed(result) },
        });
      });
      // Reason codes only: the workflow history carries no personal detail.
      return { decision: result.decision, reasons };
    },

    async recordPathwayFact(args: Parameters<typeof writePathwayFact>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writePathwayFact(tx, args));
    },

    async recordExit(args: Parameters<typeof writeExit>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writeExit(tx, args));
    },

    /** FSE+ data points at entry, exit and six months after (labour-market status; the rest is read from the file). */
    async recordFseDataPoint(args: Parameters<typeof writeFseDataPoint>[1]): Promise<void> {
      await db.$transaction(async (tx) => await writeFseDataPoint(tx, args));
    },

    /**
     * What one move of the pathway writes (its stage, the task closed and the next opened, its
     * facts…), in one transaction and in the order given: one activity instead of one per write.
     */
    async recordTransition(args: { writes: PathwayWrite[] }): Promise<void> {
      await db.$transaction(async (tx) => {
        for (const w of args.writes) await writeOne(tx, w);
      });
    },

    async recordCommissionCase(args: { caseId: string; pathwayId: string; criterion: string; openedAt: string; deadline: string; panel?: string; panelWhy?: string | null }): Promise<void> {
      const panel = { panel: args.panel ?? 'commission', panelWhy: args.panelWhy ?? null };
      await db.commissionCase.upsert({
        where: { id: args.caseId },
        create: { id: args.caseId, pathwayId: args.pathwayId, criterion: args.criterion, openedAt: new Date(args.openedAt), deadline: new Date(args.deadline), ...panel },
        update: {},
      });
    },

    /** Who may sit today: the PLIE's commission ad hoc (roster and configuration) and its coordination. */
    async commissionRoster(args: { plieCode: string }): Promise<{ members: string[]; coordinators: string[] }> {
      const config = await plieConfig(args.plieCode);
      return { members: await commissionMembersOf(db, config), coordinators: await coordinatorsOf(db, args.plieCode) };
    },

    async recordCommissionVote(args: { caseId: string; member: string; vote: string; comment: string | null; at: string; sequence: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const commissionCase = await tx.commissionCase.findUniqueOrThrow({ where: { id: args.caseId }, include: { pathway: { include: { participant: true } } } });
        const plieCode = commissionCase.pathway.participant.plieCode;
        const staff = await tx.staff.upsert({
          where: { plieCode_email: { plieCode, email: args.member } },
          create: { plieCode, email: args.member, name: args.member, roles: ['commission'] },
          update: {},
        });
        const vote = { vote: args.vote, comment: args.comment, votedAt: new Date(args.at) };
        await tx.commissionVote.upsert({
          where: { caseId_staffId: { caseId: args.caseId, staffId: staff.id } },
          create: { caseId: args.caseId, staffId: staff.id, ...vote },
          update: vote,
        });
        await audit(tx, {
          idempotencyKey: `${args.caseId}/vote/${args.sequence}`,
          actor: args.member,
          channel: 'workflow',
          action: 'commission.vote',
          entityType: 'commission_case',
          entityId: args.caseId,
        });
      });
    },

    /**
     * A vote that ended without a result: its case is closed as interrupted and its open vote tasks
     * cancelled, in one transaction. Returns the case's cancelled tasks (the same on a retry), whose
     * messages then show it.
     */
    async closeInterruptedCommission(args: { caseId: string; closedAt: string }): Promise<{ cancelledTaskIds: string[] }> {
      const closedAt = new Date(args.closedAt);
      return await db.$transaction(async (tx) => {
        await tx.commissionCase.updateMany({ where: { id: args.caseId, outcome: 'OUVERT' }, data: { outcome: 'interrupted', closedAt } });
        await tx.task.updateMany({ where: { commissionCaseId: args.caseId, status: 'open' }, data: { status: 'cancelled', answeredAt: closedAt, answeredBy: SYSTEM, channel: 'workflow' } });
        await audit(tx, {
          idempotencyKey: `${args.caseId}/interrupted`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'commission.interrupted',
          entityType: 'commission_case',
          entityId: args.caseId,
        });
        const cancelled = await tx.task.findMany({ where: { commissionCaseId: args.caseId, status: 'cancelled' }, select: { id: true }, orderBy: { id: 'asc' } });
        return { cancelledTaskIds: cancelled.map((t) => t.id) };
      });
    },

    async closeCommissionCase(args: { caseId: string; outcome: string; closedAt: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.commissionCase.update({ where: { id: args.caseId }, data: { outcome: args.outcome, closedAt: new Date(args.closedAt) } });
        await audit(tx, {
          idempotencyKey: `${args.caseId}/close`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'commission.close',
          entityType: 'commission_case',
          entityId: args.caseId,
          details: { outcome: args.outcome },
        });
      });
    },
  };
}
