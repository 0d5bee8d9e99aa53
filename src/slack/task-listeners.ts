/**
 * Answering a task in Slack: a one-click answer, or the task's form in a modal. Each interaction
 * is acknowledged at once; the work goes on after, and the person sees the result as the message
 * updates (or a word only they see).
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { TaskKind } from '../domain/tasks.ts';
import { isTaskKind } from '../domain/tasks.ts';
import { taskForm, type TaskFormContext } from '../forms/task-forms.ts';
import { fileReference } from '../domain/participant.ts';
import { mayAnswerTask } from '../domain/permissions.ts';
import { castVote, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { answerPathwayTask } from '../participants/pathway-action.ts';
import { actingStaff, audienceOf, createOnceAtATime, guarded, metaOf, refuse, submitted, tell, type Audience, type ModalMeta, type SlackDeps } from './interaction.ts';
import { referentOptions } from '../staff/directory.ts';
import { formModal } from './modal.ts';
import { ACTION_IDS, QUICK_ANSWERS } from './task-message.ts';

export function registerTaskListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();
  const { db } = deps;


  async function referents(plieCode: string): Promise<TaskFormContext> {
    return { referents: await referentOptions(db, plieCode) };
  }

  /** The task, if this person may answer it now; otherwise they are told why and null returned. */
  async function answerableTask(client: WebClient, to: Audience, taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId }, include: { pathway: { include: { participant: true } } } });
    if (!task || !isTaskKind(task.kind)) {
      await refuse(deps, client, to, 'Cette tâche est introuvable.', { action: 'task.answer', entityType: 'task', entityId: taskId });
      return null;
    }
    const staff = await actingStaff(deps, client, to, 'task.answer');
    if (!staff) return null;
    if (!mayAnswerTask(staff, task, task.pathway.referentEmail)) {
      await refuse(deps, client, to, 'Ce dossier ne vous est pas confié : seule la personne désignée ou la coordination peut répondre.', {
        action: 'task.answer',
        entityType: 'task',
        entityId: taskId,
        actor: staff.email,
      });
      return null;
    }
    if (task.status !== 'open') {
      // A second click of the person who answered does nothing; anyone else learns it is done.
      if (task.answeredBy?.toLowerCase() !== staff.email.toLowerCase()) await tell(client, to, 'Cette tâche a déjà été traitée.');
      return null;
    }
    return { task, kind: task.kind, staff };
  }

  async function submitAnswer(client: WebClient, to: Audience, taskId: string, answer: unknown): Promise<void> {
    const found = await answerableTask(client, to, taskId);
    if (!found) return;
    const { task, kind, staff } = found;
    try {
      if (kind === 'commission_vote') {
        await castVote(deps.temporal, task.commissionCaseId!, { actor: staff.email, vote: answer, channel: 'slack' });
        await tell(client, to, 'Votre vote est enregistré. Vous pouvez le changer jusqu’à la clôture.');
      } else {
        await answerPathwayTask({ db: deps.db, temporal: deps.temporal }, task.pathway.participantId, { taskId, answer, actor: staff.email, channel: 'slack' }, task.pathwayId);
      }
    } catch (error) {
      if (!(error instanceof TaskAnswerRejectedError)) throw error;
      await tell(client, to, `Réponse non enregistrée : ${error.message}`);
    }
  }

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTION_IDS.quick}:`), async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    const taskId = action.value ?? '';
    await once(taskId, () =>
      guarded(deps, client, to, 'task.quick', async () => {
        const task = await db.task.findUnique({ where: { id: taskId } });
        const quick = task && isTaskKind(task.kind) ? QUICK_ANSWERS[task.kind]?.find((q) => `${ACTION_IDS.quick}:${q.key}` === action.action_id) : undefined;
        if (!quick) {
          await refuse(deps, client, to, 'Ce bouton ne correspond à aucune tâche en cours.', { action: 'task.answer', entityType: 'task', entityId: taskId });
          return;
        }
        await submitAnswer(client, to, taskId, quick.answer);
      }),
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.form, async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    await guarded(deps, client, to, 'task.form', async () => {
      const found = await answerableTask(client, to, action.value ?? '');
      if (!found) return;
      const form = taskForm(found.kind, await referents(found.task.pathway.participant.plieCode));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(form, {
          callbackId: 'task_form',
          privateMetadata: JSON.stringify({ taskId: found.task.id, channel: to.channel } satisfies ModalMeta),
          subtitle: `Dossier ${fileReference(found.task.pathway.participantId)}`,
        }),
      });
    });
  });

  app.view<ViewSubmitAction>('task_form', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    const task = meta.taskId ? await db.task.findUnique({ where: { id: meta.taskId }, include: { pathway: { include: { participant: true } } } }) : null;
    if (!task || !isTaskKind(task.kind)) {
      await ack();
      await refuse(deps, client, to, 'Cette tâche est introuvable.', { action: 'task.answer', entityType: 'task', entityId: meta.taskId ?? '?' });
      return;
    }
    const kind: TaskKind = task.kind;
    const value = await submitted(ack, taskForm(kind, await referents(task.pathway.participant.plieCode)), view.state?.values);
    if (value === undefined) return;
    await once(task.id, () => guarded(deps, client, to, 'task.form', () => submitAnswer(client, to, task.id, value)));
  });
}
