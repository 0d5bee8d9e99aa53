/**
 * Each participant's data key (crypto-shredding): their pathway's Temporal payloads are encrypted
 * with it, and it is kept in PostgreSQL wrapped by a deployment key. `destroy` forgets it for good:
 * their histories, wherever copied (archives, replicas, exports of the server's store), no longer
 * decrypt. A destroyed key is never made again: a late payload for that person is refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { type DeploymentKeys, open, seal } from './deployment-keys.ts';

/** Key ids of participants' data keys start with this (deployment key ids never hold a colon). */
export const PERSON_KEY_PREFIX = 'personne:';

/** Keys are remembered this long in a process; an erasure in another process is honoured after it at most. */
const CACHE_MS = 5 * 60_000;
/** Past this many keys in memory, the expired ones are dropped. */
const MAX_CACHED = 5000;
/**
 * How long a key lookup waits for an unreachable database. The codec runs inside the worker: an
 * error encoding an activity's result or failure stops the whole worker, so a restart of
 * PostgreSQL must be waited out, not thrown (found by `npm run chaos`).
 */
const DATABASE_WAIT_MS = 120_000;
/** Prisma's « can't reach », « timed out », « closed the connection »; PostgreSQL shutting down or gone. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const UNREACHABLE_TEXT = /can't reach database server|connection terminated|database system is (?:shutting down|starting up)|terminating connection|ECONNREFUSED|ECONNRESET|Connection refused|server closed the connection/i;

/** Whether the error says the database could not be reached (it will pass), rather than refused something. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, originalCode, message } = e as { code?: unknown; originalCode?: unknown; message?: unknown };
    if ((typeof code === 'string' && UNREACHABLE_CODES.has(code)) || (typeof originalCode === 'string' && UNREACHABLE_CODES.has(originalCode))) return true;
    if (typeof message === 'string' && UNREACHABLE_TEXT.test(message)) return true;
  }
  return false;
}

/** Runs `read`, again and again while the database is unreachable, for DATABASE_WAIT_MS at most. */
async function whenReachable<T>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + DATABASE_WAIT_MS;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await read();
    } catch (error) {
      if (!isDatabaseUnreachable(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** parcours-<participant>, a re-entry's parcours-<participant>-2, and what hangs below them (commission). */
const PATHWAY_WORKFLOW = new RegExp(`^parcours-(${UUID})(?:-\\d+)?(?:/|$)`);

/** The participant a workflow belongs to, or null for workflows that concern several people (or none). */
export function participantOfWorkflow(workflowId: string): string | null {
  return PATHWAY_WORKFLOW.exec(workflowId)?.[1] ?? null;
}

/** A payload whose key was destroyed: the person's data was erased. */
export class ErasedDataError extends Error {
  constructor(keyId: string) {
    super(`données effacées : la clé ${keyId} a été détruite (droit à l’effacement)`);
    this.name = 'ErasedDataError';
  }
}

interface Cached {
  id: string;
  key: Buffer;
  until: number;
}

/**
 * Destroys the person's key (made destroyed when there was none, so that none is made later); a
 * process that read it before forgets it within CACHE_MS. Says whether it was already destroyed.
 */
export async function destroyDataKey(db: Db | Prisma.TransactionClient, participantId: string, at: Date): Promise<'destroyed' | 'already'> {
  const existing = await db.participantDataKey.findUnique({ where: { participantId } });
  if (existing?.destroyedAt) return 'already';
  await db.participantDataKey.upsert({
    where: { participantId },
    create: { id: randomUUID(), participantId, wrappedKey: null, wrappingKeyId: existing?.wrappingKeyId ?? 'aucune', destroyedAt: at },
    update: { wrappedKey: null, destroyedAt: at },
  });
  return 'destroyed';
}

export class DataKeyStore {
  private readonly byParticipant = new Map<string, Cached>();
  private readonly byId = new Map<string, Cached>();

  constructor(
    private readonly db: Db,
    private readonly keys: DeploymentKeys,
  ) {}

  /** The person's key, made at first use (two processes racing both end up with the one kept). */
  async keyFor(participantId: string): Promise<{ id: string; key: Buffer }> {
    const cached = this.fresh(this.byParticipant.get(participantId));
    if (cached) return cached;
    const row = await whenReachable(async () => {
      await this.db.participantDataKey.createMany({
        data: [{ id: randomUUID(), participantId, wrappedKey: new Uint8Array(seal(this.keys.current.key, randomBytes(32))), wrappingKeyId: this.keys.current.id }],
        skipDuplicates: true,
      });
      return await this.db.participantDataKey.findUniqueOrThrow({ where: { participantId } });
    });
    return this.remember(row);
  }

  /** The key named in a payload's metadata; throws ErasedDataError once destroyed. */
  async keyById(keyId: string): Promise<Buffer> {
    const cached = this.fresh(this.byId.get(keyId));
    if (cached) return cached.key;
    const id = keyId.slice(PERSON_KEY_PREFIX.length);
    const row = /^[0-9a-f-]{36}$/.test(id) ? await whenReachable(() => this.db.participantDataKey.findUnique({ where: { id } })) : null;
    if (!row) throw new Error(`clé de personne inconnue : ${keyId}`);
    return this.remember(row).key;
  }

  private remember(row: { id: string; participantId: string; wrappedKey: Uint8Array | null; wrappingKeyId: string }): Cached {
    const keyId = `${PERSON_KEY_PREFIX}${row.id}`;
    if (!row.wrappedKey) throw new ErasedDataError(keyId);
    const wrapping = this.keys.get(row.wrappingKeyId);
    if (!wrapping) throw new Error(`clé de chiffrement inconnue : ${row.wrappingKeyId} (absente de PLIE_PAYLOAD_KEYS), qui protège la clé ${keyId}`);
    const entry = { id: keyId, key: open(wrapping, Buffer.from(row.wrappedKey)), until: Date.now() + CACHE_MS };
    if (this.byId.size > MAX_CACHED) this.prune();
    this.byParticipant.set(row.participantId, entry);
    this.byId.set(keyId, entry);
    return entry;
  }

  private fresh(entry: Cached | undefined): Cached | undefined {
    return entry && entry.until > Date.now() ? entry : undefined;
  }

  private prune(): void {
    for (const [id, entry] of this.byParticipant) if (!this.fresh(entry)) this.byParticipant.delete(id);
    for (const [id, entry] of this.byId) if (!this.fresh(entry)) this.byId.delete(id);
  }

}
