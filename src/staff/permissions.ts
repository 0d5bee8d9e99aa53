/**
 * What a member of staff may do (pure): a referent acts on their own participants, the
 * coordination on all; a vote belongs to the member it was asked of.
 */
import { isCoordinator } from './directory.ts';

export interface Actor {
  email: string;
  roles: string[];
}

const same = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();

export function mayAnswerTask(
  actor: Actor,
  task: { kind: string; assigneeEmail: string | null; assigneeRole: string },
  pathwayReferent: string | null,
): boolean {
  // A vote is personal: not even the coordination votes for a member.
  if (task.kind === 'commission_vote') return same(task.assigneeEmail, actor.email);
  if (isCoordinator(actor)) return true;
  if (same(task.assigneeEmail, actor.email)) return true;
  // The participant's own requests (a proof…) may be answered by their referent.
  return task.assigneeRole === 'participant' && same(pathwayReferent, actor.email);
}

/** Recording a step, a contact, a contract… on a pathway; and reading its summary. */
export function mayActOnPathway(actor: Actor, pathwayReferent: string | null): boolean {
  return isCoordinator(actor) || same(pathwayReferent, actor.email);
}

/** Registering a referral (`/plie orienter`): the coordination and referents. */
export function mayRefer(actor: Actor): boolean {
  return isCoordinator(actor) || actor.roles.includes('REFERENT');
}

export function mayVote(actor: Actor, members: readonly string[]): boolean {
  return members.some((m) => same(m, actor.email));
}
