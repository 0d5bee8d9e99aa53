/**
 * « Messages » (the coordination): the PLIE's messages about pathways and marchés that did not go out — refused,
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
import { staleMarcheMessages } from '../../procurement/stale-messages.ts';
import { resendPlan } from '../../email/resend-plan.ts';
import { escapeHtml } from '../../html.ts';
import { z } from '../../domain/validation.ts';
import { RESEND_MARCHE_WORKFLOW, RESEND_WORKFLOW } from '../../../workflows/resend.ts';
import { alert, html, join } from '../pages/layout.ts';
import { csrfField, link, parisDateTime, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';
import { deliveryLabel, messageLabel } from './timeline.ts';

const NOT_SENT = ['pending', 'failed', 'refused', 'no_address'];
const uuid = z.uuid();
const MARCHE_KEY = /^marche\/([0-9a-f-]{36})\//;

export function createMessagesPage(deps: { db: Db; temporal: Client; taskQueue: string; now: () => number }): express.Router {
  const router = express.Router();
  const { db } = deps;

  /** The marchés of the PLIE that messages without a pathway are about (their keys begin marche/<id>/). */
  async function marchesOf(plieCode: string, messages: Array<{ idempotencyKey: string }>) {
    const ids = [...new Set(messages.flatMap((m) => MARCHE_KEY.exec(m.idempotencyKey)?.[1] ?? []))];
    const marches = ids.length ? await db.procurement.findMany({ where: { id: { in: ids }, plieCode }, select: { id: true, externalId: true } }) : [];
    return new Map(marches.map((m) => [m.id, m.externalId]));
  }
  const marcheOf = (message: { idempotencyKey: string }) => MARCHE_KEY.exec(message.idempotencyKey)?.[1] ?? null;

  router.get('/messages', async (req, res) => {
    const session = sessionOf(req)!;
    if (!isCoordinator(session)) return sendPage(res, session, { status: 403, title: 'Messages', body: alert('warning', 'Le suivi des messages est réservé à la coordination.') });
    // Messages carry a pathway id or a marché's key, not a PLIE: the PLIE's pathways and marchés say which are its own (those not sent are few).
    const notSent = await db.message.findMany({ where: { status: { in: NOT_SENT }, OR: [{ pathwayId: { not: null } }, { idempotencyKey: { startsWith: 'marche/' } }] }, orderBy: { createdAt: 'desc' }, take: 1000 });
    const pathways = await db.pathway.findMany({ where: { id: { in: [...new Set(notSent.flatMap((m) => m.pathwayId ?? []))] }, participant: { plieCode: session.plieCode } }, select: { id: true, participantId: true } });
    const participantOf = new Map(pathways.map((p) => [p.id, p.participantId]));
    const marches = await marchesOf(session.plieCode, notSent.filter((m) => !m.pathwayId));
    const messages = notSent.filter((m) => (m.pathwayId ? participantOf.has(m.pathwayId) : marches.has(marcheOf(m) ?? ''))).slice(0, 200);
    const stale = new Map([...(await staleAppointmentMessages(db, messages, deps.now())), ...(await staleMarcheMessages(db, messages))]);
    const done = req.query.renvoye === '1' ? alert('success', 'Le message part de nouveau.', 'Son état se met à jour ici dès qu’il est envoyé.') : html('');
    sendPage(res, session, {
      title: 'Messages non envoyés',
      wide: true,
      body: join(
        done,
        table(
          'Messages non envoyés, les plus récents d’abord',
          ['Décidé le', 'Message', 'Dossier ou marché', 'Destinataire', 'État', 'Motif', ''],
          messages.map((m) => {
            const participantId = m.pathwayId ? participantOf.get(m.pathwayId)! : null;
            const marche = participantId ? null : marcheOf(m)!;
            const about = participantId ? `dossier ${fileReference(participantId)}` : `marché ${marches.get(marche!)!}`;
            return [
              text(parisDateTime(m.createdAt)),
              text(messageLabel(m.template)),
              participantId ? link(`/participants/${participantId}`, fileReference(participantId)) : link(`/marches/${marche!}`, `Marché ${marches.get(marche!)!}`),
              text(m.recipient === 'participant' ? 'la personne (sans adresse)' : m.recipient),
              text(m.status === 'pending' ? 'nouvel essai automatique en cours' : deliveryLabel(m.status)),
              text(m.error ? m.error.slice(0, 120) : m.status === 'no_address' ? 'aucune adresse email : rectifiez la fiche, puis renvoyez' : null),
              stale.has(m.id)
                ? text(`Ne part plus : ${stale.get(m.id)!}.`)
                : resendPlan(m)
                  ? html(`<form method="post" action="/messages/${m.id}/renvoyer">${csrfField(session.csrfToken).html}<button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" aria-label="${escapeHtml(`Renvoyer : ${messageLabel(m.template)}, ${about}`)}">Renvoyer</button></form>`)
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
    const plan = message ? resendPlan(message) : null;
    const pathway = message?.pathwayId ? await db.pathway.findUnique({ where: { id: message.pathwayId }, include: { participant: true } }) : null;
    const marche = plan?.kind === 'marche' ? await db.procurement.findFirst({ where: { id: plan.marcheId, plieCode: session.plieCode } }) : null;
    const ours = pathway ? pathway.participant.plieCode === session.plieCode : marche !== null;
    if (!isCoordinator(session) || !message || !plan || !ours) {
      return sendPage(res, session, { status: 404, title: 'Message introuvable', body: alert('warning', 'Ce message n’existe pas ou ne peut pas être renvoyé d’ici.') });
    }
    const stale = (await staleAppointmentMessages(db, [message], deps.now())).get(message.id);
    if (stale) return sendPage(res, session, { status: 409, title: 'Message non renvoyé', body: alert('warning', 'Ce message ne peut plus partir', `Il annonçait un rendez-vous, mais ${stale}.`) });
    const staleMarche = (await staleMarcheMessages(db, [message])).get(message.id);
    if (staleMarche) return sendPage(res, session, { status: 409, title: 'Message non renvoyé', body: alert('warning', 'Ce message ne peut plus partir', `Il concernait un marché, mais ${staleMarche}.`) });
    await deps.temporal.workflow.start(plan.kind === 'marche' ? RESEND_MARCHE_WORKFLOW : RESEND_WORKFLOW, { workflowId: `renvoi-${message.id}-${randomUUID()}`, taskQueue: deps.taskQueue, args: [{ messageId: message.id }] });
    await audit(db, {
      idempotencyKey: `web/${randomUUID()}`,
      actor: session.email,
      channel: 'web',
      action: 'message.resend',
      entityType: pathway ? 'pathway' : 'marche',
      entityId: pathway ? pathway.id : marche!.id,
      details: { messageId: message.id, template: message.template },
    });
    res.redirect(303, '/messages?renvoye=1');
  });

  return router;
}
