/**
 * Keeps Slack messages in step with the workflows: a task's message shows its outcome once
 * answered (its buttons go), and the commission's post shows who voted, then the result.
 * Without Slack, or for a message that went by email, there is nothing to do.
 */
import type { WebClient } from '@slack/web-api';
import { fromDbDate } from '../src/db/dates.ts';
import type { Db } from '../src/db/client.ts';
import { initials } from '../src/domain/participant.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import type { Logger } from '../src/logging.ts';
import { commissionMessage, type CommissionCaseView } from '../src/slack/commission-message.ts';
import { postOnce, updatePosted } from '../src/slack/delivery.ts';
import { heartbeating } from '../src/slack/web-client.ts';
import { closedTaskMessage, type TaskClosing } from '../src/slack/task-message.ts';
import { displayName } from '../src/staff/directory.ts';
import { taskSummary } from './notifications.ts';

export interface SlackMessageDeps {
  db: Db;
  slack?: WebClient;
  plieConfig: (code: string) => Promise<PlieConfig>;
  logger: Logger;
}

export function createSlackMessageActivities(deps: SlackMessageDeps) {
  const { db } = deps;
  /** The task's Slack messages (the ask, the escalation) now say what was decided, by whom, when. */
  async function showTaskOutcome(slack: WebClient, args: { taskId: string }): Promise<void> {
    const task = await db.task.findUnique({ where: { id: args.taskId }, include: { pathway: { include: { participant: true } } } });
    if (!task || task.status === 'open') return;
    const { participant } = task.pathway;
    const at = task.answeredAt ?? new Date();
    const closing: TaskClosing =
      task.status === 'done'
        ? { status: 'done', answer: task.answer, by: await displayName(db, participant.plieCode, task.answeredBy ?? 'système'), at }
        : { status: task.status === 'expired' ? 'expired' : 'cancelled', at };
    const content = closedTaskMessage(taskSummary(task, participant), closing);
    for (const notice of ['opened', 'escalation']) {
      await updatePosted(db, slack, `${args.taskId}/${notice}`, content);
    }
  }

  /** Posts the case to the commission's channel, or updates the post (who voted, then the outcome). */
  async function showCommissionCase(slack: WebClient, args: { caseId: string; session: number; members: string[] }): Promise<void> {
    const found = await db.commissionCase.findUnique({
      where: { id: args.caseId },
      include: { votes: { include: { staff: true } }, pathway: { include: { participant: { include: { contracts: { orderBy: { start: 'desc' }, take: 1 } } } } } },
    });
    if (!found) return;
    const { participant } = found.pathway;
    const config = await deps.plieConfig(participant.plieCode);
    const channel = config.commission.slackChannel;
    if (!channel) return;
    const votedEmails = new Set(found.votes.map((v) => v.staff.email.toLowerCase()));
    const names = async (emails: string[]) => await Promise.all(emails.map((e) => displayName(db, participant.plieCode, e)));
    const contract = participant.contracts[0];
    const view: CommissionCaseView = {
      caseId: args.caseId,
      session: args.session,
      initials: initials(participant.firstName, participant.lastName),
      criterion: found.criterion,
      rules: config.exitCriteria,
      contract: contract
        ? { type: contract.type, weeklyHours: contract.weeklyHours, start: fromDbDate(contract.start), end: contract.end ? fromDbDate(contract.end) : null }
        : null,
      deadline: fromDbDate(found.deadline),
      voted: await names(args.members.filter((m) => votedEmails.has(m.toLowerCase()))),
      waiting: await names(args.members.filter((m) => !votedEmails.has(m.toLowerCase()))),
      // Recorded as the workflow decided it (approved, rejected, adjourned); OUVERT until then.
      outcome: found.closedAt ? (found.outcome as CommissionCaseView['outcome']) : 'open',
      panelWhy: found.panel === 'coordination' ? (found.panelWhy as CommissionCaseView['panelWhy']) : null,
      tally: {
        pour: found.votes.filter((v) => v.vote === 'POUR').length,
        contre: found.votes.filter((v) => v.vote === 'CONTRE').length,
        abstention: found.votes.filter((v) => v.vote === 'ABSTENTION').length,
      },
    };
    const content = commissionMessage(view);
    const key = `${args.caseId}/post`;
    if (await updatePosted(db, slack, key, content)) return;
    await postOnce(db, slack, {
      idempotencyKey: key,
      template: 'commission.case',
      to: channel,
      recipient: channel,
      pathwayId: found.pathwayId,
      decidedAt: found.openedAt,
      ...content,
    });
  }

  return {
    // Both heartbeat while Slack answers, or makes them wait (rate limits): see workflows/proxies.ts.
    async showTaskOutcome(args: { taskId: string }): Promise<void> {
      const slack = deps.slack;
      if (slack) await heartbeating(async () => await showTaskOutcome(slack, args));
    },

    async showCommissionCase(args: { caseId: string; session: number; members: string[] }): Promise<void> {
      const slack = deps.slack;
      if (slack) await heartbeating(async () => await showCommissionCase(slack, args));
    },
  };
}
