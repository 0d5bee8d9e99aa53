import type { Db } from '../src/db/client.ts';
import { fseEntry } from '../src/domain/fse.ts';
import { fromDbDate, toDbDate } from '../src/db/dates.ts';
import { uuidFromKey } from '../src/db/ids.ts';
import { assessRecord, decisive, noticed } from '../src/participants/assess.ts';
import { parisDate, type CalendarDate } from '../src/domain/dates.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import type { AnyTaskAnswer, AssigneeRole, Stage, TaskKind } from '../src/domain/tasks.ts';
import type { PathwayFact } from '../src/domain/pathway/commands.ts';
import type { ExitState } from '../src/domain/pathway/state.ts';
import { audit } from '../src/db/audit.ts';
import { commissionMembersOf, coordinatorsOf, staffByEmail } from '../src/staff/directory.ts';

const SYSTEM = 'système';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * One monthly check's hours paid, on the contract the follow-up is about (the last one recorded),
 * and the contract's total; nothing when no contract is recorded.
 */
async function keepPaidHours(tx: Tx, task: { id: string; pathwayId: string }, hours: number, answeredAt: Date): Promise<void> {
  const on = toDbDate(parisDate(answeredAt.getTime()));
  const { participantId } = await tx.pathway.findUniqueOrThrow({ where: { id: task.pathwayId }, select: { participantId: true } });
  const contract = await tx.workContract.findFirst({ where: { participantId }, orderBy: [{ start: 'desc' }, { id: 'asc' }] });
  if (!contract) return;
  const id = uuidFromKey(`${task.id}/hours`);
  await tx.paidHours.upsert({ where: { id }, create: { id, contractId: contract.id, on, hours, taskId: task.id }, update: {} });
  const total = await tx.paidHours.aggregate({ where: { contractId: contract.id }, _sum: { hours: true } });
  await tx.workContract.update({ where: { id: contract.id }, data: { hoursPaid: total._sum.hours } });
}

/**
 * The referent history (ReferentAssignment): the open assignment closed and the new one opened on
 * that day; nothing when the pathway's referent is already the open one (a retry, another stage).
 */
async function assignReferent(tx: Tx, pathwayId: string, email: string, on: Date): Promise<void> {
  const open = await tx.referentAssignment.findFirst({ where: { pathwayId, until: null }, include: { staff: true } });
  if (open && open.staff.email.toLowerCase() === email.toLowerCase()) return;
  const { participant } = await tx.pathway.findUniqueOrThrow({ where: { id: pathwayId }, select: { participant: { select: { plieCode: true } } } });
  const staff = await tx.staff.findFirst({ where: { plieCode: participant.plieCode, email: { equals: email, mode: 'insensitive' } } });
  if (open) await tx.referentAssignment.update({ where: { id: open.id }, data: { until: on } });
  if (staff) await tx.referentAssignment.create({ data: { pathwayId, staffId: staff.id, from: on } });
}

export type { PathwayFact } from '../src/domain/pathway/commands.ts';

