/**
 * `/plie` (aide, mes-taches, orienter, participant <nom>) and the App Home. Commands are
 * acknowledged at once; lists and summaries follow as messages only the person sees.
 */
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { formatFrenchDate } from '../domain/dates.ts';
import type { Reason } from '../domain/eligibility.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { STAGE_LABELS, TASK_TITLES, type Stage, type TaskKind } from '../domain/tasks.ts';
import { readForm } from '../forms/fields.ts';
import { hasUntypableCharacters, untypableMessage } from '../domain/validation.ts';
import { DECISION_LABELS, REFERRAL_FORM, referralPreCheck } from '../forms/referral-form.ts';
import { fromDbDate } from '../db/dates.ts';
import type { ParticipantInput } from '../domain/participant.ts';
import { createParticipant, DuplicateParticipantError, InvalidInputError, PathwayNotStartedError } from '../participants/create.ts';
import { displayName, staffBySlackUser } from '../staff/directory.ts';
import { auditRead } from '../db/audit.ts';
import { isCoordinator, mayActOnPathway, mayDo, mayRefer, REFUSED } from '../domain/permissions.ts';
import { loadHome } from './caseload.ts';
import { homeView, participantActions } from './home.ts';
import { actingStaff, failed, metaOf, refuse, tell, UNKNOWN_USER, type Audience, type SlackDeps } from './interaction.ts';
import { formModal, modalValues } from './modal.ts';

export const HELP = [
  '*Commandes du PLIE*',
  '• `/plie mes-taches` : vos tâches en attente, les plus urgentes d’abord',
  '• `/plie orienter` : enregistrer une nouvelle orientation (le pré-contrôle d’éligibilité s’affiche avant l’enregistrement)',
  '• `/plie participant <nom>` : la situation d’un dossier qui vous est confié (coordination : tous les dossiers)',
  '• `/plie aide` : cette aide',
  'Vos tâches arrivent aussi en message privé et dans l’onglet Accueil de l’application.',
].join('\n');

