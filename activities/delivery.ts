/**
 * Delivering one message, by email or in Slack, recorded as a Message (the record of « deliver X
 * to Y ») and sent at most once per idempotency key: a retry or a replay never sends twice.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../src/db/client.ts';
import { messageRecord } from '../src/db/messages.ts';
import { parisDate, type CalendarDate } from '../src/domain/dates.ts';
import { isPermanentSmtpFailure, isRefusedRecipient, type Mailer } from '../src/email/transport.ts';
import { withoutPersonalData } from '../src/privacy/scrub.ts';
import type { RenderedEmail } from '../src/email/templates.ts';
import { LINK_DAYS, linkUrl, type LinkPurpose } from '../src/links/signed-links.ts';
import { postOnce } from '../src/slack/delivery.ts';
import type { SlackContent } from '../src/slack/task-message.ts';
import { currentAttempt, heartbeating, isPermanentSlackError, slackErrorCode } from '../src/slack/web-client.ts';
import { slackUserOf, staffByEmail } from '../src/staff/directory.ts';
import { audit } from '../src/db/audit.ts';
import type { NotificationDeps } from './notifications.ts';

const DAY_MS = 86_400_000;

/** One delivery: recorded as a Message (the record of "deliver X to Y"), sent at most once. */
export interface Delivery {
  idempotencyKey: string;
  template: string;
  recipient: string;
  pathwayId: string | null;
  /** Workflow time the workflow decided it. */
  decidedAt: Date | null;
  /** Where the recipient's reply goes (a participant's reply reaches their referent). */
  replyTo?: string;
  render: () => Promise<RenderedEmail>;
  /** Delivered in Slack instead of email (a member of staff with a Slack account). */
  /** `noEmailFallback`: a Slack-only note whose substance went by email already (a bilan's word in Slack). */
  slack?: { user: string; content: SlackContent; threadOf?: string; noEmailFallback?: true };
  /** Recorded with the sent status, in the same transaction. */
  onSent?: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0]) => Promise<void>;
  audit: { action: string; entityType: string; entityId: string };
}

