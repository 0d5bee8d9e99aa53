/**
 * Slack posts recorded as Messages, so that a retried activity never posts twice: each post
 * carries its idempotency key in the message metadata, and an attempt that follows another first
 * looks for that copy in the conversation (the answer of a post can be lost after Slack took it).
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/client.ts';
import { messageRecord } from '../db/messages.ts';
import { withRateLimit } from './web-client.ts';

export const METADATA_EVENT = 'plie_message';

export interface SlackPost {
  idempotencyKey: string;
  template: string;
  /** A user id (the DM is opened) or a channel id. */
  to: string;
  recipient: string;
  pathwayId: string | null;
  decidedAt: Date | null;
  text: string;
  blocks: KnownBlock[];
  /** Key of the message to thread under (reminders under their task). */
  threadOf?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Posts once per idempotency key; returns where the message is (posted now or before). */
export async function postOnce(db: Db, slack: WebClient, post: SlackPost): Promise<PostedMessage> {
  const message = await messageRecord(db, {
    idempotencyKey: post.idempotencyKey,
    channel: 'slack',
    template: post.template,
    recipient: post.recipient,
    pathwayId: post.pathwayId,
    decidedAt: post.decidedAt,
  });
  if (message.status === 'sent' && message.slackChannel && message.slackTs) return { channel: message.slackChannel, ts: message.slackTs };
  const channel = message.slackChannel ?? (await conversationOf(slack, post.to));
  await db.message.update({ where: { id: message.id }, data: { attempts: { increment: 1 }, slackChannel: channel } });
  const thread = post.threadOf ? await db.message.findUnique({ where: { idempotencyKey: post.threadOf } }) : null;
  const earlier = message.attempts > 0 ? await findOwnCopy(slack, channel, post.idempotencyKey, message.createdAt, thread?.slackTs ?? undefined) : undefined;
  let ts = earlier;
  if (!ts) {
    const result = await withRateLimit(() =>
      slack.chat.postMessage({
        channel,
        text: post.text,
        blocks: post.blocks,
        ...(thread?.slackTs ? { thread_ts: thread.slackTs } : {}),
        metadata: { event_type: METADATA_EVENT, event_payload: { key: post.idempotencyKey } },
        unfurl_links: false,
      }),
    );
    ts = result.ts!;
  }
  await db.message.update({ where: { id: message.id }, data: { status: 'sent', sentAt: new Date(), slackTs: ts, error: null } });
  return { channel, ts };
}

/** Replaces a message posted earlier (its buttons go, the decision shows); false when there is none. */
export async function updatePosted(db: Db, slack: WebClient, key: string, content: { text: string; blocks: KnownBlock[] }): Promise<boolean> {
  const message = await db.message.findUnique({ where: { idempotencyKey: key } });
  if (!message?.slackChannel || !message.slackTs) return false;
  await withRateLimit(() => slack.chat.update({ channel: message.slackChannel!, ts: message.slackTs!, text: content.text, blocks: content.blocks }));
  return true;
}

/** A DM is a conversation of its own: user ids are opened, channel ids used as they are. */
async function conversationOf(slack: WebClient, to: string): Promise<string> {
  if (!/^[UW]/.test(to)) return to;
  const opened = await withRateLimit(() => slack.conversations.open({ users: to }));
  return opened.channel!.id!;
}

async function findOwnCopy(slack: WebClient, channel: string, key: string, since: Date, threadTs: string | undefined): Promise<string | undefined> {
  const oldest = String(Math.floor(since.getTime() / 1000) - 60);
  const page = threadTs
    ? await withRateLimit(() => slack.conversations.replies({ channel, ts: threadTs, oldest, include_all_metadata: true, limit: 200 }))
    : await withRateLimit(() => slack.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }));
  const found = page.messages?.find((m) => {
    const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
    return metadata?.event_type === METADATA_EVENT && metadata.event_payload?.key === key;
  });
  return found?.ts;
}
