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
