import { describe, expect, it } from 'vitest';
import { mayActOnPathway, mayAnswerTask, mayDo, mayRecordAction, mayRefer, mayVote, ROLES, seesCommissionCases, rosterActor, STAFF_ACTIONS, type Actor, type Role, type StaffAction } from '../../src/domain/permissions.ts';

const coordinator = { email: 'claire@plie.test', roles: ['COORDINATEUR'] };
const alice = { email: 'Alice@plie.test', roles: ['REFERENT'] };
const bruno = { email: 'bruno@plie.test', roles: ['REFERENT'] };
const member = { email: 'marie@plie.test', roles: ['MEMBRE_COMMISSION'] };

describe('who may do what', () => {
  it.each([
    ['the referent, on their task (any case)', alice, { kind: 'diagnostic_decision', assigneeEmail: 'alice@plie.test', assigneeRole: 'referent' }, 'alice@plie.test', true],
    ['another referent', bruno, { kind: 'diagnostic_decision', assigneeEmail: 'alice@plie.test', assigneeRole: 'referent' }, 'alice@plie.test', false],
    ['the coordination, on anyone’s task', coordinator, { kind: 'diagnostic_decision', assigneeEmail: 'alice@plie.test', assigneeRole: 'referent' }, 'alice@plie.test', true],
    ['the referent, for their participant’s proof', alice, { kind: 'proof_request', assigneeEmail: null, assigneeRole: 'participant' }, 'alice@plie.test', true],
    ['another referent, for that proof', bruno, { kind: 'proof_request', assigneeEmail: null, assigneeRole: 'participant' }, 'alice@plie.test', false],
    ['a member, on their own vote', member, { kind: 'commission_vote', assigneeEmail: 'marie@plie.test', assigneeRole: 'commission_member' }, null, true],
    ['the coordination, on a member’s vote', coordinator, { kind: 'commission_vote', assigneeEmail: 'marie@plie.test', assigneeRole: 'commission_member' }, null, false],
  ] as const)('answering a task: %s', (_name, actor, task, referent, expected) => {
    expect(mayAnswerTask({ ...actor, roles: [...actor.roles] }, task, referent)).toBe(expected);
  });

  it.each([
    [alice, 'alice@plie.test', true],
    [bruno, 'alice@plie.test', false],
    [coordinator, 'alice@plie.test', true],
    [alice, null, false],
  ] as const)('acting on a pathway: %o with referent %s → %s', (actor, referent, expected) => {
    expect(mayActOnPathway({ ...actor, roles: [...actor.roles] }, referent)).toBe(expected);
  });

  it('refers: coordination and referents; votes: members only', () => {
    expect([coordinator, alice, member].map((a) => mayRefer({ ...a, roles: [...a.roles] }))).toEqual([true, true, false]);
    expect(mayRefer({ roles: ['PRESCRIPTEUR'] })).toBe(true);
    expect(mayVote(member, ['MARIE@plie.test'])).toBe(true);
    expect(mayVote(alice, ['marie@plie.test'])).toBe(false);
  });
});

describe('who sees the commission’s cases', () => {
  it.each(ROLES.map((role) => [role, role === 'COORDINATEUR' || role === 'MEMBRE_COMMISSION'] as const))('%s → %s', (role, sees) => {
    expect(seesCommissionCases({ roles: [role] })).toBe(sees);
  });
});

