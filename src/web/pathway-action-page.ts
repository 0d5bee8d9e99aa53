/**
 * The page behind a referent's email link to record a fact on a pathway (a contract, a training, a
 * qualification, a business, a pause of the reminders…): the forms of Slack's action menu, for
 * staff without Slack. The workflow decides, as from any channel; the link is used up once a fact
 * went through.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { isCoordinator, mayActOnPathway } from '../domain/permissions.ts';
import { ACTION_FORMS, ACTION_LABELS, COORDINATION_ACTIONS, actionForm, isActionFormName, type ActionFormName } from '../forms/action-forms.ts';
import { readForm, type RawValues } from '../forms/fields.ts';
import { escapeHtml } from '../html.ts';
import type { LinkClaims } from '../links/signed-links.ts';
import { recordPathwayAction } from '../participants/pathway-action.ts';
import { currentPathwayId } from '../participants/reenter.ts';
import { referentOptions, staffByEmail } from '../staff/directory.ts';
import { formHtml } from './pages/form-html.ts';
import { alert, html, join, paragraph, type Html } from './pages/layout.ts';
import type { Channel } from '../domain/pathway/state.ts';
import type { PageResult } from './procurement-pages.ts';

/** The query parameter naming the fact chosen on the page. */
const CHOICE = 'fait';

export function createPathwayActionPage(deps: { db: Db; temporal: Client }) {
  const { db } = deps;
  /** From an email's link (the default) or from the console, whose forms carry their anti-forgery field in `hidden`. */
  return async (claims: LinkClaims, action: string, raw?: RawValues, from: { channel: Channel; hidden?: Html } = { channel: 'email' }): Promise<PageResult> => {
    const participant = await db.participant.findUnique({ where: { id: claims.subject } });
    const workflowId = participant ? await currentPathwayId(db, participant.id) : null;
    const pathway = workflowId ? await db.pathway.findUnique({ where: { id: workflowId } }) : null;
    if (!participant || !pathway || pathway.stage === 'exited') {
      return { status: 410, title: 'Parcours terminé', body: alert('info', 'Ce parcours est terminé : il n’y a plus rien à y noter. Merci !') };
    }
    // Checked again at each use: the dossier may have been entrusted to someone else since the email.
    const actor = claims.actor ?? '';
    const staff = await staffByEmail(db, participant.plieCode, actor);
    const who = { email: actor, roles: staff?.roles ?? [] };
    if (!mayActOnPathway(who, pathway.referentEmail)) {
      return { status: 403, title: 'Dossier non confié', body: alert('warning', 'Ce dossier ne vous est plus confié : seule sa ou son référent·e ou la coordination peut y noter un fait.') };
    }
    const allowed = (Object.keys(ACTION_FORMS) as ActionFormName[]).filter((name) => !COORDINATION_ACTIONS.includes(name) || isCoordinator(who));
    const before = join(from.hidden ?? html(''), paragraph(`Dossier ${fileReference(participant.id)} (${initials(participant.firstName, participant.lastName)}).`));
    const url = new URL(action, 'http://lien.invalid');
    const chosen = url.searchParams.get(CHOICE) ?? '';
    if (!isActionFormName(chosen) || !allowed.includes(chosen)) {
      const choices = allowed.map((name) => `<li><a href="${escapeHtml(`${url.pathname}?${CHOICE}=${name}`)}">${escapeHtml(ACTION_LABELS[name])}</a></li>`).join('');
      return { status: 200, title: 'Noter un fait sur le parcours', body: join(paragraph(`Dossier ${fileReference(participant.id)} (${initials(participant.firstName, participant.lastName)}).`), paragraph('Que voulez-vous noter ?'), html(`<ul>${choices}</ul>`)) };
    }
    const form = actionForm(chosen, { referents: await referentOptions(db, participant.plieCode) });
    if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before }) };
    const result = readForm(form, raw);
    if (!result.ok) return { status: 400, title: form.title, body: formHtml(form, { action, values: raw, errors: result.errors, before }) };
    await recordPathwayAction(deps, participant.id, { action: result.value, actor, channel: from.channel }, pathway.id);
    return { status: 200, title: 'Enregistré', body: alert('success', `${ACTION_LABELS[chosen]} : c’est enregistré.`, `Dossier ${fileReference(participant.id)}.`), done: true };
  };
}
