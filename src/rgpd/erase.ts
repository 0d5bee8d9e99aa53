/**
 * The right to erasure (RGPD article 17), exercised by the coordination for the person: an open
 * pathway is first ended — its workflows closed (the FSE+ wait and an open commission vote too),
 * an administrative exit « effacement » recorded for a person who had entered the PLIE — then the
 * identity is pseudonymised everywhere
 * (pseudonymise.ts). What the FSE+ audit trail obliges the PLIE to keep (the proofs, article
 * 17(3)(b)) stays until that obligation ends, and the answer tells the person until when.
 * A second call finds it done and says so.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { uuidFromKey } from '../db/ids.ts';
import { formatFrenchDate, parisDate, type CalendarDate } from '../domain/dates.ts';
import { fileReference } from '../domain/participant.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { CLOSED_STAGES, type Stage } from '../domain/tasks.ts';
import { pseudonymise } from './pseudonymise.ts';

/** Stages before the entry into the PLIE: ending such a pathway records no exit. */
const NOT_ENTERED: readonly Stage[] = ['orientation', 'diagnostic'];

/** The exit reason an erasure records (an administrative exit). */
export const ERASURE_EXIT_REASON = 'effacement';
/** What Temporal keeps of why the workflows were closed: never the staff's own words, which may name the person. */
const TERMINATION_REASON = 'effacement des données (RGPD, article 17)';

export interface ErasureAnswer {
  status: 'erased' | 'already';
  fileReference: string;
  erasedOn: CalendarDate;
  /** Workflows closed by this call. */
  closedWorkflows: string[];
  /** Proofs kept for the FSE+ audit trail, and until when. */
  proofsKept: number;
  proofsKeptUntil: CalendarDate | null;
  /** What to answer the person, in French. */
  answer: string;
}

/** The last day proofs are kept: 31 December of the last exit's year plus the configured years. */
export function proofsKeptUntil(lastExit: CalendarDate, config: Pick<PlieConfig, 'retention'>): CalendarDate {
  return `${Number(lastExit.slice(0, 4)) + config.retention.proofsYearsAfterExit}-12-31`;
}

export async function eraseParticipant(
  deps: { db: Db; temporal: Client },
  config: PlieConfig,
  participantId: string,
  request: { reason: string; actor: string; channel: string; now: Date },
): Promise<ErasureAnswer | null> {
  const { db } = deps;
  const participant = await db.participant.findFirst({ where: { id: participantId, plieCode: config.code }, include: { pathways: { include: { commissionCases: true } } } });
  if (!participant) return null;
  const today = parisDate(request.now);
  if (participant.erasedAt) return await answer(db, config, participantId, 'already', parisDate(participant.erasedAt), []);

  // Temporal first: a retry after a failure below finds the workflows closed and goes on.
  const closed: string[] = [];
  for (const pathway of participant.pathways) {
    const open = pathway.commissionCases.filter((c) => c.outcome === 'OUVERT').map((c) => c.id);
    for (const workflowId of [pathway.id, ...open]) {
      if (await terminateIfRunning(deps.temporal, workflowId)) closed.push(workflowId);
    }
  }

  const erasedNow = await db.$transaction(
    async (tx) => {
      // First, as it locks the record: an erasure done meanwhile (a form sent twice, the nightly retention) is not done again.
      const done = await pseudonymise(tx, participantId, request.now);
      if (!done) return false;
      for (const pathway of participant.pathways) {
        if (CLOSED_STAGES.includes(pathway.stage as Stage)) continue;
        // An exit only for a person who entered the PLIE: one still at orientation or diagnostic never did.
        if (!NOT_ENTERED.includes(pathway.stage as Stage)) {
          // The same id as the workflow's own exit: one exit per pathway, whoever records it.
          const exitId = uuidFromKey(`${pathway.id}/exit`);
          await tx.exit.upsert({
            where: { id: exitId },
            create: { id: exitId, participantId, pathwayId: pathway.id, date: toDbDate(today), type: 'ADMINISTRATIVE', reason: ERASURE_EXIT_REASON },
            update: {},
          });
        }
        await tx.pathway.update({ where: { id: pathway.id }, data: { stage: 'exited' } });
        await tx.task.updateMany({ where: { pathwayId: pathway.id, status: 'open' }, data: { status: 'cancelled', answeredAt: request.now, answeredBy: request.actor, channel: request.channel } });
      }
      await tx.commissionCase.updateMany({ where: { pathwayId: { in: participant.pathways.map((p) => p.id) }, outcome: 'OUVERT' }, data: { outcome: 'withdrawn', closedAt: request.now } });
      await audit(tx, {
        idempotencyKey: `rgpd.erase/${participantId}`,
        actor: request.actor,
        channel: request.channel,
        action: 'rgpd.erase',
        entityType: 'participant',
        entityId: participantId,
        // The staff's words may name the person: masked like the rest.
        details: { motif: done.mask(request.reason), closedWorkflows: closed, ...done.counts },
      });
      return true;
    },
    { timeout: 120_000 },
  );
  if (!erasedNow) {
    const done = await db.participant.findUniqueOrThrow({ where: { id: participantId }, select: { erasedAt: true } });
    return await answer(db, config, participantId, 'already', parisDate(done.erasedAt!), closed);
  }
  return await answer(db, config, participantId, 'erased', today, closed);
}

async function terminateIfRunning(temporal: Client, workflowId: string): Promise<boolean> {
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return false;
    await handle.terminate(TERMINATION_REASON);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

async function answer(db: Db, config: PlieConfig, participantId: string, status: ErasureAnswer['status'], erasedOn: CalendarDate, closedWorkflows: string[]): Promise<ErasureAnswer> {
  const [proofs, lastExit] = await Promise.all([
    db.proof.count({ where: { participantId, fileReference: { not: null } } }),
    db.exit.findFirst({ where: { participantId }, orderBy: { date: 'desc' }, select: { date: true } }),
  ]);
  const until = proofs > 0 ? proofsKeptUntil(lastExit ? fromDbDate(lastExit.date) : erasedOn, config) : null;
  const file = fileReference(participantId);
  const kept = until
    ? ` Vos justificatifs (${proofs}) restent conservés, chiffrés, jusqu’au ${formatFrenchDate(until)} : le Fonds social européen, qui finance votre accompagnement, oblige le PLIE à pouvoir les présenter lors d’un contrôle (règlement (UE) 2021/1060, article 82 ; RGPD, article 17, paragraphe 3, point b). Ils seront supprimés à cette date.`
    : '';
  const text =
    status === 'already'
      ? `Vos données d’identité et de contact ont déjà été effacées le ${formatFrenchDate(erasedOn)} (dossier ${file}).${kept}`
      : `Vos données d’identité et de contact (nom, prénom, date de naissance, adresse email, téléphone, code postal) ont été effacées le ${formatFrenchDate(erasedOn)}. Le PLIE ne garde de votre parcours que des informations qui ne permettent plus de vous reconnaître, pour ses statistiques.${kept}`;
  return { status, fileReference: file, erasedOn, closedWorkflows, proofsKept: proofs, proofsKeptUntil: until, answer: text };
}
