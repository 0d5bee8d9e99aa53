/**
 * « Messages » (the coordination): the PLIE's messages about pathways that did not go out — refused,
 * failed, held for want of an address, or still being retried — with « Renvoyer » for those that
 * can be sent again (a worker's workflow sends it, under the same key: never twice).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express from 'express';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/client.ts';
import { fileReference } from '../../domain/participant.ts';
import { isCoordinator } from '../../domain/permissions.ts';
import { staleAppointmentMessages } from '../../email/appointment-messages.ts';
import { resendPlan } from '../../email/resend-plan.ts';
import { escapeHtml } from '../../html.ts';
import { z } from '../../domain/validation.ts';
import { RESEND_WORKFLOW } from '../../../workflows/resend.ts';
import { alert, html, join } from '../pages/layout.ts';
import { csrfField, link, parisDateTime, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';
import { deliveryLabel, messageLabel } from './timeline.ts';

const NOT_SENT = ['pending', 'failed', 'refused', 'no_address'];
const uuid = z.uuid();

export function createMessagesPage(deps: { db: Db; temporal: Client; taskQueue: string; now: () => number }): express.Router {
  const router = express.Router();
  const { db } = deps;

  router.get('/messages', async (req, res) => {
    const session = sessionOf(req)!;
    if (!isCoordinator(session)) return sendPage(res, session, { status: 403, title: 'Messages', body: alert('warning', 'Le suivi des messages est réservé à la coordination.') });
    // Messages carry a pathway id, not a PLIE: the PLIE's pathways say which are its own (those not sent are few).
    const notSent = await db.message.findMany({ where: { status: { in: NOT_SENT }, pathwayId: { not: null } }, orderBy: { createdAt: 'desc' }, take: 1000 });
    const pathways = await db.pathway.findMany({ where: { id: { in: [...new Set(notSent.map((m) => m.pathwayId!))] }, participant: { plieCode: session.plieCode } }, select: { id: true, participantId: true } });
    const participantOf = new Map(pathways.map((p) => [p.id, p.participantId]));
    const messages = notSent.filter((m) => participantOf.has(m.pathwayId!)).slice(0, 200);
    const stale = await staleAppointmentMessages(db, messages, deps.now());
    const done = req.query.renvoye === '1' ? alert('success', 'Le message part de nouveau.', 'Son état se met à jour ici dès qu’il est envoyé.') : html('');
    sendPage(res, session, {
      title: 'Messages non envoyés',
      wide: true,
      body: join(
        done,
        table(
          'Messages non envoyés, les plus récents d’abord',
          ['Décidé le', 'Message', 'Dossier', 'Destinataire', 'État', 'Motif', ''],
          messages.map((m) => {
            const participantId = participantOf.get(m.pathwayId!)!;
            return [
              text(parisDateTime(m.createdAt)),
              text(messageLabel(m.template)),
              link(`/participants/${participantId}`, fileReference(participantId)),
              text(m.recipient === 'participant' ? 'la personne (sans adresse)' : m.recipient),
              text(m.status === 'pending' ? 'nouvel essai automatique en cours' : deliveryLabel(m.status)),
              text(m.error ? m.error.slice(0, 120) : m.status === 'no_address' ? 'aucune adresse email : rectifiez la fiche, puis renvoyez' : null),
              stale.has(m.id)
                ? text(`Ne part plus : ${stale.get(m.id)!}.`)
                : resendPlan(m)
                ? html(`<form method="post" action="/messages/${m.id}/renvoyer">${csrfField(session.csrfToken).html}<button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" aria-label="${escapeHtml(`Renvoyer : ${messageLabel(m.template)}, dossier ${fileReference(participantId)}`)}">Renvoyer</button></form>`)
                : text(''),
            ];
          }),
        ),
      ),
    });
  });

  router.post('/messages/:id/renvoyer', async (req, res) => {
    const session = sessionOf(req)!;
    const message = uuid.safeParse(req.params.id).success ? await db.message.findUnique({ where: { id: req.params.id } }) : null;
    const pathway = message?.pathwayId ? await db.pathway.findUnique({ where: { id: message.pathwayId }, include: { participant: true } }) : null;
    if (!isCoordinator(session) || !message || pathway?.participant.plieCode !== session.plieCode || !resendPlan(message)) {
      return sendPage(res, session, { status: 404, title: 'Message introuvable', body: alert('warning', 'Ce message n’existe pas ou ne peut pas être renvoyé d’ici.') });
    }
    const stale = (await staleAppointmentMessages(db, [message], deps.now())).get(message.id);
    if (stale) return sendPage(res, session, { status: 409, title: 'Message non renvoyé', body: alert('warning', 'Ce message ne peut plus partir', `Il annonçait un rendez-vous, mais ${stale}.`) });
    await deps.temporal.workflow.start(RESEND_WORKFLOW, { workflowId: `renvoi-${message.id}-${randomUUID()}`, taskQueue: deps.taskQueue, args: [{ messageId: message.id }] });
    await audit(db, { idempotencyKey: `web/${randomUUID()}`, actor: session.email, channel: 'web', action: 'message.resend', entityType: 'pathway', entityId: pathway.id, details: { messageId: message.id, template: message.template } });
    res.redirect(303, '/messages?renvoye=1');
  });

  return router;
}
