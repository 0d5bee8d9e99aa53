/**
 * Actions and answers on a participant's pathway, from any channel (Slack, API, CLI, links): what
 * the workflow cannot check itself is checked here first — the referent a pathway is given or
 * entrusted to must be an active referent of the same PLIE (never an outside address, which would
 * receive the person's replies and the task links).
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { pathwayActionSchema } from '../domain/pathway-actions.ts';
import { isTaskKind } from '../domain/tasks.ts';
import { z } from '../domain/validation.ts';
import { taskAnswerSchema } from '../forms/task-forms.ts';
import { staffByEmail } from '../staff/directory.ts';
import { answerTask, recordAction, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import type { ActionRequest, AnswerTaskRequest, PathwayState } from '../../workflows/pathway-messages.ts';

type Deps = { db: Db; temporal: Client };

/** Refused unless `email` is an active referent of the participant's PLIE (a malformed address is left to the workflow's own message). */
async function assertActiveReferent(db: Db, participantId: string, email: string, refused: string): Promise<void> {
  if (!z.email().safeParse(email.trim()).success) return;
  // The roster of the person's own PLIE.
  const participant = await db.participant.findUnique({ where: { id: participantId }, select: { plieCode: true } });
  const staff = participant ? await staffByEmail(db, participant.plieCode, email) : null;
  if (!staff?.roles.includes('REFERENT')) {
    throw new TaskAnswerRejectedError(`${refused} : ${email.trim()} n’est pas référent·e en activité dans ce PLIE.`, REFUSAL_CODES.invalid);
  }
}

/**
 * What people type is judged here, before the workflow: control characters, implausible dates
 * (the workflow itself no longer judges them, so that older histories replay: src/domain/validation.ts).
 */
function refusedUnlessValid(prefix: string, check: { success: boolean; error?: { issues: readonly { message: string }[] } }): void {
  if (!check.success) throw new TaskAnswerRejectedError(`${prefix} : ${(check.error?.issues ?? []).map((i) => i.message).join(' ; ')}`, REFUSAL_CODES.invalid);
}

export async function recordPathwayAction(deps: Deps, participantId: string, request: ActionRequest, workflowId: string): Promise<PathwayState> {
  refusedUnlessValid('Action refusée', pathwayActionSchema.safeParse(request.action));
  const action = request.action as { type?: unknown; referentEmail?: unknown } | null;
  if (action?.type === 'referentChanged' && typeof action.referentEmail === 'string') {
    await assertActiveReferent(deps.db, participantId, action.referentEmail, 'Action refusée');
  }
  return await recordAction(deps.temporal, participantId, request, workflowId);
}

/** A task's answer; designating the referent takes an active referent of the PLIE only. */
export async function answerPathwayTask(deps: Deps, participantId: string, request: AnswerTaskRequest, workflowId: string): Promise<PathwayState> {
  const answer = request.answer as { referentEmail?: unknown } | null;
  const task = await deps.db.task.findUnique({ where: { id: request.taskId }, select: { kind: true } });
  // A task unknown here is left to the workflow's own refusal.
  if (task && isTaskKind(task.kind)) refusedUnlessValid('Réponse invalide', taskAnswerSchema(task.kind).safeParse(request.answer));
  if (typeof answer?.referentEmail === 'string' && task?.kind === 'assign_referent') {
    await assertActiveReferent(deps.db, participantId, answer.referentEmail, 'Réponse refusée');
  }
  return await answerTask(deps.temporal, participantId, request, workflowId);
}
