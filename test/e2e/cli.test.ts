/**
 * End to end through the `plie` command, as staff use it: a real Temporal dev server, the
 * embedded PostgreSQL, a real SMTP server, and the real worker.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { addMonths, formatFrenchDate, parisDate } from '../../src/domain/dates.ts';
import type { PathwayState } from '../../workflows/pathway-messages.ts';
import type { Db } from '../../src/db/client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { freePort } from '../../src/infra/ports.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';
import { expectSubset } from '../helpers/subset.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { FakeSlackApi } from '../helpers/slack-api.ts';
import type { TestInbox } from '../helpers/smtp.ts';
import { COORDINATOR, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { WHO_MAY } from '../helpers/who-may.ts';

/** A PLIE of the tests' own, with its coordination mailbox (not the deployment's). */
const TOKENS_PLIE = { ...CASA_CONFIG, code: 'CLI_TOKENS', name: 'PLIE des jetons', coordinationEmail: 'coordination@cli-tokens.test' };

// Each step spawns the CLI, a fresh Node process (about 3 s on two cores, more when the machine is
// busy): a test of a dozen steps needs more than the default minute.
vi.setConfig({ testTimeout: 240_000 });

const run = promisify(execFile);
const taskQueue = uniqueQueue('cli');
const payloadKeys = TEST_PAYLOAD_KEYS;
let dataDir: string;
let connection: NativeConnection;
let stack: WorkerStack;
let db: Db;
let inbox: TestInbox;

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PLIE_DATA_DIR: dataDir,
    PLIE_PAYLOAD_KEYS: payloadKeys,
    PLIE_API_TOKEN: 'jeton-de-test',
    PLIE_COORDINATOR_EMAIL: COORDINATOR,
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
}

function servicesEnv(): Record<string, string> {
  return {
    ...baseEnv(),
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    SMTP_URL: inbox.url,
  };
}

/** Runs `plie …` as a separate process; resolves with its exit code and output. */
async function plie(args: string[], env: Record<string, string> = servicesEnv()) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(projectRoot, 'bin', 'plie.js'), ...args], {
      cwd: dataDir,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'plie-cli-'));
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({ connection, taskQueue, payloadKeys });
  ({ db, inbox } = stack);
});

