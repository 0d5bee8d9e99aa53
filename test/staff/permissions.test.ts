import { describe, expect, it } from 'vitest';
import { mayActOnPathway, mayAnswerTask, mayRefer, mayVote } from '../../src/staff/permissions.ts';

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
    expect(mayVote(member, ['MARIE@plie.test'])).toBe(true);
    expect(mayVote(alice, ['marie@plie.test'])).toBe(false);
  });
});
