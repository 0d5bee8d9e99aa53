/**
 * The pages behind the emails' links, in headless Chromium against the web process, the worker
 * (dev server), PostgreSQL and SMTP: a coordinator without Slack answers a task from the email's
 * form; the participant uploads a proof (stored encrypted, the referent told); an expired link is
 * refused; a used link works no more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { signLink } from '../../src/links/signed-links.ts';
import type { RunningWeb } from '../../src/main/run-web.ts';
import { answerTask } from '../../src/temporal/pathway-client.ts';
import { COMMISSION_WORKFLOW, commissionWorkflowId, type CommissionInput } from '../../workflows/pathway-messages.ts';
import { accessibilityProblems, focusedText, screenshot } from '../helpers/browser.ts';
import { startBrowserStack, type BrowserStack } from '../helpers/browser-stack.ts';
import { LINK_SECRET, type WorkerStack } from '../helpers/worker.ts';

const run = randomBytes(3).toString('hex');
const COORDINATOR = `coordination-${run}@plie.test`;
const REFERENT = `referente-${run}@plie.test`;
const FILE_KEY = randomBytes(32).toString('base64');
const TOKEN = 'jeton-api-des-pages-de-test';
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let running: BrowserStack;
let dataDir: string;
let stack: WorkerStack;
let db: Db;
let client: Client;
let web: RunningWeb;
let browser: Browser;
let taskQueue: string;
let participantId: string;

beforeAll(async () => {
  running = await startBrowserStack({ name: 'pages', coordinator: COORDINATOR, apiToken: TOKEN, fileKey: FILE_KEY, staff: [{ email: REFERENT, name: 'Sophie Lambert', roles: ['REFERENT'] }] });
  ({ stack, db, client, web, browser, dataDir, taskQueue } = running);
});

afterAll(async () => {
  await running?.stop();
});

/** The link of the latest email to `to` whose subject matches, pointed at the test's web process. */
async function linkIn(to: string, subject: RegExp): Promise<string> {
  const mail = await Promise.race([
    stack.inbox.waitFor((m) => m.to.includes(to) && subject.test(m.subject)),
    new Promise<never>((_, reject) =>
      setTimeout(() => {
        void db.message.findMany({ where: { recipient: to } }).then((messages) => reject(new Error(`pas d’email ${subject} pour ${to} : ${JSON.stringify(messages)}`)));
      }, 20_000),
    ),
  ]);
  return /http:\/\/plie\.test(\/l\/[\w.-]+)/.exec(mail.text)![1]!.replace(/^/, web.url);
}

/** Every link of the latest such email, in order. */
async function linksIn(to: string, subject: RegExp): Promise<string[]> {
  const mail = await stack.inbox.waitFor((m) => m.to.includes(to) && subject.test(m.subject));
  return [...mail.text.matchAll(/http:\/\/plie\.test(\/l\/[\w.-]+)/g)].map((m) => `${web.url}${m[1]}`);
}

const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });

