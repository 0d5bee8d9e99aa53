import { describe, expect, it } from 'vitest';
import { commissionOutcome, tally, voteCanClose, type Vote } from '../../src/domain/commission.ts';

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
