import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from './client.ts';

type Tx = Prisma.TransactionClient | Db;

export interface AuditEntry {
  /** Business key: a retried activity records its event once. */
  idempotencyKey: string;
  actor: string;
  channel: string;
  action: string;
  entityType: string;
  entityId: string;
  details?: Prisma.InputJsonValue;
}

/** Records an audit event once per idempotency key (a retry finds it already there). */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.upsert({
    where: { idempotencyKey: entry.idempotencyKey },
    create: entry,
    update: {},
  });
}

/**
 * Records that someone read a person's file (its pathway, its summary): each reading is its own
 * event, so that the PLIE can answer "who looked at my file" (RGPD, article 15).
 */
export async function auditRead(tx: Tx, read: { actor: string; channel: string; participantId: string; what: string }): Promise<void> {
  await tx.auditEvent.create({
    data: {
      idempotencyKey: `read/${randomUUID()}`,
      actor: read.actor,
      channel: read.channel,
      action: 'participant.read',
      entityType: 'participant',
      entityId: read.participantId,
      details: { what: read.what },
    },
  });
}