describe('pages behind the email links (headless Chromium)', () => {
  it('lets a coordinator without Slack designate the referent from the email’s form, once', async () => {
    participantId = await running.refer({ firstName: 'Nadia', lastName: `Haddad${run}`, birthDate: '1988-05-04', commune: 'Antibes', email: `nadia-${run}@exemple.fr` });
    const link = await linkIn(COORDINATOR, /Nouvelle tâche/);

    const page = await browser.newPage();
    const response = await page.goto(link);
    expect(response!.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Désigner un·e référent·e');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Keyboard only: the skip link first, then the fields, then the button; sent without a choice.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Aller au contenu');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Désigner');
    await Promise.all([page.waitForURL(link, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
    // The error is next to the field, and the field says so.
    expect(await page.locator('#champ-referentEmail-erreur').textContent()).toBe('Référent·e de parcours : choisissez une option');
    expect(await page.locator('#champ-referentEmail').getAttribute('aria-describedby')).toBe('champ-referentEmail-erreur');

    await page.getByLabel('Référent·e de parcours').selectOption({ label: 'Sophie Lambert' });
    await page.getByLabel('Justification d’éligibilité (facultatif)').fill('Situation vérifiée avec le prescripteur.');
    await screenshot(page, 'formulaire-tache');
    await page.getByRole('button', { name: 'Désigner' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Réponse enregistrée');
    await screenshot(page, 'formulaire-tache-enregistre');

    const task = await db.task.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}`, kind: 'assign_referent' } });
    expect(task).toMatchObject({ status: 'done', answeredBy: COORDINATOR, channel: 'email' });
    // Used: the same link now says so.
    const again = await page.goto(link);
    expect(again!.status()).toBe(410);
    expect(await page.locator('main').textContent()).toContain('il ne fonctionne qu’une fois');
    await page.close();
  });

  it('lets the referent without Slack note a contract from the second link of a task’s email, once, on their own dossier only', async () => {
    const pathwayId = `parcours-${participantId}`;
    const diagnostic = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } }));
    // The diagnostic's email: its task's link first, then the form for the pathway's other facts.
    const [answerLink, factsLink] = await linksIn(REFERENT, /Nouvelle tâche : Décider de l’intégration/);
    expect(factsLink).toBeDefined();
    expect(factsLink).not.toBe(answerLink);
    const today = parisDate(new Date());
    await answerTask(client, participantId, { taskId: diagnostic.id, answer: { decision: 'integrate', entryDate: today }, actor: REFERENT, channel: 'cli' });
    await waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('active'));

    // Someone else holding the link (forwarded) is refused, the dossier not shown.
    const forwarded = signLink({ purpose: 'pathway-action', subject: participantId, actor: `autre-${run}@plie.test`, expiresAt: Date.now() + 60_000 }, LINK_SECRET);
    const refused = await fetch(`${web.url}/l/${forwarded}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('Contrat signé');

    const page = await browser.newPage();
    await page.goto(factsLink!);
    expect(await page.locator('h1').textContent()).toBe('Noter un fait sur le parcours');
    expect(await accessibilityProblems(page)).toEqual([]);
    // The coordination's own action is not offered to a referent.
    expect(await page.getByRole('link', { name: 'Changer de référent·e' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Contrat signé' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Contrat de travail');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Type de contrat').selectOption('CDI');
    await page.getByLabel('Début', { exact: true }).fill(today);
    await page.getByLabel('Heures par semaine').fill('35');
    await page.getByLabel('Employeur (facultatif)').fill('EHPAD Les Pins');
    await page.getByLabel('Structure d’insertion (IAE)').selectOption('AUCUNE');
    await page.getByLabel('Contrat aidé (PEC, CUI…)').selectOption('non');
    await page.getByLabel(/^Secteur marchand/).selectOption('oui');
    await screenshot(page, 'formulaire-fait-contrat');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Enregistré');
    await page.close();
    expect(await db.workContract.findMany({ where: { participantId } })).toMatchObject([{ type: 'CDI', weeklyHours: 35, employer: 'EHPAD Les Pins', iae: false, marketSector: true }]);
    expect(await db.auditEvent.findFirstOrThrow({ where: { entityId: pathwayId, action: 'pathway.contract' } })).toMatchObject({ actor: REFERENT, channel: 'email' });
    // Used up: the same link now says so.
    expect((await fetch(factsLink!)).status).toBe(410);
  });

  it('takes the participant’s proof: a wrong file is refused, a PNG is stored encrypted and the referent can read it once', async () => {
    const link = await linkIn(`nadia-${run}@exemple.fr`, /Un document à nous transmettre/);

    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Déposer votre justificatif');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Votre justificatif').setInputFiles({ name: 'notes.txt', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') });
    await page.getByRole('button', { name: 'Envoyer le justificatif' }).click();
    await expect.poll(() => page.locator('.fr-alert').textContent()).toContain('Format non accepté');

    await page.getByLabel('Votre justificatif').setInputFiles({ name: 'contrat.png', mimeType: 'image/png', buffer: PNG });
    await screenshot(page, 'depot-justificatif');
    await page.getByRole('button', { name: 'Envoyer le justificatif' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Merci, c’est bien reçu');
    await screenshot(page, 'depot-justificatif-recu');
    await page.close();

    const proof = await db.proof.findFirstOrThrow({ where: { participantId } });
    expect(proof).toMatchObject({ mimeType: 'image/png', size: PNG.length });
    const stored = readFileSync(path.join(dataDir, 'justificatifs', `${proof.fileReference}.bin`));
    expect(stored.includes(PNG.subarray(1, 8))).toBe(false);
    expect(readdirSync(path.join(dataDir, 'justificatifs'))).toHaveLength(1);
    expect(await db.task.findFirstOrThrow({ where: { id: proof.taskId! } })).toMatchObject({ status: 'done', answeredBy: 'participant' });

    // The referent (no Slack) gets a single-use link to read it.
    const download = await linkIn(REFERENT, /Justificatif reçu/);
    expect((await fetch(download)).status).toBe(200);
    const file = await fetch(download, { method: 'POST' });
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(download, { method: 'POST' })).status).toBe(410);
  });

  it('lets a commission member without Slack vote from the email’s link', async () => {
    const member = `membre-${run}@plie.test`;
    await db.staff.create({ data: { email: member, name: 'Marc Petit', roles: ['MEMBRE_COMMISSION'] } });
    const pathwayId = `parcours-${participantId}`;
    const caseId = commissionWorkflowId(pathwayId, 91);
    const input: CommissionInput = { pathwayId, participantId, session: 1, criterion: 'TEMPS_PARTIEL_COURT', members: [member], voteDays: 7, reminderAfterDays: 5, calendarOffsetDays: 0 };
    const commission = await client.workflow.start(COMMISSION_WORKFLOW, { workflowId: caseId, taskQueue, args: [input] });
    const link = await linkIn(member, /Voter en commission ad hoc/);

    const page = await browser.newPage();
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Vote de la commission');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Votre vote').selectOption({ label: 'Pour' });
    await page.getByLabel('Commentaire (facultatif)').fill('Emploi durable et choisi.');
    await screenshot(page, 'vote-commission');
    await page.getByRole('button', { name: 'Voter' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Réponse enregistrée');
    await page.close();
    // The only member voted: the vote closes, approved.
    expect(await commission.result()).toMatchObject({ outcome: 'approved', pour: 1 });
    expect(await db.commissionVote.findFirstOrThrow({ where: { caseId } })).toMatchObject({ vote: 'POUR', comment: 'Emploi durable et choisi.' });
  });

  it('refuses an expired link with a clear page', async () => {
    const task = await db.task.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}` } });
    const token = signLink({ purpose: 'proof-upload', subject: task.id, expiresAt: Date.now() - 1000 }, LINK_SECRET);
    const page = await browser.newPage();
    const response = await page.goto(`${web.url}/l/${token}`);
    expect(response!.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('Lien expiré');
    expect(await page.locator('main').textContent()).toContain('Demandez-en un nouveau');
    await screenshot(page, 'lien-expire');
    const forged = await page.goto(`${web.url}/l/${token.slice(0, -3)}abc`);
    expect(forged!.status()).toBe(400);
    await page.close();
  });
});
