/** The record of one message to deliver (email or Slack), created once per idempotency key. */
import type { Db } from './client.ts';

export interface MessageToDeliver {
  idempotencyKey: string;
  channel: 'email' | 'slack';
  template: string;
  recipient: string;
  pathwayId: string | null;
  /** Workflow time the workflow decided it. */
  decidedAt: Date | null;
}

/** The message's record: made pending on the first attempt, found as it stands on the next ones. */
export async function messageRecord(db: Db, m: MessageToDeliver) {
  return await db.message.upsert({ where: { idempotencyKey: m.idempotencyKey }, create: { ...m, status: 'pending' }, update: {} });
}
