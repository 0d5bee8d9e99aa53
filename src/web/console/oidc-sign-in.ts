/**
 * Signing in to the console through the PLIE's identity provider (OpenID Connect, e.g. ProConnect),
 * with openid-client: authorization code with PKCE, state and nonce. What the round trip needs is
 * kept in a short-lived signed cookie, used once. The provider vouches for the address; the person
 * must still be active staff of a PLIE this web serves, with the roles of their record.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/client.ts';
import { signLink, useLink } from '../../links/signed-links.ts';
import type { Env } from '../../config/env.ts';
import type { Logger } from '../../logging.ts';
import { alert, html, join } from '../pages/layout.ts';
import { sendPage } from './layout.ts';
import { ABSOLUTE_HOURS, cookie, cookiesOf, openSession, sessionCookieName, type CookieSettings } from './sessions.ts';
import { activeStaffIn } from '../../staff/directory.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** On the button: « Se connecter avec ProConnect ». */
  name: string;
  scopes: string;
  /** Where the provider sends the person back (registered with it). */
  redirectUrl: string;
  /** Addresses without `email_verified: true` are accepted (a provider that vouches for all of them). */
  trustEmail: boolean;
}

export interface OidcDeps {
  db: Db;
  secret: string;
  served: ReadonlySet<string>;
  cookies: CookieSettings;
  logger: Logger;
  now: () => number;
}

const PURPOSE = 'oidc-sign-in';
const ROUND_TRIP_MINUTES = 10;
/** `__Host-` over HTTPS, like the session's cookie. */
const cookieName = (c: CookieSettings) => (c.secure ? '__Host-plie_oidc' : 'plie_oidc');

/** The provider's settings from the deployment's environment, when all three are given. */
export function oidcSettingsOf(env: Pick<Env, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_NAME' | 'OIDC_SCOPES' | 'OIDC_TRUST_EMAIL' | 'PUBLIC_URL'>): OidcSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.PUBLIC_URL) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME,
    scopes: env.OIDC_SCOPES,
    redirectUrl: `${env.PUBLIC_URL.replace(/\/$/, '')}/connexion/oidc/retour`,
    trustEmail: env.OIDC_TRUST_EMAIL,
  };
}

/** The button of the sign-in page. */
export const oidcButton = (settings: OidcSettings) =>
  html(`<p class="fr-mt-4w">Ou bien :</p><p><a class="fr-btn fr-btn--secondary" href="/connexion/oidc">Se connecter avec ${settings.name.replace(/[<>&"]/g, '')}</a></p>`);

export function createOidcSignIn(settings: OidcSettings, deps: OidcDeps): express.Router {
  const router = express.Router();
  const log = deps.logger.child({ component: 'connexion-oidc' });
  // Discovered once; a failure is tried again at the next sign-in (the provider may be back).
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, settings.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };

  const failed = (res: Response, why: string, status = 502) =>
    sendPage(res, null, { status, title: 'Connexion impossible', body: join(alert('warning', why), html('<p><a class="fr-link" href="/connexion">Revenir à la connexion</a></p>')) });

  router.get('/connexion/oidc', async (_req: Request, res: Response) => {
    try {
      const config = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const roundTrip = signLink({ purpose: PURPOSE, subject: JSON.stringify({ verifier, state, nonce }), expiresAt: deps.now() + ROUND_TRIP_MINUTES * 60_000 }, deps.secret);
      res.append('Set-Cookie', cookie(deps.cookies, cookieName(deps.cookies), roundTrip, ROUND_TRIP_MINUTES * 60));
      res.redirect(303, url.href);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'fournisseur d’identité injoignable');
      failed(res, `${settings.name} ne répond pas pour le moment : connectez-vous avec un lien reçu par email.`);
    }
  });

  router.get('/connexion/oidc/retour', async (req: Request, res: Response) => {
    res.append('Set-Cookie', cookie(deps.cookies, cookieName(deps.cookies), '', 0));
    const token = cookiesOf(req)[cookieName(deps.cookies)];
    const check = token ? await useLink(deps.db, token, { secret: deps.secret, purpose: PURPOSE, now: deps.now() }) : null;
    if (!check?.ok) {
      log.info({ reason: check?.reason ?? 'absent' }, 'retour du fournisseur d’identité refusé');
      return failed(res, 'Cette connexion a expiré ou a déjà servi : recommencez.', 400);
    }
    const expected = JSON.parse(check.claims.subject) as { verifier: string; state: string; nonce: string };
    let email: string;
    try {
      const config = await configuration();
      // The registered address with the provider's answer (a proxy may have rewritten the path).
      const current = new URL(settings.redirectUrl);
      current.search = new URL(req.originalUrl, settings.redirectUrl).search;
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: expected.verifier, expectedState: expected.state, expectedNonce: expected.nonce, idTokenExpected: true });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('jeton d’identité absent');
      // The address is in the ID token, or (as ProConnect and most providers answer a code) in the user info.
      const claims = typeof idToken.email === 'string' ? idToken : await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      if (typeof claims.email !== 'string' || !(claims.email_verified === true || (settings.trustEmail && claims.email_verified === undefined))) throw new Error('adresse absente ou non vérifiée');
      email = claims.email.trim().toLowerCase();
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'connexion par fournisseur d’identité refusée');
      return failed(res, `${settings.name} n’a pas confirmé votre identité : recommencez, ou connectez-vous avec un lien reçu par email.`);
    }
    // Staff of two PLIEs lands in the first by code.
    const [staff] = await activeStaffIn(deps.db, email, deps.served);
    if (!staff) {
      log.info({}, 'connexion par fournisseur d’identité : aucun compte actif');
      return failed(res, 'Votre identité est confirmée, mais aucun accès actif ne correspond à votre adresse : adressez-vous à la coordination de votre PLIE.', 403);
    }
    const value = await openSession(deps.db, { plieCode: staff.plieCode, email: staff.email, method: 'oidc' }, deps.now());
    await audit(deps.db, { idempotencyKey: `web/${randomUUID()}`, actor: staff.email, channel: 'web', action: 'staff.sign_in', entityType: 'staff', entityId: staff.id, details: { method: 'oidc' } });
    log.info({ plie: staff.plieCode }, 'session ouverte (fournisseur d’identité)');
    res.append('Set-Cookie', cookie(deps.cookies, sessionCookieName(deps.cookies), value, ABSOLUTE_HOURS * 3600));
    res.redirect(303, '/taches');
  });

  return router;
}
