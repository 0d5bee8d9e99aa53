/**
 * The commission ad hoc's vote on one atypical exit (docs/product-requirements.md § 5), a child of the
 * pathway: a vote task per member, votes changeable until the vote closes, one reminder to those
 * who have not voted, closing at the deadline or once every member has voted; the outcome
 * (by the PLIE's quorum and decision rule; by default a majority of the members, a majority of the
 * votes expressed, a tie adjourning) is recorded and returned to the pathway.
 */
import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { createAlarm } from './alarm.ts';
import { deliver } from './best-effort.ts';
import { CHANNELS_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, daysAfter } from './patches.ts';
import { commissionNotices, commissionRecords } from './proxies.ts';
import { createUpdateQueue, refused } from './update-queue.ts';
import { commissionMemberLeftSignal } from './roster-messages.ts';
import { REFUSAL_CODES } from '../src/domain/refusals.ts';
import { DEFAULT_DECISION, DEFAULT_QUORUM, commissionOutcome, tally, voteCanClose, type CommissionRules, type Vote } from '../src/domain/commission.ts';
import { addDays, parisDate, type CalendarDate } from '../src/domain/dates.ts';
import { checkTaskAnswer, type TaskAnswer } from '../src/domain/tasks.ts';
import {
  castVoteUpdate,
  commissionStateQuery,
  type CastVoteRequest,
  type CommissionInput,
  type CommissionResult,
  type CommissionState,
} from './pathway-messages.ts';

const VOTES: Record<TaskAnswer<'commission_vote'>['vote'], Vote> = { pour: 'POUR', contre: 'CONTRE', abstention: 'ABSTENTION' };

