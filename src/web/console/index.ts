/**
 * The staff's web console, for those without Slack (and everyone else): sign-in by email link,
 * « Mes tâches », the caseload, a participant's file. Server-rendered DSFR pages with no script;
 * every form carries an anti-forgery token; every action goes through the same checks and
 * workflows as Slack, the API and the emails' links.
 */
import type { Client } from '@temporalio/client';
import { csrfSync } from 'csrf-sync';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../logging.ts';
import { TaskAnswerRejectedError } from '../../temporal/pathway-client.ts';
import { alert, html, join } from '../pages/layout.ts';
import { createCaseloadPage } from './caseload-page.ts';
import { createBilanPage } from './bilan-page.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import type { CreateParticipantDeps } from '../../participants/create.ts';
import type { ProofStore } from '../../files/proof-store.ts';
import { createReferralPage } from './referral-page.ts';
import { createCommissionPage } from './commission-page.ts';
import { createMessagesPage } from './messages-page.ts';
import { createCodecEndpoint } from './codec-endpoint.ts';
import { createOffersPage } from './offers-page.ts';
import { createCollectivePage } from './collective-page.ts';
import { createProcurementPage } from './procurement-page.ts';
import { sendPage } from './layout.ts';
import { createParticipantPage } from './participant-page.ts';
import { createAppointmentPage } from './appointment-page.ts';
import { formTokenOf, loadRequestState, sessionOf } from './request-state.ts';
import { createSignInPages } from './sign-in-pages.ts';
import { createOidcSignIn, oidcButton, type OidcSettings } from './oidc-sign-in.ts';
import { createTaskPages } from './tasks-pages.ts';
import { databaseRefusal, requestRefusal } from '../input-errors.ts';

const CONSOLE_PATHS = /^\/(?:$|(?:connexion|deconnexion|taches|parcours|participants|bilan|orienter|commission|messages|offres|actions-collectives|marches|codec)(?:\/|$))/;

export interface ConsoleDeps {
  db: Db;
  temporal: Client;
  /** Where the sign-in emails' and the resent messages' workflows run. */
  taskQueue: string;
  /** The links' secret: it seals the sign-in links too. */
  secret: string;
  /** The PLIEs whose staff sign in here. */
  served: ReadonlySet<string>;
  /** Production: cookies only over HTTPS. */
  secureCookies: boolean;
  /** A PLIE's configuration (its protocol, objectives, territory), for the bilan. */
  plieConfig: (code: string) => Promise<PlieConfig>;
  /** The participants' proofs, stored encrypted (downloaded from their file). */
  proofs: ProofStore;
  /** What creating a pathway needs, for a PLIE (a referral). */
  pathwayDeps: (code: string) => Promise<CreateParticipantDeps>;
  /** Sign-in through the PLIE's identity provider too, when one is configured. */
  oidc?: OidcSettings | null;
  logger: Logger;
  now?: () => number;
  /** The Temporal Web UI's origin, allowed to call the codec endpoint with the console's cookie. */
  temporalUiOrigin?: string;
}