describe('one authority, whatever the channel: role × action × channel', () => {
  const REFERENT = 'alice@plie.test';
  const roster = { coordinators: ['claire@plie.test', 'Paul.Adjoint@plie.test'] };
  const people = {
    'the configured coordinator': { email: 'claire@plie.test', roles: ['COORDINATEUR'] },
    'a second coordinator': { email: 'paul.adjoint@plie.test', roles: ['COORDINATEUR'] },
    'the pathway’s referent': { email: REFERENT, roles: ['REFERENT'] },
    'another referent': { email: 'bruno@plie.test', roles: ['REFERENT'] },
    'a clause facilitator': { email: 'fanny@plie.test', roles: ['FACILITATEUR'] },
    'the participant (their link)': { email: 'participant', roles: [] },
  } as const;
  type Person = keyof typeof people;
  const referentTask = { kind: 'diagnostic_decision', assigneeEmail: REFERENT, assigneeRole: 'referent' };
  const proofTask = { kind: 'proof_request', assigneeEmail: null, assigneeRole: 'participant' };
  const actions = {
    'answer the referent’s task': (a: Actor) => mayAnswerTask(a, referentTask, REFERENT),
    'send the participant’s proof': (a: Actor) => mayAnswerTask(a, proofTask, REFERENT),
    'log a contact': (a: Actor) => mayRecordAction(a, 'contactLogged', REFERENT, ['fanny@plie.test']),
    'record a hire’s contract': (a: Actor) => mayRecordAction(a, 'contractSigned', REFERENT, ['fanny@plie.test']),
    'entrust the pathway to another referent': (a: Actor) => mayRecordAction(a, 'referentChanged', REFERENT, ['fanny@plie.test']),
  };
  type Action = keyof typeof actions;
  const allowed: Record<Person, Action[]> = {
    'the configured coordinator': ['answer the referent’s task', 'send the participant’s proof', 'log a contact', 'record a hire’s contract', 'entrust the pathway to another referent'],
    'a second coordinator': ['answer the referent’s task', 'send the participant’s proof', 'log a contact', 'record a hire’s contract', 'entrust the pathway to another referent'],
    'the pathway’s referent': ['answer the referent’s task', 'send the participant’s proof', 'log a contact', 'record a hire’s contract'],
    'another referent': [],
    'a clause facilitator': ['record a hire’s contract'],
    'the participant (their link)': ['send the participant’s proof'],
  };
  // Slack and the web pages know a person by their staff record; the workflows' validators by the roster they hold.
  const channels = {
    slack: (p: Person): Actor => ({ ...people[p], roles: [...people[p].roles] }),
    web: (p: Person): Actor => ({ ...people[p], roles: [...people[p].roles] }),
    'workflow (HTTP API, CLI, email links)': (p: Person): Actor => rosterActor(people[p].email, roster),
  };
  const rows = (Object.keys(people) as Person[]).flatMap((person) =>
    (Object.keys(actions) as Action[]).flatMap((action) => Object.keys(channels).map((channel) => [person, action, channel, allowed[person].includes(action)] as const)),
  );

  it.each(rows)('%s — %s — %s → %s', (person, action, channel, expected) => {
    expect(actions[action](channels[channel as keyof typeof channels](person))).toBe(expected);
  });
});

describe('what each role grants in its PLIE (one table, read by Slack, the API and the CLI)', () => {
  const expected: Record<Role, StaffAction[]> = {
    COORDINATEUR: ['refer', 'lookUpFiles', 'followMarches', 'publishOffers', 'runCollectiveActions', 'manageStaff', 'readBilan', 'answerDataRights'],
    REFERENT: ['refer', 'lookUpFiles', 'runCollectiveActions'],
    FACILITATEUR: ['followMarches'],
    MEMBRE_COMMISSION: [],
    CHARGE_RELATION_ENTREPRISE: ['followMarches', 'publishOffers'],
    PRESCRIPTEUR: ['refer'],
    ADMIN: ['manageStaff'],
  };
  const rows = ROLES.flatMap((role) => STAFF_ACTIONS.map((action) => [role, action, expected[role].includes(action)] as const));

  it.each(rows)('%s — %s → %s', (role, action, allowed) => {
    expect(mayDo({ roles: [role] }, action)).toBe(allowed);
  });

  it.each([
    ['a role the PLIE opens its bilan to', ['CHARGE_RELATION_ENTREPRISE'], 'readBilan', { bilanReaders: ['CHARGE_RELATION_ENTREPRISE'] }, true],
    ['the same role, in a PLIE that does not', ['CHARGE_RELATION_ENTREPRISE'], 'readBilan', { bilanReaders: [] }, false],
    ['the same role, without its PLIE said', ['CHARGE_RELATION_ENTREPRISE'], 'readBilan', undefined, false],
    ['the bilan opened, and nothing else with it', ['CHARGE_RELATION_ENTREPRISE'], 'lookUpFiles', { bilanReaders: ['CHARGE_RELATION_ENTREPRISE'] }, false],
    ['the coordination, whatever the PLIE says', ['COORDINATEUR'], 'readBilan', { bilanReaders: [] }, true],
  ] as const)('%s', (_name, roles, action, plie, allowed) => {
    expect(mayDo({ roles: [...roles] }, action, plie)).toBe(allowed);
  });

  it('several roles add up; an unknown role grants nothing; no one reads a file without lookUpFiles', () => {
    expect(mayDo({ roles: ['PRESCRIPTEUR', 'FACILITATEUR'] }, 'followMarches')).toBe(true);
    expect(mayDo({ roles: ['CHEF'] }, 'refer')).toBe(false);
    // The administration manages accounts, never a person's pathway.
    expect(mayActOnPathway({ email: 'adele@plie.test', roles: ['ADMIN'] }, 'alice@plie.test')).toBe(false);
    expect(mayActOnPathway({ email: 'paul@prescripteur.test', roles: ['PRESCRIPTEUR'] }, 'alice@plie.test')).toBe(false);
  });
});
