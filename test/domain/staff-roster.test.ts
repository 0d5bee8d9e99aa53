import { describe, expect, it } from 'vitest';
import { facilitatorAfter, holderAfter, isCoordination, mailboxOnly, marcheManagers, mayDecidePlacement, type StaffRoster } from '../../src/domain/staff-roster.ts';

/** Claire coordinates; Fanny and Fred facilitate (Fred by the configuration); Eric follows marchés; Paula and Pierre left. */
const roster: StaffRoster = {
  coordination: 'coordination@plie.test',
  coordinators: ['claire@plie.test'],
  facilitators: ['fanny@plie.test', 'fred@plie.test'],
  followers: ['claire@plie.test', 'fanny@plie.test', 'eric@plie.test'],
  departed: ['paula@plie.test', 'pierre@plie.test'],
};

describe('the roster of the day', () => {
  it.each<[string, string, boolean]>([
    ['the mailbox', 'Coordination@plie.test', true],
    ['a coordinator', ' claire@plie.test ', true],
    ['a facilitator', 'fanny@plie.test', false],
    ['someone who left', 'paula@plie.test', false],
  ])('the coordination: %s', (_name, actor, expected) => {
    expect(isCoordination(actor, roster)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['kept by who is still here', 'rita@plie.test', 'rita@plie.test'],
    ['back to the coordination once she left', 'Paula@plie.test', 'coordination@plie.test'],
  ])('what someone holds: %s', (_name, holder, expected) => {
    expect(holderAfter(holder, roster)).toBe(expected);
  });

  it.each<[string, string, StaffRoster, string]>([
    ['still here: the same', 'fanny@plie.test', roster, 'fanny@plie.test'],
    ['left: the next facilitator', 'paula@plie.test', roster, 'fanny@plie.test'],
    ['left, no other facilitator: the coordination', 'paula@plie.test', { ...roster, facilitators: [] }, 'coordination@plie.test'],
    ['left, only a coordinator facilitates: the coordination', 'paula@plie.test', { ...roster, facilitators: ['claire@plie.test'] }, 'coordination@plie.test'],
  ])('the facilitator a marché prompts: %s', (_name, facilitator, heard, expected) => {
    expect(facilitatorAfter(facilitator, heard)).toBe(expected);
  });

  it('lets the coordination, the facilitators and the followers of marchés manage one, and no one who left', () => {
    expect(marcheManagers(roster).sort()).toEqual(['claire@plie.test', 'coordination@plie.test', 'eric@plie.test', 'fanny@plie.test', 'fred@plie.test']);
  });

  it.each<[string, string, { asked: string; current: string | null }, StaffRoster, boolean]>([
    ['the referent asked', 'rita@plie.test', { asked: 'rita@plie.test', current: null }, roster, true],
    ['the referent of today', 'rita@plie.test', { asked: 'rosa@plie.test', current: 'Rita@plie.test' }, roster, true],
    ['another referent', 'rosa@plie.test', { asked: 'rita@plie.test', current: 'rita@plie.test' }, roster, false],
    ['a coordinator named since', 'claire@plie.test', { asked: 'rita@plie.test', current: null }, roster, true],
    ['that coordinator before the roster is heard', 'claire@plie.test', { asked: 'rita@plie.test', current: null }, mailboxOnly('coordination@plie.test'), false],
    ['the referent asked, who left', 'paula@plie.test', { asked: 'paula@plie.test', current: 'paula@plie.test' }, roster, false],
  ])('a placement is decided by %s', (_name, actor, referents, heard, expected) => {
    expect(mayDecidePlacement(actor, referents, heard)).toBe(expected);
  });
});
