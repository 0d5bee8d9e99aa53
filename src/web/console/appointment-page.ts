/**
 * An appointment still to come, from the participant's file: moved (the person gets the new
 * version of the invitation, which replaces the old one in their calendar) or cancelled (the
 * invitation withdrawn). Both go through the pathway, which checks who acts and that the
 * appointment is still to come, and keeps the reminder in step.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../../db/client.ts';
import { parisDate } from '../../domain/dates.ts';
import { z } from '../../domain/validation.ts';
import { appointmentMoveForm } from '../../forms/action-forms.ts';
import { readForm, type RawValues } from '../../forms/fields.ts';
import { currentPathwayId } from '../../participants/reenter.ts';
import { recordAction } from '../../temporal/pathway-client.ts';
import { alert, html, join, paragraph, type Html } from '../pages/layout.ts';
import { consoleForm, csrfField, parisDateTime, sendPage } from './layout.ts';
import { openFile } from './participant-page.ts';
import { sessionOf } from './request-state.ts';

const uuid = z.uuid();
/** « 14:30 » in Paris, as the form's time field takes it. */
const parisTime = (at: Date) => at.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

export function createAppointmentPage(deps: { db: Db; temporal: Client }): express.Router {
  const router = express.Router();
  const { db } = deps;

  /** The file's appointment still to come, with its participant; else the refusal page is sent. */
  async function appointmentFor(req: express.Request, res: express.Response) {
    const session = sessionOf(req)!;
    const participant = await openFile(db, session, req.params.id as string, res);
    if (!participant) return null;
    const id = uuid.safeParse(req.params.rdv);
    const appointment = id.success ? await db.appointment.findFirst({ where: { id: id.data, pathway: { participantId: participant.id } } }) : null;
    if (!appointment || appointment.status !== 'PREVU' || !appointment.place) {
      sendPage(res, session, { status: 404, title: 'Rendez-vous introuvable', body: join(alert('warning', 'Ce rendez-vous n’est pas, ou plus, à venir.'), html(`<p><a href="/participants/${participant.id}">Revenir au dossier</a></p>`)) });
      return null;
    }
    return { session, participant, appointment };
  }

  async function page(req: express.Request, res: express.Response, raw?: RawValues) {
    const found = await appointmentFor(req, res);
    if (!found) return;
    const { session, participant, appointment } = found;
    const from = appointment.at.toISOString();
    const form = appointmentMoveForm(from);
    const base = `/participants/${participant.id}/rendez-vous/${appointment.id}`;
    const show = (status: number, values: RawValues, errors?: Record<string, string>, before: Html = html('')) =>
      sendPage(res, session, {
        status,
        title: 'Déplacer ou annuler un rendez-vous',
        body: join(
          before,
          paragraph(`Rendez-vous du ${parisDateTime(appointment.at)}, ${appointment.place}.`),
          html('<h2 class="fr-h4">Déplacer</h2>'),
          consoleForm(form, `${base}/deplacer`, session.csrfToken, { raw: values, errors }),
          html('<h2 class="fr-h4 fr-mt-4w">Annuler</h2>'),
          paragraph('La personne est prévenue par email et l’invitation est retirée de son agenda.'),
          html(`<form method="post" action="${base}/annuler">${csrfField(session.csrfToken).html}<button class="fr-btn fr-btn--secondary" type="submit">Annuler ce rendez-vous</button></form>`),
          html(`<p class="fr-mt-4w"><a href="/participants/${participant.id}">Revenir au dossier</a></p>`),
        ),
      });
    if (!raw) {
      return show(200, { date: parisDate(appointment.at), time: parisTime(appointment.at), place: appointment.place ?? '', durationMinutes: String(appointment.durationMinutes ?? 60) });
    }
    const result = readForm(form, raw);
    if (!result.ok) return show(400, raw, result.errors);
    await recordAction(deps.temporal, participant.id, { action: result.value, actor: session.email, channel: 'web' }, await currentPathwayId(db, participant.id));
    res.redirect(303, `/participants/${participant.id}?enregistre=1`);
  }

  router.get('/participants/:id/rendez-vous/:rdv', (req, res) => page(req, res));
  router.post('/participants/:id/rendez-vous/:rdv/deplacer', (req, res) => page(req, res, (req.body ?? {}) as RawValues));
  router.post('/participants/:id/rendez-vous/:rdv/annuler', async (req, res) => {
    const found = await appointmentFor(req, res);
    if (!found) return;
    const { session, participant, appointment } = found;
    await recordAction(deps.temporal, participant.id, { action: { type: 'appointmentCancelled', from: appointment.at.toISOString() }, actor: session.email, channel: 'web' }, await currentPathwayId(db, participant.id));
    res.redirect(303, `/participants/${participant.id}?enregistre=1`);
  });

  return router;
}
