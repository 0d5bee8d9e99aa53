import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../src/db/client.ts';
import { fromDbDate } from '../src/db/dates.ts';
import { fileReference, initials } from '../src/domain/participant.ts';
import { isTaskKind } from '../src/domain/tasks.ts';
import { isParticipantTemplate, participantEmail } from '../src/email/participant-templates.ts';
import { isPermanentSmtpFailure, type Mailer } from '../src/email/transport.ts';
import { taskNoticeEmail, type RenderedEmail, type TaskNotice } from '../src/email/templates.ts';
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

/** One delivery: recorded as a Message (the record of "deliver X to Y"), sent at most once. */
interface Delivery {
  idempotencyKey: string;
  template: string;
  recipient: string;
  pathwayId: string | null;
  /** Workflow time the workflow decided it. */
  decidedAt: Date | null;
  /** Where the recipient's reply goes (a participant's reply reaches their referent). */
  replyTo?: string;
  render: () => Promise<RenderedEmail>;
  /** Recorded with the sent status, in the same transaction. */
  onSent?: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0]) => Promise<void>;
  audit: { action: string; entityType: string; entityId: string };
}

/**
 * Delivery of tasks and participant messages. Today every delivery goes by email; the Slack
 * channel plugs in here. One message per idempotency key: a retry or a replay never sends twice.
 */
export function createNotificationActivities(deps: NotificationDeps) {
  const { db, mailer, logger } = deps;

  async function deliverOnce(d: Delivery): Promise<void> {
    const message = await db.message.upsert({
      where: { idempotencyKey: d.idempotencyKey },
      create: {
        idempotencyKey: d.idempotencyKey,
        channel: 'email',
        template: d.template,
        recipient: d.recipient,
        status: 'pending',
        pathwayId: d.pathwayId,
        decidedAt: d.decidedAt,
      },
      update: {},
    });
    if (message.status === 'sent') return;
    const email = await d.render();
    // Same Message-ID on every attempt: should a retry follow a send whose result was lost,
    // mail clients still show one message.
    const messageId = `<${createHash('sha256').update(d.idempotencyKey).digest('hex').slice(0, 32)}@plie>`;
    let info: { messageId: string };
    try {
      info = await mailer.sendMail({ from: deps.mailFrom, to: d.recipient, messageId, ...(d.replyTo ? { replyTo: d.replyTo } : {}), ...email });
    } catch (error) {
      const permanent = isPermanentSmtpFailure(error);
      const reason = String((error as Error).message).slice(0, 500);
      logger.warn({ key: d.idempotencyKey, template: d.template, permanent, err: reason }, 'échec d’envoi');
      await db.message
        .update({ where: { idempotencyKey: d.idempotencyKey }, data: { status: permanent ? 'failed' : 'pending', error: reason } })
        .catch((dbError: unknown) => logger.error({ err: (dbError as Error).message }, 'échec d’envoi non enregistré'));
      if (permanent) throw ApplicationFailure.nonRetryable(`SMTP a refusé le message : ${reason}`);
      throw error;
    }
    // Sent. Should recording it fail, the retry sends again: the same Message-ID lets mail
    // clients recognise the copy. Everything else is recorded once.
    await db.$transaction(async (tx) => {
      await tx.message.update({
        where: { idempotencyKey: d.idempotencyKey },
        data: { status: 'sent', sentAt: new Date(), smtpMessageId: info.messageId, error: null },
      });
      await d.onSent?.(tx);
      await audit(tx, { idempotencyKey: `${d.idempotencyKey}/sent`, actor: 'système', channel: 'email', ...d.audit });
    });
    logger.info({ key: d.idempotencyKey, template: d.template }, 'email envoyé');
  }

  return {
    /** Tells a member of staff about a task (opened, reminder, escalation). */
    async notifyTask(args: { taskId: string; notice: TaskNotice; to: string; sequence?: number; at?: string }): Promise<void> {
      const idempotencyKey = `${args.taskId}/${args.notice}${args.sequence && args.sequence > 1 ? `/${args.sequence}` : ''}`;
      const decidedAt = args.at ? new Date(args.at) : null;
      const task = await db.task.findUniqueOrThrow({
        where: { id: args.taskId },
        include: { pathway: { include: { participant: true } } },
      });
      if (!isTaskKind(task.kind)) throw ApplicationFailure.nonRetryable(`unknown task kind ${task.kind}`);
      const kind = task.kind;
      const { participant } = task.pathway;
      const flag = TASK_FLAG[args.notice];
      await deliverOnce({
        idempotencyKey,
        template: `task.${args.notice}`,
        recipient: args.to,
        pathwayId: task.pathwayId,
        decidedAt,
        render: async () =>
          taskNoticeEmail({
            notice: args.notice,
            kind,
            fileReference: fileReference(participant.id),
            initials: initials(participant.firstName, participant.lastName),
            dueDate: fromDbDate(task.dueDate),
            assigneeEmail: task.assigneeEmail ?? 'la personne accompagnée',
            appUrl: deps.appUrl,
          }),
        onSent: async (tx) => {
          if (!flag) return;
          await tx.task.update({
            where: { id: args.taskId },
            data: { [flag]: decidedAt ?? new Date(), ...(args.notice === 'reminder' ? { reminderCount: args.sequence ?? 1 } : {}) },
          });
        },
        audit: { action: `task.notice.${args.notice}`, entityType: 'task', entityId: args.taskId },
      });
    },

    /**
     * Emails the participant (convocation, welcome, proof requests, FSE+ questionnaire). Without an
     * address on file the message is recorded as undeliverable and the referent sees it.
     */
    async notifyParticipant(args: { pathwayId: string; participantId: string; template: string; key: string; at: string }): Promise<void> {
      const template = args.template;
      if (!isParticipantTemplate(template)) throw ApplicationFailure.nonRetryable(`unknown participant template ${template}`);
      const participant = await db.participant.findUniqueOrThrow({ where: { id: args.participantId } });
      const pathway = await db.pathway.findUnique({ where: { id: args.pathwayId }, select: { referentEmail: true } });
      if (!participant.email) {
        await db.message.upsert({
          where: { idempotencyKey: args.key },
          create: { idempotencyKey: args.key, channel: 'email', template, recipient: 'participant', status: 'no_address', pathwayId: args.pathwayId, decidedAt: new Date(args.at) },
          update: {},
        });
        return;
      }
      // A reminder of a task already answered by then is not sent (its count stays as it was).
      const taskId = args.key.split('/').slice(0, -2).join('/');
      if (template.endsWith('.relance')) {
        const task = await db.task.findUnique({ where: { id: taskId } });
        if (task && task.status !== 'open') return;
      }
      await deliverOnce({
        idempotencyKey: args.key,
        template,
        recipient: participant.email,
        pathwayId: args.pathwayId,
        ...(pathway?.referentEmail ? { replyTo: pathway.referentEmail } : {}),
        decidedAt: new Date(args.at),
        render: async () => participantEmail(template, { firstName: participant.firstName, link: deps.appUrl }),
        onSent: async (tx) => {
          if (!template.endsWith('.relance')) return;
          const sequence = Number(args.key.split('/').at(-1));
          await tx.task.update({ where: { id: taskId }, data: { remindedAt: new Date(args.at), reminderCount: sequence } });
        },
        audit: { action: `participant.email.${template}`, entityType: 'pathway', entityId: args.pathwayId },
      });
    },
  };
}
