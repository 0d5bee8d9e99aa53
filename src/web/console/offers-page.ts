/**
 * « Offres » (relation entreprises and the coordination): the PLIE's job offers, a new offer
 * registered with the same rules as `plie offre register` (its follow-up starts at once), an
 * offer's « mises en relation » and the people whose wishes it answers (pseudonymised), and its
 * closing by the coordination.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../../db/client.ts';
import { fromDbDate } from '../../db/dates.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { fileReference, initials } from '../../domain/participant.ts';
import { isCoordinator } from '../../domain/permissions.ts';
import { PLACEMENT_STATUS_LABELS, type PlacementStatus } from '../../domain/placements.ts';
import { z } from '../../domain/validation.ts';
import { readForm, type RawValues } from '../../forms/fields.ts';
import { CONTRACT_TYPE_OPTIONS, labelOf } from '../../forms/labels.ts';
import { OFFER_FORM } from '../../forms/offer-form.ts';
import { offerMatches, registerOffer } from '../../offers/offers.ts';
import { closeOffer, offerInput, startOffer } from '../../offers/placements.ts';
import { InvalidInputError } from '../../participants/create.ts';
import { alert, html, join, type Html } from '../pages/layout.ts';
import { consoleForm, csrfField, sessionAllowedTo, facts, link, sendPage, table, text } from './layout.ts';
import type { ConsoleSession } from './sessions.ts';
import { staffRosterOf } from '../../staff/roster.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';

export interface OffersPageDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** The coordination's address of a PLIE: it answers the offers' questions nobody else can. */
  coordinationOf: (plieCode: string) => Promise<string>;
  /** The PLIE's configuration: with its staff, who may close an offer (given to its workflow at the start). */
  plieConfig: (plieCode: string) => Promise<PlieConfig>;
}

const STATUS_LABELS: Record<string, string> = { OUVERTE: 'ouverte', POURVUE: 'pourvue', CLOSE: 'close' };
const uuid = z.uuid();

/** A page lists this many matches at most; the workflow asks the referents of all of them. */
const MATCHES_SHOWN = 100;

