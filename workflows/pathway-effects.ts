/**
 * How the pathway workflow carries out the state machine's commands (src/domain/pathway/commands.ts):
 * database writes through its own activities, retried until they succeed or fail for good (then
 * reported to the coordination, and the pathway goes on); messages best-effort
 * (a message that cannot go is recorded as such and never holds the pathway); the commission as
 * a child workflow whose result comes back as an event.
 */
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { commissionPanel } from '../src/domain/commission.ts';
import type { PathwayCommand, PathwayEvent } from '../src/domain/pathway/commands.ts';
import type { PathwayPolicy } from '../src/domain/pathway-policy.ts';
import { deliver, impossibleRecord } from './best-effort.ts';
import { COMMISSION_INTERRUPTED_PATCH, COMMISSION_ROSTER_PATCH } from './patches.ts';
import { commissionWorkflow } from './commission.ts';
import { commissionWorkflowId, type CommissionInput, type CommissionResult } from './pathway-messages.ts';
import { pathwayNotices, pathwayRecords, pathwayWrites, recordFailureNotices } from './proxies.ts';

/** The commission's case: the pathway's members, delays and calendar. */
export function commissionInput(ids: { pathwayId: string; participantId: string }, policy: PathwayPolicy, session: number, criterion: string): CommissionInput {
  return {
    ...ids,
    session,
    criterion,
    members: policy.commission.members,
    voteDays: policy.commission.voteDays,
    reminderAfterDays: policy.tasks.commission_vote.reminderEveryDays,
    calendarOffsetDays: policy.calendarOffsetDays,
    ...(policy.commission.quorum ? { quorum: policy.commission.quorum } : {}),
    ...(policy.commission.decision ? { decision: policy.commission.decision } : {}),
  };
}

export interface PathwayEffects {
  /** Carries one command out; returns the event its result brings, if any. */
  carryOut(command: Exclude<PathwayCommand, { type: 'continueAsNew' }>): Promise<PathwayEvent | null>;
}

/** How a commission's child workflow ended: its result, or interrupted without one. */
export type CommissionEnd = { result: CommissionResult } | { interrupted: number };

