/**
 * FROZEN: the first version of the pathway workflow (orientation → diagnostic → waiting in the
 * active pathway), kept word for word so that pathways started before the `full-pathway` patch
 * replay exactly. Do not edit; delete it with its `patched()` call once no such pathway runs
 * (see the README, « Faire évoluer un workflow »).
 */
import { ActivityFailure, condition, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { addDays, daysToMs, parisDate } from '../../src/domain/dates.ts';
import { checkTaskAnswer, type Stage, type TaskAnswer, type TaskKind } from '../../src/domain/tasks.ts';
import { answerTaskUpdate, stateQuery, type AnswerTaskRequest, type PathwayInput, type PathwayState } from '../pathway-messages.ts';

interface OpenTask<K extends TaskKind = TaskKind> {
  id: string;
  kind: K;
  assigneeEmail: string;
  openedAt: string;
  dueDate: string;
  reminded: boolean;
  escalated: boolean;
}

interface StateV1 {
  participantId: string;
  stage: Stage;
  referentEmail: string | null;
  entryDate: string | null;
  openTasks: OpenTask[];
}

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Emails are retried for about forty minutes (10 attempts, 10 s doubling up to 10 min), then
 * given up, the message staying recorded as not sent: a mail outage must not hold the pathway,
 * whose answers and timers come after.
 */
const notices = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

export async function pathwayWorkflowV1(input: PathwayInput): Promise<PathwayState> {
  const pathwayId = workflowInfo().workflowId;
  const state: StateV1 = {
    participantId: input.participantId,
    stage: 'orientation',
    referentEmail: null,
    entryDate: null,
    openTasks: [],
  };
  /** Answers received and not yet acted upon, by task id. */
  const answers = new Map<string, AnswerTaskRequest>();
  /** Answers recorded by the workflow, waiting for the next stage to be recorded too. */
  const acted = new Set<string>();
  /** Answers fully acted upon: their Update returns the new state. */
  const settled = new Set<string>();
  let taskSequence = 0;

  // The v1 state is a subset of the current one: clients read what is there.
  setHandler(stateQuery, () => state as unknown as PathwayState);
  setHandler(
    answerTaskUpdate,
    async (request: AnswerTaskRequest) => {
      answers.set(request.taskId, request);
      await condition(() => settled.has(request.taskId));
      return state as unknown as PathwayState;
    },
    {
      validator: (request: AnswerTaskRequest) => {
        const task = state.openTasks.find((t) => t.id === request.taskId);
        if (!task || answers.has(request.taskId)) {
          throw new Error('Cette tâche n’est plus ouverte (déjà traitée ou inconnue).');
        }
        // A task is answered by the person it was given to, or by the coordination (all files).
        const actor = request.actor.trim().toLowerCase();
        if (actor !== task.assigneeEmail.toLowerCase() && actor !== input.coordinatorEmail.toLowerCase()) {
          throw new Error('Cette tâche revient à la personne qui en est chargée, ou à la coordination.');
        }
        const check = checkTaskAnswer(task.kind, request.answer);
        if (!check.ok) throw new Error(`Réponse invalide : ${check.problems.join(' ; ')}`);
      },
    },
  );

  /** Adds a task to the state; the database and the assignee hear of it in `enter` and `answerOf`. */
  function openTask<K extends TaskKind>(kind: K, assigneeEmail: string): OpenTask<K> {
    const now = Date.now();
    const task: OpenTask<K> = {
      id: `${pathwayId}/${kind}/${++taskSequence}`,
      kind,
      assigneeEmail,
      openedAt: new Date(now).toISOString(),
      dueDate: addDays(parisDate(now), input.timings.reminderAfterDays),
      reminded: false,
      escalated: false,
    };
    state.openTasks.push(task);
    return task;
  }

  /**
   * Records the move to `stage` and the task it opens, then lets pending Updates return: by then
   * the database shows what the Query shows.
   */
  async function enter(stage: Stage, task?: OpenTask): Promise<void> {
    state.stage = stage;
    await activities.recordStage({
      pathwayId,
      participantId: input.participantId,
      stage,
      referentEmail: state.referentEmail,
      entryDate: state.entryDate,
    });
    if (task) await activities.openTask({ ...task, pathwayId });
    for (const taskId of acted) settled.add(taskId);
    acted.clear();
  }

  /** A message that cannot be delivered (address refused) is recorded, never a reason to stop the pathway. */
  async function notify(args: Parameters<Activities['notifyTask']>[0]): Promise<void> {
    try {
      await notices.notifyTask(args);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('notification not delivered', { taskId: args.taskId, notice: args.notice });
    }
  }

  /**
   * Tells the assignee, waits for the answer, reminds when the task is due and escalates to the
   * coordinator later. Returns the validated answer once recorded.
   */
  async function answerOf<K extends TaskKind>(task: OpenTask<K>): Promise<TaskAnswer<K>> {
    await notify({ taskId: task.id, notice: 'opened', to: task.assigneeEmail });
    const answered = () => answers.has(task.id);
    const { reminderAfterDays, escalateAfterDays } = input.timings;
    if (!(await condition(answered, daysToMs(reminderAfterDays)))) {
      task.reminded = true;
      await notify({ taskId: task.id, notice: 'reminder', to: task.assigneeEmail });
      if (!(await condition(answered, daysToMs(escalateAfterDays - reminderAfterDays)))) {
        task.escalated = true;
        await notify({ taskId: task.id, notice: 'escalation', to: input.coordinatorEmail });
        await condition(answered);
      }
    }

    const request = answers.get(task.id)!;
    const check = checkTaskAnswer(task.kind, request.answer);
    // The validator already refused bad answers; this only narrows the type.
    if (!check.ok) throw new Error(`unexpected invalid answer for ${task.id}`);
    await activities.closeTask({
      taskId: task.id,
      answer: check.answer,
      actor: request.actor,
      channel: request.channel,
      answeredAt: new Date(Date.now()).toISOString(),
    });
    state.openTasks = state.openTasks.filter((t) => t.id !== task.id);
    acted.add(task.id);
    return check.answer;
  }

  /** The active pathway (steps, contracts, follow-up, exit) is built on top of this point. */
  async function activePathway(): Promise<PathwayState> {
    await enter('active');
    await condition(() => false);
    return state as unknown as PathwayState;
  }

  // An imported pathway already under way starts where it stands. (Absent from earlier inputs:
  // their histories replay through the branch below.)
  if (input.resume) {
    state.referentEmail = input.resume.referentEmail;
    state.entryDate = input.resume.entryDate;
    return await activePathway();
  }

  // Orientation: the coordinator assigns a referent (opened before any await, so that a Query
  // right after the start already shows the task).
  const assignmentTask = openTask('assign_referent', input.coordinatorEmail);
  await enter('orientation', assignmentTask);
  const assignment = await answerOf(assignmentTask);
  state.referentEmail = assignment.referentEmail;

  // Diagnostic: the referent meets the person and decides to integrate or to reorient.
  const diagnosticTask = openTask('diagnostic_decision', assignment.referentEmail);
  await enter('diagnostic', diagnosticTask);
  const decision = await answerOf(diagnosticTask);
  if (decision.decision === 'reorient') {
    await enter('exited');
    return state as unknown as PathwayState;
  }
  state.entryDate = decision.entryDate;
  return await activePathway();
}
