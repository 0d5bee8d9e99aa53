/**
 * What the pathway workflow writes into PostgreSQL as its state moves (a stage, a task opened or
 * closed, a fact, the exit, an FSE+ data point), each a function of a transaction: the pathway's
 * activities run one in its own transaction, or a transition's several in one
 * (`recordTransition`). Each is idempotent: a retry writes nothing twice.
 */
import type { Db } from '../src/db/client.ts';
import { fseEntry } from '../src/domain/fse.ts';
import { fromDbDate, toDbDate } from '../src/db/dates.ts';
import { uuidFromKey } from '../src/db/ids.ts';
import { parisDate, type CalendarDate } from '../src/domain/dates.ts';
import type { AnyTaskAnswer, AssigneeRole, Stage, TaskKind } from '../src/domain/tasks.ts';
import type { PathwayFact } from '../src/domain/pathway/commands.ts';
import type { ExitState } from '../src/domain/pathway/state.ts';
import { audit } from '../src/db/audit.ts';

export const SYSTEM = 'système';

export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

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


export async function writeStage(tx: Tx, args: {
  pathwayId: string;
  participantId: string;
  stage: Stage;
  referentEmail: string | null;
  entryDate: CalendarDate | null;
  /** Workflow time of the move: a stage may be entered again later (back to the active pathway). */
  at?: string;
}): Promise<void> {
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
}

export async function writeTaskOpened(tx: Tx, args: {
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
}

export async function writeTaskClosed(tx: Tx, args: {
  taskId: string;
  /** done: answered; expired: lapsed unanswered; cancelled: no longer relevant. */
  status?: 'done' | 'expired' | 'cancelled';
  answer: AnyTaskAnswer | null;
  actor: string;
  channel: string;
  answeredAt: string;
}): Promise<void> {
  const status = args.status ?? 'done';
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
}

export async function writePathwayFact(tx: Tx, args: {
  pathwayId: string;
  participantId: string;
  key: string;
  fact: PathwayFact;
  actor: string;
  channel: string;
  at: string;
}): Promise<void> {
  const { fact, participantId } = args;
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
}

export async function writeExit(tx: Tx, args: { pathwayId: string; participantId: string; exit: ExitState }): Promise<void> {
  const id = uuidFromKey(`${args.pathwayId}/exit`);
  const e = args.exit;
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
}

export async function writeFseDataPoint(tx: Tx, args: { participantId: string; moment: 'ENTREE' | 'SORTIE' | 'SIX_MOIS_APRES'; on: CalendarDate; labourMarketStatus: string | null }): Promise<void> {
  const p = await tx.participant.findUniqueOrThrow({ where: { id: args.participantId } });
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
  await tx.fseDataPoint.upsert({
    where: { participantId_moment: { participantId: args.participantId, moment: args.moment } },
    create: { participantId: args.participantId, moment: args.moment, ...data },
    update: {},
  });
}

/** One write of a transition, as the workflow sends it (`recordTransition`). */
export type PathwayWrite =
  | { write: 'recordStage'; args: Parameters<typeof writeStage>[1] }
  | { write: 'openTask'; args: Parameters<typeof writeTaskOpened>[1] }
  | { write: 'closeTask'; args: Parameters<typeof writeTaskClosed>[1] }
  | { write: 'recordPathwayFact'; args: Parameters<typeof writePathwayFact>[1] }
  | { write: 'recordExit'; args: Parameters<typeof writeExit>[1] }
  | { write: 'recordFseDataPoint'; args: Parameters<typeof writeFseDataPoint>[1] };

/** Carries one write out in the transaction. */
export async function writeOne(tx: Tx, w: PathwayWrite): Promise<void> {
  switch (w.write) {
    case 'recordStage':
      return await writeStage(tx, w.args);
    case 'openTask':
      return await writeTaskOpened(tx, w.args);
    case 'closeTask':
      return await writeTaskClosed(tx, w.args);
    case 'recordPathwayFact':
      return await writePathwayFact(tx, w.args);
    case 'recordExit':
      return await writeExit(tx, w.args);
    case 'recordFseDataPoint':
      return await writeFseDataPoint(tx, w.args);
  }
}
