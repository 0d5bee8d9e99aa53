/**
 * What the console's browser tests share: signing in with the keyboard alone through the emailed
 * link, the page's accessibility check, and the session cookie for direct requests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { axeViolations, focusedText } from './browser.ts';
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
    await Promise.all([page.waitForURL(`${webUrl}/connexion`, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
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

/** Fills the new marché's form (already open) and sends it. */
export async function submitMarche(page: Page, m: MarcheFields): Promise<void> {
  await page.getByLabel(/^Référence du marché/).fill(m.reference);
  await page.getByLabel('Acheteur', { exact: true }).fill(m.buyer);
  await page.getByLabel('Intitulé', { exact: true }).fill(m.title);
  await page.getByLabel('Entreprise attributaire').fill(m.company);
  await page.getByLabel('Contact dans l’entreprise').fill(m.contactName);
  await page.getByLabel('Email du contact').fill(m.contactEmail);
  await page.getByLabel('Secteur', { exact: true }).selectOption(m.sector);
  await page.getByLabel('Heures d’insertion prévues').fill(String(m.clauseHours));
  await page.getByLabel('Début du marché').fill(m.start);
  await page.getByLabel('Fin du marché').fill(m.end);
  await page.getByRole('button', { name: 'Enregistrer le marché' }).click();
}
