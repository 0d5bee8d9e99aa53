/**
 * A hire under a procurement's clause: recorded as a clause contract of the marché and, when the person is a
 * PLIE participant, as a work contract of their pathway too (the pathway's own Update, so that
 * the follow-up and the exit criteria see it).
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { toDbDate } from '../db/dates.ts';
import { contractSchema } from '../domain/pathway-actions.ts';
import { z } from '../domain/validation.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { InvalidInputError } from '../participants/create.ts';
import { recordAction } from '../temporal/pathway-client.ts';
import { audit } from '../db/audit.ts';

export const hireInputSchema = z.object({
  personId: z.string({ error: 'personne : identifiant obligatoire' }).trim().min(1, 'personne : identifiant obligatoire'),
  contract: contractSchema,
});

export async function recordHire(
  deps: { db: Db; temporal: Client },
  procurementId: string,
  raw: unknown,
  actor: string,
  channel: 'cli' | 'web' = 'cli',
): Promise<{ contractId: string; inPathway: boolean }> {
  const parsed = hireInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const { personId, contract } = parsed.data;
  const procurement = await deps.db.procurement.findUnique({ where: { id: procurementId } });
  if (!procurement) throw new InvalidInputError(['marché inconnu']);
  if (procurement.status === 'CLOS') throw new InvalidInputError([`le marché ${procurement.externalId} est clos`]);
  const candidate = await deps.db.clauseCandidate.findUnique({ where: { procurementId_personId: { procurementId, personId } } });
  if (!candidate) throw new InvalidInputError([`${personId} n’a pas été proposé·e pour ce marché (plie marche candidat)`]);
  if (!candidate.eligible) throw new InvalidInputError([`${personId} ne relève pas des publics de la clause : ${candidate.reasons.join(' ')}`]);
  // The pathway first: should it refuse (stage, dates), nothing is written.
  if (candidate.participantId) {
    const workflowId = await currentPathwayId(deps.db, candidate.participantId);
    await recordAction(deps.temporal, candidate.participantId, { action: { type: 'contractSigned', contract: { ...contract, employer: contract.employer ?? procurement.company ?? undefined, sector: contract.sector ?? procurement.sector } }, actor, channel }, workflowId);
  }
  const saved = await deps.db.$transaction(async (tx) => {
    const created = await tx.clauseContract.create({
      data: {
        procurementId,
        personId,
        participantId: candidate.participantId,
        type: contract.type,
        start: toDbDate(contract.start),
        end: contract.end ? toDbDate(contract.end) : null,
        hoursDone: 0,
      },
    });
    await tx.clauseCandidate.update({ where: { id: candidate.id }, data: { status: 'EMBAUCHE' } });
    await audit(tx, { idempotencyKey: `clause-contract/${created.id}`, actor, channel, action: 'marche.hire', entityType: 'marche', entityId: procurementId, details: { personId, type: contract.type } });
    return created;
  });
  return { contractId: saved.id, inPathway: candidate.participantId !== null };
}
