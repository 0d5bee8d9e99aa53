/**
 * Signing in to the console through the PLIE's identity provider, in headless Chromium: a real
 * OpenID Connect provider (oidc-provider, with its development login pages) plays ProConnect;
 * the console goes through it with PKCE, state and nonce, and opens a session only for active
 * staff. The round trip is used once.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { RunningWeb } from '../../src/main/run-web.ts';
import { startBrowserStack, type BrowserStack } from '../helpers/browser-stack.ts';
import { accessible } from '../helpers/console-browser.ts';

const run = randomBytes(3).toString('hex');
const REFERENT = `referente-oidc-${run}@plie.test`;
const COORDINATOR = `coordination-oidc-${run}@plie.test`;
const CLIENT = { id: 'console-plie', secret: `secret-du-client-${run}-assez-long` };

/** A port free now, for a server whose address must be known before it starts (the redirect). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let running: BrowserStack;
let db: Db;
let web: RunningWeb;
let browser: Browser;
let idp: http.Server;

beforeAll(async () => {
  const [idpPort, webPort] = [await freePort(), await freePort()];
  const issuer = `http://localhost:${idpPort}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [`http://localhost:${webPort}/connexion/oidc/retour`], response_types: ['code'], grant_types: ['authorization_code'] }],
    // Whatever is typed at the provider's login is the person's address, verified unless it starts with « non-verifiee: ».
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub.replace(/^non-verifiee:/, ''), email_verified: !sub.startsWith('non-verifiee:') }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: [`cle-des-cookies-${run}`] },
  });
  const handle = provider.callback();
  idp = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => idp.listen(idpPort, resolve));
  running = await startBrowserStack({
    name: 'console-oidc',
    coordinator: COORDINATOR,
    apiToken: 'jeton-api-de-la-console-oidc',
    port: webPort,
    env: { PUBLIC_URL: `http://localhost:${webPort}`, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret, OIDC_NAME: 'ProConnect' },
    staff: [
      { email: REFERENT, name: 'Inès Moreau', roles: ['REFERENT'] },
      { email: COORDINATOR, name: 'Claire Martin', roles: ['COORDINATEUR'] },
    ],
  });
  ({ db, web, browser } = running);
});

afterAll(async () => {
  await running?.stop();
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()));
});

/** The provider's answers the console received (the callback's addresses). */
const callbacks: string[] = [];

/** Through the provider's pages, as `login`; the page the console lands on. */
async function throughProvider(login: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/connexion/oidc/retour') callbacks.push(request.url());
  });
  await page.goto(`${web.url}/connexion`);
  await accessible(page, 'Connexion');
  await page.getByRole('link', { name: 'Se connecter avec ProConnect' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('peu-importe');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === new URL(web.url).origin && url.pathname !== '/connexion/oidc');
  return { context, page };
}

describe('sign-in through the PLIE’s identity provider (OpenID Connect)', () => {
  it('opens a session for active staff, with the roles of their record, and uses the round trip once', async () => {
    const { context, page } = await throughProvider(REFERENT);
    expect(new URL(page.url()).pathname).toBe('/taches');
    await accessible(page, 'Mes tâches');
    expect(await page.locator('header').textContent()).toContain('Inès Moreau');
    // A referent: no bilan in her menu.
    expect(await page.getByRole('link', { name: 'Bilan' }).count()).toBe(0);
    expect(await db.staffSession.count({ where: { email: REFERENT, method: 'oidc', endedAt: null } })).toBe(1);
    expect(await db.auditEvent.count({ where: { actor: REFERENT, action: 'staff.sign_in', details: { path: ['method'], equals: 'oidc' } } })).toBe(1);
    // The provider's answer, played again in the same browser: its round trip is spent.
    const again = await page.goto(callbacks.at(-1)!);
    expect(again!.status()).toBe(400);
    await context.close();
  });

  it('refuses someone the provider knows but the PLIE does not, and a callback without its round trip', async () => {
    const { context, page } = await throughProvider(`inconnue-${run}@ailleurs.fr`);
    expect(await page.locator('main').textContent()).toContain('aucun accès actif ne correspond à votre adresse');
    expect(await db.staffSession.count({ where: { email: `inconnue-${run}@ailleurs.fr` } })).toBe(0);
    await context.close();

    // An address the provider has not verified opens nothing, even a known one.
    const unverified = await throughProvider(`non-verifiee:${REFERENT}`);
    expect(await unverified.page.locator('main').textContent()).toContain('ProConnect n’a pas confirmé votre identité');
    await unverified.context.close();

    // A code pasted from elsewhere, without the signed cookie of its start: refused before any exchange.
    const forged = await fetch(`${web.url}/connexion/oidc/retour?code=abc&state=xyz`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Cette connexion a expiré ou a déjà servi');
  });
});