afterAll(async () => {
  await stack?.stop();
  await connection?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('plie participant create → task answer (dev server, PostgreSQL, SMTP)', () => {
  it('creates a participant, refuses the duplicate, and moves the pathway through its tasks', async () => {
    const suffix = randomBytes(3).toString('hex');
    const identity = ['--prenom', `Léa${suffix}`, '--nom', `Benali-${suffix}`, '--naissance', '03/09/1971'];
    const situation = ['--sexe', 'H', '--code-postal', '06600', '--niveau', 'V bis', '--minima', 'ass', '--deld', 'non', '--prescripteur', 'MISSION_LOCALE', '--orientation', '02/03/2026', '--monoparental', 'oui'];
    const created = await plie(['participant', 'create', ...identity, '--commune', 'Antibes', ...situation, '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const { participantId, workflowId } = JSON.parse(created.stdout) as { participantId: string; workflowId: string };
    expect(workflowId).toBe(`parcours-${participantId}`);
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({
      sex: 'M',
      postalCode: '06600',
      qualificationLevel: 2,
      minimumIncome: 'ASS',
      longTermJobSeeker: false,
      prescriber: 'MISSION_LOCALE',
      orientationDate: new Date('2026-03-02T00:00:00Z'),
      singleParent: true,
      activeJobSearch: null,
    });
    // Corrected later: only the facts given change, and eligibility is assessed again.
    const rectified = await plie(['participant', 'rectify', participantId, '--recherche-active', 'oui', '--qpv', 'oui', '--par', COORDINATOR]);
    expect(rectified.stderr).toBe('');
    expect(rectified.stdout).toContain('Fiche corrigée : activeJobSearch, qpv.');
    expect(rectified.stdout).toContain('Éligibilité réévaluée : à vérifier (BESOIN_ACCOMPAGNEMENT, APTE_VOLONTAIRE).');
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ activeJobSearch: true, qpv: true, sex: 'M' });

    const again = await plie(['participant', 'create', '--prenom', `LEA${suffix}`, '--nom', `benali ${suffix}`, '--naissance', '1971-09-03']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Cette personne est déjà enregistrée (même nom, prénom et date de naissance) : participant ${participantId}`);
    expect(await db.participant.count({ where: { lastName: { contains: suffix } } })).toBe(1);

    // The task is open once its email has gone.
    await inbox.waitFor((m) => m.subject.includes('Nouvelle tâche') && m.text.includes(fileReference(participantId)));
    const shown = await plie(['participant', 'show', participantId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Étape       : Orientation');
    expect(shown.stdout).toContain('Désigner le ou la référent·e de parcours');
    const state = JSON.parse((await plie(['participant', 'show', participantId, '--json'])).stdout) as {
      openTasks: Array<{ id: string }>;
    };
    const taskId = state.openTasks[0]!.id;

    const bad = await plie(['task', 'answer', participantId, taskId, '--referent', 'pas-une-adresse', '--par', COORDINATOR]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Réponse invalide : référent·e : adresse email invalide');

    // Only an active referent of the PLIE may be designated.
    const outsider = await plie(['task', 'answer', participantId, taskId, '--referent', 'quelquun@ailleurs.fr', '--par', COORDINATOR]);
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('Réponse refusée : quelquun@ailleurs.fr n’est pas référent·e en activité dans ce PLIE.');
    const { plieCode } = await db.participant.findUniqueOrThrow({ where: { id: participantId } });
    await db.staff.upsert({ where: { plieCode_email: { plieCode, email: 'karim@plie.test' } }, create: { plieCode, email: 'karim@plie.test', name: 'Karim Référent', roles: ['REFERENT'] }, update: {} });
    const answered = await plie(['task', 'answer', participantId, taskId, '--referent', 'karim@plie.test', '--par', COORDINATOR]);
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain('Étape       : Diagnostic');
    expect(answered.stdout).toContain('Référent·e  : karim@plie.test');

    // The database shows what the workflow shows.
    const pathway = await db.pathway.findUniqueOrThrow({ where: { id: workflowId }, include: { tasks: true } });
    expect(pathway).toMatchObject({ stage: 'diagnostic', referentEmail: 'karim@plie.test' });
    expect(pathway.tasks.map((t) => [t.kind, t.status, t.answeredBy, t.channel]).sort()).toEqual([
      ['assign_referent', 'done', COORDINATOR, 'cli'],
      ['diagnostic_decision', 'open', null, null],
    ]);
    const creation = await db.auditEvent.findFirstOrThrow({ where: { entityId: participantId, action: 'participant.create' } });
    expect(creation.channel).toBe('cli');

    // The coordination entrusts the pathway to another active referent of the PLIE, no one else.
    const lina = `lina.${suffix.toLowerCase()}@plie.test`;
    await db.staff.create({ data: { plieCode, email: lina, name: 'Lina Haddad', roles: ['REFERENT'] } });
    const elsewhere = await plie(['participant', 'referent', participantId, '--referent', 'quelquun@ailleurs.fr', '--par', COORDINATOR]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('quelquun@ailleurs.fr n’est pas référent·e en activité dans ce PLIE');
    const entrusted = await plie(['participant', 'referent', participantId, '--referent', lina, '--motif', 'Congé long', '--par', COORDINATOR]);
    expect(entrusted.stdout).toContain(`Parcours confié à ${lina}.`);
    expect(await db.task.findFirstOrThrow({ where: { pathwayId: workflowId, kind: 'diagnostic_decision' } })).toMatchObject({ status: 'open', assigneeEmail: lina });
  });

  it('reports bad input in French with exit code 2, writing nothing', async () => {
    const lastName = `Refus-${randomBytes(3).toString('hex')}`;
    const result = await plie(['participant', 'create', '--prenom', ' ', '--nom', lastName, '--naissance', '31/02/1980', '--email', 'nope', '--deld', 'peut-être']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('demandeur·se d’emploi de longue durée : oui ou non');
    expect(result.stderr).toContain('prénom : obligatoire');
    expect(result.stderr).toContain('date de naissance : date invalide, attendu JJ/MM/AAAA');
    expect(result.stderr).toContain('email : adresse invalide');
    expect(await db.participant.count({ where: { lastName } })).toBe(0);

    const missing = await plie(['participant', 'create', '--nom', 'X']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('option obligatoire manquante : --prenom');
  });
});

describe('plie staff', () => {
  it('adds and updates a member of staff, refusing an unknown role in French', async () => {
    // A PLIE of its own: a change of coordination is announced to every running pathway of the
    // PLIE, and those of the other test files (other encryption keys) must not be among them.
    const configFile = path.join(dataDir, 'plie-staff.json');
    writeFileSync(configFile, JSON.stringify({ ...CASA_CONFIG, code: 'CLI_STAFF' }));
    const env = { ...servicesEnv(), PLIE_CONFIG_FILE: configFile };
    const email = `sophie-${randomBytes(3).toString('hex')}@plie.test`;
    const added = await plie(['staff', 'add', '--email', email.toUpperCase(), '--nom', 'Sophie Lambert', '--roles', 'referent,membre_commission'], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain(`Sophie Lambert <${email}> : REFERENT, MEMBRE_COMMISSION.`);
    const updated = await plie(['staff', 'add', '--email', email, '--nom', 'Sophie Lambert', '--roles', 'COORDINATEUR', '--slack', 'U0SOPHIE'], env);
    expect(updated.code).toBe(0);
    expect(await db.staff.findFirstOrThrow({ where: { email } })).toMatchObject({ plieCode: 'CLI_STAFF', roles: ['COORDINATEUR'], slackUserId: 'U0SOPHIE' });
    expect((await plie(['staff', 'list'], env)).stdout).toContain(`Sophie Lambert <${email}>  COORDINATEUR  Slack U0SOPHIE`);

    const refused = await plie(['staff', 'add', '--email', 'x@plie.test', '--nom', 'X Y', '--roles', 'CHEF'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rôle inconnu (attendu : COORDINATEUR, REFERENT, FACILITATEUR, MEMBRE_COMMISSION, CHARGE_RELATION_ENTREPRISE, PRESCRIPTEUR, ADMIN)');
    expect(await db.staff.count({ where: { email: 'x@plie.test' } })).toBe(0);

    // A prescriber is recorded with their organisation, which their referrals are made in the name of.
    const prescriber = `prescripteur-${randomBytes(3).toString('hex')}@mission-locale.test`;
    const withoutOrganisation = await plie(['staff', 'add', '--email', prescriber, '--nom', 'Paul Prescripteur', '--roles', 'PRESCRIPTEUR'], env);
    expect(withoutOrganisation.code).toBe(2);
    expect(withoutOrganisation.stderr).toContain('organisme : obligatoire pour un·e prescripteur·rice');
    const withOrganisation = await plie(['staff', 'add', '--email', prescriber, '--nom', 'Paul Prescripteur', '--roles', 'PRESCRIPTEUR', '--organisme', 'mission_locale'], env);
    expect(withOrganisation.stdout).toContain(`Paul Prescripteur <${prescriber}> : PRESCRIPTEUR — MISSION_LOCALE.`);
    expect((await plie(['staff', 'list'], env)).stdout).toContain(`Paul Prescripteur <${prescriber}>  PRESCRIPTEUR (MISSION_LOCALE)`);
  });

  it('creates a personal token shown once (only its hash kept), lists and revokes them', async () => {
    await registerPlie(db, TOKENS_PLIE);
    const email = `jeton-${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CLI_TOKENS', email, name: 'Jeanne Jeton', roles: ['REFERENT'] } });
    const created = await plie(['staff', 'token', 'create', '--email', email, '--plie', 'CLI_TOKENS', '--expire', '31/12/2099']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^plie_[\w-]{40,}$/);
    expect(created.stdout).toContain('valable jusqu’au 31/12/2099 inclus');
    const stored = await db.apiToken.findFirstOrThrow({ where: { staff: { email } } });
    expect(stored.hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect((await plie(['staff', 'token', 'list', '--plie', 'CLI_TOKENS'])).stdout).toContain(`Jeanne Jeton <${email}>`);
    expect((await plie(['staff', 'token', 'list', '--plie', 'CLI_TOKENS'])).stdout).not.toContain(token);
    expect((await plie(['staff', 'token', 'revoke', '--email', email, '--plie', 'CLI_TOKENS'])).stdout).toContain(`1 jeton(s) de ${email} révoqué(s).`);
    expect((await plie(['staff', 'token', 'list', '--plie', 'CLI_TOKENS'])).stdout).toContain('révoqué le');
    // Someone not on the PLIE's staff gets none.
    const stranger = await plie(['staff', 'token', 'create', '--email', 'inconnue@ailleurs.fr', '--plie', 'CLI_TOKENS']);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).toContain('inconnue@ailleurs.fr : aucun membre actif du personnel du PLIE CLI_TOKENS à cette adresse');

    // Deactivated: her tokens revoked, the pathways she holds listed for the coordination to entrust again.
    expect((await plie(['staff', 'token', 'create', '--email', email, '--plie', 'CLI_TOKENS'])).code).toBe(0);
    const participantId = randomUUID();
    await db.participant.create({ data: { id: participantId, plieCode: 'CLI_TOKENS', firstName: 'Rose', lastName: 'Suivie', identityKey: `cli-tokens-${participantId}`, birthDate: new Date('1980-05-05T00:00:00Z'), createdBy: 'test' } });
    await db.pathway.create({ data: { id: `parcours-${participantId}`, participantId, stage: 'active', referentEmail: email } });
    // Managing the staff is the coordination's or the administration's: a referent may not, an ADMIN may.
    const self = await plie(['staff', 'deactivate', '--email', email, '--plie', 'CLI_TOKENS', '--par', email]);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('Le personnel et ses jetons sont gérés par la coordination ou l’administration.');
    expect(await db.staff.findFirstOrThrow({ where: { email } })).toMatchObject({ active: true });
    const admin = `admin-${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CLI_TOKENS', email: admin, name: 'Adèle Admin', roles: ['ADMIN'] } });
    const deactivated = await plie(['staff', 'deactivate', '--email', email, '--plie', 'CLI_TOKENS', '--par', admin]);
    expect(deactivated.code).toBe(0);
    expect(deactivated.stdout).toContain(`Jeanne Jeton <${email}> : désactivé·e ; 1 jeton(s) révoqué(s).`);
    expect(deactivated.stdout).toContain(`dossier ${fileReference(participantId)}`);
    expect(await db.staff.findFirstOrThrow({ where: { email } })).toMatchObject({ active: false });
    expect(await db.apiToken.count({ where: { staff: { email }, revokedAt: null } })).toBe(0);
    expect((await plie(['staff', 'token', 'create', '--email', email, '--plie', 'CLI_TOKENS'])).code).not.toBe(0);
  });

  // Role by role (restated, not read from the code): the bilan is the coordination's; orienting is the
  // coordination's, the referents' and the prescribers'; nobody acts in another PLIE.
  it.each(WHO_MAY.map(([role, may]) => [role, may.readBilan, may.refer] as const))('--par of a %s: reads the bilan %s, orients %s, and only in her own PLIE', async (role, readsBilan, refers) => {
    await registerPlie(db, TOKENS_PLIE);
    const tag = randomBytes(3).toString('hex');
    const email = `${role.toLowerCase()}-${tag}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CLI_TOKENS', email, name: `${role} ${tag}`, roles: [role] } });
    const report = (code: string) => plie(['report', '--from', '2026-01-01', '--to', '2026-06-30', '--plie', code, '--par', email]);
    const bilan = await report('CLI_TOKENS');
    expect(bilan.code).toBe(readsBilan ? 0 : 1);
    if (!readsBilan) expect(bilan.stderr).toContain('Le bilan du PLIE est réservé à la coordination.');
    const created = await plie(['participant', 'create', '--prenom', `Olga${tag}`, '--nom', `Orientee-${tag}`, '--naissance', '06/06/1986', '--plie', 'CLI_TOKENS', '--par', email, '--json']);
    expect(created.code).toBe(refers ? 0 : 1);
    if (refers) expect(await db.participant.findUniqueOrThrow({ where: { id: (JSON.parse(created.stdout) as { participantId: string }).participantId } })).toMatchObject({ plieCode: 'CLI_TOKENS', createdBy: email });
    else expect(created.stderr).toContain('Seules la coordination, les référent·es et les prescripteurs enregistrent une orientation.');
    expect((await report(CASA_CONFIG.code)).stderr).toContain(`--par ${email} : aucun membre actif du personnel du PLIE ${CASA_CONFIG.code} à cette adresse.`);
  });

  it('judges every --par by the grants table, in the PLIE --plie names, and opens a file only for its referent', async () => {
    await registerPlie(db, TOKENS_PLIE);
    const tag = randomBytes(3).toString('hex');
    const [referent, other, business] = ['referente', 'autre', 'entreprises'].map((who) => `${who}-${tag}@plie.test`) as [string, string, string];
    await db.staff.createMany({
      data: [
        { plieCode: 'CLI_TOKENS', email: referent, name: 'Rita Référente', roles: ['REFERENT'] },
        { plieCode: 'CLI_TOKENS', email: other, name: 'Anna Autre', roles: ['REFERENT'] },
        { plieCode: 'CLI_TOKENS', email: business, name: 'Eric Entreprises', roles: ['CHARGE_RELATION_ENTREPRISE'] },
      ],
    });
    const offerFile = path.join(dataDir, `offre-${tag}.json`);
    writeFileSync(offerFile, JSON.stringify({ company: `Cuisine ${tag}`, jobTitle: 'Commis de cuisine', sector: 'Restauration', contractType: 'CDD', weeklyHours: 35 }));
    const byReferent = await plie(['offre', 'register', '--file', offerFile, '--plie', 'CLI_TOKENS', '--par', referent]);
    expect(byReferent.code).toBe(1);
    expect(byReferent.stderr).toContain('Les offres d’emploi sont publiées par la relation entreprises ou la coordination.');
    expect(await db.jobOffer.count({ where: { company: `Cuisine ${tag}` } })).toBe(0);
    const byBusiness = await plie(['offre', 'register', '--file', offerFile, '--plie', 'CLI_TOKENS', '--par', business]);
    expect(byBusiness.stderr).toBe('');
    const offer = await db.jobOffer.findFirstOrThrow({ where: { company: `Cuisine ${tag}` } });
    expect(offer).toMatchObject({ plieCode: 'CLI_TOKENS' });
    // Who it matched is shown to the business relations and the coordination, in its own PLIE only.
    expect((await plie(['offre', 'correspondances', offer.id, '--plie', 'CLI_TOKENS', '--par', referent])).stderr).toContain('Les offres d’emploi sont publiées par la relation entreprises ou la coordination.');
    expect((await plie(['offre', 'suivi', offer.id, '--plie', 'CLI_TOKENS', '--par', business])).stdout).toContain('Aucune mise en relation pour cette offre.');
    expect((await plie(['offre', 'suivi', offer.id])).stderr).toContain(`Aucune offre ${offer.id} dans le PLIE ${CASA_CONFIG.code}.`);

    const actionFile = path.join(dataDir, `action-${tag}.json`);
    writeFileSync(actionFile, JSON.stringify({ kind: 'VISITE_ENTREPRISE', title: `Visite ${tag}`, date: formatFrenchDate(addMonths(parisDate(Date.now()), 6)), time: '10:00', place: 'Vallauris', organizerEmail: business }));
    const action = await plie(['action-collective', 'creer', '--file', actionFile, '--plie', 'CLI_TOKENS', '--par', business]);
    expect(action.code).toBe(1);
    expect(action.stderr).toContain('Les actions collectives sont organisées par la coordination et les référent·es.');

    // The bilan is the coordination's: this PLIE's own address, not the deployment's.
    const period = ['report', '--from', '2026-01-01', '--to', '2026-06-30', '--plie', 'CLI_TOKENS', '--par'];
    expect((await plie([...period, referent])).stderr).toContain('Le bilan du PLIE est réservé à la coordination.');
    expect((await plie([...period, COORDINATOR])).stderr).toContain(`--par ${COORDINATOR} : aucun membre actif du personnel du PLIE CLI_TOKENS à cette adresse.`);
    const report = await plie([...period, TOKENS_PLIE.coordinationEmail]);
    expect(report.stderr).toBe('');
    expect(JSON.parse(report.stdout)).toHaveProperty('period');

    // A file another referent holds does not exist for her, and reading nothing writes no audit.
    const participantId = randomUUID();
    await db.participant.create({ data: { id: participantId, plieCode: 'CLI_TOKENS', firstName: 'Paul', lastName: 'Suivi', identityKey: `cli-grants-${participantId}`, birthDate: new Date('1979-04-04T00:00:00Z'), createdBy: 'test' } });
    await db.pathway.create({ data: { id: `parcours-${participantId}`, participantId, stage: 'active', referentEmail: other } });
    const peek = await plie(['participant', 'show', participantId, '--par', referent]);
    expect(peek.code).toBe(1);
    expect(peek.stderr).toContain('Aucun parcours pour ce participant.');
    expect(await db.auditEvent.count({ where: { entityId: participantId, action: 'participant.read' } })).toBe(0);
  });
});

describe('plie marche', () => {
  it('registers a marché from a file, checks a candidate, and prints the bilan', async () => {
    const reference = `CLI-${randomBytes(3).toString('hex')}`;
    const file = path.join(dataDir, `${reference}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        reference,
        buyer: 'CASA',
        title: 'Voirie du quartier des Semboules',
        company: 'Routes du Sud',
        contactName: 'Lina Roux',
        contactEmail: 'l.roux@routes-du-sud.test',
        sector: 'BTP',
        clauseHours: 700,
        start: '01/02/2026',
        end: '31/01/2027',
      }),
    );
    // The facilitator is on the PLIE's staff; a referent is not one.
    await db.staff.upsert({ where: { plieCode_email: { plieCode: CASA_CONFIG.code, email: 'facilitatrice@plie.test' } }, create: { plieCode: CASA_CONFIG.code, email: 'facilitatrice@plie.test', name: 'Fanny Facilitatrice', roles: ['FACILITATEUR'] }, update: {} });
    const refused = await plie(['marche', 'register', '--file', file, '--par', 'referente@plie.test']);
    expect(refused.code).toBe(1);
    expect(await db.procurement.count({ where: { externalId: reference } })).toBe(0);
    const registered = await plie(['marche', 'register', '--file', file, '--par', 'facilitatrice@plie.test']);
    expect(registered.stderr).toBe('');
    expect(registered.stdout).toContain(`Marché ${reference} enregistré : Voirie du quartier des Semboules (CASA), 700 heures d’insertion.`);
    expect((await plie(['marche', 'register', '--file', file])).stderr).toContain(`Un marché porte déjà la référence ${reference}`);

    const candidate = await plie(['marche', 'candidat', reference, '--personne', '{"personId": "C0042", "birthDate": "12/03/1968", "jobSeekerMonths": 18}']);
    expect(candidate.stdout).toContain('Éligible à la clause : Demandeur·se d’emploi de longue durée ; Demandeur·se d’emploi senior.');
    const hired = await plie(['marche', 'embauche', reference, '--personne', 'C0042', '--contrat', '{"type": "INTERIM", "start": "02/03/2026", "weeklyHours": 35, "end": "30/04/2026"}', '--par', 'facilitatrice@plie.test']);
    expect(hired.stdout).toContain(`Embauche enregistrée au marché ${reference}.`);
    // Hours go through the marché's workflow, which refuses those who do not manage marchés.
    const intruder = await plie(['marche', 'heures', reference, '--mois', '2026-03', '--heures', '{"C0042": 151}', '--par', 'referente@plie.test']);
    expect(intruder.stderr).toContain('Seul le contact de l’entreprise, la facilitation des clauses ou la coordination peut déclarer ces heures.');
    const unknown = await plie(['marche', 'heures', reference, '--mois', '2026-03', '--heures', '{"C0099": 151}', '--par', COORDINATOR]);
    expect(unknown.stderr).toContain('C0099 : aucun contrat de la clause en 2026-03');
    const hours = await plie(['marche', 'heures', reference, '--mois', '2026-03', '--heures', '{"C0042": 151}', '--valider', '--par', COORDINATOR]);
    expect(hours.stdout).toContain('Heures validées pour 2026-03. Heures validées du marché : 151');
    expect((await plie(['marche', 'heures', reference, '--mois', '2026-03', '--heures', '{"C0042": 10}', '--par', COORDINATOR])).stderr).toContain('Les heures de 2026-03 sont déjà validées.');
    const bilan = await plie(['marche', 'bilan', reference]);
    expect(bilan.stdout).toContain('1 contrat pour 1 personne : 1 INTERIM.');
    expect(bilan.stdout).toContain('Heures d’insertion réalisées : 151 sur 700 prévues (22 %).');
    expect((await plie(['marche', 'bilan', 'INCONNU'])).stderr).toContain('Aucun marché de référence INCONNU.');
    expect((await plie(['marche', 'bilan', reference, '--format', 'xlsx'])).code).toBe(2);
    const closed = await plie(['marche', 'clore', reference, '--par', COORDINATOR]);
    expect(closed.stdout).toContain(`Marché ${reference} clos`);
    expect((await db.procurement.findFirstOrThrow({ where: { externalId: reference } })).status).toBe('CLOS');
    expect((await plie(['marche', 'suivre', reference])).stderr).toContain(`Le marché ${reference} est clos.`);
  });
});

describe('plie doctor', () => {
  it('says everything needed is reachable, exit code 0', async () => {
    const result = await plie(['doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✔ PostgreSQL\s+joignable \(environnement\)/);
    expect(result.stdout).toMatch(/✔ Temporal\s+joignable à/);
    expect(result.stdout).toMatch(/✔ SMTP\s+serveur d’envoi joignable/);
    expect(result.stdout).toContain('Slack         non configuré');
    // The PLIE's own line: what its coordination should fix, never blocking (the roster is shared with other tests).
    expect(result.stdout).toMatch(/[✔!] PLIE CASA\s+\S/);
    expect(result.stdout).toContain('Tout ce qui est nécessaire est joignable.');
  });

  it('names what is unreachable, exit code 1', async () => {
    const closed = await freePort();
    const result = await plie(['doctor'], { ...servicesEnv(), SMTP_URL: `smtp://127.0.0.1:${closed}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✘ SMTP\s+injoignable/);
    expect(result.stdout).toMatch(/✔ PostgreSQL/);
  });

  it('finds the servers of a running `npm start` through the data folder', async () => {
    writeFileSync(
      path.join(dataDir, 'runtime.json'),
      JSON.stringify({
        pid: process.pid,
        startedAt: new Date().toISOString(),
        databaseUrl: inject('databaseUrl'),
        temporalAddress: inject('temporalAddress'),
        smtpUrl: inbox.url,
      }),
    );
    try {
      const result = await plie(['doctor'], baseEnv());
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`npm start en cours, processus ${process.pid}`);
      expect(result.stdout).toMatch(/✔ PostgreSQL\s+joignable \(npm start\)/);
    } finally {
      rmSync(path.join(dataDir, 'runtime.json'));
    }
  });

  it('checks the Slack token when Slack is configured', async () => {
    const slack = await FakeSlackApi.start();
    try {
      const slackEnv = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.url };
      const result = await plie(['doctor'], { ...servicesEnv(), ...slackEnv });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/✔ Slack\s+jeton valide pour l’espace « PLIE Test » \(mode HTTP\)/);
      const refused = await plie(['doctor'], { ...servicesEnv(), ...slackEnv, SLACK_BOT_TOKEN: 'xoxb-revoque' });
      expect(refused.stdout).toMatch(/! Slack\s+configuré mais injoignable/);
      expect(refused.code).toBe(0); // Slack is optional: email carries the prompts meanwhile.
    } finally {
      await slack.stop();
    }
  });

  it('stops on a wrong configuration value, naming the variable', async () => {
    const result = await plie(['doctor'], { ...servicesEnv(), PORT: 'quatre-vingt' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT : attendu : un numéro de port (1 à 65535)');
  });
});

describe('plie import and plie report (the bilan)', () => {
  const samples = path.join(projectRoot, 'test', 'fixtures', 'import');

  it('imports the sample history and reports the figures the sample expects, in every format', async () => {
    const configFile = path.join(dataDir, 'plie.json');
    writeFileSync(configFile, JSON.stringify({ ...CASA_CONFIG, code: 'CLI_REPORT' }));
    const env = { ...servicesEnv(), PLIE_CONFIG_FILE: configFile };

    const imported = await plie(['import', '--dir', samples, '--records-only'], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Import terminé (PLIE de la Communauté d’Agglomération Sophia Antipolis) : 42 participants, 110 etapes');
    expect(imported.stdout).toContain('participants.csv, ligne 43, colonne nom : même nom, prénom et date de naissance que X0001');

    const expected = JSON.parse(readFileSync(path.join(samples, 'expected-report-subset.json'), 'utf8')) as Record<string, unknown>;
    const json = await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--format', 'json'], env);
    expect(json.code).toBe(0);
    expectSubset(JSON.parse(json.stdout), expected);

    const md = await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--format', 'md'], env);
    expect(md.stdout).toContain('# Bilan du PLIE — du 01/07/2015 au 30/06/2020');
    expect(md.stdout).toContain('le PLIE a intégré 24 personnes');
    expect(md.stdout).toContain('- 54 % de femmes ;');
    const html = path.join(dataDir, 'bilan.html');
    expect((await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--format', 'html', '--out', html], env)).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<svg role="img"[^>]*>.*Conseil Départemental/s);
    const xlsx = path.join(dataDir, 'bilan.xlsx');
    expect((await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--format', 'xlsx', '--out', xlsx], env)).code).toBe(0);
    expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK'); // a zip container, as XLSX files are

    // The FSE+ export counts the same entries as the bilan (24, of whom 54 % women), one line each.
    const fse = await plie(['fse', 'export', '--from', '2015-07-01', '--to', '2020-06-30'], env);
    expect(fse.code).toBe(0);
    const fseLines = fse.stdout.trim().split('\n');
    expect(fseLines).toHaveLength(1 + 24 + 4);
    expect(fseLines.at(-4)).toMatch(/^Total femmes;;;;13;/);
    expect(fseLines.at(-1)).toMatch(/^Total;;;;24;/);
    expect((await plie(['fse', 'export', '--from', '2015-07-01', '--to', '2020-06-30', '--format', 'pdf'], env)).stderr).toContain('Format inconnu : csv ou xlsx.');

    const bad = await plie(['report', '--from', '2020-13-01', '--to', '2020-06-30'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Période invalide');
  });

  it('starts the pathways still under way unless --records-only, once', async () => {
    const configFile = path.join(dataDir, 'plie-start.json');
    writeFileSync(configFile, JSON.stringify({ ...CASA_CONFIG, code: 'CLI_START' }));
    const env = { ...servicesEnv(), PLIE_CONFIG_FILE: configFile };
    // One of the names in the files' `referent` column is a referent of this PLIE; the others are not.
    const names = new Set(readFileSync(path.join(samples, 'participants.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(';')[15]!).filter(Boolean));
    const known = [...names].sort()[0]!;
    const referent = await db.staff.create({ data: { plieCode: 'CLI_START', email: 'referente.importee@plie.test', name: known, roles: ['REFERENT'] } });
    const first = await plie(['import', '--dir', samples, '--json'], env);
    expect(first.code).toBe(0);
    const { started } = JSON.parse(first.stdout) as { started: { started: number; alreadyRunning: number } };
    expect(started.started).toBeGreaterThan(0);
    const again = JSON.parse((await plie(['import', '--dir', samples, '--json'], env)).stdout) as { started: { started: number; alreadyRunning: number } };
    expect(again.started).toMatchObject({ started: 0, alreadyRunning: started.started });
    const running = await db.pathway.findMany({ where: { participant: { plieCode: 'CLI_START' } }, include: { participant: true } });
    expect(running).toHaveLength(started.started);
    // The import's referent when it names one of the PLIE's; else the coordination designates one.
    const followed = running.filter((p) => p.participant.referentName === known);
    expect(followed.length).toBeGreaterThan(0);
    expect(followed.length).toBeLessThan(running.length);
    for (const p of running) expect(p.referentEmail).toBe(p.participant.referentName === known ? referent.email : null);
    await vi.waitFor(async () => expect(await db.referentAssignment.count({ where: { staffId: referent.id, until: null } })).toBe(followed.length), { timeout: 30_000, interval: 500 });

    // A referent named by the files joins the roster later: the same import, again, entrusts them their running pathways.
    const later = [...names].sort()[1]!;
    const joined = await db.staff.create({ data: { plieCode: 'CLI_START', email: 'referent.arrive@plie.test', name: later, roles: ['REFERENT'] } });
    const theirs = running.filter((p) => p.participant.referentName === later);
    expect(theirs.length).toBeGreaterThan(0);
    const third = JSON.parse((await plie(['import', '--dir', samples, '--json'], env)).stdout) as { started: { started: number; referentsGiven: number } };
    expect(third.started).toMatchObject({ started: 0, referentsGiven: theirs.length });
    for (const p of theirs) expect(await db.pathway.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ referentEmail: joined.email });
    expect(await db.auditEvent.count({ where: { action: 'pathway.referentChanged', channel: 'import', entityId: { in: theirs.map((p) => p.id) } } })).toBe(theirs.length);
    // Nothing more to give on a fourth run.
    expect((JSON.parse((await plie(['import', '--dir', samples, '--json'], env)).stdout) as { started: { referentsGiven: number } }).started.referentsGiven).toBe(0);
    // Started in the active pathway; someone in it for 24 months or more is due the « parcours long » question.
    const pathway = running[0]!;
    const longPathway = addMonths(pathway.entryDate!.toISOString().slice(0, 10), 24) <= parisDate(Date.now());
    await vi.waitFor(
      async () => {
        const state = JSON.parse((await plie(['participant', 'show', pathway.participantId, '--json'], env)).stdout) as PathwayState;
        expect(state.stage).toBe('active');
        expect(state.openTasks.map((t) => t.kind)).toEqual(longPathway ? ['parcours_long'] : []);
      },
      { timeout: 30_000, interval: 500 },
    );
  });

  it('serves several PLIEs from one deployment, each with its own configuration', async () => {
    const otherFile = path.join(dataDir, 'autre-plie.json');
    writeFileSync(otherFile, JSON.stringify({ ...OTHER_CONFIG, code: 'CLI_AUTRE' }));
    const registered = await plie(['config', 'register', '--file', otherFile]);
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain('PLIE CLI_AUTRE enregistré : PLIE d’un autre territoire (1 communes).');
    expect((await plie(['config', 'list'])).stdout).toContain('CLI_AUTRE  PLIE d’un autre territoire');

    expect((await plie(['import', '--dir', samples, '--records-only', '--plie', 'CLI_AUTRE'])).code).toBe(0);
    const report = JSON.parse((await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--plie', 'CLI_AUTRE'])).stdout) as {
      objectives: { targets: unknown };
      public: { integrated: number };
    };
    expect(report.objectives.targets).toEqual(OTHER_CONFIG.objectives);
    expect(report.public.integrated).toBe(24);

    const unknown = await plie(['report', '--from', '2015-07-01', '--to', '2020-06-30', '--plie', 'NULLE_PART']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('PLIE NULLE_PART inconnu');
    const bad = path.join(dataDir, 'mauvais.json');
    writeFileSync(bad, JSON.stringify({ ...OTHER_CONFIG, code: 'minuscules' }));
    const refused = await plie(['config', 'register', '--file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('code : majuscules, chiffres et _');
  });
});

describe('plie simulate', () => {
  it('plays a README scenario on its own servers and prints what the system did, as JSON', async () => {
    const result = await plie(['simulate', path.join(projectRoot, 'examples', 'scenarios', 'reorientation.json')], baseEnv());
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { stage: string; exit: unknown; tasks: Array<{ kind: string; answeredDay: number }>; participantEmails: Array<{ template: string }> };
    expect(output).toMatchObject({ stage: 'reoriented', exit: null, commission: null, errors: [] });
    expect(output.tasks).toMatchObject([{ kind: 'diagnostic', assigneeRole: 'referent', createdDay: 0, answeredDay: 10, reminders: 1 }]);
    expect(output.participantEmails.map((e) => e.template)).toEqual(['convocation']);
  }, 120_000);

  it('refuses a scenario it cannot play, saying why in French', async () => {
    const bad = path.join(dataDir, 'scenario-faux.json');
    writeFileSync(bad, JSON.stringify({ start: '31/02/2024', participant: { birthDate: '1980-01-01', commune: 'Biot' }, events: [], until: 10 }));
    const refused = await plie(['simulate', bad], baseEnv());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Scénario refusé');
    expect(refused.stderr).toContain('start : date invalide');
    writeFileSync(bad, JSON.stringify({ start: '2024-02-01', participant: { birthDate: '1980-01-01', commune: 'Biot' }, events: [], until: 10 }));
    const noReferral = await plie(['simulate', bad], baseEnv());
    expect(noReferral.code).toBe(2);
    expect(noReferral.stderr).toContain('un et un seul évènement « referral » (l’orientation) est attendu');
    const missing = await plie(['simulate', path.join(dataDir, 'absent.json')], baseEnv());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('fichier introuvable');
  });
});

describe('plie offre and plie action-collective', () => {
  it('registers an offer whose follow-up starts, and a collective action with its invitations and figures', async () => {
    const suffix = randomBytes(3).toString('hex');
    const offerFile = path.join(dataDir, `offre-${suffix}.json`);
    writeFileSync(offerFile, JSON.stringify({ company: `Hôtel ${suffix}`, jobTitle: 'Valet de chambre', sector: 'Hôtellerie', contractType: 'CDD', weeklyHours: 30 }));
    const offer = await plie(['offre', 'register', '--file', offerFile, '--par', COORDINATOR]);
    expect(offer.stderr).toBe('');
    const offerId = /\(([0-9a-f-]{36})\)/.exec(offer.stdout)![1]!;
    expect(offer.stdout).toContain('Les référent·es des personnes intéressées sont sollicité·es.');
    expect((await plie(['offre', 'suivi', offerId])).stdout).toContain('Aucune mise en relation pour cette offre.');
    // Nobody to ask: its follow-up ended at once (the offer stays open for later).
    expect((await plie(['offre', 'clore', offerId, '--par', COORDINATOR])).stderr).toContain('Le suivi de cet élément n’est pas en cours');

    const created = await plie(['participant', 'create', '--prenom', `Inès${suffix}`, '--nom', `Atelier-${suffix}`, '--naissance', '02/02/1992', '--json']);
    const { participantId } = JSON.parse(created.stdout) as { participantId: string };
    const actionFile = path.join(dataDir, `action-${suffix}.json`);
    // Some months ahead, whatever the day of the run: the action has not taken place yet.
    const actionDay = formatFrenchDate(addMonths(parisDate(Date.now()), 6));
    writeFileSync(actionFile, JSON.stringify({ kind: 'VISITE_ENTREPRISE', title: `Visite ${suffix}`, company: 'Hôtel du Cap', date: actionDay, time: '09:30', place: 'Antibes', organizerEmail: COORDINATOR }));
    const action = await plie(['action-collective', 'creer', '--file', actionFile, '--par', COORDINATOR]);
    expect(action.stderr).toBe('');
    const actionId = /\(([0-9a-f-]{36})\)/.exec(action.stdout)![1]!;
    expect((await plie(['action-collective', 'inviter', actionId, '--participants', 'inconnu', '--par', COORDINATOR])).stderr).toContain('inconnu : participant·e inconnu·e dans ce PLIE');
    expect((await plie(['action-collective', 'inviter', actionId, '--participants', participantId, '--par', COORDINATOR])).stdout).toContain('1 personne(s) invitée(s).');
    expect((await plie(['action-collective', 'presence', actionId, '--presents', participantId, '--par', COORDINATOR])).stderr).toContain('L’action n’a pas encore eu lieu.');
    expect((await plie(['action-collective', 'bilan'])).stdout).toContain(`${actionDay} — Visite d’entreprise « Visite ${suffix} » : 0 présent·es sur 1 invité·es, 0 mise(s) en relation, 0 embauche(s).`);
    const bad = path.join(dataDir, `action-bad-${suffix}.json`);
    writeFileSync(bad, JSON.stringify({ kind: 'PIQUE_NIQUE', title: '', date: '31/02/2030', time: '25:00', place: 'x', organizerEmail: 'pas-une-adresse' }));
    const refused = await plie(['action-collective', 'creer', '--file', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('type : ATELIER_DECOUVERTE');
    expect(refused.stderr).toContain('organisateur·rice : adresse invalide');
  });
});


describe('plie rgpd', () => {
  it('exports a person’s data into a folder for the coordination, and refuses anyone else', async () => {
    const suffix = randomBytes(3).toString('hex');
    const created = await plie(['participant', 'create', '--prenom', `Zoé${suffix}`, '--nom', `Acces-${suffix}`, '--naissance', '04/07/1990', '--json']);
    const { participantId } = JSON.parse(created.stdout) as { participantId: string };
    const folder = path.join(dataDir, `export-${suffix}`);
    const exported = await plie(['rgpd', 'export', participantId, '--out', folder, '--par', COORDINATOR]);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain(`Export du dossier écrit dans ${folder} : export.json, export.html.`);
    expect(JSON.parse(readFileSync(path.join(folder, 'export.json'), 'utf8'))).toMatchObject({ participant: { id: participantId, firstName: `Zoé${suffix}` } });
    expect(readFileSync(path.join(folder, 'export.html'), 'utf8')).toContain(`<dt>Prénom</dt><dd>Zoé${suffix}</dd>`);
    expect(await db.auditEvent.count({ where: { action: 'rgpd.export', actor: COORDINATOR, entityId: participantId, channel: 'cli' } })).toBe(1);
    await db.staff.create({ data: { plieCode: 'CASA', email: `referente-${suffix}@plie.test`, name: 'Rita', roles: ['REFERENT'] } });
    const refused = await plie(['rgpd', 'export', participantId, '--out', `${folder}-bis`, '--par', `referente-${suffix}@plie.test`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Les demandes d’accès et d’effacement des données d’une personne sont traitées par la coordination.');
    expect((await plie(['rgpd', 'export', 'pas-un-id', '--out', folder])).code).toBe(2);
  });

  it('erases a person: the pathway closed, the answer to give, a second call that finds it done', async () => {
    const suffix = randomBytes(3).toString('hex');
    const created = await plie(['participant', 'create', '--prenom', `Yanis${suffix}`, '--nom', `Efface-${suffix}`, '--naissance', '12/03/1986', '--json']);
    const { participantId, workflowId } = JSON.parse(created.stdout) as { participantId: string; workflowId: string };
    await db.staff.create({ data: { plieCode: 'CASA', email: `referent-${suffix}@plie.test`, name: 'Rémi', roles: ['REFERENT'] } });
    const refused = await plie(['rgpd', 'erase', participantId, '--motif', 'demande écrite', '--par', `referent-${suffix}@plie.test`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('traitées par la coordination');
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ firstName: `Yanis${suffix}`, erasedAt: null });

    const erased = await plie(['rgpd', 'erase', participantId, '--motif', 'demande écrite du 30/11', '--par', COORDINATOR]);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain(`Dossier ${fileReference(participantId)} effacé (parcours clos : 1 workflow(s) arrêté(s)).`);
    expect(erased.stdout).toContain('Vos données d’identité et de contact (nom, prénom, date de naissance, adresse email, téléphone, code postal) ont été effacées');
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ firstName: 'Personne', lastName: `effacée ${fileReference(participantId)}`, email: null });
    // Still at orientation: never entered, so no exit recorded; the pathway closed.
    expect(await db.exit.findFirst({ where: { pathwayId: workflowId } })).toBeNull();
    expect(await db.pathway.findUniqueOrThrow({ where: { id: workflowId } })).toMatchObject({ stage: 'exited' });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'rgpd.erase', entityId: participantId } });
    expect(event).toMatchObject({ actor: COORDINATOR, channel: 'cli' });
    expect(event.details).toMatchObject({ motif: 'demande écrite du 30/11', closedWorkflows: [workflowId] });

    const again = await plie(['rgpd', 'erase', participantId, '--motif', 'relance', '--par', COORDINATOR]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Le dossier ${fileReference(participantId)} est déjà effacé`);
    const withoutMotif = await plie(['rgpd', 'erase', participantId, '--par', COORDINATOR]);
    expect(withoutMotif.code).toBe(2);
    expect(withoutMotif.stderr).toContain('--motif');
  });

  it('counts what the retention would remove, by category, without removing anything', async () => {
    const before = await db.participant.count({ where: { erasedAt: { not: null } } });
    const dry = await plie(['rgpd', 'retention', '--dry-run', '--par', COORDINATOR]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Conservation (CASA), simulation : rien n’a été modifié.');
    expect(dry.stdout).toMatch(/Identités pseudonymisées \(dernier parcours fini depuis la durée de conservation\) : \d+/);
    const json = JSON.parse((await plie(['rgpd', 'retention', '--dry-run', '--json'])).stdout) as { dryRun: boolean; counts: Record<string, number> };
    expect(json.dryRun).toBe(true);
    expect(Object.keys(json.counts).sort()).toEqual(['identities', 'proofs', 'sessions', 'tokens', 'usedLinks']);
    expect(await db.participant.count({ where: { erasedAt: { not: null } } })).toBe(before);
  });
});