export function createDelivery(deps: NotificationDeps) {
  const { db, mailer, logger } = deps;

  async function recordSent(d: Delivery, channel: 'email' | 'slack', sent?: { smtpMessageId: string }, slackRefusal?: string): Promise<void> {
    await db.$transaction(async (tx) => {
      if (sent) {
        await tx.message.update({
          where: { idempotencyKey: d.idempotencyKey },
          data: { status: 'sent', sentAt: new Date(), smtpMessageId: sent.smtpMessageId, error: null },
        });
      }
      await d.onSent?.(tx);
      await audit(tx, {
        idempotencyKey: `${d.idempotencyKey}/sent`,
        actor: 'système',
        channel,
        ...d.audit,
        // Sent by email because Slack refused it for good: said in the record of the message.
        ...(slackRefusal !== undefined ? { details: { fallback: 'email', slackError: slackRefusal } } : {}),
      });
    });
  }

  /**
   * A failed delivery: recorded, then retried by Temporal unless the refusal is final. The server's
   * words may quote the address: masked before they reach the record, the log and the failure. An
   * attempt that Temporal cancelled (timed out, its workflow gone) records nothing: its retry, maybe
   * already running, does.
   */
  async function failed(d: Delivery, error: unknown, permanent: boolean, via: 'SMTP' | 'Slack'): Promise<never> {
    const attempt = currentAttempt();
    if (attempt?.cancellationSignal.aborted) throw attempt.cancellationSignal.reason;
    const reason = withoutPersonalData(String((error as Error).message)).slice(0, 500);
    const last = isLastAttempt();
    logger.warn({ key: d.idempotencyKey, template: d.template, via, permanent, last, err: reason }, 'échec d’envoi');
    await db.message
      .update({ where: { idempotencyKey: d.idempotencyKey }, data: { status: deliveryStatus(error, permanent, last, via), error: reason } })
      .catch((dbError: unknown) => logger.error({ err: (dbError as Error).message }, 'échec d’envoi non enregistré'));
    if (permanent) throw ApplicationFailure.nonRetryable(`${via} a refusé le message : ${reason}`);
    // Any other error is retried by Temporal: a plain one, with the masked words only.
    throw new Error(`${via} n’a pas pu envoyer le message : ${reason}`);
  }

  /** Posted (null), or refused by Slack for good: its error code, and the message goes by email instead. */
  async function postToSlack(d: Delivery, slack: WebClient, target: NonNullable<Delivery['slack']>): Promise<string | null> {
    try {
      await postOnce(db, slack, {
        idempotencyKey: d.idempotencyKey,
        template: d.template,
        to: target.user,
        recipient: d.recipient,
        pathwayId: d.pathwayId,
        decidedAt: d.decidedAt,
        ...target.content,
        ...(target.threadOf ? { threadOf: target.threadOf } : {}),
      });
    } catch (error) {
      const attempt = currentAttempt();
      if (attempt?.cancellationSignal.aborted) throw attempt.cancellationSignal.reason;
      // Refused for good: by email instead, unless the note's substance went by email already.
      if (isPermanentSlackError(error)) return target.noEmailFallback ? await failed(d, error, true, 'Slack') : slackErrorCode(error) || 'refus';
      return await failed(d, error, false, 'Slack');
    }
    await recordSent(d, 'slack');
    logger.info({ key: d.idempotencyKey, template: d.template }, 'message Slack publié');
    return null;
  }

  async function sendEmail(d: Delivery, slackRefusal?: string): Promise<void> {
    const message = await messageRecord(db, {
      idempotencyKey: d.idempotencyKey,
      channel: 'email',
      template: d.template,
      recipient: d.recipient,
      pathwayId: d.pathwayId,
      decidedAt: d.decidedAt,
    });
    // Sent already: what goes with it is recorded again (idempotent), in case that failed.
    if (message.status === 'sent') return await recordSent(d, 'email', undefined, slackRefusal);
    if (slackRefusal !== undefined && message.channel !== 'email') {
      // Recorded before sending: from now on this message goes by email only, on every retry.
      await db.message.update({ where: { id: message.id }, data: { channel: 'email', error: `Slack a refusé le message (${slackRefusal}) : envoi par email` } });
      logger.warn({ key: d.idempotencyKey, template: d.template, slackError: slackRefusal }, 'Slack a refusé le message : envoi par email');
    }
    const email = await d.render();
    // Same Message-ID on every attempt: should a retry follow a send whose result was lost,
    // mail clients still show one message.
    const messageId = messageIdOf(d.idempotencyKey);
    const attempt = currentAttempt();
    // Cancelled meanwhile (timed out): the retry sends, not this attempt.
    attempt?.cancellationSignal.throwIfAborted();
    const options: Parameters<Mailer['sendMail']>[0] & { signal?: AbortSignal } = {
      from: deps.mailFrom,
      to: d.recipient,
      messageId,
      ...(d.replyTo ? { replyTo: d.replyTo } : {}),
      ...email,
      ...(attempt ? { signal: attempt.cancellationSignal } : {}),
    };
    let info: { messageId: string };
    try {
      info = await mailer.sendMail(options);
    } catch (error) {
      return await failed(d, error, isPermanentSmtpFailure(error), 'SMTP');
    }
    // Sent. Should recording it fail, the retry sends again: the same Message-ID lets mail
    // clients recognise the copy. Everything else is recorded once.
    await recordSent(d, 'email', { smtpMessageId: info.messageId }, slackRefusal);
    logger.info({ key: d.idempotencyKey, template: d.template }, 'email envoyé');
  }

  /**
   * Delivers `d` once: in Slack when it has a Slack form and Slack is on, by email otherwise, or
   * when Slack refuses it for good (the member deactivated, the app's token revoked): the same
   * message, to the same person's address. The attempt heartbeats meanwhile, so that Temporal sees
   * a dead worker soon and can tell a live one that its attempt was cancelled.
   */
  async function deliverOnce(d: Delivery): Promise<void> {
    await heartbeating(async () => {
      const existing = await db.message.findUnique({ where: { idempotencyKey: d.idempotencyKey }, select: { channel: true } });
      // Gone by email once (a fallback, or before the person had Slack): never posted in Slack too.
      if (d.slack && deps.slack && existing?.channel !== 'email') {
        const refusal = await postToSlack(d, deps.slack, d.slack);
        if (refusal !== null) await sendEmail(d, refusal);
        return;
      }
      await sendEmail(d);
    });
  }

  /** A signed link valid for its purpose's delay from `from` (the same on every retry of a message). */
  function link(purpose: LinkPurpose, subject: string, from: Date, actor?: string): { url: string; expiresOn: CalendarDate } | { url: string } {
    if (!deps.linkSecret) return { url: deps.appUrl };
    const expiresAt = from.getTime() + LINK_DAYS[purpose] * DAY_MS;
    return { url: linkUrl(deps.appUrl, { purpose, subject, expiresAt, ...(actor ? { actor } : {}) }, deps.linkSecret), expiresOn: parisDate(expiresAt) };
  }

  /**
   * The Slack account of the member of staff at this address, when Slack is on and they have one.
   * None when Slack refuses to say for good (the app's token revoked…): the message goes by email.
   */
  async function slackUserFor(plieCode: string, email: string): Promise<string | null> {
    if (!deps.slack) return null;
    const staff = await staffByEmail(db, plieCode, email);
    if (!staff) return null;
    try {
      return await slackUserOf(db, deps.slack, staff);
    } catch (error) {
      if (!isPermanentSlackError(error)) throw error;
      logger.warn({ slackError: slackErrorCode(error) }, 'Slack ne répond pas pour ce compte : envoi par email');
      return null;
    }
  }

  return { deliverOnce, link, slackUserFor };
}

/**
 * What the Message records of a failed attempt: pending (it will be tried again), refused (the mail
 * server refused the address: a bounce at sending time) or failed (refused for another reason, or
 * the last attempt Temporal makes: the sweep of messages takes it from there).
 */
function deliveryStatus(error: unknown, permanent: boolean, last: boolean, via: 'SMTP' | 'Slack'): 'pending' | 'refused' | 'failed' {
  if (!permanent) return last ? 'failed' : 'pending';
  return via === 'SMTP' && isRefusedRecipient(error) ? 'refused' : 'failed';
}

/** The Message-ID of a message's email, the same on every attempt and every re-sending (mail clients show one). */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@plie>`;
}

/** This attempt is the last Temporal makes (its retry policy says so); outside an activity, it is not. */
function isLastAttempt(): boolean {
  const info = currentAttempt()?.info;
  const maximum = info?.retryPolicy?.maximumAttempts;
  return info !== undefined && typeof maximum === 'number' && maximum > 0 && info.attempt >= maximum;
}
