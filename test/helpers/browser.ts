/**
 * Debian's Chromium, headless, driven by playwright-core. Flags keep it off the network (the
 * machine has none) and quiet; screenshots go to PLIE_SCREENSHOTS_DIR (the README's come from there).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const screenshotsDir = process.env.PLIE_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'plie-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** Every form control has a label tied to it (RGAA 11.1), one h1, and the page says it is in French. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  if ((await page.getAttribute('html', 'lang')) !== 'fr') problems.push('langue de la page absente');
  if ((await page.locator('h1').count()) !== 1) problems.push('un seul titre h1 attendu');
  for (const control of await page.locator('input, select, textarea').all()) {
    const id = await control.getAttribute('id');
    if (!id || (await page.locator(`label[for="${id}"]`).count()) === 0) problems.push(`champ sans étiquette : ${(await control.getAttribute('name')) ?? '?'}`);
  }
  return problems;
}

/** The text of the element that has the keyboard focus. */
export async function focusedText(page: Page): Promise<string | null> {
  return await page.evaluate<string | null>('document.activeElement ? document.activeElement.textContent : null');
}

/** What axe-core finds against WCAG 2.x A and AA (the RGAA's ground) on the page as it stands (a page of a browser context). */
export async function axeViolations(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map((v) => `${v.id} : ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
