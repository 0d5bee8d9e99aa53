/**
 * « Marchés » (the clause facilitation, the relation entreprises and the coordination): the marchés
 * with a social clause, one registered with the same rules as `plie marche register` (its monthly
 * follow-up starts at once), a marché's bilan with its downloads, people proposed and checked
 * against the clause's publics, hires, a month's hours entered for the company or validated (the
 * pages of the monthly emails, where the company's contact answers too), and its closing.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../../db/client.ts';
import { fromDbDate } from '../../db/dates.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { fileReference } from '../../domain/participant.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { CLAUSE_PUBLIC_LABELS, monthLabel, type ClausePublic } from '../../domain/procurement.ts';
import { z } from '../../domain/validation.ts';
import { readForm, type FormSpec, type RawValues } from '../../forms/fields.ts';
import { CANDIDATE_FORM, hireForm, PROCUREMENT_FORM } from '../../forms/procurement-console-forms.ts';
import { InvalidInputError } from '../../participants/create.ts';
import { bilanHtml, bilanLines, bilanXlsx, loadProcurementBilan } from '../../procurement/bilan.ts';
import { recordHire } from '../../procurement/hire.ts';
import { DuplicateProcurementError, proposeCandidate, registerProcurement } from '../../procurement/register.ts';
import { procurementInput } from '../../procurement/start.ts';
import { closeProcurement, procurementState, startProcurement } from '../../temporal/procurement-client.ts';
import { createProcurementPages } from '../procurement-pages.ts';
import { alert, html, join, paragraph, type Html } from '../pages/layout.ts';
import { consoleForm, csrfField, facts, link, sendPage, sessionAllowedTo, table, text } from './layout.ts';
import type { ConsoleSession } from './sessions.ts';
import { staffRosterOf } from '../../staff/roster.ts';
import { marcheManagers } from '../../domain/staff-roster.ts';

export interface ProcurementPageDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  plieConfig: (code: string) => Promise<PlieConfig>;
  coordinationOf: (plieCode: string) => Promise<string>;
}

const uuid = z.uuid();
const STATUS_LABELS: Record<string, string> = { EN_COURS: 'en cours', CLOS: 'clos' };
const CANDIDATE_LABELS: Record<string, string> = { PROPOSE: 'proposée', EMBAUCHE: 'embauchée', NON_RETENU: 'non retenue' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type FormName = 'candidat' | 'embauche';

const MONTH_STATUS: Record<string, string> = {
  requested: 'demandées à l’entreprise',
  declared: 'déclarées, à valider',
  validated: 'validées',
  none: 'personne sous contrat',
};

export function createProcurementPage(deps: ProcurementPageDeps): express.Router {
  const router = express.Router();
  const { db } = deps;
  const allowed = sessionAllowedTo('followMarches', 'Marchés à clause d’insertion');
  // The hours' pages of the emails' links, shown in the console under the person's own name.
  const hoursPages = createProcurementPages({ db, temporal: deps.temporal });

  /** The months the workflow has asked about, and what became of each; none when it cannot be asked. */
  async function monthsOf(procurementId: string) {
    try {
      const state = await procurementState(deps.temporal, procurementId);
      return Object.entries(state.months).filter(([, m]) => m.status !== 'waiting').sort(([a], [b]) => b.localeCompare(a));
    } catch {
      return [];
    }
  }

  async function procurementFor(session: ConsoleSession, id: string, res: express.Response) {
    const found = uuid.safeParse(id).success ? await db.procurement.findFirst({ where: { id, plieCode: session.plieCode }, include: { candidates: { orderBy: { proposedAt: 'asc' } } } }) : null;
    if (!found) sendPage(res, session, { status: 404, title: 'Marché introuvable', body: alert('warning', 'Aucun marché de ce numéro dans votre PLIE.') });
    return found;
  }

  /** Whom the marché's workflow lets enter or validate hours and close it: the PLIE's facilitators and coordinators, as its roster says. */
  async function managesHours(session: ConsoleSession): Promise<boolean> {
    const roster = await staffRosterOf(db, await deps.plieConfig(session.plieCode), await deps.coordinationOf(session.plieCode));
    return marcheManagers(roster).includes(session.email.toLowerCase());
  }

  const newPage = (res: express.Response, session: ConsoleSession, opts: { raw?: RawValues; errors?: Record<string, string>; status?: number; before?: Html } = {}) =>
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: 'Nouveau marché à clause d’insertion',
      body: join(opts.before ?? html(''), consoleForm(PROCUREMENT_FORM, '/marches', session.csrfToken, opts)),
    });

  router.get('/marches', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const all = await db.procurement.findMany({ where: { plieCode: session.plieCode }, orderBy: [{ status: 'asc' }, { start: 'desc' }], take: 200 });
    sendPage(res, session, {
      title: 'Marchés à clause d’insertion',
      wide: true,
      body: join(
        html('<p><a class="fr-btn" href="/marches/nouveau">Nouveau marché</a></p>'),
        table(
          'Les marchés du PLIE',
          ['Référence', 'Intitulé', 'Acheteur', 'Entreprise', 'Heures prévues', 'Période', 'État'],
          all.map((m) => [
            link(`/marches/${m.id}`, m.externalId),
            text(m.title),
            text(m.buyer),
            text(m.company),
            text(String(m.plannedHours)),
            text(`${formatFrenchDate(fromDbDate(m.start))} – ${m.end ? formatFrenchDate(fromDbDate(m.end)) : '…'}`),
            text(STATUS_LABELS[m.status] ?? m.status),
          ]),
        ),
      ),
    });
  });

  router.get('/marches/nouveau', (req, res) => {
    const session = allowed(req, res);
    if (session) newPage(res, session);
  });

  router.post('/marches', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(PROCUREMENT_FORM, raw);
    if (!result.ok) return newPage(res, session, { raw, errors: result.errors, status: 400 });
    try {
      const saved = await registerProcurement(db, session.plieCode, result.value, session.email, 'web');
      // Its workflow asks the company for the hours every month and prompts the facilitator.
      const config = await deps.plieConfig(session.plieCode);
      const coordination = await deps.coordinationOf(session.plieCode);
      await startProcurement(deps.temporal, deps.taskQueue, procurementInput(saved, config, coordination, { roster: await staffRosterOf(db, config, coordination) }));
      res.redirect(303, `/marches/${saved.id}?enregistre=1`);
    } catch (error) {
      if (error instanceof DuplicateProcurementError) return newPage(res, session, { raw, status: 409, before: alert('warning', error.message, 'Rien n’a été enregistré.') });
      if (error instanceof InvalidInputError) return newPage(res, session, { raw, status: 400, before: alert('error', 'Marché non enregistré', error.problems.join(' ; ')) });
      throw error;
    }
  });

  const hireChoices = (candidates: Array<{ personId: string; eligible: boolean; status: string }>) =>
    candidates.filter((c) => c.eligible && c.status === 'PROPOSE').map((c) => ({ value: c.personId, label: c.personId }));

  async function procurementPage(req: express.Request, res: express.Response, session: ConsoleSession, opts: { form?: FormName; raw?: RawValues; errors?: Record<string, string>; status?: number; before?: Html } = {}) {
    const m = await procurementFor(session, req.params.id as string, res);
    if (!m) return;
    const config = await deps.plieConfig(session.plieCode);
    const bilan = bilanLines((await loadProcurementBilan(db, config.clauses, m.id))!);
    // What was sent comes back in the form it was sent from only.
    const formAt = (form: FormSpec, name: FormName) => consoleForm(form, `/marches/${m.id}/${name}`, session.csrfToken, opts.form === name ? opts : {});
    const open = m.status !== 'CLOS';
    const manages = await managesHours(session);
    const choices = hireChoices(m.candidates);
    const notice =
      req.query.enregistre === '1' ? alert('success', 'Marché enregistré.', `Les heures seront demandées chaque mois à ${m.contactEmail ?? 'l’entreprise'}.`)
      : req.query.embauche === '1' ? alert('success', 'Embauche enregistrée.')
      : req.query.clos === '1' ? alert('success', 'Marché clos : le bilan est envoyé à la facilitation des clauses.')
      : req.query.heures === '1' ? alert('success', 'Les heures sont enregistrées.')
      : html('');
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: `Marché ${m.externalId}`,
      wide: true,
      body: join(
        notice,
        opts.before ?? html(''),
        facts(m.title, [
          ['Acheteur', m.buyer],
          ['Lot', m.lot],
          ['Entreprise attributaire', m.company],
          ['Contact dans l’entreprise', [m.contactName, m.contactEmail].filter(Boolean).join(' — ') || null],
          ['Période', `${formatFrenchDate(fromDbDate(m.start))} – ${m.end ? formatFrenchDate(fromDbDate(m.end)) : '…'}`],
          ['État', STATUS_LABELS[m.status] ?? m.status],
        ]),
        html('<h2 class="fr-h4 fr-mt-4w">Bilan</h2>'),
        ...bilan.paragraphs.map((p) => paragraph(p)),
        table('Contrats de la clause', bilan.table[0]!, bilan.table.slice(1).map((row) => row.map((cell) => text(cell)))),
        html(
          `<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm"><li><a class="fr-btn fr-btn--tertiary" href="/marches/${m.id}/bilan.xlsx" download>Bilan (XLSX)</a></li><li><a class="fr-btn fr-btn--tertiary" href="/marches/${m.id}/bilan.html" download>Bilan (HTML, pour l’acheteur)</a></li></ul>`,
        ),
        table(
          'Heures d’insertion, mois par mois',
          ['Mois', 'Heures', ''],
          (await monthsOf(m.id)).map(([month, state]) => [
            text(monthLabel(month)),
            text(MONTH_STATUS[state.status] ?? state.status),
            manages && (state.status === 'requested' || state.status === 'declared') ? link(`/marches/${m.id}/heures/${month}`, `${state.status === 'declared' ? 'Valider' : 'Saisir'} les heures de ${monthLabel(month)}`) : text(''),
          ]),
        ),
        table(
          'Personnes proposées',
          ['Personne', 'Dossier PLIE', 'Éligible', 'Publics ou motifs', 'Suite'],
          m.candidates.map((c) => [
            text(c.personId),
            text(c.participantId ? fileReference(c.participantId) : null),
            text(c.eligible ? 'oui' : 'non'),
            text(c.eligible ? c.publics.map((p) => CLAUSE_PUBLIC_LABELS[p as ClausePublic] ?? p).join(' ; ') : c.reasons.join(' ')),
            text(CANDIDATE_LABELS[c.status] ?? c.status),
          ]),
        ),
        ...(open
          ? [
              html('<h2 class="fr-h4 fr-mt-4w">Proposer une personne</h2>'),
              formAt(CANDIDATE_FORM, 'candidat'),
              html('<h2 class="fr-h4 fr-mt-4w">Enregistrer une embauche</h2>'),
              choices.length ? formAt(hireForm(choices), 'embauche') : paragraph('Aucune personne éligible proposée n’attend d’embauche.'),
              manages
                ? html(`<form method="post" action="/marches/${m.id}/clore" class="fr-mt-4w">${csrfField(session.csrfToken).html}<button class="fr-btn fr-btn--secondary" type="submit">Clore le marché</button></form>`)
                : paragraph('Les heures se valident et le marché se clôt par la facilitation des clauses désignée dans la configuration du PLIE, ou par la coordination.'),
            ]
          : []),
        html('<p class="fr-mt-4w"><a class="fr-link" href="/marches">Tous les marchés</a></p>'),
      ),
    });
  }

  router.get('/marches/:id', async (req, res) => {
    const session = allowed(req, res);
    if (session) await procurementPage(req, res, session);
  });

  router.get('/marches/:id/:file', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    if (!['bilan.xlsx', 'bilan.html'].includes(req.params.file)) return sendPage(res, session, { status: 404, title: 'Fichier inconnu', body: alert('warning', 'Ce fichier n’existe pas.') });
    const m = await procurementFor(session, req.params.id, res);
    if (!m) return;
    const document = (await loadProcurementBilan(db, (await deps.plieConfig(session.plieCode)).clauses, m.id))!;
    const name = `bilan-marche-${m.externalId.replace(/[^\w.-]/g, '_')}`;
    if (req.params.file === 'bilan.xlsx') return res.type(XLSX).attachment(`${name}.xlsx`).send(await bilanXlsx(document));
    res.type('html').attachment(`${name}.html`).send(bilanHtml(document));
  });

  // A month's hours: entered for the company (as `plie marche heures` does), or validated once declared.
  const hours = async (req: express.Request, res: express.Response, raw?: RawValues) => {
    const session = allowed(req, res);
    if (!session) return;
    const m = await procurementFor(session, req.params.id as string, res);
    if (!m) return;
    const month = req.params.mois as string;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return sendPage(res, session, { status: 404, title: 'Mois inconnu', body: alert('warning', 'Ce mois n’existe pas.') });
    const purpose = (await hoursPages.monthStatus(m.id, month)) === 'declared' ? 'hours-review' : 'hours-declaration';
    const claims = { purpose, subject: `${m.id}/${month}`, actor: session.email, expiresAt: Number.MAX_SAFE_INTEGER };
    const opts = { channel: 'web' as const, hidden: csrfField(session.csrfToken) };
    const shown = raw ? await hoursPages.submit(claims, req.originalUrl, raw, opts) : await hoursPages.show(claims, req.originalUrl, opts);
    if (shown.done) return res.redirect(303, `/marches/${m.id}?heures=1`);
    sendPage(res, session, { status: shown.status, title: shown.title, body: join(shown.body, html(`<p><a href="/marches/${m.id}">Revenir au marché</a></p>`)) });
  };
  router.get('/marches/:id/heures/:mois', (req, res) => hours(req, res));
  router.post('/marches/:id/heures/:mois', (req, res) => hours(req, res, (req.body ?? {}) as RawValues));

  router.post('/marches/:id/candidat', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const m = await procurementFor(session, req.params.id, res);
    if (!m) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(CANDIDATE_FORM, raw);
    if (!result.ok) return await procurementPage(req, res, session, { form: 'candidat', raw, errors: result.errors, status: 400 });
    try {
      const check = await proposeCandidate(db, (await deps.plieConfig(session.plieCode)).clauses, m.id, result.value, session.email, new Date(), 'web');
      const said = check.eligible
        ? alert('success', 'Personne proposée : éligible à la clause.', check.publics.map((p) => CLAUSE_PUBLIC_LABELS[p]).join(' ; '))
        : alert('warning', 'Personne proposée, mais non éligible à la clause.', check.reasons.join(' '));
      await procurementPage(req, res, session, { before: said });
    } catch (error) {
      if (error instanceof InvalidInputError) return await procurementPage(req, res, session, { form: 'candidat', raw, status: 400, before: alert('error', 'Proposition non enregistrée', error.problems.join(' ; ')) });
      throw error;
    }
  });

  router.post('/marches/:id/embauche', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const m = await procurementFor(session, req.params.id, res);
    if (!m) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(hireForm(hireChoices(m.candidates)), raw);
    if (!result.ok) return await procurementPage(req, res, session, { form: 'embauche', raw, errors: result.errors, status: 400 });
    try {
      await recordHire({ db, temporal: deps.temporal }, m.id, result.value, session.email, 'web');
      res.redirect(303, `/marches/${m.id}?embauche=1`);
    } catch (error) {
      if (error instanceof InvalidInputError) return await procurementPage(req, res, session, { form: 'embauche', raw, status: 400, before: alert('error', 'Embauche non enregistrée', error.problems.join(' ; ')) });
      throw error;
    }
  });

  router.post('/marches/:id/clore', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const m = await procurementFor(session, req.params.id, res);
    if (!m) return;
    await closeProcurement(deps.temporal, m.id, { actor: session.email, channel: 'web' });
    res.redirect(303, `/marches/${m.id}?clos=1`);
  });

  return router;
}
