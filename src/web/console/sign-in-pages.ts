/**
 * Signing in to the console by email: a form asks the professional address, a single-use link
 * valid 15 minutes is sent to an active member of staff, and following it (then confirming, so
 * that a mail scanner opening the link does not use it up) opens a session. The same answer is
 * given whatever the address: nobody learns who works here.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import type { Db } from '../../db/client.ts';
import { audit } from '../../db/audit.ts';
import { z } from '../../domain/validation.ts';
import { escapeHtml } from '../../html.ts';
import { SIGN_IN_MINUTES, SIGN_IN_PURPOSE, signInTarget, type SignInRequest } from '../../links/sign-in-link.ts';
import { peekLink, useLink, type LinkCheck } from '../../links/signed-links.ts';
import type { Logger } from '../../logging.ts';
import { staffByEmail } from '../../staff/directory.ts';
import { startOnce } from '../../temporal/start-once.ts';
import { SIGN_IN_WORKFLOW, signInWorkflowId } from '../../../workflows/sign-in.ts';
import { alert, html, join, paragraph, type Html } from '../pages/layout.ts';
import { csrfField, sendPage } from './layout.ts';
import { ABSOLUTE_HOURS, cookie, endSession, openSession, sessionCookieName, type CookieSettings } from './sessions.ts';
import { formTokenOf, sessionOf } from './request-state.ts';
import { activeStaffIn } from '../../staff/directory.ts';

export interface SignInDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  secret: string;
  /** The PLIEs whose staff sign in here. */
  served: ReadonlySet<string>;
  cookies: CookieSettings;
  logger: Logger;
  now: () => number;
  /** Another way in, under the form (the identity provider's button). */
  alternative?: Html;
}

const emailSchema = z.email({ error: 'Saisissez une adresse email valide, par exemple prenom.nom@plie.fr.' });

/** At most this many sign-in emails to one address within a link's validity: enough for a typo or a lost mail, not a flood. */
const MAX_LINKS_AT_ONCE = 5;

function emailForm(token: string, value = '', error?: string): Html {
  const describedBy = error ? ' aria-describedby="champ-email-erreur"' : '';
  return html(`<form method="post" action="/connexion" novalidate>${csrfField(token).html}
<div class="fr-input-group${error ? ' fr-input-group--error' : ''}"><label class="fr-label" for="champ-email">Adresse email professionnelle<span class="fr-hint-text">Celle sous laquelle le PLIE vous connaît, par exemple prenom.nom@plie.fr.</span></label>
<input class="fr-input${error ? ' fr-input--error' : ''}" type="email" id="champ-email" name="email" autocomplete="email" value="${escapeHtml(value)}" required${describedBy}${error ? ' autofocus' : ''}>${error ? `<p id="champ-email-erreur" class="fr-error-text">${escapeHtml(error)}</p>` : ''}</div>
<div class="fr-mt-4w"><button class="fr-btn" type="submit">Recevoir un lien de connexion</button></div></form>`);
}

