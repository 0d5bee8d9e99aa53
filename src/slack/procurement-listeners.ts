/**
 * The facilitator's buttons on a procurement's (marché) prompts: validate the month's hours, ask the company for
 * a correction (a modal for what to correct), chase the company. Only the PLIE's facilitators and
 * its coordination may; the workflow checks it again. The prompt then shows what was done, by whom.
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { mayDo, REFUSED } from '../domain/permissions.ts';
import { correctionForm } from '../forms/procurement-forms.ts';
import { readForm } from '../forms/fields.ts';
import type { Staff } from '../generated/prisma/client.ts';
import { TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { chaseCompany, reviewHours } from '../temporal/procurement-client.ts';
import { z } from '../domain/validation.ts';
import { actingStaff, createOnceAtATime, failed, refuse, slackId, slackTs, tell, type Audience, type SlackDeps } from './interaction.ts';
import { PROCUREMENT_ACTIONS, PROCUREMENT_OUTCOMES, procurementDoneMessage, parseButtonValue, type ProcurementButtonValue } from './procurement-message.ts';
import { formModal, modalValues } from './modal.ts';
import { parisDateTime } from './task-message.ts';

const CORRECTION_VIEW = 'marche_correction';

interface CorrectionMeta extends ProcurementButtonValue {
  channel?: string;
  ts?: string;
  text?: string;
}

type Decision = keyof typeof PROCUREMENT_OUTCOMES;

/** Where the prompt was (to update it), as this app writes it; anything else reads as absent. */
const whereSchema = z.object({
  channel: slackId.optional().catch(undefined),
  ts: slackTs.optional().catch(undefined),
  text: z.string().max(4000).optional().catch(undefined),
});

function readCorrectionMeta(privateMetadata: unknown): CorrectionMeta | null {
  try {
    const raw: unknown = typeof privateMetadata === 'string' ? JSON.parse(privateMetadata) : null;
    const target = raw !== null && typeof raw === 'object' ? parseButtonValue(JSON.stringify({ marcheId: (raw as CorrectionMeta).marcheId, month: (raw as CorrectionMeta).month })) : null;
    const where = whereSchema.safeParse(raw);
    if (!target || !where.success) return null;
    return { ...target, ...Object.fromEntries(Object.entries(where.data).filter(([, v]) => v !== undefined)) };
  } catch {
    return null;
  }
}

export function registerProcurementListeners(app: App, deps: SlackDeps): void {
  const once = createOnceAtATime();

  /** The member of staff, if they may act on marchés (facilitation or coordination). */
  async function manager(client: WebClient, to: Audience, target: ProcurementButtonValue): Promise<Staff | null> {
    const staff = await actingStaff(deps, client, to, 'marche.review');
    if (!staff) return null;
    if (mayDo(staff, 'followMarches')) return staff;
    await refuse(deps, client, to, REFUSED.followMarches, {
      action: 'marche.review',
      entityType: 'marche',
      entityId: target.marcheId,
      actor: staff.email,
    });
    return null;
  }

  /** Sends the decision to the marché's workflow, then shows it in place of the buttons. */
  async function decide(client: WebClient, to: Audience, target: ProcurementButtonValue, staff: Staff, decision: Decision, where: { ts?: string; text?: string; comment?: string }) {
    const by = { month: target.month, actor: staff.email, channel: 'slack' as const };
    try {
      if (decision === 'chase') await chaseCompany(deps.temporal, target.marcheId, by);
      else await reviewHours(deps.temporal, target.marcheId, { ...by, decision, ...(where.comment ? { comment: where.comment } : {}) });
    } catch (error) {
      if (!(error instanceof TaskAnswerRejectedError)) throw error;
      await tell(client, to, `Non enregistré : ${error.message}`);
      return;
    }
    if (to.channel && where.ts) {
      const outcome = `${PROCUREMENT_OUTCOMES[decision](target.month)} par ${staff.name} le ${parisDateTime(new Date())}`;
      await client.chat.update({ channel: to.channel, ts: where.ts, ...procurementDoneMessage(where.text ?? '', outcome) });
    }
  }

  const guarded = async (client: WebClient, to: Audience, what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      await failed(deps, client, to, error, what);
    }
  };

  const clicked = (decision: Exclude<Decision, 'correct'>) =>
    app.action<BlockAction<ButtonAction>>(PROCUREMENT_ACTIONS[decision], async ({ ack, body, action, client }) => {
      await ack();
      const to: Audience = { user: body.user.id, channel: body.channel?.id };
      const target = parseButtonValue(action.value);
      if (!target) return await refuse(deps, client, to, 'Ce bouton ne correspond à aucun marché.', { action: 'marche.review', entityType: 'marche', entityId: '?' });
      await once(`${target.marcheId}/${target.month}`, () =>
        guarded(client, to, `marche.${decision}`, async () => {
          const staff = await manager(client, to, target);
          if (staff) await decide(client, to, target, staff, decision, { ...(body.message ? { ts: body.message.ts, text: body.message.text } : {}) });
        }),
      );
    });
  clicked('validate');
  clicked('chase');

  app.action<BlockAction<ButtonAction>>(PROCUREMENT_ACTIONS.correct, async ({ ack, body, action, client }) => {
    await ack();
    const to: Audience = { user: body.user.id, channel: body.channel?.id };
    const target = parseButtonValue(action.value);
    if (!target) return await refuse(deps, client, to, 'Ce bouton ne correspond à aucun marché.', { action: 'marche.review', entityType: 'marche', entityId: '?' });
    await guarded(client, to, 'marche.correct', async () => {
      if (!(await manager(client, to, target))) return;
      const meta: CorrectionMeta = { ...target, ...(to.channel ? { channel: to.channel } : {}), ...(body.message ? { ts: body.message.ts, text: body.message.text } : {}) };
      await client.views.open({ trigger_id: body.trigger_id, view: formModal(correctionForm(target.month), { callbackId: CORRECTION_VIEW, privateMetadata: JSON.stringify(meta) }) });
    });
  });

  app.view<ViewSubmitAction>(CORRECTION_VIEW, async ({ ack, body, view, client }) => {
    const meta = readCorrectionMeta(view.private_metadata);
    const target = meta ? { marcheId: meta.marcheId, month: meta.month } : null;
    const to: Audience = { user: body.user.id, channel: meta?.channel };
    if (!target || !meta) {
      await ack();
      return await refuse(deps, client, to, 'Ce formulaire ne correspond à aucun marché.', { action: 'marche.review', entityType: 'marche', entityId: '?' });
    }
    const form = correctionForm(target.month);
    const result = readForm(form, modalValues(form, view.state?.values));
    if (!result.ok) return await ack({ response_action: 'errors', errors: result.errors });
    await ack();
    const { comment } = result.value as { comment: string };
    await once(`${target.marcheId}/${target.month}`, () =>
      guarded(client, to, 'marche.correct', async () => {
        const staff = await manager(client, to, target);
        if (staff) await decide(client, to, target, staff, 'correct', { ...(meta.ts ? { ts: meta.ts } : {}), ...(meta.text ? { text: meta.text } : {}), comment });
      }),
    );
  });
}