export function registerCommandListeners(app: App, deps: SlackDeps): void {
  const { db } = deps;

  app.command('/plie', async ({ ack, command, client }) => {
    const [verb = 'aide', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const to: Audience = { user: command.user_id, channel: command.channel_id };
    if (verb === 'aide') {
      await ack({ response_type: 'ephemeral', text: HELP });
      return;
    }
    if (!['mes-taches', 'orienter', 'participant'].includes(verb)) {
      await ack({ response_type: 'ephemeral', text: `Commande inconnue : « ${verb.slice(0, 40)} ».\n\n${HELP}` });
      return;
    }
    await ack();
    try {
      const staff = await actingStaff(deps, client, to, `command.${verb}`);
      if (!staff) return;
      if (verb === 'mes-taches') {
        const home = await loadHome(db, staff);
        const lines = home.tasks.map(
          (t) => `• ${t.overdue ? ':warning: ' : ''}${TASK_TITLES[t.kind]} : dossier ${t.fileReference} (${t.initials}), échéance le ${formatFrenchDate(t.dueDate)}`,
        );
        await tell(client, to, lines.length ? `*Vos tâches en attente (${lines.length})*\n${lines.slice(0, 30).join('\n')}` : 'Aucune tâche en attente. 🎉');
        return;
      }
      if (verb === 'orienter') {
        if (!mayRefer(staff)) {
          await refuse(deps, client, to, REFUSED.refer, {
            action: 'command.orienter',
            entityType: 'staff',
            entityId: staff.id,
            actor: staff.email,
          });
          return;
        }
        await client.views.open({
          trigger_id: command.trigger_id,
          view: formModal(REFERRAL_FORM, { callbackId: 'referral_check', privateMetadata: JSON.stringify({ channel: to.channel }) }),
        });
        return;
      }
      await participantSummary(client, to, staff, rest.join(' '));
    } catch (error) {
      await failed(deps, client, to, error, `command.${verb}`);
    }
  });

  async function participantSummary(client: WebClient, to: Audience, staff: NonNullable<Awaited<ReturnType<typeof actingStaff>>>, name: string) {
    if (!mayDo(staff, 'lookUpFiles')) {
      await refuse(deps, client, to, REFUSED.lookUpFiles, {
        action: 'command.participant',
        entityType: 'staff',
        entityId: staff.id,
        actor: staff.email,
      });
      return;
    }
    if (name.trim().length < 2) {
      await tell(client, to, 'Indiquez au moins deux lettres du nom : `/plie participant <nom>`.');
      return;
    }
    // Never a search the database would refuse (a NUL byte): said as the forms say it.
    if (hasUntypableCharacters(name)) {
      await tell(client, to, untypableMessage('nom cherché'));
      return;
    }
    const found = await db.participant.findMany({
      where: { plieCode: staff.plieCode, lastName: { contains: name.trim(), mode: 'insensitive' } },
      include: { pathways: { orderBy: { createdAt: 'desc' }, take: 1, include: { tasks: { where: { status: 'open' }, orderBy: { dueDate: 'asc' }, take: 1 } } } },
      take: 20,
    });
    const visible = found.filter((p) => mayActOnPathway(staff, p.pathways[0]?.referentEmail ?? null));
    if (visible.length === 0) {
      await tell(client, to, found.length ? 'Aucun dossier à ce nom ne vous est confié.' : 'Aucun dossier à ce nom.');
      return;
    }
    const blocks: KnownBlock[] = [];
    for (const p of visible.slice(0, 10)) {
      await auditRead(db, { actor: staff.email, channel: 'slack', participantId: p.id, what: 'situation' });
      const pathway = p.pathways[0];
      const next = pathway?.tasks[0];
      const referent = pathway?.referentEmail ? await displayName(db, staff.plieCode, pathway.referentEmail) : 'à désigner';
      const lines = [
        `*Dossier ${fileReference(p.id)} (${initials(p.firstName, p.lastName)})* · ${pathway ? STAGE_LABELS[pathway.stage as Stage] : 'sans parcours'}`,
        `Référent·e : ${referent}${pathway?.entryDate ? ` · entrée le ${formatFrenchDate(fromDbDate(pathway.entryDate))}` : ''}`,
        next ? `Prochaine tâche : ${TASK_TITLES[next.kind as TaskKind]} (le ${formatFrenchDate(fromDbDate(next.dueDate))})` : 'Pas de tâche en attente',
      ];
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') }, ...(pathway ? { accessory: participantActions(p.id, isCoordinator(staff)) } : {}) });
    }
    await client.chat.postEphemeral({ channel: to.channel!, user: to.user, text: `${visible.length} dossier(s)`, blocks });
  }

  // --- Referral: check, then confirm with the pre-check in view ---

  /** The records and rules of the PLIE a member acts in (their staff record's), or null if this deployment does not serve it. */
  async function plieOf(staff: { plieCode: string }) {
    if (staff.plieCode === deps.pathway.plieCode) return deps.pathway;
    return deps.pathwayFor ? await deps.pathwayFor(staff.plieCode) : null;
  }

  app.view<ViewSubmitAction>('referral_check', async ({ ack, body, view, client }) => {
    const result = readForm(REFERRAL_FORM, modalValues(REFERRAL_FORM, view.state?.values));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    const input = result.value as ParticipantInput;
    // Checked against the rules of the member's own PLIE when the workspace serves several (who may refer is checked on submission).
    // A lookup that fails (Slack or the database slow) falls back to the deployment's rules: the pre-check only informs.
    const member = deps.pathwayFor ? await staffBySlackUser(db, client, body.user.id).catch(() => null) : null;
    const config = await deps.plieConfig(member?.plieCode ?? deps.pathway.plieCode);
    const check = referralPreCheck(config, input, new Date());
    const assignedAtOnce = config.assignment.autoReferentEmail !== null && check.decision === 'eligible';
    const concerns = check.reasons.filter((r) => r.effect !== 'ok').map((r) => `• ${CONCERN_MARKS[r.effect]} ${r.text}`);
    const confirm: View = {
      type: 'modal',
      callback_id: 'referral_submit',
      private_metadata: JSON.stringify({ input, channel: metaOf(view).channel }),
      title: { type: 'plain_text', text: 'Nouvelle orientation' },
      submit: { type: 'plain_text', text: 'Enregistrer' },
      close: { type: 'plain_text', text: 'Annuler' },
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `*${input.firstName} ${input.lastName}*, né·e le ${formatFrenchDate(input.birthDate)}\n*Pré-contrôle d’éligibilité : ${DECISION_LABELS[check.decision]}*` },
        },
        ...(concerns.length ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: concerns.join('\n') } }] : []),
        // The priorities of article 3 (never the sensitive ones: Slack does not ask them).
        ...(check.priorities.length ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `*Public prioritaire :* ${check.priorities.map((p) => p.text.replace(/\.$/, '')).join(' ; ')}.` } }] : []),
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `${assignedAtOnce ? 'Le ou la référent·e sera désigné·e d’office, selon la règle du PLIE' : 'La coordination désignera le ou la référent·e'} ; la personne recevra sa convocation par email.`,
            },
          ],
        },
      ],
    };
    await ack({ response_action: 'update', view: confirm });
  });

  app.view<ViewSubmitAction>('referral_submit', async ({ ack, body, view, client }) => {
    await ack();
    const meta = metaOf(view);
    const to: Audience = { user: body.user.id, channel: meta.channel };
    try {
      const staff = await actingStaff(deps, client, to, 'referral');
      if (!staff) return;
      if (!mayRefer(staff)) {
        await refuse(deps, client, to, REFUSED.refer, { action: 'referral', entityType: 'staff', entityId: staff.id, actor: staff.email });
        return;
      }
      const plie = await plieOf(staff);
      if (!plie) {
        await refuse(deps, client, to, `Votre PLIE (${staff.plieCode}) n’est pas servi par cette application Slack : orientation non enregistrée.`, { action: 'referral', entityType: 'staff', entityId: staff.id, actor: staff.email });
        return;
      }
      const created = await createParticipant(plie, meta.input, { actor: staff.email, channel: 'slack' });
      const automatic = (await deps.plieConfig(plie.plieCode)).assignment.autoReferentEmail !== null;
      const next = automatic
        ? 'Si l’éligibilité se confirme, le ou la référent·e est désigné·e d’office ; sinon, la coordination vérifie le dossier.'
        : 'La coordination est prévenue pour désigner le ou la référent·e.';
      await tell(client, to, `✅ Orientation enregistrée : dossier ${fileReference(created.participantId)}. ${next}`);
    } catch (error) {
      if (error instanceof InvalidInputError) await tell(client, to, `Orientation non enregistrée : ${error.problems.join(' ; ')}`);
      else if (error instanceof DuplicateParticipantError || error instanceof PathwayNotStartedError) await tell(client, to, error.message);
      else await failed(deps, client, to, error, 'referral');
    }
  });

  // --- App Home ---

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      // Not a refusal in DM each time the tab opens: the tab itself says what to do.
      const staff = await staffBySlackUser(db, client, event.user);
      const view: View = staff
        ? homeView(await loadHome(db, staff, { config: await deps.plieConfig(staff.plieCode) }))
        : { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: UNKNOWN_USER } }] };
      await client.views.publish({ user_id: event.user, view });
    } catch (error) {
      deps.logger.error({ err: (error as Error).message, slackUser: event.user }, 'accueil Slack non publié');
    }
  });
}

/** How the pre-check marks what is not simply met: a refusal, a check to make, a point for the coordination. */
const CONCERN_MARKS: Record<Reason['effect'], string> = { ok: '✅', blocking: '⛔', review: '🔎', notice: 'ℹ️' };