export function createSignInPages(deps: SignInDeps): express.Router {
  const router = express.Router();
  const log = deps.logger.child({ component: 'connexion' });

  router.get('/connexion', (req, res) => {
    if (sessionOf(req)) return res.redirect(303, '/taches');
    const done = req.query.deconnecte === '1' ? alert('success', 'Vous êtes déconnecté·e.') : html('');
    sendPage(res, null, {
      title: 'Connexion',
      body: join(done, paragraph('Recevez par email un lien pour vous connecter : pas de mot de passe à retenir.'), emailForm(formTokenOf(req)), deps.alternative ?? html('')),
    });
  });

  router.post('/connexion', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const given = typeof body.email === 'string' ? body.email.trim() : '';
    const parsed = emailSchema.safeParse(given);
    if (!parsed.success) {
      log.info({ reason: 'adresse invalide' }, 'demande de connexion refusée');
      return sendPage(res, null, { status: 400, title: 'Connexion', body: join(alert('error', 'Le formulaire contient une erreur', 'Adresse email invalide.'), emailForm(formTokenOf(req), given, parsed.error.issues[0]?.message)) });
    }
    const email = parsed.data.toLowerCase();
    const now = deps.now();
    const recent = await deps.db.message.count({ where: { template: 'sign-in', recipient: { equals: email, mode: 'insensitive' }, createdAt: { gte: new Date(now - SIGN_IN_MINUTES * 60_000) } } });
    const flooded = recent >= MAX_LINKS_AT_ONCE;
    if (flooded) log.warn({ recent }, 'liens de connexion trop nombreux pour une adresse : aucun envoi');
    // Past the limit, the staff table is not even read: the same answer, at the same cost.
    const staff = flooded ? [] : await activeStaffIn(deps.db, email, deps.served);
    for (const s of staff) {
      const request: SignInRequest = { requestId: randomUUID(), plieCode: s.plieCode, email, requestedAt: now };
      await startOnce(deps.temporal, SIGN_IN_WORKFLOW, { workflowId: signInWorkflowId(request.requestId), taskQueue: deps.taskQueue, args: [request] });
    }
    log.info({ known: staff.length > 0 }, 'lien de connexion demandé');
    sendPage(res, null, {
      title: 'Vérifiez votre messagerie',
      body: join(
        alert('info', 'Si cette adresse est celle d’un membre de l’équipe, un lien de connexion vient d’y être envoyé.', `Il est valable ${SIGN_IN_MINUTES} minutes et ne sert qu’une fois. Pensez à regarder dans les courriers indésirables.`),
        html('<p><a href="/connexion">Demander un autre lien</a></p>'),
      ),
    });
  });

  const refusedLink = (res: Response, check: Extract<LinkCheck, { ok: false }>) => {
    log.info({ reason: check.reason }, 'lien de connexion refusé');
    const message = check.reason === 'expired' ? `Ce lien de connexion a expiré (il vaut ${SIGN_IN_MINUTES} minutes).` : check.reason === 'used' ? 'Ce lien de connexion a déjà servi : il ne fonctionne qu’une fois.' : check.message;
    sendPage(res, null, {
      status: check.reason === 'expired' || check.reason === 'used' ? 410 : 400,
      title: 'Lien de connexion',
      body: join(alert('warning', message), html('<p><a class="fr-link" href="/connexion">Recevoir un nouveau lien</a></p>')),
    });
  };

  /** The link's PLIE and person if it may still be used (the refusal page is sent otherwise). */
  async function targetOf(req: Request, res: Response, use: boolean) {
    const token = req.params.token as string;
    const opts = { secret: deps.secret, purpose: SIGN_IN_PURPOSE, now: deps.now() };
    const check = use ? await useLink(deps.db, token, opts) : await peekLink(deps.db, token, opts);
    if (!check.ok) {
      refusedLink(res, check);
      return null;
    }
    const target = signInTarget(check.claims);
    if (!target || !deps.served.has(target.plieCode)) {
      refusedLink(res, { ok: false, reason: 'signature', message: 'Ce lien n’est pas valide.' });
      return null;
    }
    return target;
  }

  router.get('/connexion/lien/:token', async (req, res) => {
    const target = await targetOf(req, res, false);
    if (!target) return;
    sendPage(res, null, {
      title: 'Se connecter',
      body: join(
        paragraph(`Vous allez vous connecter en tant que ${target.email}.`),
        html(`<form method="post" action="${escapeHtml(req.originalUrl)}">${csrfField(formTokenOf(req)).html}<button class="fr-btn" type="submit" autofocus>Me connecter</button></form>`),
      ),
    });
  });

  router.post('/connexion/lien/:token', async (req, res) => {
    const target = await targetOf(req, res, true);
    if (!target) return;
    const now = deps.now();
    const staff = await staffByEmail(deps.db, target.plieCode, target.email);
    if (!staff) {
      log.info({ plie: target.plieCode }, 'connexion refusée : personne inactive');
      return sendPage(res, null, { status: 403, title: 'Connexion impossible', body: alert('warning', 'Votre accès a été désactivé.', 'Adressez-vous à la coordination de votre PLIE.') });
    }
    const value = await openSession(deps.db, { plieCode: staff.plieCode, email: staff.email, method: 'email-link' }, now);
    await audit(deps.db, { idempotencyKey: `web/${randomUUID()}`, actor: staff.email, channel: 'web', action: 'staff.sign_in', entityType: 'staff', entityId: staff.id, details: { method: 'email-link' } });
    log.info({ plie: staff.plieCode }, 'session ouverte');
    res.append('Set-Cookie', cookie(deps.cookies, sessionCookieName(deps.cookies), value, ABSOLUTE_HOURS * 3600));
    res.redirect(303, '/taches');
  });

  router.post('/deconnexion', async (req, res) => {
    const session = sessionOf(req);
    if (session) {
      await endSession(deps.db, session.hash, deps.now());
      await audit(deps.db, { idempotencyKey: `web/${randomUUID()}`, actor: session.email, channel: 'web', action: 'staff.sign_out', entityType: 'staff', entityId: session.staffId });
    }
    res.append('Set-Cookie', cookie(deps.cookies, sessionCookieName(deps.cookies), '', 0));
    res.redirect(303, '/connexion?deconnecte=1');
  });

  return router;
}
