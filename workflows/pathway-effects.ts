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
import type { PathwayWrite } from '../activities/index.ts';
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

const WRITES = ['recordStage', 'recordTaskOpened', 'recordTaskClosed', 'recordFact', 'recordFseDataPoint', 'recordExit'] as const;
const MESSAGES = ['showTaskOutcome', 'notifyStaff', 'notifyReferentChange', 'notifyPrescriber', 'emailParticipant'] as const;

/** A command that only writes into the database. */
export type WriteCommand = Extract<PathwayCommand, { type: (typeof WRITES)[number] }>;
/** A command that only tells someone (Slack, email): best-effort, nothing waits on its result. */
export type MessageCommand = Extract<PathwayCommand, { type: (typeof MESSAGES)[number] }>;

export const isWrite = (command: PathwayCommand): command is WriteCommand => (WRITES as readonly string[]).includes(command.type);
export const isMessage = (command: PathwayCommand): command is MessageCommand => (MESSAGES as readonly string[]).includes(command.type);

export interface PathwayEffects {
  /** Carries one command out; returns the event its result brings, if any. */
  carryOut(command: Exclude<PathwayCommand, { type: 'continueAsNew' }>): Promise<PathwayEvent | null>;
  /**
   * Carries a transition's writes out, in their order, in one activity and one transaction. If one
   * of them can never be recorded, nothing of the batch is, and each is then carried out alone, so
   * that the others are recorded and that one is reported (as `carryOut` does).
   */
  recordTogether(commands: WriteCommand[]): Promise<void>;
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

  /** The database write a command is (the same whether carried out alone or in a batch). */
  function writeOf(command: WriteCommand): PathwayWrite {
    switch (command.type) {
      case 'recordStage':
        return { write: 'recordStage', args: { pathwayId, participantId, stage: command.stage, referentEmail: command.referentEmail, entryDate: command.entryDate, at: nowIso() } };
      case 'recordTaskOpened': {
        const { task } = command;
        return {
          write: 'openTask',
          args: {
            id: task.id,
            pathwayId,
            kind: task.kind,
            assigneeEmail: task.assigneeEmail ?? '',
            assigneeRole: task.role,
            openedAt: task.openedAt,
            dueDate: task.dueDate,
            ...(task.context?.proofKind ? { proofKind: task.context.proofKind } : {}),
          },
        };
      }
      case 'recordTaskClosed': {
        const { taskId, status, answer, actor, channel } = command;
        return { write: 'closeTask', args: { taskId, status, answer, actor, channel, answeredAt: nowIso() } };
      }
      case 'recordFact': {
        const { key, fact, actor, channel } = command;
        return { write: 'recordPathwayFact', args: { pathwayId, participantId, key, fact, actor, channel, at: nowIso() } };
      }
      case 'recordFseDataPoint': {
        const { moment, on, labourMarketStatus } = command;
        return { write: 'recordFseDataPoint', args: { participantId, moment, on, labourMarketStatus } };
      }
      case 'recordExit':
        return { write: 'recordExit', args: { pathwayId, participantId, exit: command.exit } };
    }
  }

  /** One write through its own activity (as each was before transitions were batched). */
  async function writeAlone(w: PathwayWrite): Promise<void> {
    switch (w.write) {
      case 'recordStage':
        return await pathwayWrites.recordStage(w.args);
      case 'openTask':
        return await pathwayWrites.openTask(w.args);
      case 'closeTask':
        return await pathwayWrites.closeTask(w.args);
      case 'recordPathwayFact':
        return await pathwayWrites.recordPathwayFact(w.args);
      case 'recordExit':
        return await pathwayWrites.recordExit(w.args);
      case 'recordFseDataPoint':
        return await pathwayWrites.recordFseDataPoint(w.args);
    }
  }

  async function run(command: Exclude<PathwayCommand, { type: 'continueAsNew' }>): Promise<PathwayEvent | null> {
    if (isWrite(command)) {
      await writeAlone(writeOf(command));
      return null;
    }
    switch (command.type) {
      case 'assessEligibility': {
        const { decision } = await pathwayRecords.assessEligibility({ participantId, on: command.on });
        return { type: 'eligibilityAssessed', decision };
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

  async function carryOut(command: Exclude<PathwayCommand, { type: 'continueAsNew' }>): Promise<PathwayEvent | null> {
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
  }

  return {
    carryOut,
    async recordTogether(commands) {
      if (commands.length === 0) return;
      if (commands.length === 1) {
        await carryOut(commands[0]!);
        return;
      }
      try {
        await pathwayWrites.recordTransition({ writes: commands.map(writeOf) });
      } catch (error) {
        if (impossibleRecord(error) === null) throw error;
        for (const command of commands) await carryOut(command);
      }
    },
  };
}
