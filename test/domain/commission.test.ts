import { describe, expect, it } from 'vitest';
import { commissionOutcome, commissionPanel, tally, voteCanClose, type CommissionRules, type Vote } from '../../src/domain/commission.ts';
import { plieConfigSchema } from '../../src/domain/plie-config.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const rules = (n: number) => ({
  members: Array.from({ length: n }, (_, i) => ({ email: `m${i + 1}@plie.fr` })),
  quorum: 'majority_of_members' as const,
  decision: 'majority_of_expressed' as const,
});
const votes = (...cast: Array<Vote | null>) =>
  new Map(cast.flatMap((v, i) => (v ? [[`m${i + 1}@plie.fr`, v] as const] : [])));

describe('commission ad hoc vote', () => {
  it.each([
    // 5 members: quorum is 3 votes cast, abstentions included
    [5, votes('POUR', 'POUR', 'CONTRE'), 'approved'],
    [5, votes('POUR', 'CONTRE', 'CONTRE'), 'rejected'],
    [5, votes('POUR', 'CONTRE', 'ABSTENTION'), 'adjourned'], // tie of expressed votes
    [5, votes('POUR', 'POUR'), 'adjourned'], // no quorum
    [5, votes('POUR', 'ABSTENTION', 'ABSTENTION'), 'approved'],
    [5, votes('ABSTENTION', 'ABSTENTION', 'ABSTENTION'), 'adjourned'], // quorum, but 0 against 0
    [5, votes(), 'adjourned'], // nobody voted by the deadline
    // 4 members: quorum is 3 (more than half)
    [4, votes('POUR', 'POUR'), 'adjourned'],
    [4, votes('POUR', 'POUR', 'CONTRE'), 'approved'],
    [4, votes('POUR', 'POUR', 'CONTRE', 'CONTRE'), 'adjourned'],
  ] as const)('%i members, votes %j → %s', (n, cast, outcome) => {
    expect(commissionOutcome(rules(n), cast)).toBe(outcome);
  });

  it.each([
    // 5 members; quorum, decision, votes → outcome
    [{ share: 0.4 }, 'majority_of_expressed', votes('POUR', 'POUR'), 'approved'], // 2 of 5 is 40 %
    [{ share: 0.5 }, 'majority_of_expressed', votes('POUR', 'POUR'), 'adjourned'], // 2 of 5 is under half
    [{ count: 2 }, 'majority_of_expressed', votes('POUR', 'CONTRE', 'CONTRE'), 'rejected'],
    [{ count: 4 }, 'majority_of_expressed', votes('POUR', 'POUR', 'POUR'), 'adjourned'],
    ['majority_of_members', 'majority_of_members', votes('POUR', 'POUR', 'CONTRE', 'ABSTENTION'), 'adjourned'], // 2 for is not more than half of 5
    ['majority_of_members', 'majority_of_members', votes('POUR', 'POUR', 'POUR', 'CONTRE'), 'approved'],
    ['majority_of_members', 'majority_of_members', votes('CONTRE', 'CONTRE', 'CONTRE'), 'rejected'],
    ['majority_of_members', 'unanimity', votes('POUR', 'POUR', 'POUR', 'ABSTENTION'), 'approved'], // nobody against
    ['majority_of_members', 'unanimity', votes('POUR', 'POUR', 'POUR', 'CONTRE'), 'rejected'], // one against is enough
    ['majority_of_members', 'unanimity', votes('ABSTENTION', 'ABSTENTION', 'ABSTENTION'), 'adjourned'],
  ] as const)('quorum %j, decision %s, votes %j → %s', (quorum, decision, cast, outcome) => {
    const configured: CommissionRules = { ...rules(5), quorum, decision };
    expect(commissionOutcome(configured, cast)).toBe(outcome);
  });

  it('reads the rules from a PLIE’s configuration, refusing what is not one of them, in French', () => {
    const parse = (commission: object) => plieConfigSchema.safeParse({ ...CASA_CONFIG, commission: { ...CASA_CONFIG.commission, ...commission } });
    expect(parse({ quorum: { share: 0.6 }, decision: 'unanimity' }).success).toBe(true);
    expect(parse({ quorum: { count: 3 } }).success).toBe(true);
    expect(parse({ quorum: { share: 1.5 } }).error?.issues.map((i) => i.message)).toContain('commission.quorum : une part entre 0 et 1');
    expect(parse({ quorum: 'tout_le_monde' }).error?.issues.map((i) => i.message)).toContain('commission.quorum : "majority_of_members", { "share": 0 à 1 } ou { "count": un nombre }');
    expect(parse({ decision: 'tirage_au_sort' }).error?.issues.map((i) => i.message)).toContain('commission.decision : majority_of_expressed, majority_of_members ou unanimity');
  });

  it('counts each member’s latest vote, and only members', () => {
    const cast = new Map<string, Vote>([
      ['m1@plie.fr', 'CONTRE'],
      ['m2@plie.fr', 'POUR'],
      ['intrus@ailleurs.fr', 'POUR'],
    ]);
    cast.set('m1@plie.fr', 'POUR'); // changed before closing
    expect(tally(rules(3), cast)).toEqual({ pour: 2, contre: 0, abstention: 0, missing: ['m3@plie.fr'], quorumReached: true });
  });

  it('closes at the deadline, or early once every member has voted', () => {
    expect(voteCanClose(rules(3), votes('POUR', 'POUR'), false)).toBe(false);
    expect(voteCanClose(rules(3), votes('POUR', 'POUR', 'ABSTENTION'), false)).toBe(true);
    expect(voteCanClose(rules(3), votes(), true)).toBe(true);
  });
});

describe('who decides a case: the commission, or the coordination in its place', () => {
  const coordination = { panel: 'coordination', members: ['claire@plie.fr'], quorum: { count: 1 }, decision: 'majority_of_expressed' };
  it.each([
    ['members, first session', ['M1@plie.fr', 'm2@plie.fr', 'm1@plie.fr'], 0, { panel: 'commission', why: null, members: ['m1@plie.fr', 'm2@plie.fr'] }],
    ['members, adjourned once', ['m1@plie.fr'], 1, { panel: 'commission', why: null, members: ['m1@plie.fr'] }],
    ['members, adjourned twice', ['m1@plie.fr'], 2, { ...coordination, why: 'adjourned' }],
    ['no member', [], 0, { ...coordination, why: 'no_member' }],
    ['members, the previous vote interrupted', ['m1@plie.fr'], 0, { ...coordination, why: 'interrupted' }, true],
    ['no member, the previous vote interrupted', [], 1, { ...coordination, why: 'interrupted' }, true],
  ] as const)('%s', (_label, members, adjourned, expected, interrupted?: boolean) => {
    expect(commissionPanel({ members: [...members], coordinators: ['Claire@plie.fr'], adjourned, interrupted: interrupted ?? false })).toEqual(expected);
  });
});