/** Projection of the workflows' state and facts into PostgreSQL; each call is idempotent. */
export function createPathwayActivities(db: Db, plieConfig: (code: string) => Promise<PlieConfig>) {
  return {
    /** The staff id of the person's referent, for the pathway's search attribute (null: not of the staff). */
    async referentStaffId(args: { participantId: string; email: string }): Promise<string | null> {
      const participant = await db.participant.findUnique({ where: { id: args.participantId }, select: { plieCode: true } });
      return participant ? ((await staffByEmail(db, participant.plieCode, args.email))?.id ?? null) : null;
    },

    async recordStage(args: {
      pathwayId: string;
      participantId: string;
      stage: Stage;
      referentEmail: string | null;
      entryDate: CalendarDate | null;
      /** Workflow time of the move: a stage may be entered again later (back to the active pathway). */
      at?: string;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.pathway.update({
          where: { id: args.pathwayId },
          data: {
            stage: args.stage,
            referentEmail: args.referentEmail,
            entryDate: args.entryDate ? toDbDate(args.entryDate) : null,
          },
        });
        if (args.referentEmail) await assignReferent(tx, args.pathwayId, args.referentEmail, toDbDate(parisDate(args.at ? Date.parse(args.at) : Date.now())));
        await audit(tx, {
          idempotencyKey: `${args.pathwayId}/stage/${args.stage}${args.at ? `/${args.at}` : ''}`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'pathway.stage',
          entityType: 'pathway',
          entityId: args.pathwayId,
          details: { stage: args.stage },
        });
      });
    },

    async openTask(args: {
      id: string;
      pathwayId: string;
      kind: TaskKind;
      assigneeEmail: string;
      assigneeRole?: AssigneeRole;
      openedAt: string;
      dueDate: CalendarDate;
      /** A commission member's vote: its case. */
      commissionCaseId?: string;
      /** A proof request: what it asks for. */
      proofKind?: string;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.task.upsert({
          where: { id: args.id },
          create: {
            id: args.id,
            pathwayId: args.pathwayId,
            kind: args.kind,
            assigneeEmail: args.assigneeEmail || null,
            assigneeRole: args.assigneeRole ?? (args.kind === 'assign_referent' ? 'coordinator' : 'referent'),
            status: 'open',
            dueDate: toDbDate(args.dueDate),
            openedAt: new Date(args.openedAt),
            commissionCaseId: args.commissionCaseId ?? null,
            proofKind: args.proofKind ?? null,
          },
          update: {},
        });
        await audit(tx, {
          idempotencyKey: `${args.id}/open`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'task.open',
          entityType: 'task',
          entityId: args.id,
          details: { kind: args.kind, dueDate: args.dueDate },
        });
      });
    },

    async closeTask(args: {
      taskId: string;
      /** done: answered; expired: lapsed unanswered; cancelled: no longer relevant. */
      status?: 'done' | 'expired' | 'cancelled';
      answer: AnyTaskAnswer | null;
      actor: string;
      channel: string;
      answeredAt: string;
    }): Promise<void> {
      const status = args.status ?? 'done';
      await db.$transaction(async (tx) => {
        const task = await tx.task.update({
          where: { id: args.taskId },
          data: {
            status,
            ...(args.answer ? { answer: args.answer } : {}),
            answeredBy: args.actor,
            channel: args.channel,
            answeredAt: new Date(args.answeredAt),
          },
        });
        // The diagnostic's entry date is the integration date the bilan counts; its barriers are
        // opened that day; it validates the sector wishes and availability job offers are matched on.
        const integration =
          task.kind === 'diagnostic_decision' && status === 'done'
            ? (args.answer as { decision?: string; entryDate?: CalendarDate; barriers?: string[]; sectorWishes?: string[]; availableFrom?: CalendarDate; maxWeeklyHours?: number } | null)
            : null;
        if (integration?.decision === 'integrate') {
          const pathway = await tx.pathway.findUniqueOrThrow({ where: { id: task.pathwayId } });
          await tx.participant.update({
            where: { id: pathway.participantId },
            data: {
              ...(integration.entryDate ? { integrationDate: toDbDate(integration.entryDate) } : {}),
              ...(integration.sectorWishes?.length ? { sectorWishes: integration.sectorWishes } : {}),
              ...(integration.availableFrom ? { availableFrom: toDbDate(integration.availableFrom) } : {}),
              ...(integration.maxWeeklyHours ? { maxWeeklyHours: integration.maxWeeklyHours } : {}),
            },
          });
          const openedOn = integration.entryDate ? toDbDate(integration.entryDate) : null;
          // One row per barrier and diagnostic, whatever the retries.
          await tx.barrier.createMany({
            data: [...new Set(integration.barriers ?? [])].map((category) => ({ id: uuidFromKey(`${args.taskId}/barrier/${category}`), participantId: pathway.participantId, category, openedOn })),
            skipDuplicates: true,
          });
        }
        // The hours a monthly check says were paid are kept with the contract it follows up.
        const check = task.kind === 'follow_up_check' && status === 'done' ? (args.answer as { hours?: number } | null) : null;
        if (check?.hours !== undefined) await keepPaidHours(tx, task, check.hours, new Date(args.answeredAt));
        await audit(tx, {
          idempotencyKey: `${args.taskId}/${status === 'done' ? 'answer' : status}`,
          actor: args.actor,
          channel: args.channel,
          action: status === 'done' ? 'task.answer' : `task.${status}`,
          entityType: 'task',
          entityId: args.taskId,
        });
      });
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

    async recordPathwayFact(args: {
      pathwayId: string;
      participantId: string;
      key: string;
      fact: PathwayFact;
      actor: string;
      channel: string;
      at: string;
    }): Promise<void> {
      const { fact, participantId } = args;
      await db.$transaction(async (tx) => {
        switch (fact.kind) {
          case 'step': {
            const id = uuidFromKey(fact.stepId);
            const data = { type: fact.stepType, start: toDbDate(fact.start), end: fact.end ? toDbDate(fact.end) : null, status: fact.status };
            await tx.step.upsert({ where: { id }, create: { id, participantId, ...data }, update: data });
            break;
          }
          case 'contact':
          case 'absence': {
            const id = uuidFromKey(args.key);
            const kind = fact.kind === 'contact' ? fact.mode : 'rendez-vous';
            const status = fact.kind === 'contact' ? 'HONORE' : 'ABSENT';
            await tx.appointment.upsert({
              where: { id },
              create: { id, pathwayId: args.pathwayId, kind, at: toDbDate(fact.date), status, createdBy: args.actor },
              update: {},
            });
            break;
          }
          case 'appointment': {
            const id = uuidFromKey(fact.appointmentId);
            await tx.appointment.upsert({
              where: { id },
              create: {
                id,
                pathwayId: args.pathwayId,
                kind: fact.first ? 'PREMIER_ENTRETIEN' : 'ENTRETIEN',
                at: new Date(fact.at),
                place: fact.place,
                durationMinutes: fact.durationMinutes,
                status: 'PREVU',
                createdBy: args.actor,
              },
              update: {},
            });
            break;
          }
          // The row keeps the appointment as it now stands; each change is in the audit.
          case 'appointmentMoved':
            await tx.appointment.update({ where: { id: uuidFromKey(fact.appointmentId) }, data: { at: new Date(fact.at), place: fact.place, durationMinutes: fact.durationMinutes, status: 'PREVU', sequence: fact.sequence } });
            break;
          case 'appointmentCancelled':
            await tx.appointment.update({ where: { id: uuidFromKey(fact.appointmentId) }, data: { status: 'ANNULE', sequence: fact.sequence } });
            break;
          case 'contract': {
            const c = fact.contract;
            const id = uuidFromKey(c.id);
            const data = {
              type: c.type,
              employer: c.employer,
              sector: c.sector,
              start: toDbDate(c.start),
              end: c.end ? toDbDate(c.end) : null,
              weeklyHours: c.weeklyHours,
              iae: c.iae,
              iaeStructure: c.iaeStructure ?? null,
              aided: c.aided,
              marketSector: c.marketSector,
              insertionCompany: c.insertionCompany,
              hoursPaid: c.hoursPaid,
            };
            await tx.workContract.upsert({ where: { id }, create: { id, participantId, ...data }, update: {} });
            break;
          }
          case 'contractEnded':
            await tx.workContract.update({
              where: { id: uuidFromKey(fact.contractId) },
              data: { end: toDbDate(fact.end), endReason: fact.early ? fact.reason : null },
            });
            break;
          case 'training':
          case 'business': {
            const item = fact.kind === 'training' ? fact.training : fact.business;
            const id = uuidFromKey(item.id);
            const data = { type: fact.kind === 'training' ? 'FORMATION' : 'CREATION_ENTREPRISE', start: toDbDate(item.start), end: item.end ? toDbDate(item.end) : null, status: 'EN_COURS' };
            await tx.step.upsert({ where: { id }, create: { id, participantId, ...data }, update: data });
            break;
          }
          case 'referentChanged':
            await tx.pathway.update({ where: { id: args.pathwayId }, data: { referentEmail: fact.to } });
            // The referent's open tasks follow the pathway, as in the workflow's state.
            await tx.task.updateMany({ where: { pathwayId: args.pathwayId, status: 'open', assigneeRole: 'referent' }, data: { assigneeEmail: fact.to } });
            await assignReferent(tx, args.pathwayId, fact.to, toDbDate(fact.on));
            break;
          case 'barrierRaised': {
            const id = uuidFromKey(args.key);
            await tx.barrier.upsert({ where: { id }, create: { id, participantId, category: fact.category, openedOn: toDbDate(fact.on) }, update: {} });
            break;
          }
          case 'barrierLifted':
            // Whichever open barrier of that kind was opened by then (at the diagnostic, later, or imported).
            await tx.barrier.updateMany({
              where: { participantId, category: fact.category, closedOn: null, OR: [{ openedOn: null }, { openedOn: { lte: toDbDate(fact.on) } }] },
              data: { closedOn: toDbDate(fact.on) },
            });
            break;
          case 'remindersPaused':
          case 'remindersResumed':
            await tx.pathway.update({
              where: { id: args.pathwayId },
              data:
                fact.kind === 'remindersPaused'
                  ? { remindersPausedUntil: toDbDate(fact.until), remindersPauseReason: fact.reason }
                  : { remindersPausedUntil: null, remindersPauseReason: null },
            });
            break;
        }
        await audit(tx, {
          idempotencyKey: args.key,
          actor: args.actor,
          channel: args.channel,
          action: `pathway.${fact.kind}`,
          entityType: 'pathway',
          entityId: args.pathwayId,
          // A change of referent keeps who held the pathway before and after.
          details: { at: args.at, ...(fact.kind === 'referentChanged' ? { from: fact.from, to: fact.to, reason: fact.reason } : {}) },
        });
      });
    },

    async recordExit(args: { pathwayId: string; participantId: string; exit: ExitState }): Promise<void> {
      const id = uuidFromKey(`${args.pathwayId}/exit`);
      const e = args.exit;
      await db.$transaction(async (tx) => {
        const data = {
          participantId: args.participantId,
          pathwayId: args.pathwayId,
          date: toDbDate(e.date),
          type: e.type,
          positiveKind: e.kind,
          cdi: e.cdi,
          proofsComplete: !e.proofsMissing,
          declared: e.declared ?? false,
          reason: e.reason,
          criterion: e.criterion,
        };
        await tx.exit.upsert({ where: { id }, create: { id, ...data }, update: {} });
        await audit(tx, {
          idempotencyKey: `${args.pathwayId}/exit`,
          actor: SYSTEM,
          channel: 'workflow',
          action: 'pathway.exit',
          entityType: 'pathway',
          entityId: args.pathwayId,
          details: { type: e.type, kind: e.kind, proofsMissing: e.proofsMissing, ...(e.declared ? { declared: true } : {}) },
        });
      });
    },

    /** FSE+ data points at entry, exit and six months after (labour-market status; the rest is read from the file). */
    async recordFseDataPoint(args: { participantId: string; moment: 'ENTREE' | 'SORTIE' | 'SIX_MOIS_APRES'; on: CalendarDate; labourMarketStatus: string | null }): Promise<void> {
      const p = await db.participant.findUniqueOrThrow({ where: { id: args.participantId } });
      // The FSE+ reading of the record on that day (src/domain/fse.ts), as the export computes it.
      const entry = fseEntry({ ...p, birthDate: fromDbDate(p.birthDate) }, args.on);
      const data = {
        recordedAt: toDbDate(args.on),
        labourMarketStatus: args.labourMarketStatus ?? (args.moment === 'ENTREE' ? entry.labourMarket : args.moment === 'SIX_MOIS_APRES' ? 'NON_REPONDU' : null),
        ageBand: entry.under18 ? 'MOINS_18' : entry.from18To29 ? '18_29' : entry.from55 ? '55_ET_PLUS' : '30_54',
        gender: entry.gender,
        iscedBand: entry.isced,
        disadvantages: [
          ...(entry.longTermUnemployed ? ['CHOMEUR_LONGUE_DUREE'] : []),
          ...(entry.disability ? ['HANDICAP'] : []),
          ...(p.qpv ? ['QPV'] : []),
          ...(p.minimumIncome && p.minimumIncome !== 'AUCUN' ? ['MINIMA_SOCIAUX'] : []),
          ...(p.singleParent ? ['FAMILLE_MONOPARENTALE'] : []),
        ],
        source: 'workflow',
      };
      await db.fseDataPoint.upsert({
        where: { participantId_moment: { participantId: args.participantId, moment: args.moment } },
        create: { participantId: args.participantId, moment: args.moment, ...data },
        update: {},
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
