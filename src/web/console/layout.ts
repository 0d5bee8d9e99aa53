/** The console's pages: the DSFR layout with who is signed in, sign-out and the main navigation. */
import type { Request, Response } from 'express';
import { fromDbDate } from '../../db/dates.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { isCoordinator, mayDo, REFUSED, seesCommissionCases, type StaffAction } from '../../domain/permissions.ts';
import { escapeHtml } from '../../html.ts';
import type { FormSpec, RawValues } from '../../forms/fields.ts';
import { formHtml } from '../pages/form-html.ts';
import { alert, html, page, type Html } from '../pages/layout.ts';
import { sessionOf } from './request-state.ts';
import type { ConsoleSession } from './sessions.ts';

const FOOTER = 'Espace des équipes du PLIE. Les informations des dossiers sont confidentielles : chaque consultation est enregistrée.';

/** The hidden anti-forgery field every form of the console carries. */
export const csrfField = (token: string): Html => html(`<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`);

/** What a form shows again when it comes back: the values sent, and what is wrong with them. */
export interface FormShown {
  raw?: RawValues | undefined;
  errors?: Record<string, string> | undefined;
}

/** A form of the console posted to `action`, with its anti-forgery field, and what was sent if it comes back. */
export function consoleForm(form: FormSpec, action: string, csrfToken: string, shown: FormShown = {}): Html {
  return formHtml(form, { action, before: csrfField(csrfToken), ...(shown.raw ? { values: shown.raw } : {}), ...(shown.errors ? { errors: shown.errors } : {}) });
}

/** The entries of the main navigation a person's roles open. */
function navigationOf(session: ConsoleSession): Array<{ href: string; label: string }> {
  return [
    { href: '/taches', label: 'Mes tâches' },
    ...(mayDo(session, 'lookUpFiles') ? [{ href: '/parcours', label: 'Parcours' }] : []),
    ...(mayDo(session, 'readBilan', session.plie) ? [{ href: '/bilan', label: 'Bilan' }] : []),
    ...(seesCommissionCases(session) ? [{ href: '/commission', label: 'Commission' }] : []),
    ...(isCoordinator(session) ? [{ href: '/messages', label: 'Messages' }] : []),
    ...(mayDo(session, 'refer') ? [{ href: '/orienter', label: 'Orienter' }] : []),
    ...(mayDo(session, 'followMarches') ? [{ href: '/marches', label: 'Marchés' }] : []),
    ...(mayDo(session, 'publishOffers') ? [{ href: '/offres', label: 'Offres' }] : []),
    ...(mayDo(session, 'runCollectiveActions') ? [{ href: '/actions-collectives', label: 'Actions collectives' }] : []),
  ];
}

function navigation(session: ConsoleSession, current: string): Html {
  const items = navigationOf(session)
    .map((n) => `<li class="fr-nav__item"><a class="fr-nav__link" href="${n.href}"${current.startsWith(n.href) ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a></li>`)
    .join('');
  return html(`<div class="fr-container"><nav class="fr-nav" aria-label="Menu principal"><ul class="fr-nav__list">${items}</ul></nav></div>`);
}

function tools(session: ConsoleSession): Html {
  return html(
    `<div class="fr-header__tools-links"><ul class="fr-btns-group"><li><p class="fr-btn">${escapeHtml(session.name)}</p></li><li><form method="post" action="/deconnexion">${csrfField(session.csrfToken).html}<button class="fr-btn" type="submit">Se déconnecter</button></form></li></ul></div>`,
  );
}

export interface ConsolePage {
  status?: number;
  title: string;
  body: Html;
  wide?: boolean;
}

/** Sends a page of the console; with a session, its header says who is signed in. */
export function sendPage(res: Response, session: ConsoleSession | null, p: ConsolePage): void {
  const current = res.req.path;
  res
    .status(p.status ?? 200)
    .type('html')
    .send(page({ title: p.title, body: p.body, footer: FOOTER, ...(p.wide ? { wide: true } : {}), ...(session ? { tools: tools(session), navigation: navigation(session, current) } : {}) }));
}

/** For pages of one right: the session if its person holds it; otherwise the refusal is sent (403) and null returned. */
export function sessionAllowedTo(action: StaffAction, title: string) {
  return (req: Request, res: Response): ConsoleSession | null => {
    const session = sessionOf(req)!;
    if (mayDo(session, action, session.plie)) return session;
    sendPage(res, session, { status: 403, title, body: alert('warning', REFUSED[action]) });
    return null;
  };
}

/** A titled list of terms and their values (an absent value shows as a dash). */
export function facts(caption: string, entries: Array<[string, string | null | undefined]>): Html {
  const items = entries.map(([term, value]) => `<dt class="fr-text--bold fr-mb-0">${escapeHtml(term)}</dt><dd class="fr-ml-0 fr-mb-1w">${escapeHtml(value ?? '—')}</dd>`).join('');
  return html(`<h2 class="fr-h4 fr-mt-4w">${escapeHtml(caption)}</h2><dl>${items}</dl>`);
}

/** A table with a caption, headers and rows of already escaped cells. */
export function table(caption: string, headers: string[], rows: Html[][]): Html {
  if (rows.length === 0) return html(`<p>${escapeHtml(caption)} : aucun élément.</p>`);
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c.html}</td>`).join('')}</tr>`).join('');
  return html(`<div class="fr-table"><table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`);
}

export const text = (s: string | null | undefined): Html => html(escapeHtml(s ?? '—'));

/** A due date, flagged « En retard » once past (`today` as stored: a Paris day at midnight UTC). */
export const dueDate = (due: Date, today: Date): Html =>
  html(`${due < today ? '<p class="fr-badge fr-badge--error fr-badge--sm">En retard</p> ' : ''}${formatFrenchDate(fromDbDate(due))}`);

/** A moment as Paris clocks showed it, short: « 01/12/2026 10:54 ». */
export const parisDateTime = (d: Date | null | undefined): string | null =>
  d ? d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }) : null;
export const link = (href: string, label: string): Html => html(`<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`);
