/**
 * An action on a participant's pathway, from any channel (Slack, API, CLI): what the workflow
 * cannot check itself is checked here first — the referent a pathway is entrusted to must be an
 * active referent of the same PLIE (never an outside address, which would receive the tasks).
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { staffByEmail } from '../staff/directory.ts';
import { recordAction, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import type { ActionRequest, PathwayState } from '../../workflows/pathway-messages.ts';

export async function recordPathwayAction(
  deps: { db: Db; temporal: Client },
  participantId: string,
  request: ActionRequest,
  workflowId: string,
): Promise<PathwayState> {
  const action = request.action as { type?: unknown; referentEmail?: unknown } | null;
  if (action?.type === 'referentChanged' && typeof action.referentEmail === 'string') {
    // The roster of the person's own PLIE.
    const participant = await deps.db.participant.findUnique({ where: { id: participantId }, select: { plieCode: true } });
    const staff = participant ? await staffByEmail(deps.db, participant.plieCode, action.referentEmail) : null;
    if (!staff?.roles.includes('REFERENT')) {
      throw new TaskAnswerRejectedError(`Action refusée : ${action.referentEmail.trim()} n’est pas référent·e en activité dans ce PLIE.`, REFUSAL_CODES.invalid);
    }
  }
  return await recordAction(deps.temporal, participantId, request, workflowId);
}