export function createOffersPage(deps: OffersPageDeps): express.Router {
  const router = express.Router();
  const { db } = deps;

  const allowed = sessionAllowedTo('publishOffers', 'Offres d’emploi');

  /** The offer, if it is one of this person's PLIE; otherwise the same « introuvable » as a missing one. */
  async function offerFor(session: ConsoleSession, id: string, res: express.Response) {
    const offer = uuid.safeParse(id).success ? await db.jobOffer.findFirst({ where: { id, plieCode: session.plieCode } }) : null;
    if (!offer) sendPage(res, session, { status: 404, title: 'Offre introuvable', body: alert('warning', 'Aucune offre de ce numéro dans votre PLIE.') });
    return offer;
  }

  const formPage = (res: express.Response, session: ConsoleSession, opts: { raw?: RawValues; errors?: Record<string, string>; status?: number; before?: Html } = {}) =>
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: OFFER_FORM.title,
      body: join(opts.before ?? html(''), consoleForm(OFFER_FORM, '/offres', session.csrfToken, opts)),
    });

  router.get('/offres', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const offers = await db.jobOffer.findMany({ where: { plieCode: session.plieCode }, orderBy: { createdAt: 'desc' }, take: 100 });
    const counts = await db.placement.groupBy({ by: ['offerId'], where: { offerId: { in: offers.map((o) => o.id) } }, _count: true });
    const countOf = (id: string) => counts.find((c) => c.offerId === id)?._count ?? 0;
    sendPage(res, session, {
      title: 'Offres d’emploi',
      wide: true,
      body: join(
        html('<p><a class="fr-btn" href="/offres/nouvelle">Nouvelle offre</a></p>'),
        table(
          'Les offres du PLIE, les plus récentes d’abord',
          ['Poste', 'Entreprise', 'Contrat', 'Enregistrée le', 'Mises en relation', 'État'],
          offers.map((o) => [
            link(`/offres/${o.id}`, o.jobTitle),
            text(o.company),
            text(labelOf(CONTRACT_TYPE_OPTIONS, o.contractType)),
            text(o.createdAt.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })),
            text(String(countOf(o.id))),
            text(STATUS_LABELS[o.status] ?? o.status),
          ]),
        ),
      ),
    });
  });

  router.get('/offres/nouvelle', (req, res) => {
    const session = allowed(req, res);
    if (session) formPage(res, session);
  });

  router.post('/offres', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(OFFER_FORM, raw);
    if (!result.ok) return formPage(res, session, { raw, errors: result.errors, status: 400 });
    try {
      const saved = await registerOffer(db, session.plieCode, result.value, session.email, 'web');
      // Its workflow asks the referents of the matched participants whether to propose it, then what came of it.
      const coordination = await deps.coordinationOf(session.plieCode);
      await startOffer(deps.temporal, deps.taskQueue, offerInput(saved.id, coordination, { roster: await staffRosterOf(db, await deps.plieConfig(session.plieCode), coordination) }));
      res.redirect(303, `/offres/${saved.id}?enregistree=1`);
    } catch (error) {
      if (error instanceof InvalidInputError) return formPage(res, session, { raw, status: 400, before: alert('error', 'Offre non enregistrée', error.problems.join(' ; ')) });
      throw error;
    }
  });

  router.get('/offres/:id', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const offer = await offerFor(session, req.params.id, res);
    if (!offer) return;
    const [placements, matches] = await Promise.all([db.placement.findMany({ where: { offerId: offer.id }, orderBy: { createdAt: 'asc' } }), offerMatches(db, offer.id)]);
    const people = await db.participant.findMany({ where: { id: { in: placements.map((p) => p.participantId) } }, select: { id: true, firstName: true, lastName: true } });
    const initialsOf = (id: string) => {
      const person = people.find((p) => p.id === id);
      return person ? initials(person.firstName, person.lastName) : '?';
    };
    const notice = req.query.enregistree === '1'
      ? alert('success', 'Offre enregistrée.', 'Les référent·es des personnes intéressées sont sollicité·es.')
      : req.query.close === '1' ? alert('success', 'Offre close : son suivi est terminé.') : html('');
    const closing = offer.status === 'OUVERTE' && isCoordinator(session)
      ? html(`<form method="post" action="/offres/${offer.id}/clore">${csrfField(session.csrfToken).html}<button class="fr-btn fr-btn--secondary" type="submit">Clore l’offre</button></form>`)
      : html('');
    sendPage(res, session, {
      title: `${offer.jobTitle} — ${offer.company}`,
      wide: true,
      body: join(
        notice,
        facts('L’offre', [
          ['Secteur', offer.sector],
          ['Contrat', labelOf(CONTRACT_TYPE_OPTIONS, offer.contractType)],
          ['Heures par semaine', offer.weeklyHours?.toString()],
          ['Lieu', offer.place],
          ['Début', offer.startDate ? formatFrenchDate(fromDbDate(offer.startDate)) : null],
          ['Clause d’insertion', offer.clause ? 'oui' : 'non'],
          ['État', STATUS_LABELS[offer.status] ?? offer.status],
        ]),
        closing,
        // Pseudonymised as in the offer's messages: the file's number and initials, never the name.
        table(
          'Mises en relation',
          ['Dossier', 'Où en est-elle ?', 'Référent·e', 'Précision'],
          placements.map((p) => [
            text(`${fileReference(p.participantId)} (${initialsOf(p.participantId)})`),
            text(PLACEMENT_STATUS_LABELS[p.status as PlacementStatus] ?? p.status),
            text(p.referentEmail ?? 'coordination'),
            text(p.reason),
          ]),
        ),
        html(`<p>${matches.length} personne(s) en parcours dont les souhaits correspondent${matches.length > MATCHES_SHOWN ? ` ; les ${MATCHES_SHOWN} premières ci-dessous` : ''}.</p>`),
        table(
          'Personnes en parcours dont les souhaits correspondent',
          ['Dossier', 'Souhait', 'Référent·e'],
          matches.slice(0, MATCHES_SHOWN).map((m) => [text(`${m.fileReference} (${m.initials})`), text(m.wish), text(m.referentEmail ?? 'à désigner')]),
        ),
        html('<p><a class="fr-link" href="/offres">Toutes les offres</a></p>'),
      ),
    });
  });

  router.post('/offres/:id/clore', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const offer = await offerFor(session, req.params.id, res);
    if (!offer) return;
    try {
      await closeOffer(deps.temporal, offer.id, { actor: session.email, channel: 'web' });
    } catch (error) {
      // Its follow-up already ended (nobody matched, or every « mise en relation » came to its end).
      if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
      return sendPage(res, session, { status: 410, title: 'Offre', body: join(alert('info', 'Le suivi de cette offre est déjà terminé : il n’y a plus rien à clore.'), html(`<p><a href="/offres/${offer.id}">Revenir à l’offre</a></p>`)) });
    }
    res.redirect(303, `/offres/${offer.id}?close=1`);
  });

  return router;
}
