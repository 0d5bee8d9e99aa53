/**
 * The staff's web console in headless Chromium, against the web process, the worker (dev server),
 * PostgreSQL and SMTP: sign-in by an emailed link (keyboard only), « Mes tâches » answered with the
 * same forms as Slack, the caseload, a participant's file and a fact noted on it; a referent cannot
 * open another's file; forms without their anti-forgery token, used links and ended sessions are
 * refused. Every page passes axe-core, and every flow is driven with the keyboard alone (Tab to each
 * control); only reloads and bookmarks go by address.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createProofStore } from '../../src/files/proof-store.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { addDays, parisDate, parisInstant } from '../../src/domain/dates.ts';
import { fileReference as fileReferenceOf } from '../../src/domain/participant.ts';
import type { RunningWeb } from '../../src/main/run-web.ts';
import { screenshot } from '../helpers/browser.ts';
import { byKeyboard } from '../helpers/keyboard.ts';
import { accessible, consoleSignIn, cookieHeader, signInMail, signInPath, submitMarche, waitFor } from '../helpers/console-browser.ts';
import { startBrowserStack, type BrowserStack } from '../helpers/browser-stack.ts';
import { LINK_SECRET, type WorkerStack } from '../helpers/worker.ts';
import { signInUrl } from '../../src/links/sign-in-link.ts';
import { signLink } from '../../src/links/signed-links.ts';
import { answerTask } from '../../src/temporal/pathway-client.ts';
import { registerProcurement } from '../../src/procurement/register.ts';
import { openSession, sessionCookieName } from '../../src/web/console/sessions.ts';
import { COMMISSION_WORKFLOW, commissionWorkflowId, type CommissionInput } from '../../workflows/pathway-messages.ts';

const run = randomBytes(3).toString('hex');
const COORDINATOR = `coordinatrice-${run}@plie.test`;
const REFERENT = `referente-${run}@plie.test`;
const OTHER_REFERENT = `autre-referent-${run}@plie.test`;
const PRESCRIBER = `prescriptrice-${run}@france-travail.test`;
const MEMBER = `membre-${run}@plie.test`;
const BUSINESS = `relation-entreprises-${run}@plie.test`;
const FACILITATOR = `facilitation-${run}@plie.test`;
const TOKEN = 'jeton-api-de-la-console-de-test';
const FILE_KEY = randomBytes(32).toString('base64');
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let running: BrowserStack;
let stack: WorkerStack;
let db: Db;
let web: RunningWeb;
const UI_ORIGIN = 'http://localhost:8233';
let browser: Browser;
let participantId: string;

beforeAll(async () => {
  running = await startBrowserStack({
    name: 'console',
    env: { TEMPORAL_UI_ORIGIN: UI_ORIGIN },
    coordinator: COORDINATOR,
    apiToken: TOKEN,
    fileKey: FILE_KEY,
    staff: [
      { email: COORDINATOR, name: 'Claire Martin', roles: ['COORDINATEUR'] },
      { email: REFERENT, name: 'Inès Moreau', roles: ['REFERENT'] },
      { email: OTHER_REFERENT, name: 'Karim Benali', roles: ['REFERENT'] },
      { email: PRESCRIBER, name: 'Julie Roux', roles: ['PRESCRIPTEUR'], organisation: 'FRANCE_TRAVAIL' },
      { email: MEMBER, name: 'Marc Petit', roles: ['MEMBRE_COMMISSION'] },
      { email: BUSINESS, name: 'Léa Fontaine', roles: ['CHARGE_RELATION_ENTREPRISE'] },
      { email: FACILITATOR, name: 'Paul Girard', roles: ['FACILITATEUR'] },
    ],
  });
  ({ stack, db, web, browser } = running);
  signIn = consoleSignIn(browser, web.url, stack.inbox);
});

afterAll(async () => {
  await running?.stop();
});

let signIn: ReturnType<typeof consoleSignIn>;
let coordinatorSession: Awaited<ReturnType<typeof signIn>> | undefined;
/** The coordinator's session, kept for the scenarios' last steps: one address gets at most five sign-in links in 15 minutes. */
const coordinator = async () => (coordinatorSession ??= await signIn(COORDINATOR));

