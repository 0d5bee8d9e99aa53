import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../src/db/client.ts';
import { fromDbDate } from '../src/db/dates.ts';
import { fileReference, initials } from '../src/domain/participant.ts';
import { isTaskKind } from '../src/domain/tasks.ts';
import { isPermanentSmtpFailure, type Mailer } from '../src/email/transport.ts';
import { taskNoticeEmail, type TaskNotice } from '../src/email/templates.ts';
import type { Logger } from '../src/logging.ts';
import { audit } from './audit.ts';

export interface NotificationDeps {
  db: Db;
  mailer: Mailer;
  mailFrom: string;
  appUrl: string;
  logger: Logger;
}

const TASK_FLAG: Record<TaskNotice, 'remindedAt' | 'escalatedAt' | undefined> = {
  opened: undefined,
  reminder: 'remindedAt',
  escalation: 'escalatedAt',
};

/** Emails about tasks. One message per (task, notice): a retry or a replay never sends twice. */
export function createNotificationActivities(deps: NotificationDeps) {
  const { db, mailer, logger } = deps;
  return {
    async notifyTask(args: { taskId: string; notice: TaskNotice; to: string }): Promise<void> {
      const idempotencyKey = `${args.taskId}/${args.notice}`;
      const message = await db.message.upsert({
        where: { idempotencyKey },
        create: { idempotencyKey, channel: 'email', template: `task.${args.notice}`, recipient: args.to, status: 'pending' },
        update: {},
      });
      if (message.status === 'sent') return;

      const task = await db.task.findUniqueOrThrow({
        where: { id: args.taskId },
        include: { pathway: { include: { participant: true } } },
      });
      if (!isTaskKind(task.kind)) throw ApplicationFailure.nonRetryable(`unknown task kind ${task.kind}`);
      const { participant } = task.pathway;
      const email = taskNoticeEmail({
        notice: args.notice,
        kind: task.kind,
        fileReference: fileReference(participant.id),
        initials: initials(participant.firstName, participant.lastName),
        dueDate: fromDbDate(task.dueDate),
        assigneeEmail: task.assigneeEmail,
        appUrl: deps.appUrl,
      });
      // Same Message-ID on every attempt: should a retry follow a send whose result was lost,
      // mail clients still show one message.
      const messageId = `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@plie>`;
      let info: { messageId: string };
      try {
        info = await mailer.sendMail({ from: deps.mailFrom, to: args.to, messageId, ...email });
      } catch (error) {
        const permanent = isPermanentSmtpFailure(error);
        const reason = String((error as Error).message).slice(0, 500);
        logger.warn({ taskId: args.taskId, notice: args.notice, permanent, err: reason }, 'échec d’envoi');
        await db.message
          .update({ where: { idempotencyKey }, data: { status: permanent ? 'failed' : 'pending', error: reason } })
          .catch((dbError: unknown) => logger.error({ err: (dbError as Error).message }, 'échec d’envoi non enregistré'));
        if (permanent) throw ApplicationFailure.nonRetryable(`SMTP a refusé le message : ${reason}`);
        throw error;
      }
      // Sent. Should recording it fail, the retry sends again: the same Message-ID lets mail
      // clients recognise the copy. Everything else is recorded once.
      await db.$transaction(async (tx) => {
        await tx.message.update({
          where: { idempotencyKey },
          data: { status: 'sent', sentAt: new Date(), smtpMessageId: info.messageId, error: null },
        });
        const flag = TASK_FLAG[args.notice];
        if (flag) await tx.task.update({ where: { id: args.taskId }, data: { [flag]: new Date() } });
        await audit(tx, {
          idempotencyKey: `${idempotencyKey}/sent`,
          actor: 'système',
          channel: 'email',
          action: `task.notice.${args.notice}`,
          entityType: 'task',
          entityId: args.taskId,
        });
      });
      logger.info({ taskId: args.taskId, notice: args.notice }, 'email envoyé');
    },
  };
}
