/** The page behind a referent's email link on a « mise en relation » (the same form as in Slack). */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { PLACEMENT_DECISION_LABELS } from '../domain/placements.ts';
import { readForm, type RawValues } from '../forms/fields.ts';
import { placementForm, type PlacementAnswer } from '../forms/placement-form.ts';
import type { LinkClaims } from '../links/signed-links.ts';
import { placementFacts, placementHeadline } from '../offers/placement-facts.ts';
import { decidePlacement, offerState } from '../offers/placements.ts';
import { formHtml } from './pages/form-html.ts';
import { alert, paragraph } from './pages/layout.ts';
import type { PageResult } from './procurement-pages.ts';

export function createPlacementPage(deps: { db: Db; temporal: Client }) {
  return async (claims: LinkClaims, action: string, raw?: RawValues): Promise<PageResult> => {
    const facts = await placementFacts(deps.db, claims.subject);
    if (!facts) return { status: 404, title: 'Mise en relation introuvable', body: alert('warning', 'Cette mise en relation n’existe plus.') };
    if ((await offerState(deps.temporal, facts.offerId)).closed) return { status: 410, title: 'Offre close', body: alert('info', 'Cette offre est close : il n’y a plus rien à décider. Merci !') };
    const form = placementForm(facts.status);
    if (form.fields[0]!.options!.length === 0) return { status: 410, title: 'Déjà traité', body: alert('info', 'C’est déjà fait : cette mise en relation a sa suite. Merci !') };
    const before = paragraph(placementHeadline(facts));
    if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before }) };
    const result = readForm(form, raw);
    if (!result.ok) return { status: 400, title: form.title, body: formHtml(form, { action, values: raw, errors: result.errors, before }) };
    const answer = result.value as PlacementAnswer;
    await decidePlacement(deps, facts.placementId, answer, claims.actor ?? '', 'email');
    return { status: 200, title: 'Enregistré', body: alert('success', `${PLACEMENT_DECISION_LABELS[answer.decision]} : c’est enregistré.`), done: true };
  };
}