describe('the staff’s web console (headless Chromium)', () => {
  it('signs a coordinator in by an emailed link, says the same whatever the address, and uses a link once', async () => {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(`${web.url}/connexion`);
    await accessible(page, 'Connexion');
    await screenshot(page, 'console-connexion');
    const kb = byKeyboard(page);
    // A badly typed address is said so, next to the field.
    await kb.type(page.getByLabel(/Adresse email professionnelle/), 'pas-une-adresse');
    await kb.activate(page.getByRole('button', { name: 'Recevoir un lien de connexion' }));
    await expect.poll(() => page.locator('#champ-email-erreur').textContent()).toContain('adresse email valide');
    // An unknown address gets the same answer as a known one, and no email.
    await kb.type(page.getByLabel(/Adresse email professionnelle/), `inconnue-${run}@plie.test`);
    await kb.activate(page.getByRole('button', { name: 'Recevoir un lien de connexion' }));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Vérifiez votre messagerie');
    const unknownAnswer = await page.locator('main').textContent();
    await accessible(page, 'Vérifiez votre messagerie');
    await anonymous.close();

    const { context, page: signedIn } = await signIn(COORDINATOR);
    expect(await signedIn.locator('main').textContent()).not.toContain('Vérifiez');
    await accessible(signedIn, 'Mes tâches');
    expect(await signedIn.locator('header').textContent()).toContain('Claire Martin');
    expect(await db.message.count({ where: { recipient: `inconnue-${run}@plie.test` } })).toBe(0);
    expect(unknownAnswer).toContain('Si cette adresse est celle d’un membre de l’équipe');
    expect(await db.auditEvent.count({ where: { actor: COORDINATOR, action: 'staff.sign_in', channel: 'web' } })).toBe(1);
    // The cookie: HttpOnly, SameSite=Lax, and only a hash of it is kept.
    const session = (await context.cookies()).find((c) => c.name === 'plie_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await db.staffSession.count({ where: { hash: session.value } })).toBe(0);
    await context.close();

    // The link worked once: a second use is refused.
    const used = signInPath(stack.inbox.messages.filter(signInMail(COORDINATOR)).at(-1)!);
    expect((await fetch(`${web.url}${used}`)).status).toBe(410);
    // A link asked sixteen minutes ago has expired, and says what to do.
    const stale = new URL(signInUrl('http://plie.test', { plieCode: 'CASA', email: COORDINATOR }, Date.now() - 16 * 60_000, LINK_SECRET)).pathname;
    const expired = await fetch(`${web.url}${stale}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Ce lien de connexion a expiré (il vaut 15 minutes).');
    // A link of another purpose (an email's task link) opens no session.
    const other = signLink({ purpose: 'task-answer', subject: `CASA:${COORDINATOR}`, expiresAt: Date.now() + 60_000 }, LINK_SECRET);
    expect((await fetch(`${web.url}/connexion/lien/${other}`)).status).toBe(400);
  });

  it('lets the coordination designate the referent from « Mes tâches », with the same form as Slack', async () => {
    participantId = await running.refer({ firstName: 'Nadia', lastName: `Haddad${run}`, birthDate: '1988-05-04', commune: 'Antibes', email: `nadia-${run}@exemple.fr` });
    await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}`, kind: 'assign_referent', status: 'open' } }));

    const { context, page } = await signIn(COORDINATOR);
    const kb = byKeyboard(page);
    await kb.activate(page.getByRole('link', { name: 'Désigner le ou la référent·e de parcours' }).first());
    await accessible(page, 'Désigner un·e référent·e');
    await kb.choose(page.getByLabel('Référent·e de parcours'), REFERENT);
    await screenshot(page, 'console-tache');
    await kb.activate(page.getByRole('button', { name: 'Désigner' }));
    await page.waitForURL(`${web.url}/taches?enregistre=1`);
    expect(await page.locator('.fr-alert--success').textContent()).toContain('Votre réponse est enregistrée');
    const task = await db.task.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}`, kind: 'assign_referent' } });
    expect(task).toMatchObject({ status: 'done', answeredBy: COORDINATOR, channel: 'web' });

    // The caseload: the coordination sees every pathway, and filters it.
    await kb.activate(page.getByRole('link', { name: 'Parcours' }));
    await accessible(page, 'Parcours du PLIE');
    await kb.choose(page.getByLabel('Référent·e'), REFERENT);
    await kb.activate(page.getByRole('button', { name: 'Filtrer' }));
    await expect.poll(() => page.locator('table').textContent()).toContain(`Haddad${run}`);
    await kb.choose(page.getByLabel('Référent·e'), OTHER_REFERENT);
    await kb.activate(page.getByRole('button', { name: 'Filtrer' }));
    await expect.poll(() => page.locator('main').textContent()).toContain('0 parcours');
    await context.close();
  });

  it('lets the referent answer the diagnostic, open the file and note a contact; another referent cannot open it', async () => {
    const pathwayId = `parcours-${participantId}`;
    await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } }));
    const { context, page } = await signIn(REFERENT);
    const kb = byKeyboard(page);
    await kb.activate(page.getByRole('link', { name: 'Décider de l’intégration après le diagnostic' }));
    await accessible(page, 'Diagnostic');
    await kb.choose(page.getByLabel('Décision'), 'integrate');
    await kb.date(page.getByLabel('Date d’entrée (facultatif)'), parisDate(new Date()));
    await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
    await page.waitForURL(`${web.url}/taches?enregistre=1`);
    await waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('active'));

    // Her caseload, then the file.
    await kb.activate(page.getByRole('link', { name: 'Parcours' }));
    await accessible(page, 'Mes parcours');
    await kb.activate(page.getByRole('link', { name: new RegExp(`Haddad${run}`) }));
    await expect.poll(() => page.locator('h1').textContent()).toContain(`Nadia Haddad${run}`);
    await accessible(page, (await page.locator('h1').textContent())!);
    expect(await page.locator('main').textContent()).toContain('Parcours actif');
    await screenshot(page, 'console-dossier');
    expect(await db.auditEvent.count({ where: { actor: REFERENT, action: 'participant.read', entityId: participantId, channel: 'web' } })).toBe(1);

    await kb.activate(page.getByRole('link', { name: 'Noter un fait sur le parcours' }));
    await accessible(page, 'Noter un fait sur le parcours');
    // The coordination's own action is not offered to a referent.
    expect(await page.getByRole('link', { name: 'Changer de référent·e' }).count()).toBe(0);
    await kb.activate(page.getByRole('link', { name: 'Noter un contact' }));
    await accessible(page, (await page.locator('h1').textContent())!);
    await kb.date(page.getByLabel('Date du contact'), parisDate(new Date()));
    await kb.choose(page.getByLabel('Mode de contact'), { index: 1 });
    await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?enregistre=1`);
    expect(await db.auditEvent.findFirstOrThrow({ where: { entityId: pathwayId, action: 'pathway.contact' } })).toMatchObject({ actor: REFERENT, channel: 'web' });
    await expect.poll(async () => { await page.reload(); return await page.locator('main').textContent(); }).toContain('Contact noté');

    // Rectification: only what is filled in changes, and eligibility is examined again.
    await kb.activate(page.getByRole('link', { name: 'Rectifier les informations de la personne' }));
    await accessible(page, 'Corriger la fiche');
    await kb.type(page.getByLabel('Commune de résidence (facultatif)'), 'Valbonne');
    await kb.activate(page.getByRole('button', { name: 'Corriger' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?rectifie=1`);
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ commune: 'Valbonne', firstName: 'Nadia' });
    expect(await db.eligibilityAssessment.count({ where: { participantId, source: 'rectification', actor: REFERENT } })).toBe(1);

    // A document received is downloaded decrypted from the file, and the download recorded.
    const reference = await createProofStore(path.join(running.dataDir, 'justificatifs'), FILE_KEY).save(PNG);
    const proof = await db.proof.create({ data: { participantId, kind: 'CONTRAT', receivedAt: new Date(), fileReference: reference, mimeType: 'image/png', size: PNG.length } });
    await page.goto(`${web.url}/participants/${participantId}`);
    const download = await fetch(`${web.url}${await page.getByRole('link', { name: 'Télécharger' }).getAttribute('href')}`, { headers: { cookie: await cookieHeader(context) } });
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await db.auditEvent.count({ where: { actor: REFERENT, action: 'participant.read', entityId: participantId, details: { path: ['what'], equals: `justificatif ${proof.id}` } } })).toBe(1);

    // A form sent without its anti-forgery token is refused, and nothing is recorded.
    const cookies = await cookieHeader(context);
    const forged = await fetch(`${web.url}/participants/${participantId}/action?fait=contactLogged`, {
      method: 'POST',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ date: parisDate(new Date()), mode: 'telephone' }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await db.auditEvent.count({ where: { entityId: pathwayId, action: 'pathway.contact' } })).toBe(1);

    // Sign-out ends the session: the same cookie opens nothing any more.
    await kb.activate(page.getByRole('button', { name: 'Se déconnecter' }));
    await page.waitForURL(`${web.url}/connexion?deconnecte=1`);
    const after = await fetch(`${web.url}/taches`, { headers: { cookie: cookies }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/connexion');
    await context.close();

    // Another referent: no such file, not even its name; and her caseload does not list it.
    const other = await signIn(OTHER_REFERENT);
    const refused = await other.page.goto(`${web.url}/participants/${participantId}`);
    expect(refused!.status()).toBe(404);
    expect(await other.page.locator('main').textContent()).not.toContain('Haddad');
    expect((await other.page.goto(`${web.url}/participants/${participantId}/action?fait=contactLogged`))!.status()).toBe(404);
    expect((await other.page.goto(`${web.url}/participants/${participantId}/rectifier`))!.status()).toBe(404);
    const proofOf = await db.proof.findFirstOrThrow({ where: { participantId } });
    expect((await fetch(`${web.url}/participants/${participantId}/justificatifs/${proofOf.id}`, { headers: { cookie: await cookieHeader(other.context) } })).status).toBe(404);
    await other.page.goto(`${web.url}/parcours`);
    expect(await other.page.locator('main').textContent()).toContain('0 parcours');
    await other.context.close();
  });

  it('lets the referent schedule an appointment, move it and cancel it: the person’s calendar follows', async () => {
    const person = `nadia-${run}@exemple.fr`;
    const { context, page } = await signIn(REFERENT);
    const kb = byKeyboard(page);
    const day = addDays(parisDate(new Date()), 9);
    await page.goto(`${web.url}/participants/${participantId}/action?fait=appointmentScheduled`);
    await kb.date(page.getByLabel('Date', { exact: true }), day);
    await kb.type(page.getByLabel('Heure (HH:MM)'), '10:00');
    await kb.type(page.getByLabel('Lieu (adresse)'), 'Antenne PLIE, 12 rue Clemenceau, Antibes');
    await kb.activate(page.getByRole('button', { name: 'Envoyer l’invitation' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?enregistre=1`);
    const ics = async (subject: string) => {
      const mail = await stack.inbox.waitFor((m) => m.to.includes(person) && m.subject === subject);
      return mail.raw.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8').replace(/\r\n /g, '');
    };
    expect(await ics('Votre prochain rendez-vous au PLIE')).toMatch(/^SEQUENCE:0$/m);

    // Moved to the next day in the afternoon: a new version of the same event.
    await page.reload();
    await kb.activate(page.getByRole('link', { name: /^Déplacer ou annuler le rendez-vous du/ }));
    await accessible(page, 'Déplacer ou annuler un rendez-vous');
    expect(await page.getByLabel('Heure (HH:MM)').inputValue()).toBe('10:00');
    await kb.date(page.getByLabel('Date', { exact: true }), addDays(day, 1));
    await kb.type(page.getByLabel('Heure (HH:MM)'), '14:30');
    await kb.activate(page.getByRole('button', { name: 'Déplacer et prévenir' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?enregistre=1`);
    const moved = await ics('Votre rendez-vous au PLIE est modifié');
    expect(moved).toMatch(/^METHOD:REQUEST$/m);
    expect(moved).toMatch(/^SEQUENCE:1$/m);
    expect(moved).toMatch(new RegExp(`^DTSTART;TZID=Europe/Paris:${addDays(day, 1).replaceAll('-', '')}T143000$`, 'm'));
    const appointment = await waitFor(async () => {
      const row = await db.appointment.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}`, place: { startsWith: 'Antenne PLIE' } } });
      expect(row.at.toISOString()).toBe(new Date(parisInstant(addDays(day, 1), '14:30')).toISOString());
      return row;
    });

    // Then cancelled: the invitation withdrawn.
    await page.goto(`${web.url}/participants/${participantId}/rendez-vous/${appointment.id}`);
    await kb.activate(page.getByRole('button', { name: 'Annuler ce rendez-vous' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?enregistre=1`);
    const cancelled = await ics('Votre rendez-vous au PLIE est annulé');
    expect(cancelled).toMatch(/^METHOD:CANCEL$/m);
    expect(cancelled).toMatch(/^SEQUENCE:2$/m);
    await waitFor(async () => expect((await db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).status).toBe('ANNULE'));
    expect(await db.auditEvent.count({ where: { entityId: `parcours-${participantId}`, action: { in: ['pathway.appointmentMoved', 'pathway.appointmentCancelled'] }, actor: REFERENT, channel: 'web' } })).toBe(2);
    // Nothing left to move: its page says so.
    expect((await page.goto(`${web.url}/participants/${participantId}/rendez-vous/${appointment.id}`))!.status()).toBe(404);
    await context.close();
  });

  it('lets the coordination read the bilan with its charts and download it; a referent may not', async () => {
    const { context, page } = await signIn(COORDINATOR);
    const kb = byKeyboard(page);
    await kb.activate(page.getByRole('link', { name: 'Bilan' }));
    await accessible(page, 'Bilan du PLIE');
    // By default, the year (or the protocol) to date: the participant who entered today counts.
    const today = parisDate(new Date());
    expect(await page.getByLabel('Au', { exact: true }).inputValue()).toBe(today);
    expect(await page.locator('section h2').count()).toBeGreaterThan(3);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-bilan');
    // A period the wrong way round is said so.
    await kb.date(page.getByLabel('Du', { exact: true }), today);
    await kb.date(page.getByLabel('Au', { exact: true }), `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`);
    await kb.activate(page.getByRole('button', { name: 'Calculer' }));
    await expect.poll(() => page.locator('#periode-erreur').textContent()).toBe('Le début de la période doit précéder sa fin.');

    const cookies = await cookieHeader(context);
    const period = `du=${today.slice(0, 4)}-01-01&au=${today}`;
    const xlsx = await fetch(`${web.url}/bilan/bilan.xlsx?${period}`, { headers: { cookie: cookies } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const fse = await fetch(`${web.url}/bilan/fse.csv?${period}`, { headers: { cookie: cookies } });
    expect(fse.headers.get('content-disposition')).toContain('attachment');
    // One line per entry in the period, the participant who entered today among them (other tests share the PLIE).
    expect((await fse.text()).split('\n').filter((l) => l.startsWith(`${fileReferenceOf(participantId)};`))).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { actor: COORDINATOR, action: 'report.fse_export', channel: 'web' } })).toBe(1);

    // The coordination entrusts the file to another referent, from the file itself.
    await page.goto(`${web.url}/participants/${participantId}`);
    await kb.activate(page.getByRole('link', { name: 'Noter un fait sur le parcours' }));
    await kb.activate(page.getByRole('link', { name: 'Changer de référent·e' }));
    await accessible(page, 'Changer de référent·e');
    await kb.choose(page.getByLabel('Nouveau ou nouvelle référent·e'), OTHER_REFERENT);
    await kb.type(page.getByLabel('Motif (facultatif)'), 'Réorganisation des portefeuilles.');
    await kb.activate(page.getByRole('button', { name: 'Confier le dossier' }));
    await page.waitForURL(`${web.url}/participants/${participantId}?enregistre=1`);
    await waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: `parcours-${participantId}` } })).referentEmail).toBe(OTHER_REFERENT));
    expect(await db.auditEvent.findFirstOrThrow({ where: { entityId: `parcours-${participantId}`, action: 'pathway.referentChanged' } })).toMatchObject({ actor: COORDINATOR, channel: 'web' });

    // The right of access, answered from the file: everything held on the person, readable or as JSON.
    const dataOf = async (name: string) => await fetch(`${web.url}${await page.getByRole('link', { name }).getAttribute('href')}`, { headers: { cookie: cookies } });
    const json = await dataOf('ses données (JSON)');
    expect(json.headers.get('content-disposition')).toContain(`donnees-${fileReferenceOf(participantId)}.json`);
    expect(((await json.json()) as { participant: { id: string } }).participant.id).toBe(participantId);
    expect(await (await dataOf('ses données (page lisible)')).text()).toContain(`<dt>Nom</dt><dd>Haddad${run}</dd>`);
    expect(await db.auditEvent.count({ where: { action: 'rgpd.export', actor: COORDINATOR, entityId: participantId, channel: 'web' } })).toBe(2);
    await context.close();

    const referent = await signIn(REFERENT);
    expect(await referent.page.getByRole('link', { name: 'Bilan' }).count()).toBe(0);
    expect((await referent.page.goto(`${web.url}/bilan`))!.status()).toBe(403);
    expect((await fetch(`${web.url}/bilan/fse.csv?${period}`, { headers: { cookie: await cookieHeader(referent.context) } })).status).toBe(403);
    await referent.context.close();
  });

  it('lets a prescriber refer a person and follow the outcome, and nothing more', async () => {
    const { context, page } = await signIn(PRESCRIBER);
    const kb = byKeyboard(page);
    expect(await page.getByRole('link', { name: 'Parcours' }).count()).toBe(0);
    await kb.activate(page.getByRole('link', { name: 'Orienter' }));
    await accessible(page, 'Orienter une personne');
    await kb.activate(page.getByRole('link', { name: 'Nouvelle orientation' }));
    await accessible(page, 'Nouvelle orientation');
    await kb.type(page.getByLabel('Nom', { exact: true }), `Diallo${run}`);
    await kb.type(page.getByLabel('Prénom', { exact: true }), 'Awa');
    await kb.date(page.getByLabel('Date de naissance'), '1990-02-03');
    await kb.type(page.getByLabel('Commune de résidence (facultatif)'), 'Vallauris');
    await kb.type(page.getByLabel(/^Email/), `awa-${run}@exemple.fr`);
    // Her organisation and her address are on her record: the form does not ask them.
    expect(await page.getByLabel('Prescripteur (facultatif)', { exact: true }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('Orientation au nom de France Travail (Julie Roux)');
    await kb.activate(page.getByRole('button', { name: 'Vérifier' }));
    await accessible(page, 'Vérifier l’orientation');
    expect(await page.locator('main').textContent()).toContain('Pré-contrôle d’éligibilité');
    await screenshot(page, 'console-orientation');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’orientation' }));
    await page.waitForURL(/\/orienter\?enregistre=/);
    await accessible(page, 'Orienter une personne');
    expect(await page.locator('table').textContent()).toContain('Orientée, en attente du diagnostic');

    const person = await db.participant.findFirstOrThrow({ where: { lastName: `Diallo${run}` } });
    expect(person).toMatchObject({ createdBy: PRESCRIBER, prescriber: 'FRANCE_TRAVAIL', prescriberContact: `Julie Roux <${PRESCRIBER}>` });
    // The pathway goes on without her: the coordination designates, the referent reorients.
    const pathwayId = `parcours-${person.id}`;
    const assign = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'assign_referent', status: 'open' } }));
    await answerTask(running.client, person.id, { taskId: assign.id, answer: { referentEmail: REFERENT }, actor: COORDINATOR, channel: 'cli' });
    const diagnostic = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } }));
    await answerTask(running.client, person.id, { taskId: diagnostic.id, answer: { decision: 'reorient', reason: 'Suivi par la Mission locale.' }, actor: REFERENT, channel: 'cli' });
    await expect.poll(async () => { await page.reload(); return await page.locator('table').textContent(); }, { timeout: 20_000 }).toContain('Réorientée');
    // And the word of the outcome reaches her, at the address of her record.
    await stack.inbox.waitFor((m) => m.to.includes(PRESCRIBER) && m.subject.includes(`Réorientation : dossier ${fileReferenceOf(person.id)}`));
    // Nothing of the pathway itself: neither the file nor the caseload.
    expect((await page.goto(`${web.url}/participants/${person.id}`))!.status()).toBe(404);
    expect((await page.goto(`${web.url}/parcours`))!.status()).toBe(403);
    expect((await page.goto(`${web.url}/actions-collectives`))!.status()).toBe(403);
    expect((await page.goto(`${web.url}/offres`))!.status()).toBe(403);
    await context.close();
  });

  it('lets a commission member vote from the commission’s page and see the decision', async () => {
    const pathwayId = `parcours-${participantId}`;
    const caseId = commissionWorkflowId(pathwayId, 91);
    const input: CommissionInput = { pathwayId, participantId, session: 1, criterion: 'TEMPS_PARTIEL_COURT', members: [MEMBER], voteDays: 7, reminderAfterDays: 5, calendarOffsetDays: 0 };
    await running.client.workflow.start(COMMISSION_WORKFLOW, { workflowId: caseId, taskQueue: running.taskQueue, args: [input] });
    await waitFor(async () => await db.task.findFirstOrThrow({ where: { commissionCaseId: caseId, status: 'open' } }));

    const { context, page } = await signIn(MEMBER);
    const kb = byKeyboard(page);
    // A member sees the commission, not the caseload nor the bilan.
    expect(await page.getByRole('link', { name: 'Parcours' }).count()).toBe(0);
    await kb.activate(page.getByRole('link', { name: 'Commission', exact: true }));
    await accessible(page, 'Commission ad hoc');
    // Pseudonymised: initials, never the name.
    expect(await page.locator('main').textContent()).not.toContain(`Haddad${run}`);
    await screenshot(page, 'console-commission');
    await kb.activate(page.getByRole('link', { name: 'Voter' }));
    await accessible(page, (await page.locator('h1').textContent())!);
    await kb.choose(page.getByLabel('Votre vote'), 'pour');
    await kb.activate(page.getByRole('button', { name: 'Voter' }));
    await page.waitForURL(`${web.url}/taches?enregistre=1`);
    await waitFor(async () => expect((await db.commissionCase.findUniqueOrThrow({ where: { id: caseId } })).outcome).toBe('approved'));
    await page.goto(`${web.url}/commission`);
    expect(await page.locator('main').textContent()).toContain('Sortie positive accordée');
    expect((await db.commissionVote.findFirstOrThrow({ where: { caseId } })).vote).toBe('POUR');
    await context.close();
  });

  it('lets the coordination send again a message the mail server refused', async () => {
    const address = `refusee-${run}@exemple.fr`;
    stack.inbox.rejected.add(address);
    const person = await running.refer({ firstName: 'Lina', lastName: `Roche${run}`, birthDate: '1979-11-12', commune: 'Antibes', email: address });
    const pathwayId = `parcours-${person}`;
    const assign = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'assign_referent', status: 'open' } }));
    await answerTask(running.client, person, { taskId: assign.id, answer: { referentEmail: REFERENT }, actor: COORDINATOR, channel: 'cli' });
    const refused = await waitFor(async () => await db.message.findFirstOrThrow({ where: { pathwayId, recipient: address, status: 'refused' } }));

    const { context, page } = await signIn(COORDINATOR);
    const kb = byKeyboard(page);
    await kb.activate(page.getByRole('link', { name: 'Messages', exact: true }));
    await accessible(page, 'Messages non envoyés');
    expect(await page.locator('main').textContent()).toContain(address);
    await screenshot(page, 'console-messages');
    // The address works again (the person's mailbox was full): sent again, under the same key.
    stack.inbox.rejected.delete(address);
    await kb.activate(page.getByRole('button', { name: new RegExp(`^Renvoyer : .*${fileReferenceOf(person)}`) }).first());
    await page.waitForURL(`${web.url}/messages?renvoye=1`);
    await waitFor(async () => expect((await db.message.findUniqueOrThrow({ where: { id: refused.id } })).status).toBe('sent'));
    expect(stack.inbox.count((m) => m.to.includes(address))).toBe(1);
    expect(await db.auditEvent.count({ where: { actor: COORDINATOR, action: 'message.resend', entityId: pathwayId } })).toBe(1);

    // A reminder refused at first whose appointment was cancelled since (Nadia's, above): not offered again, and refused if asked.
    const invitation = await db.message.findFirstOrThrow({ where: { pathwayId: `parcours-${participantId}`, template: 'rendez_vous' } });
    const stale = await db.message.create({
      data: { idempotencyKey: invitation.idempotencyKey.replace(/\/invitation$/, '/rappel/7'), channel: 'email', template: 'rendez_vous.rappel', recipient: invitation.recipient, pathwayId: invitation.pathwayId, status: 'refused', error: '552 boîte pleine' },
    });
    await page.reload();
    const staleRow = page.getByRole('row').filter({ hasText: fileReferenceOf(participantId) });
    expect(await staleRow.textContent()).toContain('Ne part plus : le rendez-vous a été annulé depuis.');
    expect(await staleRow.getByRole('button', { name: /^Renvoyer/ }).count()).toBe(0);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const asked = await fetch(`${web.url}/messages/${stale.id}/renvoyer`, {
      method: 'POST',
      headers: { cookie: await cookieHeader(context), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    expect(asked.status).toBe(409);
    expect(await asked.text()).toContain('le rendez-vous a été annulé depuis');
    expect(await db.auditEvent.count({ where: { action: 'message.resend', details: { path: ['messageId'], equals: stale.id } } })).toBe(0);

    // A marché's monthly request the company's server refused: listed under its marché, and sent again to the company.
    const contact = `rh-${run}@entreprise.test`;
    const start = parisDate(new Date());
    const marche = await registerProcurement(db, 'CASA', { reference: `REFUS-${run}`, buyer: 'Ville d’Antibes', title: 'Propreté des plages', company: 'Azur Net', contactName: 'Service RH', contactEmail: contact, sector: 'AUTRE', clauseHours: 400, start, end: addDays(start, 200) }, COORDINATOR);
    const request = await db.message.create({
      data: { idempotencyKey: `marche/${marche.id}/${start.slice(0, 7)}/request/1`, channel: 'email', template: 'marche.heures.request', recipient: contact, status: 'refused', error: '550 boîte inconnue' },
    });
    await page.reload();
    await kb.activate(page.getByRole('button', { name: `Renvoyer : Heures du mois demandées à l’entreprise, marché REFUS-${run}` }));
    expect(page.url()).toBe(`${web.url}/messages?renvoye=1`);
    const sentAgain = await stack.inbox.waitFor((m) => m.to.includes(contact));
    expect(sentAgain.subject).toContain(`REFUS-${run}`);
    await waitFor(async () => expect((await db.message.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('sent'));
    expect(await db.auditEvent.count({ where: { actor: COORDINATOR, action: 'message.resend', entityType: 'marche', entityId: marche.id } })).toBe(1);
    // A request for a month validated since asks nothing any more: not offered again, and refused if asked.
    await db.hoursDeclaration.create({ data: { procurementId: marche.id, personId: 'C1', month: '2025-12', hours: 35, status: 'VALIDEE', declaredBy: COORDINATOR, declaredAt: new Date() } });
    const answered = await db.message.create({ data: { idempotencyKey: `marche/${marche.id}/2025-12/request/1`, channel: 'email', template: 'marche.heures.request', recipient: contact, status: 'refused' } });
    await page.reload();
    expect(await page.locator('main').textContent()).toContain('Ne part plus : les heures de ce mois sont validées.');
    const askedAgain = await fetch(`${web.url}/messages/${answered.id}/renvoyer`, {
      method: 'POST',
      headers: { cookie: await cookieHeader(context), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: await page.locator('input[name="_csrf"]').first().inputValue() }).toString(),
      redirect: 'manual',
    });
    expect(askedAgain.status).toBe(409);
    await context.close();

    // Not for a referent.
    const referent = await signIn(REFERENT);
    expect(await referent.page.getByRole('link', { name: 'Messages', exact: true }).count()).toBe(0);
    expect((await referent.page.goto(`${web.url}/messages`))!.status()).toBe(403);
    await referent.context.close();
  });

  it('lets the relation entreprises register a job offer, follow its « mises en relation », and the coordination close it', async () => {
    // Someone in pathway whose wish the offer answers.
    const sector = `Maraîchage ${run}`;
    const person = await running.refer({ firstName: 'Hugo', lastName: `Marchal${run}`, birthDate: '1985-03-09', commune: 'Antibes', email: `hugo-${run}@exemple.fr` });
    const pathwayId = `parcours-${person}`;
    const assign = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'assign_referent', status: 'open' } }));
    await answerTask(running.client, person, { taskId: assign.id, answer: { referentEmail: REFERENT }, actor: COORDINATOR, channel: 'cli' });
    const diagnostic = await waitFor(async () => await db.task.findFirstOrThrow({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } }));
    await answerTask(running.client, person, { taskId: diagnostic.id, answer: { decision: 'integrate', entryDate: parisDate(new Date()) }, actor: REFERENT, channel: 'cli' });
    await waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('active'));
    await db.participant.update({ where: { id: person }, data: { sectorWishes: [sector] } });

    const { context, page } = await signIn(BUSINESS);
    const kb = byKeyboard(page);
    await kb.activate(page.getByRole('link', { name: 'Offres', exact: true }));
    await accessible(page, 'Offres d’emploi');
    await kb.activate(page.getByRole('link', { name: 'Nouvelle offre' }));
    await accessible(page, 'Nouvelle offre d’emploi');
    // A missing field is said next to it, and nothing is recorded.
    await kb.type(page.getByLabel('Intitulé du poste'), 'Ouvrier·e maraîcher·e');
    await kb.type(page.getByLabel(/^Secteur/), sector);
    await kb.choose(page.getByLabel('Type de contrat'), 'CDD');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’offre' }));
    await expect.poll(() => page.locator('.fr-alert--error').textContent()).toContain('Entreprise');
    expect(await db.jobOffer.count({ where: { sector } })).toBe(0);
    await kb.type(page.getByLabel('Entreprise', { exact: true }), 'Les Jardins de Biot');
    await kb.type(page.getByLabel('Heures par semaine (facultatif)'), '24');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’offre' }));
    await page.waitForURL(/\/offres\/[\w-]+\?enregistree=1$/);
    await accessible(page, 'Ouvrier·e maraîcher·e — Les Jardins de Biot');
    const offer = await db.jobOffer.findFirstOrThrow({ where: { sector } });
    expect(offer).toMatchObject({ plieCode: 'CASA', company: 'Les Jardins de Biot', contractType: 'CDD', weeklyHours: 24, createdBy: BUSINESS, status: 'OUVERTE' });
    expect(await db.auditEvent.count({ where: { action: 'offer.register', entityId: offer.id, actor: BUSINESS, channel: 'web' } })).toBe(1);
    // The person it answers, by file number and initials only; the offer is put to her referent.
    const ref = fileReferenceOf(person);
    await expect.poll(async () => { await page.reload(); return await page.getByRole('table', { name: 'Mises en relation' }).textContent(); }, { timeout: 20_000 }).toContain(`${ref} (H. M.)`);
    expect(await page.locator('main').textContent()).not.toContain(`Marchal${run}`);
    // Closing is the coordination's.
    expect(await page.getByRole('button', { name: 'Clore l’offre' }).count()).toBe(0);
    await screenshot(page, 'console-offre');
    await context.close();

    const coordination = await coordinator();
    await coordination.page.goto(`${web.url}/offres/${offer.id}`);
    await byKeyboard(coordination.page).activate(coordination.page.getByRole('button', { name: 'Clore l’offre' }));
    await coordination.page.waitForURL(`${web.url}/offres/${offer.id}?close=1`);
    await waitFor(async () => expect((await db.jobOffer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('CLOSE'));

    // Not for a referent, not even by its address.
    const referent = await signIn(REFERENT);
    expect(await referent.page.getByRole('link', { name: 'Offres', exact: true }).count()).toBe(0);
    expect((await referent.page.goto(`${web.url}/offres/${offer.id}`))!.status()).toBe(403);
    await referent.context.close();
  });

  it('lets the clause facilitation register a marché, check people against the clause, record a hire and download the bilan', async () => {
    const reference = `M-${run}`;
    const today = parisDate(new Date());
    const { context, page } = await signIn(FACILITATOR);
    const kb = byKeyboard(page);
    // The facilitation follows marchés, nothing of the pathways.
    expect(await page.getByRole('link', { name: 'Parcours' }).count()).toBe(0);
    await kb.activate(page.getByRole('link', { name: 'Marchés', exact: true }));
    await accessible(page, 'Marchés à clause d’insertion');
    await kb.activate(page.getByRole('link', { name: 'Nouveau marché' }));
    await accessible(page, 'Nouveau marché à clause d’insertion');
    const marche = { reference, buyer: 'Communauté d’agglomération Sophia Antipolis', title: 'Réhabilitation du gymnase', company: 'Bâtisseurs Azuréens', contactName: 'Nora Blanc', contactEmail: `rh-${run}@batisseurs.test`, sector: 'BTP' as const, clauseHours: 1200 };
    await submitMarche(page, { ...marche, start: addDays(today, -20), end: addDays(today, -30) });
    // The end before the start is said next to it; nothing is recorded.
    await expect.poll(() => page.locator('#champ-end-erreur, .fr-error-text').first().textContent()).toContain('la fin du marché doit suivre son début');
    expect(await db.procurement.count({ where: { externalId: reference } })).toBe(0);
    await submitMarche(page, { ...marche, start: addDays(today, -20), end: addDays(today, 365) });
    await page.waitForURL(/\/marches\/[\w-]+\?enregistre=1$/);
    await accessible(page, `Marché ${reference}`);
    const procurement = await db.procurement.findFirstOrThrow({ where: { externalId: reference } });
    expect(procurement).toMatchObject({ plieCode: 'CASA', plannedHours: 1200, createdBy: FACILITATOR, status: 'EN_COURS' });
    expect(await db.auditEvent.count({ where: { action: 'marche.register', entityId: procurement.id, actor: FACILITATOR, channel: 'web' } })).toBe(1);

    // Two people proposed: one on the RSA (a public of the clause), one who is not of its publics.
    const propose = async (personId: string, birthDate: string, minimumIncome?: string) => {
      await kb.type(page.getByLabel(/^Identifiant de la personne/), personId);
      await kb.date(page.getByLabel('Date de naissance'), birthDate);
      if (minimumIncome) await kb.choose(page.getByLabel('Minimum social (facultatif)'), minimumIncome);
      await kb.activate(page.getByRole('button', { name: 'Vérifier et proposer' }));
      await expect.poll(() => page.getByRole('table', { name: 'Personnes proposées' }).textContent()).toContain(personId);
    };
    await propose(`C${run}A`, '1984-06-02', 'RSA');
    expect(await page.locator('.fr-alert--success').first().textContent()).toContain('éligible à la clause');
    await propose(`C${run}B`, '1990-01-15');
    expect(await page.locator('.fr-alert--warning').first().textContent()).toContain('non éligible');
    await accessible(page, `Marché ${reference}`);

    // The hire: only the eligible one may be chosen.
    const choices = await page.getByLabel('Personne embauchée').locator('option').allTextContents();
    expect(choices).toEqual(['Choisir', `C${run}A`]);
    await kb.choose(page.getByLabel('Personne embauchée'), `C${run}A`);
    await kb.choose(page.getByLabel('Type de contrat'), 'CDD');
    await kb.date(page.getByLabel('Début du contrat'), today);
    await kb.date(page.getByLabel('Fin prévue (facultatif)'), addDays(today, 180));
    await kb.type(page.getByLabel('Heures par semaine'), '35');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’embauche' }));
    await page.waitForURL(`${web.url}/marches/${procurement.id}?embauche=1`);
    expect(await page.getByRole('table', { name: 'Contrats de la clause' }).textContent()).toContain(`C${run}A`);
    expect(await db.clauseContract.findFirstOrThrow({ where: { procurementId: procurement.id } })).toMatchObject({ personId: `C${run}A`, type: 'CDD' });
    // Hours and closing are for whoever follows the marchés (her, a facilitator by her role) and the coordination.
    expect(await page.getByRole('button', { name: 'Clore le marché' }).count()).toBe(1);
    await screenshot(page, 'console-marche');
    const xlsx = await fetch(`${web.url}/marches/${procurement.id}/bilan.xlsx`, { headers: { cookie: await cookieHeader(context) } });
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    await context.close();

    // The coordination closes it (the facilitation of the PLIE's configuration may too).
    const coordination = await coordinator();
    await coordination.page.goto(`${web.url}/marches/${procurement.id}`);
    await byKeyboard(coordination.page).activate(coordination.page.getByRole('button', { name: 'Clore le marché' }));
    await coordination.page.waitForURL(`${web.url}/marches/${procurement.id}?clos=1`);
    await waitFor(async () => expect((await db.procurement.findUniqueOrThrow({ where: { id: procurement.id } })).status).toBe('CLOS'));

    // A referent follows no marché.
    const referent = await signIn(OTHER_REFERENT);
    expect((await referent.page.goto(`${web.url}/marches/${procurement.id}`))!.status()).toBe(403);
    await referent.context.close();
  });

  it('decodes Temporal’s payloads for its Web UI, to a coordinator or an administrator signed in to the console only, each call audited', async () => {
    const suffix = randomBytes(3).toString('hex');
    const people = { coordinator: `coord.codec.${suffix}@plie.test`, admin: `admin.codec.${suffix}@plie.test`, referent: `ref.codec.${suffix}@plie.test` };
    await db.staff.createMany({ data: [
      { plieCode: 'CASA', email: people.coordinator, name: 'Cora', roles: ['COORDINATEUR'] },
      { plieCode: 'CASA', email: people.admin, name: 'Adam', roles: ['ADMIN'] },
      { plieCode: 'CASA', email: people.referent, name: 'Rémi', roles: ['REFERENT'] },
    ] });
    const cookieOf = async (email: string) => `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: 'CASA', email, method: 'email-link' }, Date.now())}`;
    const clear = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ lastName: `Haddad${suffix}` })) };
    const [encrypted] = await running.client.options.loadedDataConverter.payloadCodecs[0]!.encode([clear]);
    const asJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    });
    const decode = (cookie: string | null, payloads: unknown[] = [asJson(encrypted!)]) =>
      fetch(`${web.url}/codec/decode`, { method: 'POST', headers: { origin: UI_ORIGIN, 'content-type': 'application/json', 'x-namespace': 'default', ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ payloads }) });

    const decoded = await decode(await cookieOf(people.coordinator));
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await decoded.json())).toEqual({ payloads: [asJson(clear)] });
    expect((await decode(await cookieOf(people.admin))).status).toBe(200);
    expect(await db.auditEvent.count({ where: { action: 'temporal.decode', actor: { in: [people.coordinator, people.admin] }, channel: 'web' } })).toBe(2);

    // Nobody else, and nothing undecipherable.
    expect((await decode(await cookieOf(people.referent))).status).toBe(403);
    expect((await decode(null)).status).toBe(401);
    const forged = { metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('k1').toString('base64') }, data: randomBytes(40).toString('base64') };
    expect((await decode(await cookieOf(people.coordinator), [forged])).status).toBe(400);
    expect((await decode(await cookieOf(people.coordinator), [{ data: 'pas du base64 !' }])).status).toBe(400);
    // The UI's preflight, from its origin only.
    const preflight = await fetch(`${web.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const elsewhere = await fetch(`${web.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://ailleurs.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ends the session of someone deactivated at once', async () => {
    const { context } = await signIn(OTHER_REFERENT);
    const cookies = await cookieHeader(context);
    expect((await fetch(`${web.url}/taches`, { headers: { cookie: cookies }, redirect: 'manual' })).status).toBe(200);
    await db.staff.updateMany({ where: { email: OTHER_REFERENT }, data: { active: false } });
    expect((await fetch(`${web.url}/taches`, { headers: { cookie: cookies }, redirect: 'manual' })).status).toBe(303);
    await context.close();
  });
});
