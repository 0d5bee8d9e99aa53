/** What App Home and `/plie` show, read from the projection (pathways, open tasks). */
import { undeliveredForHome } from '../email/undelivered.ts';
import type { Db } from '../db/client.ts';
import { fromDbDate } from '../db/dates.ts';
import { parisDate, type CalendarDate } from '../domain/dates.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { CLOSED_STAGES, type Stage, type TaskKind } from '../domain/tasks.ts';
import type { Staff } from '../generated/prisma/client.ts';
import { isCoordinator } from '../domain/permissions.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { plieWarningsFor } from '../plies/warnings.ts';
import type { CaseRow, HomeData, TaskRow } from './home.ts';

type OpenTaskRow = { id: string; kind: string; dueDate: Date; assigneeEmail: string | null; pathway: { participant: { id: string; firstName: string; lastName: string } } };

function taskRow(t: OpenTaskRow, today: CalendarDate, withAssignee = false): TaskRow {
  const due = fromDbDate(t.dueDate);
  const p = t.pathway.participant;
  return {
    taskId: t.id,
    kind: t.kind as TaskKind,
    fileReference: fileReference(p.id),
    initials: initials(p.firstName, p.lastName),
    dueDate: due,
    overdue: due < today,
    ...(withAssignee ? { assignee: t.assigneeEmail ?? 'la personne accompagnée' } : {}),
  };
}

/** `config`, the staff member's PLIE: its warnings go to the coordination. */
export async function loadHome(db: Db, staff: Staff, opts: { now?: Date; config?: PlieConfig } = {}): Promise<HomeData> {
  const today = parisDate(opts.now ?? new Date());
  const include = { pathway: { include: { participant: true } } } as const;
  const tasks = await db.task.findMany({
    where: { status: 'open', assigneeEmail: { equals: staff.email, mode: 'insensitive' }, pathway: { participant: { plieCode: staff.plieCode } } },
    include,
    orderBy: { dueDate: 'asc' },
  });
  const pathways = await db.pathway.findMany({
    where: { referentEmail: { equals: staff.email, mode: 'insensitive' }, stage: { notIn: [...CLOSED_STAGES] }, participant: { plieCode: staff.plieCode } },
    include: { participant: true, tasks: { where: { status: 'open' }, orderBy: { dueDate: 'asc' }, take: 1 } },
  });
  const caseload: CaseRow[] = pathways.map((p) => {
    const next = p.tasks[0];
    return {
      participantId: p.participantId,
      fileReference: fileReference(p.participantId),
      initials: initials(p.participant.firstName, p.participant.lastName),
      stage: p.stage as Stage,
      nextTask: next ? { kind: next.kind as TaskKind, dueDate: fromDbDate(next.dueDate) } : null,
      overdue: next ? fromDbDate(next.dueDate) < today : false,
    };
  });
  const coordinator = isCoordinator(staff);
  const teamOverdue = coordinator
    ? await db.task.findMany({
        where: { status: 'open', dueDate: { lt: new Date(`${today}T00:00:00Z`) }, assigneeRole: { not: 'participant' }, pathway: { participant: { plieCode: staff.plieCode } } },
        include,
        orderBy: { dueDate: 'asc' },
        take: 100,
      })
    : [];
  return {
    name: staff.name,
    coordinator,
    ...(coordinator && opts.config ? { warnings: await plieWarningsFor(db, opts.config, today) } : {}),
    ...(coordinator ? { undelivered: await undeliveredForHome(db, staff.plieCode, (opts.now ?? new Date()).getTime()) } : {}),
    caseload,
    tasks: tasks.map((t) => taskRow(t, today)),
    teamOverdue: teamOverdue.map((t) => taskRow(t, today, true)),
  };
}
