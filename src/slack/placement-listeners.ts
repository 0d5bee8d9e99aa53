/**
 * The referent's buttons on a « mise en relation »: propose the offer in one click, or open the
 * form (not proposed and why; interview; hired with the contract; not retained). The decision
 * goes through the offer's workflow (and, for a hire, the pathway); the prompt then shows it.
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { PLACEMENT_DECISION_LABELS } from '../domain/placements.ts';
import { readForm } from '../forms/fields.ts';
import { placementForm, type PlacementAnswer } from '../forms/placement-form.ts';
import { placementFacts } from '../offers/placement-facts.ts';
import { decidePlacement } from '../offers/placements.ts';
import { TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { z } from '../domain/validation.ts';
import { actingStaff, createOnceAtATime, failed, refuse, slackId, slackTs, tell, type Audience, type SlackDeps } from './interaction.ts';
import { formModal, modalValues } from './modal.ts';
import { PLACEMENT_ACTIONS, placementDoneMessage } from './placement-message.ts';
import { parisDateTime } from './task-message.ts';

const PLACEMENT_VIEW = 'placement_form';

interface Meta {
  placementId: string;
  channel?: string;
  ts?: string;
  text?: string;
}

/** The modal's metadata as this app writes it; anything else (tampered, truncated) names no placement. */
const metaSchema = z.object({
  placementId: z.uuid(),
  channel: slackId.optional().catch(undefined),
  ts: slackTs.optional().catch(undefined),
  text: z.string().max(4000).optional().catch(undefined),
});

function readMeta(privateMetadata: unknown): Meta | null {
  try {
    const parsed = metaSchema.safeParse(typeof privateMetadata === 'string' ? JSON.parse(privateMetadata) : null);
    if (!parsed.success) return null;
    const { placementId, channel, ts, text } = parsed.data;
    return { placementId, ...(channel ? { channel } : {}), ...(ts ? { ts } : {}), ...(text !== undefined ? { text } : {}) };
  } catch {
    return null;
  }
}

/** A button's placement id: a UUID, or nothing (a placement's id never reaches a query otherwise). */
const placementIdOf = (value: string | undefined) => (z.uuid().safeParse(value).success ? value! : '');

export function registerPlacementListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();

  async function decide(client: WebClient, to: Audience, meta: Meta, answer: PlacementAnswer): Promise<void> {
    const staff = await actingStaff(deps, client, to, 'placement.decide');
    if (!staff) return;
    try {
      await decidePlacement(deps, meta.placementId, answer, staff.email, 'slack');
    } catch (error) {
      if (!(error instanceof TaskAnswerRejectedError)) throw error;
      await refuse(deps, client, to, error.message, { action: 'placement.decide', entityType: 'placement', entityId: meta.placementId, actor: staff.email });
      return;
    }
    if (to.channel && meta.ts) {
      const outcome = `✅ ${PLACEMENT_DECISION_LABELS[answer.decision]} — ${staff.name}, le ${parisDateTime(new Date())}`;
      await client.chat.update({ channel: to.channel, ts: meta.ts, ...placementDoneMessage(meta.text ?? '', outcome) });
    }
  }

  const guarded = async (client: WebClient, to: Audience, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      await failed(deps, client, to, error, 'placement');
    }
  };
  const metaOf = (body: BlockAction, placementId: string): Meta => ({
    placementId,
    ...(body.channel?.id ? { channel: body.channel.id } : {}),
    ...(body.message ? { ts: body.message.ts, text: body.message.text } : {}),
  });

  app.action<BlockAction<ButtonAction>>(PLACEMENT_ACTIONS.propose, async ({ ack, body, action, client }) => {
    await ack();
    const to: Audience = { user: body.user.id, channel: body.channel?.id };
    const placementId = placementIdOf(action.value);
    if (!placementId) return await tell(client, to, 'Cette mise en relation est introuvable.');
    await once(placementId, () => guarded(client, to, () => decide(client, to, metaOf(body, placementId), { decision: 'propose' })));
  });

  app.action<BlockAction<ButtonAction>>(PLACEMENT_ACTIONS.form, async ({ ack, body, action, client }) => {
    await ack();
    const to: Audience = { user: body.user.id, channel: body.channel?.id };
    await guarded(client, to, async () => {
      const id = placementIdOf(action.value);
      const facts = id ? await placementFacts(deps.db, id) : null;
      if (!facts) return await tell(client, to, 'Cette mise en relation est introuvable.');
      await client.views.open({
        trigger_id: body.trigger_id,
        view: formModal(placementForm(facts.status), { callbackId: PLACEMENT_VIEW, privateMetadata: JSON.stringify(metaOf(body, facts.placementId)), subtitle: facts.offer }),
      });
    });
  });

  app.view<ViewSubmitAction>(PLACEMENT_VIEW, async ({ ack, body, view, client }) => {
    const meta = readMeta(view.private_metadata);
    const to: Audience = { user: body.user.id, channel: meta?.channel };
    const facts = meta?.placementId ? await placementFacts(deps.db, meta.placementId) : null;
    if (!meta || !facts) {
      await ack();
      return await refuse(deps, client, to, 'Ce formulaire ne correspond à aucune mise en relation.', { action: 'placement.decide', entityType: 'placement', entityId: meta?.placementId ?? '?' });
    }
    const form = placementForm(facts.status);
    const result = readForm(form, modalValues(form, view.state?.values));
    if (!result.ok) return await ack({ response_action: 'errors', errors: result.errors });
    await ack();
    const answer = result.value as PlacementAnswer;
    const m = meta;
    await once(m.placementId, () => guarded(client, to, () => decide(client, to, m, answer)));
  });
}
