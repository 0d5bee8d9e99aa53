/**
 * What a person may do, decided here once for every channel (Slack, web, HTTP API, CLI) and for the
 * workflows' validators: a referent acts on their own participants, the coordination on all; a
 * vote belongs to the member it was asked of. Pure (the workflows import it).
 */

/**
 * The roles a member of staff may hold (several at once): the coordination, the referents who
 * follow people, the commission ad hoc, the clause facilitation, the business relations (job
 * offers), the prescribers who orient people to the PLIE, and the technical administration.
 */
export const ROLES = ['COORDINATEUR', 'REFERENT', 'FACILITATEUR', 'MEMBRE_COMMISSION', 'CHARGE_RELATION_ENTREPRISE', 'PRESCRIPTEUR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a member of staff may do in their PLIE, beyond a given pathway or vote (those are judged
 * below, person by person): register a referral, look up people's files (then only those a
 * referent holds), follow the clauses' marchés, publish job offers, run collective actions,
 * manage the staff and their tokens, read the PLIE's bilan, answer a person's data rights (access, erasure).
 */
export const STAFF_ACTIONS = ['refer', 'lookUpFiles', 'followMarches', 'publishOffers', 'runCollectiveActions', 'manageStaff', 'readBilan', 'answerDataRights'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/**
 * Role → what it grants. The administration manages accounts, never people's files; a prescriber
 * orients, and sees nothing of the pathway after; the commission only votes.
 */
export const GRANTS: Record<Role, readonly StaffAction[]> = {
  COORDINATEUR: STAFF_ACTIONS,
  REFERENT: ['refer', 'lookUpFiles', 'runCollectiveActions'],
  FACILITATEUR: ['followMarches'],
  MEMBRE_COMMISSION: [],
  CHARGE_RELATION_ENTREPRISE: ['publishOffers', 'followMarches'],
  PRESCRIPTEUR: ['refer'],
  ADMIN: ['manageStaff'],
};

/** Said to whoever may not do it (in French, the same in every channel). */
export const REFUSED: Record<StaffAction, string> = {
  refer: 'Seules la coordination, les référent·es et les prescripteurs enregistrent une orientation.',
  lookUpFiles: 'La situation d’un dossier est réservée à la coordination et aux référent·es.',
  followMarches: 'Les heures des marchés sont suivies par la facilitation des clauses, la relation entreprises ou la coordination.',
  publishOffers: 'Les offres d’emploi sont publiées par la relation entreprises ou la coordination.',
  runCollectiveActions: 'Les actions collectives sont organisées par la coordination et les référent·es.',
  manageStaff: 'Le personnel et ses jetons sont gérés par la coordination ou l’administration.',
  readBilan: 'Le bilan du PLIE est réservé à la coordination.',
  answerDataRights: 'Les demandes d’accès et d’effacement des données d’une personne sont traitées par la coordination.',
};

/** What a PLIE's configuration adds to the table above: the roles it lets read its bilan besides the coordination. */
export interface PlieGrants {
  bilanReaders: readonly string[];
}

export function mayDo(actor: Pick<Actor, 'roles'>, action: StaffAction, plie?: PlieGrants): boolean {
  if (actor.roles.some((role) => (GRANTS[role as Role] ?? []).includes(action))) return true;
  return action === 'readBilan' && plie !== undefined && actor.roles.some((role) => plie.bilanReaders.includes(role));
}

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

/** Two email addresses name the same person (case and surrounding spaces aside). */
export const sameAddress = (a: string | null | undefined, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();
const same = sameAddress;

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

/** Registering a referral (`/plie orienter`, the API): the coordination, referents and prescribers. */
export function mayRefer(actor: Pick<Actor, 'roles'>): boolean {
  return mayDo(actor, 'refer');
}

/** The commission ad hoc's cases (pseudonymised) are seen by its members and the coordination. */
export function seesCommissionCases(actor: Pick<Actor, 'roles'>): boolean {
  return isCoordinator(actor) || actor.roles.includes('MEMBRE_COMMISSION');
}

export function mayVote(actor: Actor, members: readonly string[]): boolean {
  return members.some((m) => same(m, actor.email));
}