export function pathwayEffects(
  ids: { pathwayId: string; participantId: string },
  policy: PathwayPolicy,
  commissionEnded: (end: CommissionEnd) => void,
): PathwayEffects {
  const { pathwayId, participantId } = ids;
  const nowIso = () => new Date(Date.now()).toISOString();

  async function run(command: Exclude<PathwayCommand, { type: 'continueAsNew' }>): Promise<PathwayEvent | null> {
    switch (command.type) {
      case 'recordStage':
        await pathwayWrites.recordStage({ pathwayId, participantId, stage: command.stage, referentEmail: command.referentEmail, entryDate: command.entryDate, at: nowIso() });
        return null;
      case 'assessEligibility': {
        const { decision } = await pathwayRecords.assessEligibility({ participantId, on: command.on });
        return { type: 'eligibilityAssessed', decision };
      }
      case 'recordTaskOpened': {
        const { task } = command;
        await pathwayWrites.openTask({
          id: task.id,
          pathwayId,
          kind: task.kind,
          assigneeEmail: task.assigneeEmail ?? '',
          assigneeRole: task.role,
          openedAt: task.openedAt,
          dueDate: task.dueDate,
          ...(task.context?.proofKind ? { proofKind: task.context.proofKind } : {}),
        });
        return null;
      }
      case 'recordTaskClosed': {
        const { taskId, status, answer, actor, channel } = command;
        await pathwayWrites.closeTask({ taskId, status, answer, actor, channel, answeredAt: nowIso() });
        return null;
      }
      case 'showTaskOutcome':
        await deliver(() => pathwayNotices.showTaskOutcome({ taskId: command.taskId }), { taskId: command.taskId });
        return null;
      case 'notifyStaff': {
        const { taskId, notice, to, sequence } = command;
        // The opening notice has no decision time of its own (the task's opening is it).
        const at = notice === 'opened' ? {} : { at: nowIso() };
        await deliver(() => pathwayNotices.notifyTask({ taskId, notice, to, ...(sequence === undefined ? {} : { sequence }), ...at }), { taskId });
        return null;
      }
      case 'notifyReferentChange': {
        const { key, from, to, taskIds } = command;
        await deliver(() => pathwayNotices.notifyReferentChange({ pathwayId, key, from, to, taskIds, at: nowIso() }), { key });
        return null;
      }
      case 'notifyPrescriber': {
        const { event, key } = command;
        await deliver(() => pathwayNotices.notifyPrescriber({ pathwayId, participantId, event, key, at: nowIso() }), { key });
        return null;
      }
      case 'emailParticipant': {
        const { template, key } = command;
        await deliver(() => pathwayNotices.notifyParticipant({ pathwayId, participantId, template, key, at: nowIso() }), { template, key });
        return null;
      }
      case 'recordFact': {
        const { key, fact, actor, channel } = command;
        await pathwayWrites.recordPathwayFact({ pathwayId, participantId, key, fact, actor, channel, at: nowIso() });
        return null;
      }
      case 'recordFseDataPoint': {
        const { moment, on, labourMarketStatus } = command;
        await pathwayWrites.recordFseDataPoint({ participantId, moment, on, labourMarketStatus });
        return null;
      }
      case 'recordExit':
        await pathwayWrites.recordExit({ pathwayId, participantId, exit: command.exit });
        return null;
      case 'startCommission': {
        const { session, criterion } = command;
        let input = commissionInput(ids, policy, session, criterion);
        if (patched(COMMISSION_ROSTER_PATCH)) {
          // The roster of the day decides who votes: members who joined or left since the pathway began.
          const roster = await pathwayRecords.commissionRoster({ plieCode: policy.plieCode });
          const coordinators = roster.coordinators.length > 0 ? roster.coordinators : [policy.coordinatorEmail];
          const panel = commissionPanel({ members: roster.members, coordinators, adjourned: command.adjourned ?? 0, interrupted: command.interrupted ?? false });
          input = {
            ...input,
            members: panel.members,
            panel: panel.panel,
            panelWhy: panel.why,
            ...(panel.quorum ? { quorum: panel.quorum } : {}),
            ...(panel.decision ? { decision: panel.decision } : {}),
          };
        }
        const child = await startChild(commissionWorkflow, {
          workflowId: commissionWorkflowId(pathwayId, session),
          args: [input],
          // The vote goes on if the pathway is ever terminated by an operator; its result is recorded.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        void child.result().then(
          (result) => commissionEnded({ result }),
          (failure: unknown) => {
            // Terminated by an operator, or failed: the pathway hears of it (before the patch, the
            // rejection was left unhandled, as then).
            if (!patched(COMMISSION_INTERRUPTED_PATCH)) throw failure;
            commissionEnded({ interrupted: session });
          },
        );
        return null;
      }
      case 'closeInterruptedCommission': {
        const caseId = commissionWorkflowId(pathwayId, command.caseSession);
        const { cancelledTaskIds } = await pathwayWrites.closeInterruptedCommission({ caseId, closedAt: nowIso() });
        for (const taskId of cancelledTaskIds) await deliver(() => pathwayNotices.showTaskOutcome({ taskId }), { taskId });
        return null;
      }
    }
  }

  return {
    async carryOut(command) {
      try {
        return await run(command);
      } catch (error) {
        // A write no retry can mend (a row gone, a value refused): the coordination hears of it
        // and the pathway goes on, rather than retrying for ever with everything held behind it.
        const reason = impossibleRecord(error);
        if (reason === null) throw error;
        await deliver(() => recordFailureNotices.reportRecordFailure({ pathwayId, participantId, command: command.type, reason, to: policy.coordinatorEmail, at: nowIso() }), { command: command.type });
        return null;
      }
    },
  };
}
