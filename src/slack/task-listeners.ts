/**
 * Buttons and modals: answering a task (one click or a form), voting in the commission, and
 * recording an action on a pathway. Each interaction is acknowledged at once; the work goes on
 * after, and the person sees the result as the message updates (or a word only they see).
 */
import type { App, BlockAction, ButtonAction, OverflowAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { TaskKind } from '../domain/tasks.ts';
import { isTaskKind } from '../domain/tasks.ts';
import { ACTION_FORMS, ACTION_LABELS, isActionFormName } from '../forms/action-forms.ts';
import { readForm, type FormSpec } from '../forms/fields.ts';
import { taskForm, type TaskFormContext } from '../forms/task-forms.ts';
import { fileReference } from '../domain/participant.ts';
import { VOTE_OPTIONS } from '../forms/labels.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { mayActOnPathway, mayAnswerTask } from '../staff/permissions.ts';
import { answerTask, castVote, commissionState, recordAction, TaskAnswerRejectedError } from '../temporal/parcours-client.ts';
import { COMMENT_ACTION, VOTE_ACTION } from './commission-message.ts';
import { PARTICIPANT_ACTION } from './home.ts';
import { actingStaff, createOnceAtATime, failed, refuse, tell, type Audience, type SlackDeps } from './interaction.ts';
import { formModal, modalValues, type ViewStateValues } from './modal.ts';
import { ACTION_IDS, QUICK_ANSWERS } from './task-message.ts';

interface Meta {
  taskId?: string;
  caseId?: string;
  participantId?: string;
  action?: string;
  channel?: string;
}

const audienceOf = (body: BlockAction): Audience => ({ user: body.user.id, channel: body.channel?.id });
const commissionCaseOf = (taskId: string) => taskId.split('/commission_vote/')[0]!;

export function registerTaskListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();
  const { db } = deps;

  /** Runs a listener's work after the ack, telling the person if it fails. */
  const guarded = async (client: WebClient, to: Audience, what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      await failed(deps, client, to, error, what);
    }
  };

  async function referents(plieCode: string): Promise<TaskFormContext> {
    const staff = await db.staff.findMany({ where: { plieCode, active: true, roles: { has: 'REFERENT' } }, orderBy: { name: 'asc' } });
    return { referents: staff.map((s) => ({ value: s.email, label: s.name })) };
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
        await castVote(deps.temporal, commissionCaseOf(taskId), { actor: staff.email, vote: answer, channel: 'slack' });
        await tell(client, to, 'Votre vote est enregistré. Vous pouvez le changer jusqu’à la clôture.');
      } else {
        await answerTask(deps.temporal, task.pathway.participantId, { taskId, answer, actor: staff.email, channel: 'slack' }, task.pathwayId);
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
      guarded(client, to, 'task.quick', async () => {
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
    await guarded(client, to, 'task.form', async () => {
      const found = await answerableTask(client, to, action.value ?? '');
      if (!found) return;
      const form = taskForm(found.kind, await referents(found.task.pathway.participant.plieCode));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(form, {
          callbackId: 'task_form',
          privateMetadata: JSON.stringify({ taskId: found.task.id, channel: to.channel } satisfies Meta),
          subtitle: `Dossier ${fileReference(found.task.pathway.participantId)}`,
        }),
      });
    });
  });

  /** Validates a submitted modal: errors go back into the modal, next to their field. */
  async function submitted(ack: (r?: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>, form: FormSpec, values: ViewStateValues) {
    const result = readForm(form, modalValues(form, values));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return undefined;
    }
    await ack();
    return result.value;
  }

  const metaOf = (view: { private_metadata: string }): Meta => {
    try {
      return JSON.parse(view.private_metadata) as Meta;
    } catch {
      return {};
    }
  };

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
    const value = await submitted(ack, taskForm(kind, await referents(task.pathway.participant.plieCode)), view.state.values);
    if (value === undefined) return;
    await once(task.id, () => guarded(client, to, 'task.form', () => submitAnswer(client, to, task.id, value)));
  });

  // --- Commission ad hoc: the channel's buttons and the comment modal ---

  async function vote(client: WebClient, to: Audience, caseId: string, answer: { vote: string; comment?: string | undefined }) {
    const staff = await actingStaff(deps, client, to, 'commission.vote');
    if (!staff) return;
    const task = await db.task.findFirst({ where: { id: { startsWith: `${caseId}/commission_vote/` }, assigneeEmail: { equals: staff.email, mode: 'insensitive' } } });
    if (!task) {
      await refuse(deps, client, to, 'Seuls les membres de la commission ad hoc votent sur ce dossier.', {
        action: 'commission.vote',
        entityType: 'commission_case',
        entityId: caseId,
        actor: staff.email,
      });
      return;
    }
    const current = await commissionState(deps.temporal, caseId);
    // The same vote again (a double click) changes nothing.
    if (current.votes[staff.email.toLowerCase()] === answer.vote && !answer.comment) return;
    try {
      await castVote(deps.temporal, caseId, { actor: staff.email, vote: answer, channel: 'slack' });
      const label = VOTE_OPTIONS.find((o) => o.value === answer.vote)?.label ?? answer.vote;
      await tell(client, to, `Votre vote « ${label} » est enregistré. Vous pouvez le changer jusqu’à la clôture.`);
    } catch (error) {
      if (!(error instanceof TaskAnswerRejectedError)) throw error;
      await tell(client, to, `Vote non enregistré : ${error.message}`);
    }
  }

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${VOTE_ACTION}:`), async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    const caseId = action.value ?? '';
    const choice = action.action_id.slice(VOTE_ACTION.length + 1);
    await once(`${caseId}/${to.user}`, () => guarded(client, to, 'commission.vote', () => vote(client, to, caseId, { vote: choice })));
  });

  app.action<BlockAction<ButtonAction>>(COMMENT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    await guarded(client, to, 'commission.comment', async () => {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(taskForm('commission_vote'), { callbackId: 'commission_vote', privateMetadata: JSON.stringify({ caseId: action.value, channel: to.channel } satisfies Meta) }),
      });
    });
  });

  app.view<ViewSubmitAction>('commission_vote', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    const value = (await submitted(ack, taskForm('commission_vote'), view.state.values)) as { vote: string; comment?: string } | undefined;
    if (!value || !meta.caseId) return;
    const caseId = meta.caseId;
    await once(`${caseId}/${to.user}`, () => guarded(client, to, 'commission.vote', () => vote(client, to, caseId, value)));
  });

  // --- Actions on a pathway (App Home and `/plie participant`) ---

  app.action<BlockAction<OverflowAction>>(PARTICIPANT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    await guarded(client, to, 'pathway.action', async () => {
      const [name = '', participantId = ''] = action.selected_option.value.split('|');
      const allowed = await pathwayFor(client, to, participantId);
      if (!allowed || !isActionFormName(name)) return;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(ACTION_FORMS[name], {
          callbackId: 'pathway_action',
          privateMetadata: JSON.stringify({ participantId, action: name, channel: to.channel } satisfies Meta),
          subtitle: `Dossier ${fileReference(participantId)}`,
        }),
      });
    });
  });

  /** The participant's current pathway, if this person may act on it. */
  async function pathwayFor(client: WebClient, to: Audience, participantId: string) {
    const staff = await actingStaff(deps, client, to, 'pathway.action');
    if (!staff) return null;
    const participant = await db.participant.findFirst({ where: { id: participantId, plieCode: staff.plieCode } });
    const workflowId = participant ? await currentPathwayId(db, participant.id) : null;
    const pathway = workflowId ? await db.pathway.findUnique({ where: { id: workflowId } }) : null;
    if (!pathway || !mayActOnPathway(staff, pathway.referentEmail)) {
      await refuse(deps, client, to, 'Ce dossier ne vous est pas confié : seule sa ou son référent·e ou la coordination peut agir dessus.', {
        action: 'pathway.action',
        entityType: 'participant',
        entityId: participantId,
        actor: staff.email,
      });
      return null;
    }
    return { staff, pathway };
  }

  app.view<ViewSubmitAction>('pathway_action', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    if (!meta.action || !isActionFormName(meta.action) || !meta.participantId) {
      await ack();
      return;
    }
    const name = meta.action;
    const participantId = meta.participantId;
    const value = await submitted(ack, ACTION_FORMS[name], view.state.values);
    if (value === undefined) return;
    await once(`${participantId}/${view.id}`, () =>
      guarded(client, to, 'pathway.action', async () => {
        const allowed = await pathwayFor(client, to, participantId);
        if (!allowed) return;
        try {
          await recordAction(deps.temporal, participantId, { action: value, actor: allowed.staff.email, channel: 'slack' }, allowed.pathway.id);
          await tell(client, to, `✅ ${ACTION_LABELS[name]} : enregistré pour le dossier ${fileReference(participantId)}.`);
        } catch (error) {
          if (!(error instanceof TaskAnswerRejectedError)) throw error;
          await tell(client, to, `Non enregistré : ${error.message}`);
        }
      }),
    );
  });
}
