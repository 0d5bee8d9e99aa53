import { pathwayWorkflowId } from '../../workflows/pathway-messages.ts';
import { fromDbDate } from '../db/dates.ts';
import type { CreateParticipantDeps } from '../participants/create.ts';
import { coordinatorsOf } from '../staff/directory.ts';
import { importedReferent } from './imported-referent.ts';
import { PathwayAlreadyStartedError, startPathway, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { recordPathwayAction } from '../participants/pathway-action.ts';

/**
 * After an import, starts the pathway workflow of every imported participant still under way
 * (integrated, not exited), at the active stage, with the referent the import names when it is
 * one of the PLIE's (else the coordination designates one). Safe to repeat: a running pathway is
 * left alone, except that one still without a referent is entrusted to the one the import now
 * names (a referent added to the roster since the first import), as the coordination would.
 * People oriented but never integrated nor exited are not started (too old to guess their stage);
 * they are counted so that staff can look at them.
 */
export async function startImportedPathways(
  deps: CreateParticipantDeps,
  plieCode: string,
): Promise<{ started: number; alreadyRunning: number; referentsGiven: number; notIntegrated: number }> {
  const open = await deps.db.participant.findMany({
    where: { plieCode, externalId: { not: null }, exits: { none: {} } },
    select: { id: true, integrationDate: true, referentName: true },
  });
  const referents = await deps.db.staff.findMany({ where: { plieCode, active: true, roles: { has: 'REFERENT' } }, select: { email: true, name: true } });
  let started = 0;
  let alreadyRunning = 0;
  let referentsGiven = 0;
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
      if (referentEmail && (await entrust(deps, participant.id, id, referentEmail))) referentsGiven += 1;
    }
  }
  deps.logger.info({ plieCode, started, alreadyRunning, referentsGiven }, 'parcours importés démarrés');
  return { started, alreadyRunning, referentsGiven, notIntegrated: open.filter((p) => !p.integrationDate).length };
}

/** Gives a running pathway without a referent the one the import names; false if it has one, or cannot take one now. */
async function entrust(deps: CreateParticipantDeps, participantId: string, pathwayId: string, referentEmail: string): Promise<boolean> {
  const pathway = await deps.db.pathway.findUnique({ where: { id: pathwayId }, select: { referentEmail: true } });
  if (!pathway || pathway.referentEmail) return false;
  try {
    const action = { type: 'referentChanged', referentEmail, reason: 'Référent·e nommé·e par l’historique importé' };
    await recordPathwayAction(deps, participantId, { action, actor: deps.coordinatorEmail, channel: 'import' }, pathwayId);
    return true;
  } catch (error) {
    // Exited or reoriented since, or its stage takes no referent: left as it stands.
    if (error instanceof TaskAnswerRejectedError) {
      deps.logger.info({ pathwayId, reason: error.message }, 'référent·e importé·e non confié·e');
      return false;
    }
    throw error;
  }
}
