import { describe, expect, it } from 'vitest';
import { attendanceProblems, collectiveFigures, type InvitationFacts } from '../../src/domain/collective-actions.ts';

const people = (n: number, status: InvitationFacts['status'], extra: Partial<InvitationFacts> = {}): InvitationFacts[] =>
  Array.from({ length: n }, () => ({ status, miseEnRelation: false, hired: false, ...extra }));

describe('figures of a collective action', () => {
  // The actions the PLIE's activity report describes (nautisme, collecte des déchets, hôtellerie).
  it.each<[string, InvitationFacts[], ReturnType<typeof collectiveFigures>]>([
    ['workshop: 12 present, 2 mises en relation', [...people(2, 'PRESENT', { miseEnRelation: true }), ...people(10, 'PRESENT'), ...people(3, 'ABSENT')], { invited: 15, present: 12, misesEnRelation: 2, hires: 0 }],
    ['workshop: 5 present, 3 mises en relation ending in hires', [...people(3, 'PRESENT', { miseEnRelation: true, hired: true }), ...people(2, 'PRESENT')], { invited: 5, present: 5, misesEnRelation: 3, hires: 3 }],
    ['visit: 4 present, 3 retained', [...people(3, 'PRESENT', { miseEnRelation: true }), ...people(1, 'PRESENT'), ...people(2, 'INVITE')], { invited: 6, present: 4, misesEnRelation: 3, hires: 0 }],
    ['a hire counts as a mise en relation', people(1, 'PRESENT', { hired: true }), { invited: 1, present: 1, misesEnRelation: 1, hires: 1 }],
  ])('%s', (_name, invitations, figures) => {
    expect(collectiveFigures(invitations)).toEqual(figures);
  });
});

describe('an attendance record', () => {
  it.each<[string, { present: string[]; misesEnRelation: string[]; hires: string[] }, string[]]>([
    ['fine', { present: ['a', 'b'], misesEnRelation: ['a'], hires: ['a'] }, []],
    ['someone not invited', { present: ['z'], misesEnRelation: [], hires: [] }, ['z n’était pas invité·e']],
    ['a hire of someone absent', { present: ['a'], misesEnRelation: [], hires: ['b'] }, ['b : une mise en relation ou une embauche suppose d’avoir été présent·e']],
  ])('%s', (_name, attendance, problems) => {
    expect(attendanceProblems(['a', 'b', 'c'], attendance)).toEqual(problems);
  });
});
