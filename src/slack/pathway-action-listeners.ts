/**
 * Recording an action on a pathway from Slack (the App Home's menu and `/plie participant`): a
 * step, a contact, a contract… in a modal, for the participant's referent or the coordination.
 */
import type { App, BlockAction, StaticSelectAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTION_LABELS, COORDINATION_ACTIONS, actionForm, isActionFormName } from '../forms/action-forms.ts';
import { fileReference } from '../domain/participant.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { isCoordinator, mayActOnPathway } from '../domain/permissions.ts';
import { recordPathwayAction } from '../participants/pathway-action.ts';
import { referentOptions } from '../staff/directory.ts';
import { TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { PARTICIPANT_ACTION, RECTIFY_ACTION } from './home.ts';
import { DECISION_LABELS, RECTIFICATION_FORM } from '../forms/referral-form.ts';
import { rectifyParticipant } from '../participants/rectify.ts';
import { DuplicateParticipantError, InvalidInputError } from '../participants/create.ts';
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
      if (allowed && name === RECTIFY_ACTION) {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: formModal(RECTIFICATION_FORM, {
            callbackId: 'participant_rectify',
            privateMetadata: JSON.stringify({ participantId, channel: to.channel } satisfies ModalMeta),
            subtitle: `Dossier ${fileReference(participantId)}`,
          }),
        });
        return;
      }
      if (!allowed || !isActionFormName(name)) return;
      if (COORDINATION_ACTIONS.includes(name) && !isCoordinator(allowed.staff)) {
        await refuse(deps, client, to, 'Seule la coordination peut confier ce dossier à un·e autre référent·e.', {
          action: 'pathway.action',
          entityType: 'participant',
          entityId: participantId,
          actor: allowed.staff.email,
        });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        // The dossier is of the acting person's PLIE (pathwayFor checked it): its referents are theirs.
        view: formModal(actionForm(name, { referents: await referentOptions(db, allowed.staff.plieCode) }), {
          callbackId: 'pathway_action',
          privateMetadata: JSON.stringify({ participantId, action: name, channel: to.channel } satisfies ModalMeta),
          subtitle: `Dossier ${fileReference(participantId)}`,
        }),
      });
    });
  });

  /** The referents of the participant's PLIE (the choices of a change of referent). */
  async function referentsOf(participantId: string) {
    const participant = await db.participant.findUnique({ where: { id: participantId }, select: { plieCode: true } });
    return participant ? await referentOptions(db, participant.plieCode) : [];
  }

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

  // A rectification: the facts filled in are corrected, eligibility assessed again; the result is told.
  app.view<ViewSubmitAction>('participant_rectify', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    const participantId = meta.participantId;
    if (!participantId) return await ack();
    const value = await submitted(ack, RECTIFICATION_FORM, view.state?.values);
    if (value === undefined) return;
    await once(`${participantId}/${view.id}`, () =>
      guarded(deps, client, to, 'participant.rectify', async () => {
        const allowed = await pathwayFor(client, to, participantId);
        if (!allowed) return;
        const config = await deps.plieConfig(allowed.staff.plieCode);
        try {
          const done = await rectifyParticipant({ db, temporal: deps.temporal, plieCode: allowed.staff.plieCode, config }, participantId, value, { actor: allowed.staff.email, channel: 'slack' });
          const changes = done.changed.length ? `corrigé : ${done.changed.length} information(s)` : 'rien n’a changé';
          await tell(client, to, `✅ Dossier ${fileReference(participantId)} : ${changes}. Éligibilité réévaluée : ${DECISION_LABELS[done.eligibility.decision]}.`);
        } catch (error) {
          if (!(error instanceof InvalidInputError || error instanceof DuplicateParticipantError)) throw error;
          await tell(client, to, `Non corrigé : ${error.message}`);
        }
      }),
    );
  });

  app.view<ViewSubmitAction>('pathway_action', async ({ ack, body, view, client }) => {
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    if (!meta.action || !isActionFormName(meta.action) || !meta.participantId) {
      await ack();
      return;
    }
    const name = meta.action;
    const participantId = meta.participantId;
    const value = await submitted(ack, actionForm(name, { referents: name === 'referentChanged' ? await referentsOf(participantId) : [] }), view.state?.values);
    if (value === undefined) return;
    await once(`${participantId}/${view.id}`, () =>
      guarded(deps, client, to, 'pathway.action', async () => {
        const allowed = await pathwayFor(client, to, participantId);
        if (!allowed) return;
        try {
          await recordPathwayAction(deps, participantId, { action: value, actor: allowed.staff.email, channel: 'slack' }, allowed.pathway.id);
          await tell(client, to, `✅ ${ACTION_LABELS[name]} : enregistré pour le dossier ${fileReference(participantId)}.`);
        } catch (error) {
          if (!(error instanceof TaskAnswerRejectedError)) throw error;
          await tell(client, to, `Non enregistré : ${error.message}`);
        }
      }),
    );
  });
}
