import type { Db } from '../src/db/client.ts';
import { toDbDate } from '../src/db/dates.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import type { AnyTaskAnswer, Stage, TaskKind } from '../src/domain/tasks.ts';
import type { Channel } from '../workflows/messages.ts';
import { audit } from './audit.ts';

const SYSTEM = 'système';

/** Projection of the workflow's state into PostgreSQL; each call is idempotent. */
export function createPathwayActivities(db: Db) {
  return {
    async recordStage(args: {
      pathwayId: string;
      participantId: string;
      stage: Stage;
      referentEmail: string | null;
      entryDate: CalendarDate | null;
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
        await audit(tx, {
          idempotencyKey: `${args.pathwayId}/stage/${args.stage}`,
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
      openedAt: string;
      dueDate: CalendarDate;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.task.upsert({
          where: { id: args.id },
          create: {
            id: args.id,
            pathwayId: args.pathwayId,
            kind: args.kind,
            assigneeEmail: args.assigneeEmail,
            status: 'open',
            dueDate: toDbDate(args.dueDate),
            openedAt: new Date(args.openedAt),
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
      answer: AnyTaskAnswer;
      actor: string;
      channel: Channel;
      answeredAt: string;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.task.update({
          where: { id: args.taskId },
          data: {
            status: 'done',
            answer: args.answer,
            answeredBy: args.actor,
            channel: args.channel,
            answeredAt: new Date(args.answeredAt),
          },
        });
        await audit(tx, {
          idempotencyKey: `${args.taskId}/answer`,
          actor: args.actor,
          channel: args.channel,
          action: 'task.answer',
          entityType: 'task',
          entityId: args.taskId,
        });
      });
    },
  };
}
