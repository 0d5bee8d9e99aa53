import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import { describeIssues, identityKey, participantInputSchema } from '../domain/participant.ts';
import type { TaskTimings } from '../domain/tasks.ts';
import type { Logger } from '../logging.ts';
import { parcoursWorkflowId, type Channel } from '../../workflows/messages.ts';
import { startParcours } from '../temporal/parcours-client.ts';

/** Bad input: `problems` are French sentences for the person who typed it. */
export class InvalidInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Données invalides : ${problems.join(' ; ')}`);
    this.name = 'InvalidInputError';
  }
}

export class DuplicateParticipantError extends Error {
  constructor(readonly existingId: string) {
    super(`Cette personne est déjà enregistrée (même nom, prénom et date de naissance) : participant ${existingId}.`);
    this.name = 'DuplicateParticipantError';
  }
}

export interface CreateParticipantDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  coordinatorEmail: string;
  timings: TaskTimings;
  logger: Logger;
}

/**
 * Records a participant and starts their pathway workflow. Either both happen or neither:
 * if the workflow cannot start, the records written here are removed again.
 */
export async function createParticipant(
  deps: CreateParticipantDeps,
  raw: unknown,
  by: { actor: string; channel: Channel },
): Promise<{ participantId: string; workflowId: string }> {
  const parsed = participantInputSchema.safeParse(raw);
  if (!parsed.success) {
    deps.logger.info({ channel: by.channel, problems: parsed.error.issues.length }, 'création refusée : données invalides');
    throw new InvalidInputError(describeIssues(parsed.error));
  }
  const input = parsed.data;
  const key = identityKey(input);
  const participantId = randomUUID();
  const workflowId = parcoursWorkflowId(participantId);

  try {
    await deps.db.$transaction(async (tx) => {
      await tx.participant.create({
        data: {
          id: participantId,
          firstName: input.firstName,
          lastName: input.lastName,
          identityKey: key,
          birthDate: new Date(`${input.birthDate}T00:00:00Z`),
          email: input.email ?? null,
          phone: input.phone ?? null,
          commune: input.commune ?? null,
          createdBy: by.actor,
        },
      });
      await tx.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
      await tx.auditEvent.create({
        data: {
          actor: by.actor,
          channel: by.channel,
          action: 'participant.create',
          entityType: 'participant',
          entityId: participantId,
        },
      });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const existing = await deps.db.participant.findUnique({ where: { identityKey: key }, select: { id: true } });
      throw new DuplicateParticipantError(existing?.id ?? 'inconnu');
    }
    throw error;
  }

  try {
    await startParcours(deps.temporal, deps.taskQueue, {
      participantId,
      coordinatorEmail: deps.coordinatorEmail,
      timings: deps.timings,
    });
  } catch (error) {
    deps.logger.error({ participantId, err: (error as Error).message }, 'démarrage du parcours impossible, création annulée');
    // The audit trail keeps both the creation and its cancellation.
    await deps.db.$transaction([
      deps.db.pathway.delete({ where: { id: workflowId } }),
      deps.db.participant.delete({ where: { id: participantId } }),
      deps.db.auditEvent.create({
        data: {
          actor: by.actor,
          channel: by.channel,
          action: 'participant.create.cancelled',
          entityType: 'participant',
          entityId: participantId,
          details: { reason: 'workflow start failed' },
        },
      }),
    ]);
    throw error;
  }
  deps.logger.info({ participantId, workflowId, channel: by.channel }, 'participant créé, parcours démarré');
  return { participantId, workflowId };
}