export async function commissionWorkflow(input: CommissionInput): Promise<CommissionResult> {
  const caseId = workflowInfo().workflowId;
  const channels = patched(CHANNELS_PATCH);
  // The seats as opened (they name the vote tasks), and those still sitting: a member who leaves
  // the PLIE before voting gives up her seat, and the quorum counts the members who remain.
  const seats = input.members.map((m) => m.toLowerCase());
  let members = seats;
  const rulesOf = (sitting: string[]): CommissionRules => ({ members: sitting.map((email) => ({ email })), quorum: input.quorum ?? DEFAULT_QUORUM, decision: input.decision ?? DEFAULT_DECISION });
  let rules = rulesOf(members);
  const leavers: string[] = [];
  /** Who left: refused from then on, even to change a vote cast before. */
  const gone = new Set<string>();
  const today = (): CalendarDate => addDays(parisDate(Date.now()), input.calendarOffsetDays);
  const opened = Date.now();
  // The deadline keeps its Paris hour across a change of summer or winter time.
  const fromOrigin = patched(SCHEDULES_FROM_ORIGIN_PATCH);
  const deadlineAt = daysAfter(fromOrigin, opened, input.voteDays);
  const state: CommissionState = { session: input.session, open: true, votes: {}, deadline: addDays(today(), input.voteDays), result: null };
  const taskOf = (member: string) => `${caseId}/commission_vote/${seats.indexOf(member) + 1}`;

  const ballots = createUpdateQueue<{ member: string; vote: TaskAnswer<'commission_vote'>; channel: string }>();

  setHandler(commissionStateQuery, () => state);
  setHandler(commissionMemberLeftSignal, ({ email }) => {
    leavers.push(email.trim().toLowerCase());
    gone.add(email.trim().toLowerCase());
  });
  setHandler(
    castVoteUpdate,
    async (request: CastVoteRequest) => {
      const check = checkTaskAnswer('commission_vote', request.vote);
      if (!check.ok) throw new Error('unexpected invalid vote');
      await ballots.submit({ member: request.actor.trim().toLowerCase(), vote: check.answer, channel: request.channel });
      return state;
    },
    {
      validator: (request: CastVoteRequest) => {
        if (!state.open) throw refused({ code: REFUSAL_CODES.closed, message: 'Le vote est clos.' });
        const who = request.actor.trim().toLowerCase();
        if (!members.includes(who) || gone.has(who)) {
          throw refused({ code: REFUSAL_CODES.notAllowed, message: 'Seuls les membres de la commission ad hoc votent.' });
        }
        const check = checkTaskAnswer('commission_vote', request.vote);
        if (!check.ok) throw refused({ code: REFUSAL_CODES.invalid, message: `Vote invalide : ${check.problems.join(' ; ')}` });
      },
    },
  );

  /** The channel's post: posted at the opening, then updated with each vote and the result. */
  const showCase = async () => {
    if (channels) await deliver(() => commissionNotices.showCommissionCase({ caseId, session: input.session, members }));
  };
  const showTask = async (member: string) => {
    if (channels) await deliver(() => commissionNotices.showTaskOutcome({ taskId: taskOf(member) }));
  };

  const votes = () => new Map(Object.entries(state.votes).map(([m, v]) => [m, VOTES[v]] as const));

  await commissionRecords.recordCommissionCase({
    caseId,
    pathwayId: input.pathwayId,
    criterion: input.criterion,
    openedAt: new Date(opened).toISOString(),
    deadline: new Date(deadlineAt).toISOString(),
    ...(input.panel === 'coordination' ? { panel: input.panel, panelWhy: input.panelWhy ?? null } : {}),
  });
  for (const member of members) {
    await commissionRecords.openTask({
      id: taskOf(member),
      pathwayId: input.pathwayId,
      kind: 'commission_vote',
      commissionCaseId: caseId,
      assigneeEmail: member,
      assigneeRole: 'commission_member',
      openedAt: new Date(opened).toISOString(),
      dueDate: state.deadline,
    });
    await deliver(() => commissionNotices.notifyTask({ taskId: taskOf(member), notice: 'opened', to: member }));
  }
  await showCase();

  let reminded = false;
  const alarm = createAlarm();
  const reminderAt = daysAfter(fromOrigin, opened, input.reminderAfterDays);
  /** Records a vote (its ticket orders a member's successive votes). */
  const recordVote = async (item: { member: string; vote: TaskAnswer<'commission_vote'>; channel: string }, ticket: number) => {
    const first = !(item.member in state.votes);
    state.votes[item.member] = item.vote.vote;
    await commissionRecords.recordCommissionVote({
      caseId,
      member: item.member,
      vote: VOTES[item.vote.vote],
      comment: item.vote.comment ?? null,
      at: new Date(Date.now()).toISOString(),
      sequence: ticket,
    });
    // The vote task is answered by the first vote; later changes replace the vote.
    if (first) {
      await commissionRecords.closeTask({ taskId: taskOf(item.member), status: 'done', answer: item.vote, actor: item.member, channel: item.channel, answeredAt: new Date(Date.now()).toISOString() });
      await showTask(item.member);
    }
  };
  /** A member who left without voting: her vote task is cancelled and her seat no longer counts; a vote cast stays. */
  const vacate = async (member: string) => {
    if (!members.includes(member) || member in state.votes) return;
    members = members.filter((m) => m !== member);
    rules = rulesOf(members);
    await commissionRecords.closeTask({ taskId: taskOf(member), status: 'cancelled', answer: null, actor: 'système', channel: 'workflow', answeredAt: new Date(Date.now()).toISOString() });
    await showTask(member);
  };
  for (;;) {
    let changed = false;
    while (await ballots.handleNext(recordVote)) changed = true;
    while (leavers.length > 0) {
      await vacate(leavers.shift()!);
      changed = true;
    }
    if (changed) await showCase();
    const now = Date.now();
    // A vote changed while the post was being updated is counted before the vote closes.
    if (ballots.pending() === 0 && voteCanClose(rules, votes(), now >= deadlineAt)) break;
    if (!reminded && input.reminderAfterDays < input.voteDays && now >= reminderAt) {
      reminded = true;
      for (const member of tally(rules, votes()).missing) {
        await deliver(() => commissionNotices.notifyTask({ taskId: taskOf(member), notice: 'reminder', to: member, at: new Date(now).toISOString() }));
      }
    }
    const wake = !reminded && input.reminderAfterDays < input.voteDays ? reminderAt : deadlineAt;
    await alarm.wait(wake, () => ballots.pending() > 0 || leavers.length > 0);
  }

  // Closed: the validators refuse from now on, and nothing is left waiting.
  state.open = false;
  ballots.close('Le vote est clos.');
  const t = tally(rules, votes());
  const result: CommissionResult = { outcome: commissionOutcome(rules, votes()), date: today(), pour: t.pour, contre: t.contre, abstention: t.abstention };
  state.result = result;
  for (const member of t.missing) {
    await commissionRecords.closeTask({ taskId: taskOf(member), status: 'expired', answer: null, actor: 'système', channel: 'workflow', answeredAt: new Date(Date.now()).toISOString() });
    await showTask(member);
  }
  await commissionRecords.closeCommissionCase({ caseId, outcome: result.outcome, closedAt: new Date(Date.now()).toISOString() });
  await showCase();
  await condition(allHandlersFinished);
  return result;
}
