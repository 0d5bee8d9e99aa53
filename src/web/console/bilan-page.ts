/**
 * « Bilan »: the PLIE's evaluation for a period (by default the current protocol to date), with its
 * charts, and its downloads: the bilan as XLSX or CSV, the FSE+ entry indicators as CSV or XLSX.
 * For whoever may read the bilan (the coordination); every reading and download is recorded.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/client.ts';
import { formatFrenchDate, parseCalendarDate, parisDate, type CalendarDate } from '../../domain/dates.ts';
import { mayDo, REFUSED } from '../../domain/permissions.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { defaultReportPeriod } from '../../domain/report-period.ts';
import { escapeHtml } from '../../html.ts';
import { fseRows, renderFseCsv, renderFseXlsx } from '../../report/fse-export.ts';
import { queryReport } from '../../report/report-queries.ts';
import { renderCsv, renderXlsx, reportSectionsHtml } from '../../report/render.ts';
import { alert, html, join } from '../pages/layout.ts';
import { sendPage } from './layout.ts';
import { sessionOf } from './request-state.ts';
import type { ConsoleSession } from './sessions.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The period asked (du, au), the default one when nothing is asked, or what is wrong with it. */
function periodOf(query: express.Request['query'], config: PlieConfig, today: CalendarDate): { from: CalendarDate; to: CalendarDate } | { problem: string; from: string; to: string } {
  const du = typeof query.du === 'string' ? query.du.trim() : '';
  const au = typeof query.au === 'string' ? query.au.trim() : '';
  if (!du && !au) return defaultReportPeriod(config, today);
  const from = parseCalendarDate(du);
  const to = parseCalendarDate(au);
  if (!from || !to) return { problem: 'Indiquez les deux dates de la période (JJ/MM/AAAA).', from: du, to: au };
  if (from > to) return { problem: 'Le début de la période doit précéder sa fin.', from: du, to: au };
  return { from, to };
}

export function createBilanPage(deps: { db: Db; plieConfig: (code: string) => Promise<PlieConfig>; now: () => number }): express.Router {
  const router = express.Router();
  const { db } = deps;

  const refused = (res: express.Response, session: ConsoleSession) => sendPage(res, session, { status: 403, title: 'Bilan', body: alert('warning', REFUSED.readBilan) });
  const recorded = (session: ConsoleSession, action: string, period: { from: string; to: string }) =>
    audit(db, { idempotencyKey: `web/${randomUUID()}`, actor: session.email, channel: 'web', action, entityType: 'plie', entityId: session.plieCode, details: period });

  router.get('/bilan', async (req, res) => {
    const session = sessionOf(req)!;
    if (!mayDo(session, 'readBilan', session.plie)) return refused(res, session);
    const config = await deps.plieConfig(session.plieCode);
    const period = periodOf(req.query, config, parisDate(deps.now()));
    const error = 'problem' in period ? period.problem : undefined;
    const field = (id: string, name: string, label: string, value: string) =>
      `<div class="fr-col-12 fr-col-md-4"><div class="fr-input-group${error ? ' fr-input-group--error' : ''}"><label class="fr-label" for="${id}">${label}</label><input class="fr-input" type="date" id="${id}" name="${name}" value="${escapeHtml(value)}"${error ? ' aria-describedby="periode-erreur"' : ''}></div></div>`;
    const form = html(
      `<form method="get" action="/bilan" class="fr-mb-4w"><div class="fr-grid-row fr-grid-row--gutters">${field('periode-du', 'du', 'Du', period.from)}${field('periode-au', 'au', 'Au', period.to)}<div class="fr-col-12 fr-col-md-4 fr-mt-md-4w"><button class="fr-btn fr-btn--secondary" type="submit">Calculer</button></div></div>${error ? `<p id="periode-erreur" class="fr-error-text">${escapeHtml(error)}</p>` : ''}</form>`,
    );
    if (error) return sendPage(res, session, { status: 400, title: 'Bilan du PLIE', wide: true, body: join(alert('error', 'Période invalide', error), form) });
    const report = await queryReport(db, session.plieCode, config, period);
    await recorded(session, 'report.read', period);
    const query = new URLSearchParams({ du: period.from, au: period.to }).toString();
    const downloads = html(
      `<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">${[
        ['bilan.xlsx', 'Bilan (XLSX)'],
        ['bilan.csv', 'Bilan (CSV)'],
        ['fse.csv', 'Indicateurs FSE+ (CSV)'],
        ['fse.xlsx', 'Indicateurs FSE+ (XLSX)'],
      ]
        .map(([file, label]) => `<li><a class="fr-btn fr-btn--tertiary" href="/bilan/${file}?${query}" download>${escapeHtml(label!)}</a></li>`)
        .join('')}</ul>`,
    );
    sendPage(res, session, {
      title: 'Bilan du PLIE',
      wide: true,
      body: join(form, html(`<p class="fr-text--lead">Du ${formatFrenchDate(period.from)} au ${formatFrenchDate(period.to)}.</p>`), downloads, html(reportSectionsHtml(report))),
    });
  });

  router.get('/bilan/:file', async (req, res) => {
    const session = sessionOf(req)!;
    if (!mayDo(session, 'readBilan', session.plie)) return refused(res, session);
    const file = req.params.file;
    if (!['bilan.xlsx', 'bilan.csv', 'fse.csv', 'fse.xlsx'].includes(file)) return sendPage(res, session, { status: 404, title: 'Fichier inconnu', body: alert('warning', 'Ce fichier n’existe pas.') });
    const config = await deps.plieConfig(session.plieCode);
    const period = periodOf(req.query, config, parisDate(deps.now()));
    if ('problem' in period) return sendPage(res, session, { status: 400, title: 'Bilan du PLIE', body: alert('error', 'Période invalide', period.problem) });
    const name = `${file.replace('.', `-${session.plieCode}-${period.from}-${period.to}.`)}`;
    if (file.startsWith('fse')) {
      const rows = await fseRows(db, session.plieCode, period);
      await recorded(session, 'report.fse_export', period);
      const content = file.endsWith('.csv') ? renderFseCsv(rows) : await renderFseXlsx(rows);
      return res.type(file.endsWith('.csv') ? 'text/csv; charset=utf-8' : XLSX).attachment(name).send(content);
    }
    const report = await queryReport(db, session.plieCode, config, period);
    await recorded(session, 'report.download', period);
    const content = file.endsWith('.csv') ? renderCsv(report) : await renderXlsx(report);
    res.type(file.endsWith('.csv') ? 'text/csv; charset=utf-8' : XLSX).attachment(name).send(content);
  });

  return router;
}
