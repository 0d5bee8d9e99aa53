/**
 * Retention (RGPD article 5.1.e), per PLIE, with the durations of its configuration (`retention`):
 * - the identity of a person whose last pathway ended more than `identityMonthsAfterExit` months ago
 *   is pseudonymised as by an erasure (pseudonymise.ts): the bilan of every period stays the same;
 * - proofs are kept for the FSE+ audit trail until 31 December of the last exit's year plus
 *   `proofsYearsAfterExit` years, then deleted (file and record);
 * - single-use links already used (and expired), ended console sessions and revoked tokens go after
 *   `securityRecordsMonths` months.
 * A person with a pathway still open is never touched. `retentionPlan` counts without doing;
 * `applyRetention` does, in batches, each step idempotent (a retry finds it done).
 */
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { addMonths, parisDate, type CalendarDate } from '../domain/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { CLOSED_STAGES } from '../domain/tasks.ts';
import type { ProofStore } from '../files/proof-store.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { pseudonymise } from './pseudonymise.ts';

export const RETENTION_CATEGORIES = ['identities', 'proofs', 'usedLinks', 'sessions', 'tokens'] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];
export type RetentionCounts = Record<RetentionCategory, number>;

export const RETENTION_LABELS: Record<RetentionCategory, string> = {
  identities: 'Identités pseudonymisées (dernier parcours fini depuis la durée de conservation)',
  proofs: 'Justificatifs supprimés (fin de l’obligation de conservation du FSE+)',
  usedLinks: 'Liens à usage unique utilisés et expirés',
  sessions: 'Sessions de la console finies',
  tokens: 'Jetons d’API révoqués ou expirés',
};

/** What one batch of one PLIE did (or, in a dry run, would do). */
export interface RetentionStep {
  plieCode: string;
  counts: RetentionCounts;
  more: boolean;
}

export interface RetentionLimits {
  /** A pathway that ended before this day has its person's identity pseudonymised. */
  identityEndedBefore: CalendarDate;
  /** Proofs of a person whose last exit is in this year or before are deleted. */
  proofsExitYearAtMost: number;
  /** Security records older than this go. */
  securityBefore: Date;
}

export function retentionLimits(config: Pick<PlieConfig, 'retention'>, now: Date): RetentionLimits {
  const today = parisDate(now);
  const r = config.retention;
  return {
    identityEndedBefore: addMonths(today, -r.identityMonthsAfterExit),
    // Kept until 31 December of (exit year + N): gone from the next 1 January.
    proofsExitYearAtMost: Number(today.slice(0, 4)) - r.proofsYearsAfterExit - 1,
    securityBefore: new Date(`${addMonths(today, -r.securityRecordsMonths)}T00:00:00Z`),
  };
}

/**
 * Each person of the PLIE whose pathways are all closed, with the day the last one ended: the
 * latest of their exits (what the durations count from) and of the last changes of their pathways
 * that ended without one (a reorientation, after a re-entry too), else the record's creation.
 */
const ENDED = (plieCode: string) => Prisma.sql`
  WITH ended AS (
    SELECT p.id, p."erasedAt",
      coalesce(greatest((SELECT max(e.date) FROM "Exit" e WHERE e."participantId" = p.id),
                        (SELECT max(w."updatedAt")::date FROM "Pathway" w WHERE w."participantId" = p.id
                           AND NOT EXISTS (SELECT 1 FROM "Exit" e WHERE e."pathwayId" = w.id))),
               p."createdAt"::date) AS "endedOn"
    FROM "Participant" p
    WHERE p."plieCode" = ${plieCode}
      AND NOT EXISTS (SELECT 1 FROM "Pathway" w WHERE w."participantId" = p.id AND w.stage <> ALL(${[...CLOSED_STAGES]}::text[]))
  )`;

async function identitiesDue(db: Db, plieCode: string, limits: RetentionLimits, take: number): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`${ENDED(plieCode)}
    SELECT id::text FROM ended WHERE "erasedAt" IS NULL AND "endedOn" < ${limits.identityEndedBefore}::date ORDER BY id LIMIT ${take}`;
  return rows.map((r) => r.id);
}

