/**
 * Which delivery a message that did not go out was, read from its record alone, so that the
 * coordination can send it again: a participant's email (its template, its pathway, its key), a
 * task's notice to staff (the task, the notice, its sequence) or the prescriber's word of the
 * outcome. Other messages are not resent from here (a digest, a sign-in link, a marché's email: the
 * next one supersedes them; a change of referent's notice: its tasks have moved on since).
 */
import { isParticipantTemplate } from './participant-templates.ts';

export type ResendPlan =
  | { kind: 'participant'; template: string; key: string; pathwayId: string }
  | { kind: 'task'; taskId: string; notice: 'opened' | 'reminder' | 'escalation' | 'received'; sequence?: number; to: string }
  | { kind: 'prescriber'; event: 'exit' | 'reorientation'; key: string; pathwayId: string };

/** Statuses worth sending again: refused or failed, or held for want of an address. Pending ones are still being retried. */
export const RESENDABLE_STATUSES = ['failed', 'refused', 'no_address'] as const;

const TASK_NOTICE = /^(.+)\/(opened|reminder|escalation|received)(?:\/(\d+))?$/;

export function resendPlan(message: { idempotencyKey: string; template: string; recipient: string; pathwayId: string | null; status: string }): ResendPlan | null {
  if (!(RESENDABLE_STATUSES as readonly string[]).includes(message.status) || !message.pathwayId) return null;
  if (isParticipantTemplate(message.template)) return { kind: 'participant', template: message.template, key: message.idempotencyKey, pathwayId: message.pathwayId };
  const prescriber = /^prescriber\.(exit|reorientation)$/.exec(message.template);
  if (prescriber) return { kind: 'prescriber', event: prescriber[1] as 'exit', key: message.idempotencyKey, pathwayId: message.pathwayId };
  const notice = TASK_NOTICE.exec(message.idempotencyKey);
  if (message.template.startsWith('task.') && notice && message.template === `task.${notice[2]}`) {
    return { kind: 'task', taskId: notice[1]!, notice: notice[2] as 'opened', ...(notice[3] ? { sequence: Number(notice[3]) } : {}), to: message.recipient };
  }
  return null;
}
