import { pathwayWorkflowId } from '../../workflows/pathway-messages.ts';
import { fromDbDate } from '../db/dates.ts';
import type { CreateParticipantDeps } from '../participants/create.ts';
import { coordinatorsOf } from '../staff/directory.ts';
import { importedReferent } from './imported-referent.ts';
import { PathwayAlreadyStartedError, startPathway } from '../temporal/pathway-client.ts';

/**
 * After an import, starts the pathway workflow of every imported participant still under way
 * (integrated, not exited), at the active stage, with the referent the import names when it is
 * one of the PLIE's (else the coordination designates one). Safe to repeat: a running pathway is left alone.
 * People oriented but never integrated nor exited are not started (too old to guess their stage);
 * they are counted so that staff can look at them.
 */
export async function startImportedPathways(
  deps: CreateParticipantDeps,
  plieCode: string,
): Promise<{ started: number; alreadyRunning: number; notIntegrated: number }> {
  const open = await deps.db.participant.findMany({
    where: { plieCode, externalId: { not: null }, exits: { none: {} } },
    select: { id: true, integrationDate: true, referentName: true },
  });
  const referents = await deps.db.staff.findMany({ where: { plieCode, active: true, roles: { has: 'REFERENT' } }, select: { email: true, name: true } });
  let started = 0;
  let alreadyRunning = 0;
  const coordinators = await coordinatorsOf(deps.db, plieCode);
  for (const participant of open) {
    if (!participant.integrationDate) continue;
    const entryDate = fromDbDate(participant.integrationDate);
    const id = pathwayWorkflowId(participant.id);
    const referentEmail = importedReferent(participant.referentName, referents);
    await deps.db.pathway.upsert({
      where: { id },
      create: { id, participantId: participant.id, stage: 'active', entryDate: participant.integrationDate, referentEmail },
      update: {},
    });
    try {
      await startPathway(deps.temporal, deps.taskQueue, {
        participantId: participant.id,
        coordinatorEmail: deps.coordinatorEmail,
        coordinators,
        timings: deps.timings,
        ...(deps.policy ? { policy: deps.policy } : {}),
        resume: { stage: 'active', referentEmail, entryDate },
      });
      started += 1;
    } catch (error) {
      if (!(error instanceof PathwayAlreadyStartedError)) throw error;
      alreadyRunning += 1;
    }
  }
  deps.logger.info({ plieCode, started, alreadyRunning }, 'parcours importés démarrés');
  return { started, alreadyRunning, notIntegrated: open.filter((p) => !p.integrationDate).length };
}
