/**
 * What the console's browser tests share: signing in with the keyboard alone through the emailed
 * link, the page's accessibility check, the session cookie for direct requests, and the marché's form.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { axeViolations, focusedText } from './browser.ts';
import { byKeyboard } from './keyboard.ts';
import type { ReceivedMail, TestInbox } from './smtp.ts';

export const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });

/** No axe-core violation, and the page's one title. */
export async function accessible(page: Page, title: string): Promise<void> {
  expect(await page.locator('h1').textContent()).toBe(title);
  expect(await axeViolations(page)).toEqual([]);
}

export const signInMail = (to: string) => (m: ReceivedMail) => m.to.includes(to) && /Votre lien de connexion/.test(m.subject);
export const signInPath = (mail: ReceivedMail) => /http:\/\/plie\.test(\/connexion\/lien\/[\w.-]+)/.exec(mail.text)![1]!;

export const cookieHeader = async (context: BrowserContext) => (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

export function consoleSignIn(browser: Browser, webUrl: string, inbox: TestInbox) {
  /** The sign-in link of the email to `to` that follows the `before` first ones, pointed at the test's web process. */
  async function signInLinkOf(to: string, before: number): Promise<string> {
    const mail = await waitFor(async () => {
      const mails = inbox.messages.filter(signInMail(to));
      expect(mails.length).toBeGreaterThan(before);
      return mails[before]!;
    });
    return `${webUrl}${signInPath(mail)}`;
  }

  /** Signs in with the keyboard alone, from the page a bookmark opens to « Mes tâches ». */
  return async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${webUrl}/parcours`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    const before = inbox.count(signInMail(email));
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Aller au contenu');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    // The answer comes at the same address: wait for the new page itself, not for the address.
    const answered = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
    await page.keyboard.press('Enter');
    await answered;
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Vérifiez votre messagerie');
    await page.goto(await signInLinkOf(email, before));
    expect(await page.locator('h1').textContent()).toBe('Se connecter');
    // The button has the focus: Enter signs in.
    await Promise.all([page.waitForURL(`${webUrl}/taches`), page.keyboard.press('Enter')]);
    return { context, page };
  };
}

export interface MarcheFields {
  reference: string;
  buyer: string;
  title: string;
  company: string;
  contactName: string;
  contactEmail: string;
  sector: 'BTP' | 'AUTRE';
  clauseHours: number;
  start: string;
  end: string;
}

/** Fills the new marché's form (already open) and sends it, with the keyboard alone. */
export async function submitMarche(page: Page, m: MarcheFields): Promise<void> {
  const kb = byKeyboard(page);
  await kb.type(page.getByLabel(/^Référence du marché/), m.reference);
  await kb.type(page.getByLabel('Acheteur', { exact: true }), m.buyer);
  await kb.type(page.getByLabel('Intitulé', { exact: true }), m.title);
  await kb.type(page.getByLabel('Entreprise attributaire'), m.company);
  await kb.type(page.getByLabel('Contact dans l’entreprise'), m.contactName);
  await kb.type(page.getByLabel('Email du contact'), m.contactEmail);
  await kb.choose(page.getByLabel('Secteur', { exact: true }), m.sector);
  await kb.type(page.getByLabel('Heures d’insertion prévues'), String(m.clauseHours));
  await kb.date(page.getByLabel('Début du marché'), m.start);
  await kb.date(page.getByLabel('Fin du marché'), m.end);
  await kb.activate(page.getByRole('button', { name: 'Enregistrer le marché' }));
}
