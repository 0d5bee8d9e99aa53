/**
 * The commission ad hoc's vote on an atypical exit (docs/product-requirements.md § 5): one vote per
 * member, changeable until the vote closes; by default the quorum is a majority of the members
 * and the decision a majority of the votes expressed (pour / contre), a tie adjourning the case
 * to the next session.
 */
export type Vote = 'POUR' | 'CONTRE' | 'ABSTENTION';
export type CommissionOutcome = 'approved' | 'rejected' | 'adjourned';

/** Votes needed for a decision: more than half of the members, a share of them, or a number. Abstentions count. */
export type Quorum = 'majority_of_members' | { share: number } | { count: number };
/**
 * How the votes decide: a majority of the votes expressed (pour / contre; a tie adjourns), a
 * majority of the members (more than half of them for, or against; else adjourned), or unanimity
 * (approved if nobody is against, rejected by a single « contre »).
 */
export type DecisionRule = 'majority_of_expressed' | 'majority_of_members' | 'unanimity';

export const DEFAULT_QUORUM: Quorum = 'majority_of_members';
export const DEFAULT_DECISION: DecisionRule = 'majority_of_expressed';

export interface CommissionRules {
  members: Array<{ email: string }>;
  quorum: Quorum;
  decision: DecisionRule;
}

function quorumReached(quorum: Quorum, cast: number, members: number): boolean {
  if (quorum === 'majority_of_members') return cast > members / 2;
  if ('share' in quorum) return members > 0 && cast >= quorum.share * members - 1e-9;
  return cast >= quorum.count;
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
    quorumReached: quorumReached(rules.quorum, cast.length, members.length),
  };
}

/**
 * The outcome when the vote closes (deadline reached, or every member has voted): without quorum
 * or with a tie the case is adjourned to the next session.
 */
export function commissionOutcome(rules: CommissionRules, votes: ReadonlyMap<string, Vote>): CommissionOutcome {
  const t = tally(rules, votes);
  if (!t.quorumReached) return 'adjourned';
  switch (rules.decision) {
    case 'majority_of_expressed':
      return t.pour === t.contre ? 'adjourned' : t.pour > t.contre ? 'approved' : 'rejected';
    case 'majority_of_members': {
      const half = rules.members.length / 2;
      return t.pour > half ? 'approved' : t.contre > half ? 'rejected' : 'adjourned';
    }
    case 'unanimity':
      return t.contre > 0 ? 'rejected' : t.pour > 0 ? 'approved' : 'adjourned';
  }
}

/** Votes stay open until the deadline, or until every member has voted (nobody left to hear from). */
export function voteCanClose(rules: CommissionRules, votes: ReadonlyMap<string, Vote>, deadlinePassed: boolean): boolean {
  return deadlinePassed || tally(rules, votes).missing.length === 0;
}

/** After this many adjournments of one case, the coordination decides it. */
export const ESCALATE_AFTER_ADJOURNMENTS = 2;

/** Why the coordination decides in the commission's place. */
export type PanelWhy = 'no_member' | 'adjourned' | 'interrupted';

/** Who decides a case: the commission ad hoc, or the coordination in its place (and why). */
export interface CommissionPanel {
  panel: 'commission' | 'coordination';
  /** Why the coordination decides: the commission has no member, adjourned the case twice, or its vote was interrupted. */
  why: PanelWhy | null;
  members: string[];
  /** The coordination's own rules: one vote is enough, the majority of votes cast decides. */
  quorum?: Quorum;
  decision?: DecisionRule;
}

/**
 * The panel of a session, from the PLIE's roster of the day: its commission, or its coordination
 * when the commission has no member (a case is never left adjourned for want of voters) or has
 * adjourned the same case {@link ESCALATE_AFTER_ADJOURNMENTS} times, or when the previous vote on
 * it was interrupted (an operator terminated it): the case is not left to a vote that stalled.
 */
export function commissionPanel(args: { members: string[]; coordinators: string[]; adjourned: number; interrupted?: boolean }): CommissionPanel {
  const unique = (emails: string[]) => [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  const members = unique(args.members);
  if (members.length > 0 && args.adjourned < ESCALATE_AFTER_ADJOURNMENTS && !args.interrupted) return { panel: 'commission', why: null, members };
  return {
    panel: 'coordination',
    why: args.interrupted ? 'interrupted' : members.length === 0 ? 'no_member' : 'adjourned',
    members: unique(args.coordinators),
    quorum: { count: 1 },
    decision: 'majority_of_expressed',
  };
}
