/**
 * What a person may do, decided here once for every channel (Slack, web, HTTP API, CLI) and for the
 * workflows' validators: a referent acts on their own participants, the coordination on all; a
 * vote belongs to the member it was asked of. Pure (the workflows import it).
 */

export interface Actor {
  email: string;
  roles: string[];
}

/** Who acts for the participant themself (their own link: a proof, the questionnaire). */
export const PARTICIPANT_ACTOR = 'participant';

/** The coordination of a PLIE as a workflow knows it: the configured address and the staff with the role. */
export interface Roster {
  coordinators: readonly string[];
}

const same = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();

export const isCoordinator = (actor: Pick<Actor, 'roles'>) => actor.roles.includes('COORDINATEUR');

/** The actor behind an address, as a workflow sees them: coordinator if the roster says so. */
export function rosterActor(email: string, roster: Roster): Actor {
  return { email, roles: roster.coordinators.some((c) => same(c, email)) ? ['COORDINATEUR'] : [] };
}

export function mayAnswerTask(
  actor: Actor,
  task: { kind: string; assigneeEmail: string | null; assigneeRole: string },
  pathwayReferent: string | null,
): boolean {
  // A vote is personal: not even the coordination votes for a member.
  if (task.kind === 'commission_vote') return same(task.assigneeEmail, actor.email);
  if (isCoordinator(actor)) return true;
  if (same(task.assigneeEmail, actor.email)) return true;
  // The participant's own requests (a proof…) are answered by them, or by their referent.
  return task.assigneeRole === 'participant' && (actor.email === PARTICIPANT_ACTOR || same(pathwayReferent, actor.email));
}

/** Recording a step, a contact, a contract… on a pathway; and reading its summary. */
export function mayActOnPathway(actor: Actor, pathwayReferent: string | null): boolean {
  return isCoordinator(actor) || same(pathwayReferent, actor.email);
}

/**
 * Recording an action on a pathway: its referent or the coordination; a clause facilitator records
 * the contract of a hire she arranged, nothing else; only the coordination entrusts a pathway to
 * another referent.
 */
export function mayRecordAction(actor: Actor, actionType: unknown, pathwayReferent: string | null, facilitators: readonly string[]): boolean {
  if (actionType === 'referentChanged') return isCoordinator(actor);
  if (mayActOnPathway(actor, pathwayReferent)) return true;
  return actionType === 'contractSigned' && facilitators.some((f) => same(f, actor.email));
}

/** Registering a referral (`/plie orienter`): the coordination and referents. */
export function mayRefer(actor: Actor): boolean {
  return isCoordinator(actor) || actor.roles.includes('REFERENT');
}

export function mayVote(actor: Actor, members: readonly string[]): boolean {
  return members.some((m) => same(m, actor.email));
}
