/**
 * What every Slack listener needs: who is acting (their staff record), telling them something only
 * they see, refusing with a reason (audited), and not doing the same thing twice at once.
 */
import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { Staff } from '../generated/prisma/client.ts';
import type { Logger } from '../logging.ts';
import type { CreateParticipantDeps } from '../participants/create.ts';
import { staffBySlackUser } from '../staff/directory.ts';
import { audit } from '../db/audit.ts';
import { readForm, type FormSpec } from '../forms/fields.ts';
import { modalValues, type ViewStateValues } from './modal.ts';
import { z } from '../domain/validation.ts';
import { databaseRefusal } from '../web/input-errors.ts';

export interface SlackDeps {
  db: Db;
  temporal: Client;
  logger: Logger;
  /** This deployment's PLIE (its records and rules). */
  pathway: CreateParticipantDeps;
  /**
   * The same for another PLIE this workspace serves: a member's referral lands in the PLIE of
   * their staff record. Absent: only the deployment's PLIE is served from Slack.
   */
  pathwayFor?: (plieCode: string) => Promise<CreateParticipantDeps>;
  plieConfig: (code: string) => Promise<PlieConfig>;
}

/** Where to answer someone: ephemerally in the conversation they acted in, else in the app's DM. */
export interface Audience {
  user: string;
  channel?: string | undefined;
}

export async function tell(client: WebClient, to: Audience, text: string): Promise<void> {
  if (to.channel) await client.chat.postEphemeral({ channel: to.channel, user: to.user, text });
  else await client.chat.postMessage({ channel: to.user, text });
}

export const UNKNOWN_USER =
  'Votre compte Slack n’est relié à aucune fiche du personnel du PLIE : demandez à la coordination de vous ajouter (même adresse email que dans Slack).';

/** Refuses, tells the person why (in French, only to them), and keeps a trace. */
export async function refuse(
  deps: SlackDeps,
  client: WebClient,
  to: Audience,
  message: string,
  what: { action: string; entityType: string; entityId: string; actor?: string },
): Promise<void> {
  deps.logger.info({ slackUser: to.user, action: what.action, entity: what.entityId }, 'action Slack refusée');
  await audit(deps.db, {
    idempotencyKey: `slack-refusal/${to.user}/${what.action}/${what.entityId}/${Date.now()}`,
    actor: what.actor ?? `slack:${to.user}`,
    channel: 'slack',
    action: `refused.${what.action}`,
    entityType: what.entityType,
    entityId: what.entityId,
    details: { reason: message },
  });
  await tell(client, to, `⛔ ${message}`);
}

/** The staff record of whoever acts; an unknown user is refused and null returned. */
export async function actingStaff(deps: SlackDeps, client: WebClient, to: Audience, action: string): Promise<Staff | null> {
  const staff = await staffBySlackUser(deps.db, client, to.user);
  if (!staff) await refuse(deps, client, to, UNKNOWN_USER, { action, entityType: 'slack_user', entityId: to.user });
  return staff;
}

/** Runs `work` unless the same key is already being worked on (a double click): then nothing. */
export function createOnceAtATime() {
  const running = new Set<string>();
  return async (key: string, work: () => Promise<void>): Promise<void> => {
    if (running.has(key)) return;
    running.add(key);
    try {
      await work();
    } finally {
      running.delete(key);
    }
  };
}

/** A listener's failure: logged, and the person told that it did not go through. */
export async function failed(deps: SlackDeps, client: WebClient, to: Audience, error: unknown, what: string): Promise<void> {
  // Refused by the database for what was typed: the same again would be refused again, so no « try again ».
  const refusal = databaseRefusal(error);
  if (refusal) deps.logger.warn({ code: refusal.code, what, slackUser: to.user }, 'action Slack refusée par la base');
  else deps.logger.error({ err: (error as Error).message, what, slackUser: to.user }, 'action Slack en échec');
  try {
    await tell(client, to, refusal ? `⛔ Non enregistré : ${refusal.message}` : '⚠️ Votre action n’a pas pu être enregistrée (erreur technique). Réessayez dans un instant ; si cela persiste, prévenez la coordination.');
  } catch (tellError) {
    deps.logger.error({ err: (tellError as Error).message }, 'impossible de prévenir la personne');
  }
}

/** What a modal carries in its private metadata (the task, case or participant it is about). */
export interface ModalMeta {
  /** A referral being confirmed: what the first modal read. */
  input?: unknown;
  taskId?: string;
  caseId?: string;
  participantId?: string;
  action?: string;
  channel?: string;
}

export const audienceOf = (body: BlockAction): Audience => ({ user: body.user.id, channel: body.channel?.id });

/** A Slack id (user, channel, message ts excepted) as Slack writes them. */
export const slackId = z.string().regex(/^[A-Z0-9]{1,40}$/);
/** A message's timestamp, as Slack writes it (it names the message to update). */
export const slackTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/);

/** Each key of the metadata as this app writes it; a key that is not (tampered, truncated) reads as absent. */
const metaSchema = z.object({
  input: z.unknown().optional(),
  taskId: z.string().min(1).max(200).optional().catch(undefined),
  caseId: z.string().min(1).max(200).optional().catch(undefined),
  participantId: z.uuid().optional().catch(undefined),
  action: z.string().max(60).optional().catch(undefined),
  channel: slackId.optional().catch(undefined),
});

/** A modal's private metadata; anything unreadable (tampered, truncated) reads as empty. */
export const metaOf = (view: { private_metadata?: unknown }): ModalMeta => {
  try {
    const meta = typeof view.private_metadata === 'string' ? metaSchema.safeParse(JSON.parse(view.private_metadata)) : null;
    return meta?.success ? Object.fromEntries(Object.entries(meta.data).filter(([, v]) => v !== undefined)) : {};
  } catch {
    return {};
  }
};

/** Runs a listener's work after the ack, telling the person if it fails. */
export async function guarded(deps: SlackDeps, client: WebClient, to: Audience, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await failed(deps, client, to, error, what);
  }
}

/** Validates a submitted modal: errors go back into the modal, next to their field. */
export async function submitted(ack: (r?: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>, form: FormSpec, values: ViewStateValues) {
  const result = readForm(form, modalValues(form, values));
  if (!result.ok) {
    await ack({ response_action: 'errors', errors: result.errors });
    return undefined;
  }
  await ack();
  return result.value;
}
