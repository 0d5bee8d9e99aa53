/**
 * The procurement (marché) pages behind the email links: the company's contact declares the month's hours; the
 * facilitator without Slack validates them, asks for a correction, or chases the company. What a
 * page offers follows the marché's workflow (a month already validated shows that it is done).
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { monthLabel } from '../domain/procurement.ts';
import { readForm, type RawValues } from '../forms/fields.ts';
import { chaseForm, hoursDeclarationForm, hoursReviewForm } from '../forms/procurement-forms.ts';
import type { LinkClaims } from '../links/signed-links.ts';
import { declaredLines } from '../email/procurement-templates.ts';
import { declaredHours, personsOfMonth } from '../procurement/hours.ts';
import { chaseCompany, declareHours, procurementState, reviewHours } from '../temporal/procurement-client.ts';
import { formHtml } from './pages/form-html.ts';
import { alert, html, join, paragraph, type Html } from './pages/layout.ts';
import { escapeHtml } from '../html.ts';

export interface PageResult {
  status: number;
  title: string;
  body: Html;
  /** The link did its work: it is used up. */
  done?: boolean;
}

/** Where the page is shown: the emails' links (by default) or the staff's console (its channel and anti-forgery field). */
export interface PageOptions {
  channel: 'email' | 'web';
  hidden: Html;
}
const FROM_EMAIL: PageOptions = { channel: 'email', hidden: html('') };

const DONE: PageResult = { status: 410, title: 'Déjà traité', body: alert('info', 'C’est déjà fait : ces heures ont été traitées. Merci !') };

export function createProcurementPages(deps: { db: Db; temporal: Client }) {
  /** The marché and month a link is about, with the month's state in the workflow. */
  async function subjectOf(claims: LinkClaims) {
    const [procurementId, month] = claims.subject.split('/');
    const procurement = procurementId ? await deps.db.procurement.findUnique({ where: { id: procurementId } }) : null;
    if (!procurement || !month) return null;
    const state = await procurementState(deps.temporal, procurement.id);
    return { procurement, month, status: state.closed ? 'closed' : (state.months[month]?.status ?? 'unknown') };
  }
  const heading = (m: { externalId: string; title: string; company: string | null }, month: string, opts: PageOptions) =>
    join(opts.hidden, paragraph(`Marché ${m.externalId} — ${m.title}${m.company ? ` (${m.company})` : ''}, ${monthLabel(month)}.`));
  const notFound: PageResult = { status: 404, title: 'Marché introuvable', body: alert('warning', 'Ce marché n’existe plus.') };

  async function declaration(claims: LinkClaims, action: string, raw?: RawValues, opts = FROM_EMAIL): Promise<PageResult> {
    const s = await subjectOf(claims);
    if (!s) return notFound;
    if (s.status === 'validated' || s.status === 'closed') return DONE;
    const form = hoursDeclarationForm(s.month, await personsOfMonth(deps.db, s.procurement.id, s.month));
    if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before: heading(s.procurement, s.month, opts) }) };
    const result = readForm(form, raw);
    if (!result.ok) return { status: 400, title: form.title, body: formHtml(form, { action, values: raw, errors: result.errors, before: heading(s.procurement, s.month, opts) }) };
    const value = result.value as { month: string; hours: Record<string, number> };
    await declareHours(deps.temporal, s.procurement.id, { month: s.month, hours: value.hours, actor: claims.actor ?? '', channel: opts.channel });
    return { status: 200, title: 'Merci !', body: alert('success', 'Vos heures sont bien enregistrées.', 'La facilitation des clauses du PLIE les valide ; elle vous recontactera en cas de question.'), done: true };
  }

  async function review(claims: LinkClaims, action: string, raw?: RawValues, opts = FROM_EMAIL): Promise<PageResult> {
    const s = await subjectOf(claims);
    if (!s) return notFound;
    const by = { month: s.month, actor: claims.actor ?? '', channel: opts.channel };
    if (s.status === 'declared') {
      const form = hoursReviewForm(s.month);
      const declared = await declaredHours(deps.db, s.procurement.id, s.month);
      const before = join(heading(s.procurement, s.month, opts), html(`<ul>${declaredLines(declared).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`));
      if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before }) };
      const result = readForm(form, raw);
      if (!result.ok) return { status: 400, title: form.title, body: formHtml(form, { action, values: raw, errors: result.errors, before }) };
      const decision = result.value as { decision: 'validate' | 'correct'; comment?: string };
      await reviewHours(deps.temporal, s.procurement.id, { ...by, decision: decision.decision, ...(decision.comment ? { comment: decision.comment } : {}) });
      return { status: 200, title: 'Enregistré', body: alert('success', decision.decision === 'validate' ? 'Les heures sont validées.' : 'La correction est demandée à l’entreprise.'), done: true };
    }
    if (s.status === 'requested') {
      const form = chaseForm(s.month);
      const before = join(heading(s.procurement, s.month, opts), paragraph('L’entreprise n’a pas encore déclaré ces heures.'));
      if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before }) };
      await chaseCompany(deps.temporal, s.procurement.id, by);
      return { status: 200, title: 'Relance envoyée', body: alert('success', 'L’entreprise est relancée par email.'), done: true };
    }
    return DONE;
  }

  return {
    show: (claims: LinkClaims, action: string, opts?: PageOptions) => (claims.purpose === 'hours-declaration' ? declaration(claims, action, undefined, opts) : review(claims, action, undefined, opts)),
    submit: (claims: LinkClaims, action: string, raw: RawValues, opts?: PageOptions) => (claims.purpose === 'hours-declaration' ? declaration(claims, action, raw, opts) : review(claims, action, raw, opts)),
    /** The month's state in the marché's workflow ('closed' once the marché is). */
    monthStatus: async (procurementId: string, month: string) => {
      const state = await procurementState(deps.temporal, procurementId);
      return state.closed ? 'closed' : (state.months[month]?.status ?? 'unknown');
    },
  };
}