export function createConsole(deps: ConsoleDeps): express.Router {
  const router = express.Router();
  const log = deps.logger.child({ component: 'console' });
  const now = deps.now ?? Date.now;
  const cookies = { secure: deps.secureCookies };
  const { csrfSynchronisedProtection, invalidCsrfTokenError } = csrfSync({
    getTokenFromState: (req) => formTokenOf(req) || undefined,
    getTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    // The token is drawn with the session (or the pre-session cookie), never here.
    storeTokenInState: () => undefined,
  });

  // The console's addresses only: anything else (Slack's events, whose body must stay unread) goes on.
  router.use((req: Request, _res: Response, next: NextFunction) => next(CONSOLE_PATHS.test(req.path) ? undefined : 'router'));
  // No script at all, nothing from elsewhere, forms posted to this site only; nobody frames the pages.
  router.use(
    helmet({
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': deps.secureCookies ? [] : null, 'script-src': ["'none'"], 'form-action': ["'self'"] } },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 100 }));
  router.use(loadRequestState(deps.db, cookies, now));
  // Called by the Temporal Web UI with JSON, not by a form of these pages: its own checks (see there).
  router.use(createCodecEndpoint({ db: deps.db, codecs: deps.temporal.options.loadedDataConverter.payloadCodecs, ...(deps.temporalUiOrigin ? { uiOrigin: deps.temporalUiOrigin } : {}), servedPlies: deps.served.size, logger: deps.logger }));
  router.use(csrfSynchronisedProtection);
  router.get('/', (_req, res) => res.redirect(303, '/taches'));
  router.use(createSignInPages({ ...deps, cookies, now, ...(deps.oidc ? { alternative: oidcButton(deps.oidc) } : {}) }));
  if (deps.oidc) router.use(createOidcSignIn(deps.oidc, { ...deps, cookies, now }));

  // Everything below needs a session: a page asked without one leads to the sign-in form.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (sessionOf(req)) return next();
    if (req.method === 'GET') return res.redirect(303, '/connexion');
    sendPage(res, null, { status: 401, title: 'Session expirée', body: join(alert('warning', 'Votre session a expiré : rien n’a été enregistré.', 'Reconnectez-vous, puis recommencez.'), html('<p><a href="/connexion">Se connecter</a></p>')) });
  });
  // What the person's PLIE adds to the roles' rights (who may read its bilan), read at each request like the roles.
  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    sessionOf(req)!.plie = await deps.plieConfig(sessionOf(req)!.plieCode);
    next();
  });
  router.use(createTaskPages({ db: deps.db, temporal: deps.temporal, now }));
  router.use(createCaseloadPage({ db: deps.db, now }));
  router.use(createParticipantPage({ db: deps.db, temporal: deps.temporal, proofs: deps.proofs, plieConfig: deps.plieConfig }));
  router.use(createAppointmentPage({ db: deps.db, temporal: deps.temporal }));
  router.use(createBilanPage({ db: deps.db, plieConfig: deps.plieConfig, now }));
  router.use(createCommissionPage({ db: deps.db, plieConfig: deps.plieConfig }));
  router.use(createMessagesPage({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, now }));
  router.use(createReferralPage({ db: deps.db, plieConfig: deps.plieConfig, pathwayDeps: deps.pathwayDeps, now }));
  const coordinationOf = async (code: string) => (await deps.pathwayDeps(code)).coordinatorEmail;
  router.use(createOffersPage({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, coordinationOf, plieConfig: deps.plieConfig }));
  router.use(createCollectivePage({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, coordinationOf, plieConfig: deps.plieConfig }));
  router.use(createProcurementPage({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, plieConfig: deps.plieConfig, coordinationOf }));
  router.use((req, res) => sendPage(res, sessionOf(req), { status: 404, title: 'Page introuvable', body: join(alert('warning', 'Cette page n’existe pas.'), html('<p><a href="/taches">Revenir à mes tâches</a></p>')) }));

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const session = sessionOf(req);
    if (error === invalidCsrfTokenError) {
      log.warn({ path: req.path }, 'formulaire refusé : jeton anti-falsification absent ou périmé');
      return sendPage(res, session, { status: 403, title: 'Formulaire expiré', body: alert('warning', 'Ce formulaire a expiré ou ne vient pas de cette page.', 'Rechargez la page, puis envoyez-le de nouveau.') });
    }
    if (error instanceof TaskAnswerRejectedError) return sendPage(res, session, { status: 422, title: 'Non enregistré', body: alert('warning', 'Votre réponse n’a pas pu être prise en compte.', error.message) });
    if ((error as Error).name === 'WorkflowNotFoundError') return sendPage(res, session, { status: 410, title: 'Suivi terminé', body: alert('info', 'Ce suivi est terminé : il n’y a plus rien à y enregistrer.') });
    if ((error as { type?: string }).type === 'entity.too.large') return sendPage(res, session, { status: 413, title: 'Envoi trop volumineux', body: alert('warning', 'Ce formulaire est trop volumineux.') });
    // Refused for what it carries: sent again, it would be again; so what to change, never « try again ».
    const malformed = requestRefusal(error);
    if (malformed) return sendPage(res, session, { status: malformed.status, title: 'Envoi refusé', body: alert('warning', malformed.message, 'Rechargez la page, puis envoyez de nouveau le formulaire.') });
    const refusal = databaseRefusal(error);
    if (refusal) {
      log.warn({ path: req.path, code: refusal.code }, 'données refusées par la base');
      return sendPage(res, session, { status: refusal.status, title: 'Non enregistré', body: alert('warning', 'Ce que vous avez saisi n’a pas pu être enregistré.', refusal.message) });
    }
    log.error({ path: req.path, err: (error as Error).message }, 'page de la console en échec');
    sendPage(res, session, { status: 503, title: 'Service momentanément indisponible', body: alert('error', 'Un incident est survenu : rien n’a été perdu de ce qui était déjà enregistré.', 'Réessayez dans quelques minutes.') });
  });
  return router;
}
