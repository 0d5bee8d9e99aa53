/**
 * « Parcours »: a referent's caseload, or all the PLIE's pathways for the coordination, filtered by
 * stage, referent, overdue task and commune; fifty a page, the most recently changed first.
 */
import express from 'express';
import type { Db } from '../../db/client.ts';
import { fromDbDate, toDbDate } from '../../db/dates.ts';
import { formatFrenchDate, parisDate } from '../../domain/dates.ts';
import { fileReference } from '../../domain/participant.ts';
import { isCoordinator, mayDo, REFUSED } from '../../domain/permissions.ts';
import { CLOSED_STAGES, STAGE_LABELS, STAGES, type Stage } from '../../domain/tasks.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { escapeHtml } from '../../html.ts';
import { referentOptions } from '../../staff/directory.ts';
import { alert, html, join } from '../pages/layout.ts';
import { dueDate, link, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';

const PAGE_SIZE = 50;
/** The filter « en cours »: every stage but the closed ones. */
const OPEN = 'en-cours';

const query = (q: unknown) => (typeof q === 'string' ? q.trim() : '');

export function createCaseloadPage(deps: { db: Db; now: () => number }): express.Router {
  const router = express.Router();
  const { db } = deps;

  router.get('/parcours', async (req, res) => {
    const session = sessionOf(req)!;
    if (!mayDo(session, 'lookUpFiles')) return sendPage(res, session, { status: 403, title: 'Parcours', body: alert('warning', REFUSED.lookUpFiles) });
    const coordination = isCoordinator(session);
    const stage = query(req.query.etape) || OPEN;
    const referent = coordination ? query(req.query.referent) : '';
    const commune = query(req.query.commune);
    const overdue = req.query.retard === '1';
    const pageNumber = Math.max(1, Number.parseInt(query(req.query.page), 10) || 1);
    const today = toDbDate(parisDate(deps.now()));
    const where: Prisma.PathwayWhereInput = {
      participant: { plieCode: session.plieCode, ...(commune ? { commune: { equals: commune, mode: 'insensitive' } } : {}) },
      ...(stage === OPEN ? { stage: { notIn: [...CLOSED_STAGES] } } : STAGES.includes(stage as Stage) ? { stage } : {}),
      // A referent sees their own caseload only; the coordination, anyone's.
      ...(coordination ? (referent ? { referentEmail: { equals: referent, mode: 'insensitive' } } : {}) : { referentEmail: { equals: session.email, mode: 'insensitive' } }),
      ...(overdue ? { tasks: { some: { status: 'open', dueDate: { lt: today }, assigneeRole: { not: 'participant' } } } } : {}),
    };
    const [total, pathways] = await Promise.all([
      db.pathway.count({ where }),
      db.pathway.findMany({
        where,
        include: { participant: true, tasks: { where: { status: 'open' }, orderBy: { dueDate: 'asc' }, take: 1 } },
        orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
        skip: (pageNumber - 1) * PAGE_SIZE,
        take: PAGE_SIZE,
      }),
    ]);
    const referents = coordination ? await referentOptions(db, session.plieCode) : [];
    const rows = pathways.map((p) => {
      const next = p.tasks[0];
      return [
        link(`/participants/${p.participantId}`, `${fileReference(p.participantId)} — ${p.participant.firstName} ${p.participant.lastName}`),
        text(STAGE_LABELS[p.stage as Stage] ?? p.stage),
        ...(coordination ? [text(p.referentEmail ?? 'à désigner')] : []),
        text(p.participant.commune),
        text(p.entryDate ? formatFrenchDate(fromDbDate(p.entryDate)) : null),
        next ? dueDate(next.dueDate, today) : text(null),
      ];
    });
    const option = (value: string, label: string, chosen: string) => `<option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    const filters = html(`<form method="get" action="/parcours" class="fr-mb-4w"><div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-col-12 fr-col-md-3"><div class="fr-select-group"><label class="fr-label" for="filtre-etape">Étape</label><select class="fr-select" id="filtre-etape" name="etape">${option(OPEN, 'En cours', stage)}${option('toutes', 'Toutes', stage)}${STAGES.map((s) => option(s, STAGE_LABELS[s], stage)).join('')}</select></div></div>
${coordination ? `<div class="fr-col-12 fr-col-md-3"><div class="fr-select-group"><label class="fr-label" for="filtre-referent">Référent·e</label><select class="fr-select" id="filtre-referent" name="referent">${option('', 'Toutes et tous', referent)}${referents.map((r) => option(r.value, r.label, referent)).join('')}</select></div></div>` : ''}
<div class="fr-col-12 fr-col-md-3"><div class="fr-input-group"><label class="fr-label" for="filtre-commune">Commune</label><input class="fr-input" type="text" id="filtre-commune" name="commune" value="${escapeHtml(commune)}"></div></div>
<div class="fr-col-12 fr-col-md-3"><div class="fr-checkbox-group fr-mt-4w"><input type="checkbox" id="filtre-retard" name="retard" value="1"${overdue ? ' checked' : ''}><label class="fr-label" for="filtre-retard">Avec une tâche en retard</label></div></div>
</div><button class="fr-btn fr-btn--secondary" type="submit">Filtrer</button></form>`);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const params = (n: number) => {
      const p = new URLSearchParams({ etape: stage, ...(referent ? { referent } : {}), ...(commune ? { commune } : {}), ...(overdue ? { retard: '1' } : {}), page: String(n) });
      return `/parcours?${p.toString()}`;
    };
    const pager = pages > 1
      ? html(`<nav role="navigation" class="fr-pagination" aria-label="Pagination"><ul class="fr-pagination__list">${pageNumber > 1 ? `<li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href="${escapeHtml(params(pageNumber - 1))}">Page précédente</a></li>` : ''}<li><a class="fr-pagination__link" aria-current="page" title="Page ${pageNumber}">${pageNumber} / ${pages}</a></li>${pageNumber < pages ? `<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="${escapeHtml(params(pageNumber + 1))}">Page suivante</a></li>` : ''}</ul></nav>`)
      : html('');
    sendPage(res, session, {
      title: coordination ? 'Parcours du PLIE' : 'Mes parcours',
      wide: true,
      body: join(
        filters,
        html(`<p>${total} parcours${total > PAGE_SIZE ? `, page ${pageNumber} sur ${pages}` : ''}.</p>`),
        table('Parcours', ['Dossier', 'Étape', ...(coordination ? ['Référent·e'] : []), 'Commune', 'Entrée', 'Prochaine échéance'], rows),
        pager,
      ),
    });
  });

  return router;
}
