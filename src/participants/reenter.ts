/**
 * Re-entry (Article 3): someone whose pathway ended for an administrative reason (pregnancy,
 * moving, incarceration, health) may start a new pathway, linked to the earlier one.
 */
import { readmittingExit } from '../domain/eligibility.ts';
import { EXIT_TYPE_LABELS, type ExitType } from '../domain/exit-types.ts';
import type { Db } from '../db/client.ts';
import { pathwayWorkflowId, type Channel } from '../../workflows/pathway-messages.ts';
import { audit } from '../db/audit.ts';
import { workflowExists } from '../temporal/pathway-client.ts';
import { PathwayNotStartedError, type CreateParticipantDeps } from './create.ts';
import { startPathwayOf } from './unstarted-pathways.ts';

export class ReentryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReentryRefusedError';
  }
}

/** Starts the pathway's workflow; when Temporal does not answer, says that the same request will start it. */
async function start(deps: CreateParticipantDeps, participantId: string, workflowId: string): Promise<void> {
  try {
    await startPathwayOf(deps, participantId, workflowId);
  } catch (error) {
    deps.logger.error({ participantId, workflowId, err: (error as Error).message }, 'démarrage du parcours impossible');
    throw new PathwayNotStartedError(participantId);
  }
}

/** The pathway staff act on: the participant's latest. */
export async function currentPathwayId(db: Db, participantId: string): Promise<string> {
  const latest = await db.pathway.findFirst({ where: { participantId }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  return latest?.id ?? pathwayWorkflowId(participantId);
}

export async function reenterParticipant(
  deps: CreateParticipantDeps,
  participantId: string,
  by: { actor: string; channel: Channel },
): Promise<{ workflowId: string; previousPathwayId: string }> {
  const participant = await deps.db.participant.findFirst({
    where: { id: participantId, plieCode: deps.plieCode },
    include: { pathways: { orderBy: { createdAt: 'desc' } } },
  });
  if (!participant) throw new ReentryRefusedError('Aucun participant avec cet identifiant.');
  if (participant.erasedAt) throw new ReentryRefusedError('Les données de cette personne ont été effacées : une nouvelle entrée se fait par une nouvelle orientation.');
  const latest = participant.pathways[0];
  if (!latest) throw new ReentryRefusedError('Aucun parcours antérieur pour cette personne : créez plutôt son parcours.');
  // A re-entry recorded whose workflow never started (Temporal did not answer, the process stopped):
  // the same request starts it, as creation does.
  if (latest.previousPathwayId && !(await workflowExists(deps.temporal, latest.id))) {
    await start(deps, participantId, latest.id);
    deps.logger.info({ participantId, workflowId: latest.id, previousPathwayId: latest.previousPathwayId }, 'nouvelle entrée enregistrée : parcours démarré à la nouvelle demande');
    return { workflowId: latest.id, previousPathwayId: latest.previousPathwayId };
  }
  const previous = latest;
  const exit = await deps.db.exit.findFirst({ where: { pathwayId: previous.id } });
  if (!exit) throw new ReentryRefusedError('Le parcours en cours n’est pas terminé : une nouvelle entrée suit une sortie.');
  if (!readmittingExit(exit)) {
    throw new ReentryRefusedError(
      `Une nouvelle entrée suit seulement une sortie administrative (grossesse, déménagement, incarcération, santé) ; la dernière sortie est : ${EXIT_TYPE_LABELS[exit.type as ExitType] ?? exit.type}.`,
    );
  }
  const workflowId = `${pathwayWorkflowId(participantId)}-${participant.pathways.length + 1}`;
  await deps.db.$transaction(async (tx) => {
    await tx.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation', previousPathwayId: previous.id } });
    await audit(tx, {
      idempotencyKey: `${workflowId}/reentry`,
      actor: by.actor,
      channel: by.channel,
      action: 'pathway.reentry',
      entityType: 'pathway',
      entityId: workflowId,
      details: { previousPathwayId: previous.id },
    });
  });
  await start(deps, participantId, workflowId);
  deps.logger.info({ participantId, workflowId, previousPathwayId: previous.id }, 'nouvelle entrée après une sortie administrative');
  return { workflowId, previousPathwayId: previous.id };
}
