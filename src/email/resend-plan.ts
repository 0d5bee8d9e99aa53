/**
 * Which delivery a message that did not go out was, read from its record alone, so that the
 * coordination can send it again: a participant's email (its template, its pathway, its key), a
 * task's notice to staff (the task, the notice, its sequence), the prescriber's word of the
 * outcome, or a marché's email (the month's request to the company, a prompt to the facilitator, the
 * bilan). Other messages are not resent from here (a digest, a sign-in link: the next one supersedes
 * them; a correction asked of the company: its comment lives in the workflow; a change of referent's
 * notice: its tasks have moved on since).
 */
import { isParticipantTemplate } from './participant-templates.ts';

export type ResendPlan =
  | { kind: 'participant'; template: string; key: string; pathwayId: string }
  | { kind: 'task'; taskId: string; notice: 'opened' | 'reminder' | 'escalation' | 'received'; sequence?: number; to: string }
  | { kind: 'prescriber'; event: 'exit' | 'reorientation'; key: string; pathwayId: string }
  | MarcheResendPlan;

/** A marché's email, as its workflow keyed it: marche/<id>/<month>/request/<n>, …/<month>/<prompt>/<n>, or marche/<id>/bilan. */
export type MarcheResendPlan =
  | { kind: 'marche'; email: 'request'; marcheId: string; month: string; request: 'request' | 'chase'; key: string }
  | { kind: 'marche'; email: 'prompt'; marcheId: string; month: string; prompt: 'validate' | 'chase' | 'pace'; key: string; to: string }
  | { kind: 'marche'; email: 'bilan'; marcheId: string; key: string; to: string };

const MARCHE_EMAIL = /^marche\/([0-9a-f-]{36})\/(?:(\d{4}-\d{2})\/(request|validate|chase|pace)\/\d+|(bilan))$/;

function marchePlan(message: { idempotencyKey: string; template: string; recipient: string }): MarcheResendPlan | null {
  const match = MARCHE_EMAIL.exec(message.idempotencyKey);
  if (!match) return null;
  const [, marcheId, month, what, bilan] = match as unknown as [string, string, string | undefined, string | undefined, string | undefined];
  const key = message.idempotencyKey;
  if (bilan) return message.template === 'marche.bilan' ? { kind: 'marche', email: 'bilan', marcheId, key, to: message.recipient } : null;
  if (what === 'request') {
    const request = /^marche\.heures\.(request|chase)$/.exec(message.template)?.[1] as 'request' | 'chase' | undefined;
    return request ? { kind: 'marche', email: 'request', marcheId, month: month!, request, key } : null;
  }
  return message.template === `marche.${what}` ? { kind: 'marche', email: 'prompt', marcheId, month: month!, prompt: what as 'validate', key, to: message.recipient } : null;
}

/** Statuses worth sending again: refused or failed, or held for want of an address. Pending ones are still being retried. */
export const RESENDABLE_STATUSES = ['failed', 'refused', 'no_address'] as const;

const TASK_NOTICE = /^(.+)\/(opened|reminder|escalation|received)(?:\/(\d+))?$/;

export function resendPlan(message: { idempotencyKey: string; template: string; recipient: string; pathwayId: string | null; status: string }): ResendPlan | null {
  if (!(RESENDABLE_STATUSES as readonly string[]).includes(message.status)) return null;
  if (!message.pathwayId) return marchePlan(message);
  if (isParticipantTemplate(message.template)) return { kind: 'participant', template: message.template, key: message.idempotencyKey, pathwayId: message.pathwayId };
  const prescriber = /^prescriber\.(exit|reorientation)$/.exec(message.template);
  if (prescriber) return { kind: 'prescriber', event: prescriber[1] as 'exit', key: message.idempotencyKey, pathwayId: message.pathwayId };
  const notice = TASK_NOTICE.exec(message.idempotencyKey);
  if (message.template.startsWith('task.') && notice && message.template === `task.${notice[2]}`) {
    return { kind: 'task', taskId: notice[1]!, notice: notice[2] as 'opened', ...(notice[3] ? { sequence: Number(notice[3]) } : {}), to: message.recipient };
  }
  return null;
}
