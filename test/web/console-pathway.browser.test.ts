/**
 * A referent without Slack drives a person from the referral to the exit in the console alone, in
 * headless Chromium, on Temporal's time-skipping server: the six months of follow-up in employment
 * pass in seconds, each monthly check answered from « Mes tâches », the exit confirmed there. Her
 * small PLIE gives every eligible referral to her (« par règle »), so nobody else acts. She uses the
 * keyboard alone: every link, field, list and button is reached by Tab.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { CASA_CONFIG, plieConfigSchema } from '../../src/domain/plie-config.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { accessible, consoleSignIn, cookieHeader, submitMarche, waitFor } from '../helpers/console-browser.ts';
import { byKeyboard } from '../helpers/keyboard.ts';
import { uniqueQueue } from '../helpers/settings.ts';
import { startChannelsStack, type ChannelsStack } from '../helpers/time-skipping-channels.ts';

const run = randomBytes(3).toString('hex');
const REFERENT = `referente-seule-${run}@plie.test`;
const COORDINATOR = `coordination-${run}@plie.test`;
const DAY = 24 * 3_600_000;
const today = parisDate(new Date());
// The protocol runs around today, whatever the day the test runs.
const plie = plieConfigSchema.parse({
  ...CASA_CONFIG,
  code: `SEUL${run.toUpperCase()}`,
  name: 'PLIE à une référente',
  coordinationEmail: COORDINATOR,
  assignment: { autoReferentEmail: REFERENT },
  // This PLIE lets its referents read its bilan.
  bilanReaders: ['REFERENT'],
  protocol: { from: addDays(today, -400), to: addDays(today, 800) },
  earlierProtocols: [],
});

let channels: ChannelsStack;
let browser: Browser;

beforeAll(async () => {
  channels = await startChannelsStack({
    taskQueue: uniqueQueue('console-parcours'),
    coordinatorEmail: COORDINATOR,
    servedPlie: plie,
    staff: [
      { email: REFERENT, name: 'Sophie Garnier', roles: ['REFERENT'] },
      { email: COORDINATOR, name: 'Coordination', roles: ['COORDINATEUR'] },
    ],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await channels?.close();
});

/** Refers an eligible person from « Orienter », as the signed-in person, with the keyboard alone. */
async function referInBrowser(page: Page, lastName: string, firstName: string): Promise<void> {
  const kb = byKeyboard(page);
  await kb.activate(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Orienter' }));
  await kb.activate(page.getByRole('link', { name: 'Nouvelle orientation' }));
  await kb.type(page.getByLabel('Nom', { exact: true }), lastName);
  await kb.type(page.getByLabel('Prénom', { exact: true }), firstName);
  await kb.date(page.getByLabel('Date de naissance'), '1981-09-17');
  await kb.type(page.getByLabel('Commune de résidence (facultatif)'), 'Antibes');
  await kb.type(page.getByLabel(/^Email/), `${firstName.toLowerCase()}-${run}@exemple.fr`);
  await kb.choose(page.getByLabel('Minimum social (facultatif)'), 'RSA');
  await kb.choose(page.getByLabel('En recherche active d’emploi (facultatif)'), 'oui');
  await kb.choose(page.getByLabel(/^A besoin d’un accompagnement/), 'oui');
  await kb.choose(page.getByLabel(/^Apte et volontaire pour un parcours/), 'oui');
  await kb.activate(page.getByRole('button', { name: 'Vérifier' }));
  await accessible(page, 'Vérifier l’orientation');
  expect(await page.locator('.fr-alert').first().textContent()).toContain('Pré-contrôle d’éligibilité : éligible');
  await kb.activate(page.getByRole('button', { name: 'Enregistrer l’orientation' }));
  expect(page.url()).toMatch(/\/orienter\?enregistre=/);
}

/** Answers the open task titled `title` from « Mes tâches », filling the form with `fill`, with the keyboard alone. */
async function answerInBrowser(page: Page, title: string, fill: () => Promise<void>): Promise<void> {
  const { url } = channels.web;
  const kb = byKeyboard(page);
  // The task comes once the workflow opened it: the list is reloaded (F5) until it shows.
  await waitFor(async () => {
    await page.goto(`${url}/taches`);
    expect(await page.getByRole('link', { name: title }).count()).toBe(1);
  });
  await kb.activate(page.getByRole('link', { name: title }));
  await accessible(page, (await page.locator('h1').textContent())!);
  await fill();
  await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
  expect(page.url()).toBe(`${url}/taches?enregistre=1`);
}

describe('a pathway driven in the console alone (time-skipping)', { timeout: 240_000 }, () => {
  it('takes a person from the referral to the exit, the follow-up time-skipped', async () => {
    const { env, stack, web } = channels;
    const { db } = stack;
    const signIn = consoleSignIn(browser, web.url, stack.inbox);
    const { context, page } = await signIn(REFERENT);

    // The referral, with the facts that make the person eligible.
    await referInBrowser(page, `Lefèvre${run}`, 'Yasmina');
    const person = await db.participant.findFirstOrThrow({ where: { lastName: `Lefèvre${run}` } });
    expect(person).toMatchObject({ plieCode: plie.code, createdBy: REFERENT });
    const pathwayId = `parcours-${person.id}`;

    const answer = (title: string, fill: () => Promise<void>) => answerInBrowser(page, title, fill);
    const kb = byKeyboard(page);
    const stage = async () => (await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage;

    // Hers by the PLIE's rule: the diagnostic comes to her at once.
    const entry = parisDate(await env.currentTimeMs());
    await answer('Décider de l’intégration après le diagnostic', async () => {
      await kb.choose(page.getByLabel('Décision'), 'integrate');
      await kb.date(page.getByLabel('Date d’entrée (facultatif)'), entry);
    });
    await waitFor(async () => expect(await stage()).toBe('active'));

    // A CDI signed, noted on the file, found in her caseload: the follow-up in employment begins.
    await kb.activate(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Parcours' }));
    await kb.activate(page.getByRole('link', { name: new RegExp(`Lefèvre${run}`, 'i') }));
    expect(new URL(page.url()).pathname).toBe(`/participants/${person.id}`);
    await kb.activate(page.getByRole('link', { name: 'Noter un fait sur le parcours' }));
    await kb.activate(page.getByRole('link', { name: 'Contrat signé' }));
    await accessible(page, 'Contrat de travail');
    await kb.choose(page.getByLabel('Type de contrat'), 'CDI');
    await kb.date(page.getByLabel('Début', { exact: true }), entry);
    await kb.type(page.getByLabel('Heures par semaine'), '35');
    await kb.type(page.getByLabel('Employeur (facultatif)'), 'Boulangerie du Port');
    await kb.choose(page.getByLabel('Structure d’insertion (IAE)'), 'AUCUNE');
    await kb.choose(page.getByLabel('Contrat aidé (PEC, CUI…)'), 'non');
    await kb.choose(page.getByLabel('Secteur marchand'), 'oui');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
    expect(page.url()).toBe(`${web.url}/participants/${person.id}?enregistre=1`);
    await waitFor(async () => expect(await stage()).toBe('followUp'));

    // Each month of the follow-up, its check, answered in the console: still in post.
    for (let month = 1; month <= 5; month++) {
      await env.sleep(31 * DAY);
      await answer('Confirmer la situation du mois (suivi en emploi)', async () => {
        await kb.choose(page.getByLabel('La personne est-elle toujours en poste ?'), 'oui');
        await kb.type(page.getByLabel('Heures travaillées ce mois-ci (facultatif)'), '151');
      });
      await waitFor(async () => expect(await db.task.count({ where: { pathwayId, kind: 'follow_up_check', status: 'done', answeredBy: REFERENT, channel: 'web' } })).toBe(month));
    }

    // Six months in employment: the exit is hers to confirm.
    await env.sleep(31 * DAY);
    await waitFor(async () => expect(await stage()).toBe('exitPending'));
    await answer('Confirmer la sortie du parcours', async () => {
      await kb.choose(page.getByLabel('Confirmer la sortie ?'), 'oui');
    });
    await waitFor(async () => expect(await stage()).toBe('exited'));

    // The file tells the story; the referral's page, its outcome.
    await kb.activate(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Parcours' }));
    // Out of the pathways under way: the filter « Toutes » finds her again.
    await kb.choose(page.getByLabel('Étape'), 'toutes');
    await kb.activate(page.getByRole('button', { name: 'Filtrer' }));
    await kb.activate(page.getByRole('link', { name: new RegExp(`Lefèvre${run}`, 'i') }));
    expect(new URL(page.url()).pathname).toBe(`/participants/${person.id}`);
    await accessible(page, (await page.locator('h1').textContent())!);
    const file = (await page.locator('main').textContent())!;
    expect(await page.getByRole('table', { name: 'Sorties' }).textContent()).toContain('Sortie positiveEn emploioui');
    expect(file).toContain('Tâche close sans réponse');
    expect(file).toContain('Boulangerie du Port');
    await kb.activate(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Orienter' }));
    expect(await page.locator('table').textContent()).toContain('Sortie du PLIE');
    expect(await page.locator('table').textContent()).toContain(fileReference(person.id));

    // Everything was done by her, in the console, and nothing by anyone else.
    const tasks = await db.task.findMany({ where: { pathwayId, status: 'done', kind: { in: ['diagnostic_decision', 'follow_up_check', 'confirm_exit'] } } });
    expect(tasks.map((t) => [t.kind, t.answeredBy, t.channel]).sort()).toEqual([
      ['confirm_exit', REFERENT, 'web'],
      ['diagnostic_decision', REFERENT, 'web'],
      ...Array.from({ length: 5 }, () => ['follow_up_check', REFERENT, 'web']),
    ]);
    // A positive exit to employment in CDI, counted as such in the bilan.
    expect(await db.exit.findFirstOrThrow({ where: { participantId: person.id } })).toMatchObject({ type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, declared: false });
    expect(await db.auditEvent.count({ where: { entityId: pathwayId, actor: { not: REFERENT }, channel: { in: ['web', 'slack', 'http', 'cli'] } } })).toBe(0);
    await context.close();
  });

  it('lets her run a collective action: created, people invited, then who came recorded after it', async () => {
    const { env, stack, web } = channels;
    const { db } = stack;
    const { context, page } = await consoleSignIn(browser, web.url, stack.inbox)(REFERENT);
    const kb = byKeyboard(page);
    await referInBrowser(page, `Atelier${run}`, 'Malik');
    const person = await db.participant.findFirstOrThrow({ where: { lastName: `Atelier${run}` } });
    const today = parisDate(await env.currentTimeMs());
    await answerInBrowser(page, 'Décider de l’intégration après le diagnostic', async () => {
      await kb.choose(page.getByLabel('Décision'), 'integrate');
      await kb.date(page.getByLabel(/^Date d’entrée/), today);
    });
    await waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: `parcours-${person.id}` } })).stage).toBe('active'));

    // Tomorrow afternoon, organised by her.
    const tomorrow = addDays(today, 1);
    await kb.activate(page.getByRole('link', { name: 'Actions collectives' }));
    await accessible(page, 'Actions collectives');
    await kb.activate(page.getByRole('link', { name: 'Nouvelle action' }));
    await accessible(page, 'Nouvelle action collective');
    await kb.choose(page.getByLabel('Type'), 'ATELIER_DECOUVERTE');
    await kb.type(page.getByLabel('Intitulé'), 'Les métiers du soin');
    await kb.date(page.getByLabel('Date', { exact: true }), tomorrow);
    await kb.type(page.getByLabel('Heure (HH:MM)'), '25:00');
    await kb.type(page.getByLabel('Lieu (adresse)'), 'PLIE, 1 place du Général-de-Gaulle, Antibes');
    expect(await page.getByLabel(/^Qui organise/).inputValue()).toBe(REFERENT);
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’action' }));
    // A wrong hour is said next to its field, and nothing is recorded.
    await expect.poll(() => page.locator('.fr-error-text').first().textContent()).toContain('heure invalide');
    expect(await db.collectiveAction.count({ where: { plieCode: plie.code } })).toBe(0);
    await kb.type(page.getByLabel('Heure (HH:MM)'), '14:00');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’action' }));
    await page.waitForURL(/\/actions-collectives\/[\w-]+\?enregistree=1$/);
    await accessible(page, 'Atelier découverte des métiers « Les métiers du soin »');
    const action = await db.collectiveAction.findFirstOrThrow({ where: { plieCode: plie.code } });
    expect(action).toMatchObject({ organizerEmail: REFERENT, createdBy: REFERENT, durationMinutes: 120 });

    // She looks for someone she follows, by a name nobody has, then by file number: the invitation goes by email.
    const ref = fileReference(person.id);
    const search = async (words: string) => {
      await kb.type(page.getByLabel('Chercher une personne (nom ou numéro de dossier)'), words);
      await kb.activate(page.getByRole('button', { name: 'Chercher' }));
    };
    await search(`Personne${run}`);
    expect(await page.locator('main').textContent()).toContain('Personne d’autre à inviter sous ce nom ou ce numéro.');
    await search(`malik atelier${run}`);
    expect(await page.locator('main').textContent()).toContain(`1 personne(s) en parcours pour « malik atelier${run} ».`);
    await search(ref.toLowerCase());
    await accessible(page, 'Atelier découverte des métiers « Les métiers du soin »');
    expect(await page.locator('main').textContent()).toContain(`1 personne(s) en parcours pour « ${ref.toLowerCase()} ».`);
    await kb.toggle(page.getByLabel(new RegExp(`^Atelier${run} Malik — dossier ${ref}`)));
    await kb.activate(page.getByRole('button', { name: 'Inviter' }));
    await page.waitForURL(`${web.url}/actions-collectives/${action.id}?invitees=1`);
    expect(await page.getByRole('table', { name: 'Invitations' }).textContent()).toContain(`Dossier ${ref} (M. A.)`);
    await stack.inbox.waitFor((m) => m.to.includes(`malik-${run}@exemple.fr`) && /Les métiers du soin/.test(m.subject + m.text));

    // The day after: the attendance, once the action is over.
    await env.sleep(2 * DAY);
    await waitFor(async () => {
      await page.goto(`${web.url}/actions-collectives/${action.id}`);
      expect(await page.getByRole('heading', { name: 'Présence et suites' }).count()).toBe(1);
    });
    await accessible(page, 'Atelier découverte des métiers « Les métiers du soin »');
    await kb.toggle(page.getByRole('group', { name: /^Présent·es/ }).getByLabel(`Dossier ${ref} (M. A.)`));
    await kb.toggle(page.getByRole('group', { name: /^Mises en relation/ }).getByLabel(`Dossier ${ref} (M. A.)`));
    await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
    await page.waitForURL(`${web.url}/actions-collectives/${action.id}?presence=1`);
    expect(await page.locator('.fr-alert--success').textContent()).toContain('1 présent·es sur 1 invité·es, 1 mise(s) en relation, 0 embauche(s)');
    expect(await db.collectiveInvitation.findFirstOrThrow({ where: { actionId: action.id } })).toMatchObject({ participantId: person.id, status: 'PRESENT', miseEnRelation: true, hired: false });
    expect(await db.auditEvent.count({ where: { entityId: action.id, action: 'collective.attendance', actor: REFERENT, channel: 'web' } })).toBe(1);

    // Her PLIE opens its bilan to its referents: the menu offers it, the page opens.
    expect(await page.getByRole('link', { name: 'Bilan', exact: true }).count()).toBe(1);
    expect((await page.goto(`${web.url}/bilan`))!.status()).toBe(200);

    // The PLIE's actions and their figures, on the page and in the download.
    await page.goto(`${web.url}/actions-collectives`);
    const row = await page.getByRole('row', { name: /Les métiers du soin/ }).textContent();
    expect(row).toContain(REFERENT);
    const csv = await (await fetch(`${web.url}/actions-collectives/bilan.csv`, { headers: { cookie: await cookieHeader(context) } })).text();
    expect(csv.split('\n').find((l) => l.includes('Les métiers du soin'))).toMatch(/;Atelier découverte des métiers;Les métiers du soin;;1;1;1;0$/);
    await context.close();
  });

  it('lets the coordination follow a marché’s hours: entered for the company at the month’s end, then validated', async () => {
    const { env, stack, web } = channels;
    const { db } = stack;
    const { context, page } = await consoleSignIn(browser, web.url, stack.inbox)(COORDINATOR);
    const kb = byKeyboard(page);
    const start = parisDate(await env.currentTimeMs());
    const reference = `H-${run}`;
    await page.goto(`${web.url}/marches/nouveau`);
    await submitMarche(page, { reference, buyer: 'Ville de Biot', title: 'Entretien des espaces verts', company: 'Jardins du Var', contactName: 'Marc Olivier', contactEmail: `rh-${run}@jardins.test`, sector: 'AUTRE', clauseHours: 900, start, end: addDays(start, 365) });
    await page.waitForURL(/\/marches\/[\w-]+\?enregistre=1$/);
    const procurement = await db.procurement.findFirstOrThrow({ where: { externalId: reference, plieCode: plie.code } });
    // Someone on the RSA, hired from the first day.
    const person = `P${run}`;
    await kb.type(page.getByLabel(/^Identifiant de la personne/), person);
    await kb.date(page.getByLabel('Date de naissance'), '1979-02-11');
    await kb.choose(page.getByLabel('Minimum social (facultatif)'), 'RSA');
    await kb.activate(page.getByRole('button', { name: 'Vérifier et proposer' }));
    await kb.choose(page.getByLabel('Personne embauchée'), person);
    await kb.choose(page.getByLabel('Type de contrat'), 'CDD');
    await kb.date(page.getByLabel('Début du contrat'), start);
    await kb.date(page.getByLabel('Fin prévue (facultatif)'), addDays(start, 200));
    await kb.type(page.getByLabel('Heures par semaine'), '35');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer l’embauche' }));
    await page.waitForURL(`${web.url}/marches/${procurement.id}?embauche=1`);

    // The month over: the company is asked; the coordination enters its hours for it.
    await env.sleep(40 * DAY);
    const month = start.slice(0, 7);
    await stack.inbox.waitFor((m) => m.to.includes(`rh-${run}@jardins.test`));
    await waitFor(async () => {
      await page.goto(`${web.url}/marches/${procurement.id}`);
      expect(await page.getByRole('link', { name: /^Saisir les heures de/ }).count()).toBeGreaterThan(0);
    });
    await page.goto(`${web.url}/marches/${procurement.id}/heures/${month}`);
    await accessible(page, (await page.locator('h1').textContent())!);
    await kb.type(page.getByLabel(new RegExp(`^Salarié·e ${person}`)), '120');
    await kb.activate(page.getByRole('button', { name: 'Envoyer les heures' }));
    await page.waitForURL(`${web.url}/marches/${procurement.id}?heures=1`);
    expect(await db.hoursDeclaration.findFirstOrThrow({ where: { procurementId: procurement.id, month } })).toMatchObject({ personId: person, hours: 120, status: 'DECLAREE', declaredBy: COORDINATOR });

    // Declared: now to be validated, from the same month's page.
    await waitFor(async () => {
      await page.goto(`${web.url}/marches/${procurement.id}`);
      expect(await page.getByRole('link', { name: /^Valider les heures de/ }).count()).toBe(1);
    });
    await kb.activate(page.getByRole('link', { name: /^Valider les heures de/ }));
    await kb.choose(page.getByLabel('Votre décision'), 'validate');
    await kb.activate(page.getByRole('button', { name: 'Enregistrer' }));
    await page.waitForURL(`${web.url}/marches/${procurement.id}?heures=1`);
    await waitFor(async () => expect((await db.hoursDeclaration.findFirstOrThrow({ where: { procurementId: procurement.id, month } })).status).toBe('VALIDEE'));
    expect(await page.getByRole('table', { name: 'Heures d’insertion, mois par mois' }).textContent()).toContain('validées');
    await context.close();
  });
});
