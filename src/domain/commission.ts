/**
 * The commission ad hoc's vote on an atypical exit (docs/product-requirements.md § 5): one vote per
 * member, changeable until the vote closes; by default the quorum is a majority of the members
 * and the decision a majority of the votes expressed (pour / contre), a tie adjourning the case
 * to the next session.
 */
export type Vote = 'POUR' | 'CONTRE' | 'ABSTENTION';
export type CommissionOutcome = 'approved' | 'rejected' | 'adjourned';

export interface CommissionRules {
  members: Array<{ email: string }>;
  quorum: 'majority_of_members';
  decision: 'majority_of_expressed';
}

export interface Tally {
  pour: number;
  contre: number;
  abstention: number;
  /** Members who have not voted. */
  missing: string[];
  quorumReached: boolean;
}

/** Counts the latest vote of each member (votes keyed by lower-case email); non-members are ignored. */
export function tally(rules: CommissionRules, votes: ReadonlyMap<string, Vote>): Tally {
  const members = rules.members.map((m) => m.email.toLowerCase());
  const cast = members.flatMap((m) => {
    const vote = votes.get(m);
    return vote ? [vote] : [];
  });
  const count = (v: Vote) => cast.filter((c) => c === v).length;
  return {
    pour: count('POUR'),
    contre: count('CONTRE'),
    abstention: count('ABSTENTION'),
    missing: members.filter((m) => !votes.has(m)),
    // An abstention is a member taking part: it counts towards the quorum, not the decision.
    quorumReached: cast.length > members.length / 2,
  };
}

/**
 * The outcome when the vote closes (deadline reached, or every member has voted): without quorum
 * or with a tie the case is adjourned to the next session.
 */
export function commissionOutcome(rules: CommissionRules, votes: ReadonlyMap<string, Vote>): CommissionOutcome {
  const t = tally(rules, votes);
  if (!t.quorumReached || t.pour === t.contre) return 'adjourned';
  return t.pour > t.contre ? 'approved' : 'rejected';
}

/** Votes stay open until the deadline, or until every member has voted (nobody left to hear from). */
export function voteCanClose(rules: CommissionRules, votes: ReadonlyMap<string, Vote>, deadlinePassed: boolean): boolean {
  return deadlinePassed || tally(rules, votes).missing.length === 0;
}