async function proofsDue(db: Db, plieCode: string, limits: RetentionLimits, take: number): Promise<Array<{ id: string; fileReference: string | null }>> {
  return await db.$queryRaw<Array<{ id: string; fileReference: string | null }>>`${ENDED(plieCode)}
    SELECT pr.id::text, pr."fileReference" FROM "Proof" pr JOIN ended ON ended.id = pr."participantId"
    WHERE extract(year FROM ended."endedOn") <= ${limits.proofsExitYearAtMost}
    ORDER BY pr.id LIMIT ${take}`;
}

const securityWhere = (plieCode: string, before: Date): { usedLinks: Prisma.UsedLinkWhereInput; sessions: Prisma.StaffSessionWhereInput; tokens: Prisma.ApiTokenWhereInput } => ({
  usedLinks: { usedAt: { lt: before }, expiresAt: { lt: before } },
  sessions: { plieCode, OR: [{ endedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  tokens: { staff: { plieCode }, OR: [{ revokedAt: { lt: before } }, { expiresOn: { lt: before } }] },
});

/** What the retention would remove today, by category, without doing it. */
export async function retentionPlan(db: Db, config: PlieConfig, now: Date): Promise<{ limits: RetentionLimits; counts: RetentionCounts }> {
  const limits = retentionLimits(config, now);
  const where = securityWhere(config.code, limits.securityBefore);
  const [identities, proofs, usedLinks, sessions, tokens] = await Promise.all([
    identitiesDue(db, config.code, limits, 1_000_000).then((r) => r.length),
    proofsDue(db, config.code, limits, 1_000_000).then((r) => r.length),
    db.usedLink.count({ where: where.usedLinks }),
    db.staffSession.count({ where: where.sessions }),
    db.apiToken.count({ where: where.tokens }),
  ]);
  return { limits, counts: { identities, proofs, usedLinks, sessions, tokens } };
}

/**
 * Applies the retention to one batch (`batch` people and proofs at most); `more` says whether
 * something is left for another call. Every pseudonymisation is audited (`rgpd.retention`).
 */
export async function applyRetention(
  deps: { db: Db; proofs: ProofStore },
  config: PlieConfig,
  now: Date,
  batch = 200,
): Promise<{ counts: RetentionCounts; more: boolean }> {
  const { db } = deps;
  const limits = retentionLimits(config, now);
  const people = await identitiesDue(db, config.code, limits, batch);
  for (const participantId of people) {
    await db.$transaction(
      async (tx) => {
        const done = await pseudonymise(tx, participantId, now);
        // Erased meanwhile: nothing more to record.
        if (!done) return;
        await audit(tx, {
          idempotencyKey: `rgpd.retention/${participantId}`,
          actor: 'système',
          channel: 'workflow',
          action: 'rgpd.retention',
          entityType: 'participant',
          entityId: participantId,
          details: { identityMonthsAfterExit: config.retention.identityMonthsAfterExit, ...done.counts },
        });
      },
      { timeout: 120_000 },
    );
  }
  const proofs = await proofsDue(db, config.code, limits, batch);
  for (const proof of proofs) {
    // The file first: a retry after a failure in between finds the record and removes nothing twice.
    if (proof.fileReference) await deps.proofs.remove(proof.fileReference);
    await db.$transaction(async (tx) => {
      await tx.proof.deleteMany({ where: { id: proof.id } });
      await audit(tx, { idempotencyKey: `rgpd.retention/proof/${proof.id}`, actor: 'système', channel: 'workflow', action: 'rgpd.proof.deleted', entityType: 'proof', entityId: proof.id, details: { proofsYearsAfterExit: config.retention.proofsYearsAfterExit } });
    });
  }
  const where = securityWhere(config.code, limits.securityBefore);
  const [usedLinks, sessions, tokens] = await Promise.all([
    db.usedLink.deleteMany({ where: where.usedLinks }),
    db.staffSession.deleteMany({ where: where.sessions }),
    db.apiToken.deleteMany({ where: where.tokens }),
  ]);
  return {
    counts: { identities: people.length, proofs: proofs.length, usedLinks: usedLinks.count, sessions: sessions.count, tokens: tokens.count },
    more: people.length === batch || proofs.length === batch,
  };
}
