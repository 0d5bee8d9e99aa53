/**
 * The commission ad hoc in Slack: the vote buttons of the channel's post, and the modal that adds
 * a comment. A member may change their vote until the vote closes; the workflow decides.
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { VOTE_OPTIONS } from '../forms/labels.ts';
import { taskForm } from '../forms/task-forms.ts';
import { castVote, commissionState, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { COMMENT_ACTION, VOTE_ACTION } from './commission-message.ts';
import { actingStaff, audienceOf, createOnceAtATime, guarded, metaOf, refuse, submitted, tell, type Audience, type ModalMeta, type SlackDeps } from './interaction.ts';
import { formModal } from './modal.ts';

export function registerVoteListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();
  const { db } = deps;

  async function vote(client: WebClient, to: Audience, caseId: string, answer: { vote: string; comment?: string | undefined }) {
    const staff = await actingStaff(deps, client, to, 'commission.vote');
    if (!staff) return;
    const task = await db.task.findFirst({ where: { commissionCaseId: caseId, assigneeEmail: { equals: staff.email, mode: 'insensitive' } } });
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
    await once(`${caseId}/${to.user}`, () => guarded(deps, client, to, 'commission.vote', () => vote(client, to, caseId, { vote: choice })));
  });

  app.action<BlockAction<ButtonAction>>(COMMENT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    await guarded(deps, client, to, 'commission.comment', async () => {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(taskForm('commission_vote'), { callbackId: 'commission_vote', privateMetadata: JSON.stringify({ caseId: action.value, channel: to.channel } satisfies ModalMeta) }),
      });
    });
  });

  app.view<ViewSubmitAction>('commission_vote', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    const value = (await submitted(ack, taskForm('commission_vote'), view.state?.values)) as { vote: string; comment?: string } | undefined;
    if (!value || !meta.caseId) return;
    const caseId = meta.caseId;
    await once(`${caseId}/${to.user}`, () => guarded(deps, client, to, 'commission.vote', () => vote(client, to, caseId, value)));
  });
}
