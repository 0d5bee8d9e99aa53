/**
 * Recording an action on a pathway from Slack (the App Home's menu and `/plie participant`): a
 * step, a contact, a contract… in a modal, for the participant's referent or the coordination.
 */
import type { App, BlockAction, StaticSelectAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTION_FORMS, ACTION_LABELS, isActionFormName } from '../forms/action-forms.ts';
import { fileReference } from '../domain/participant.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { mayActOnPathway } from '../domain/permissions.ts';
import { recordAction, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { PARTICIPANT_ACTION } from './home.ts';
import { actingStaff, audienceOf, createOnceAtATime, guarded, metaOf, refuse, submitted, tell, type Audience, type ModalMeta, type SlackDeps } from './interaction.ts';
import { formModal } from './modal.ts';

export function registerPathwayActionListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();
  const { db } = deps;

  app.action<BlockAction<StaticSelectAction>>(PARTICIPANT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const to = audienceOf(body);
    await guarded(deps, client, to, 'pathway.action', async () => {
      const [name = '', participantId = ''] = action.selected_option.value.split('|');
      const allowed = await pathwayFor(client, to, participantId);
      if (!allowed || !isActionFormName(name)) return;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(ACTION_FORMS[name], {
          callbackId: 'pathway_action',
          privateMetadata: JSON.stringify({ participantId, action: name, channel: to.channel } satisfies ModalMeta),
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
      guarded(deps, client, to, 'pathway.action', async () => {
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
