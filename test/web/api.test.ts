/**
 * The bot/web process as deployed: the HTTP API and Bolt's real HTTP receiver (signature checks)
 * on one port, against the Temporal dev server, PostgreSQL, SMTP and a local Slack Web API.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { importHistory } from '../../src/import/import-history.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { createStaffToken, revokeStaffTokens } from '../../src/staff/tokens.ts';
import { OTHER_CONFIG } from '../helpers/plie-configs.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { EncryptionCodec } from '../../src/temporal/codec.ts';
import { openSession, sessionCookieName } from '../../src/web/console/sessions.ts';
import { FakeSlackApi } from '../helpers/slack-api.ts';
import { slackClientFor } from '../helpers/slack-requests.ts';
import { WHO_MAY } from '../helpers/who-may.ts';
import { signLink } from '../../src/links/signed-links.ts';
import { TEST_PAYLOAD_KEYS, testConfig, uniqueQueue } from '../helpers/settings.ts';
import { COORDINATOR, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

const TOKEN = 'jeton-api-de-test';
const OTHER_TOKEN = 'jeton-de-l-autre-plie';
const SIGNING_SECRET = 'secret-de-signature-slack';
const LINK_SECRET = randomBytes(24).toString('base64');
const UI_ORIGIN = 'http://ui.plie.test:8233';
const taskQueue = uniqueQueue('web');
const payloadKeys = TEST_PAYLOAD_KEYS;
let stack: WorkerStack;
let db: Db;
let slackApi: FakeSlackApi;
let nativeConnection: NativeConnection;
let client: Client;
let web: RunningWeb;

beforeAll(async () => {
  slackApi = await FakeSlackApi.start();
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys });
  db = stack.db;
  client = new Client({
    connection: await Connection.connect({ address: inject('temporalAddress') }),
    dataConverter: dataConverter(payloadKeys, stack.db),
  });
  await registerPlie(db, { ...OTHER_CONFIG, code: 'WEB_AUTRE' });
  // The referent these tests designate: a referent of the token's PLIE (an outside address is refused).
  await db.staff.upsert({ where: { plieCode_email: { plieCode: 'CASA', email: 'ines@plie.test' } }, create: { plieCode: 'CASA', email: 'ines@plie.test', name: 'Inès Référente', roles: ['REFERENT'] }, update: {} });
  const config = testConfig({
    PLIE_API_TOKENS: `WEB_AUTRE:${OTHER_TOKEN}`,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PLIE_COORDINATOR_EMAIL: COORDINATOR,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApi.url,
    TEMPORAL_UI_ORIGIN: UI_ORIGIN,
  });
  web = await runWeb({ config, db, temporal: client, apiToken: TOKEN, links: { linkSecret: LINK_SECRET, fileKey: randomBytes(32).toString('base64') }, logger: createLogger('silent'), port: 0 });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
  await client?.connection.close();
  await nativeConnection?.close();
  await slackApi?.stop();
});

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${web.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('HTTP API', () => {
  it('answers /health without a token and refuses the API without the right one', async () => {
    expect(await api('GET', '/health', undefined, null)).toEqual({ status: 200, body: { statut: 'ok' } });
    const refused = await api('POST', '/api/participants', { firstName: 'A' }, null);
    expect(refused).toEqual({ status: 401, body: { erreur: 'Authentification requise : jeton d’API absent, invalide, révoqué ou expiré.' } });
    expect((await api('POST', '/api/participants', {}, 'mauvais')).status).toBe(401);
  });

  it('creates a participant (201), refuses the same person again (409), and answers a task', async () => {
    const suffix = randomBytes(3).toString('hex');
    const person = { firstName: `Sofia${suffix}`, lastName: `Rossi${suffix}`, birthDate: '21/06/1968', email: 's@example.org' };
    const created = await api('POST', '/api/participants', person);
    expect(created.status).toBe(201);
    const participantId = created.body.participantId as string;

    const duplicate = await api('POST', '/api/participants', person);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.participantId).toBe(participantId);

    // The workflow checks eligibility, then opens the coordinator's task.
    const taskId = await vi.waitFor(
      async () => {
        const state = await api('GET', `/api/participants/${participantId}/parcours`);
        expect(state.status).toBe(200);
        const [task] = state.body.openTasks as Array<{ id: string }>;
        expect(task).toBeDefined();
        return task!.id;
      },
      { timeout: 30_000, interval: 100 },
    );

    const rejected = await api('POST', `/api/participants/${participantId}/reponses`, {
      taskId,
      answer: { referentEmail: 'faux' },
      actor: COORDINATOR,
    });
    expect(rejected).toEqual({ status: 422, body: { erreur: 'Réponse invalide : référent·e : adresse email invalide', code: 'invalid' } });

    // An address outside the PLIE's referents is refused: it would receive the person's replies and the task links.
    const outsider = await api('POST', `/api/participants/${participantId}/reponses`, { taskId, answer: { referentEmail: 'quelquun@ailleurs.fr' }, actor: COORDINATOR });
    expect(outsider).toEqual({ status: 422, body: { erreur: 'Réponse refusée : quelquun@ailleurs.fr n’est pas référent·e en activité dans ce PLIE.', code: 'invalid' } });
    // A referent of another PLIE is an outsider here too.
    await db.staff.upsert({ where: { plieCode_email: { plieCode: 'WEB_AUTRE', email: 'ref.autre@plie.test' } }, create: { plieCode: 'WEB_AUTRE', email: 'ref.autre@plie.test', name: 'Réf. Autre', roles: ['REFERENT'] }, update: {} });
    expect((await api('POST', `/api/participants/${participantId}/reponses`, { taskId, answer: { referentEmail: 'ref.autre@plie.test' }, actor: COORDINATOR })).status).toBe(422);

    const answered = await api('POST', `/api/participants/${participantId}/reponses`, {
      taskId,
      answer: { referentEmail: 'ines@plie.test' },
      actor: COORDINATOR,
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ stage: 'diagnostic', referentEmail: 'ines@plie.test' });
    const task = await db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ status: 'done', channel: 'http', answeredBy: COORDINATOR });

    // Actions on the pathway: refused where they make no sense, with the reason; recorded otherwise.
    const action = (body: unknown) => api('POST', `/api/participants/${participantId}/actions`, body);
    expect(await action({ action: { type: 'contactLogged', date: '02/12/2026', mode: 'telephone' }, actor: 'ines@plie.test' })).toEqual({
      status: 422,
      body: { erreur: 'Action refusée : impossible à cette étape du parcours (diagnostic)', code: 'not_now' },
    });
    // The PLIE's token acts on behalf of its staff only: someone outside is refused before anything runs.
    expect(await action({ action: { type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement' }, actor: 'quelquun@ailleurs.fr' })).toEqual({
      status: 403,
      body: { erreur: 'actor : quelquun@ailleurs.fr n’est pas un membre actif du personnel de ce PLIE.' },
    });
    // A member of staff who does not follow this pathway: the pathway refuses her.
    await db.staff.upsert({ where: { plieCode_email: { plieCode: 'CASA', email: 'autre.ref@plie.test' } }, create: { plieCode: 'CASA', email: 'autre.ref@plie.test', name: 'Autre Référente', roles: ['REFERENT'] }, update: {} });
    expect(await action({ action: { type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement' }, actor: 'autre.ref@plie.test' })).toEqual({
      status: 403,
      body: { erreur: 'Seul·e le ou la référent·e de parcours, ou la coordination, peut agir sur ce parcours.', code: 'not_allowed' },
    });
    // Audited as both: the PLIE's token, on behalf of the person.
    expect(await db.auditEvent.findFirst({ where: { entityId: participantId, action: 'api.on_behalf', details: { path: ['onBehalfOf'], equals: 'autre.ref@plie.test' } } })).toMatchObject({ actor: 'jeton-du-plie:CASA', channel: 'http' });
    expect((await action({ action: 'contact', actor: 'x' })).status).toBe(400);
    const proposed = await action({ action: { type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement' }, actor: 'ines@plie.test' });
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({ stage: 'exitPending', openTasks: [{ kind: 'confirm_exit', role: 'coordinator', assigneeEmail: COORDINATOR }] });

    // Re-entry: refused while the pathway goes on, then a new pathway linked to the first once the
    // administrative exit is confirmed.
    const early = await api('POST', `/api/participants/${participantId}/reentree`, { actor: COORDINATOR });
    expect(early).toEqual({ status: 409, body: { erreur: 'Le parcours en cours n’est pas terminé : une nouvelle entrée suit une sortie.' } });
    const confirmTask = (proposed.body.openTasks as Array<{ id: string }>)[0]!.id;
    // Naming no one, the PLIE's token acts as its coordination.
    const confirmed = await api('POST', `/api/participants/${participantId}/reponses`, { taskId: confirmTask, answer: { confirm: true } });
    expect(confirmed.body).toMatchObject({ stage: 'exited', exit: { type: 'ADMINISTRATIVE', reason: 'Déménagement' } });
    expect(await db.task.findUniqueOrThrow({ where: { id: confirmTask } })).toMatchObject({ answeredBy: COORDINATOR });
    const reentry = await api('POST', `/api/participants/${participantId}/reentree`, { actor: COORDINATOR });
    expect(reentry).toEqual({ status: 201, body: { workflowId: `parcours-${participantId}-2`, previousPathwayId: `parcours-${participantId}` } });
    expect(await db.pathway.findUniqueOrThrow({ where: { id: `parcours-${participantId}-2` } })).toMatchObject({ previousPathwayId: `parcours-${participantId}` });
    await vi.waitFor(
      async () => {
        const current = await api('GET', `/api/participants/${participantId}/parcours`);
        expect(current.body).toMatchObject({ stage: 'orientation', exit: null, openTasks: [{ kind: 'assign_referent' }] });
      },
      { timeout: 30_000, interval: 100 },
    );
  });

  it.each([
    ['{"firstName": ', 400, 'Le corps de la requête n’est pas du JSON valide.'],
    [{ firstName: 'Ana' }, 400, 'Données invalides.'],
    [{ firstName: 'Ana', lastName: 'B', birthDate: '1990-13-01' }, 400, 'Données invalides.'],
  ])('refuses a bad body %j with a French message', async (body, status, message) => {
    // Only this file creates through the API, one test at a time: the count is its own.
    const createdHere = () => db.participant.count({ where: { createdBy: 'api' } });
    const before = await createdHere();
    const result = await api('POST', '/api/participants', body);
    expect(result.status).toBe(status);
    expect(result.body.erreur).toBe(message);
    expect(await createdHere()).toBe(before);
  });

  // Found from outside: a NUL byte was answered 503 « try again » (PostgreSQL refused it), a birth date in 2080 accepted.
  it.each([
    ['a NUL in a first name', { firstName: 'A\u0000b', lastName: 'Nul' }, 400, ['prénom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller']],
    ['a NUL in a last name', { firstName: 'Ana', lastName: 'B\u0000' }, 400, ['nom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller']],
    ['a birth date in 2080', { firstName: 'Ana', lastName: 'Futur', birthDate: '12/03/2080' }, 400, ['date de naissance : elle ne peut pas être dans le futur (12/03/2080)']],
    ['a valid participant', { firstName: 'Zoë', lastName: 'N’Diaye-Lefèvre' }, 201, undefined],
  ])('answers %s with its status and French details', async (_what, fields, status, details) => {
    const suffix = randomBytes(3).toString('hex');
    const body = { birthDate: '14/03/1985', ...fields, lastName: `${fields.lastName}${suffix}` };
    // Only this file creates through the API, one test at a time: the count is its own.
    const createdHere = () => db.participant.count({ where: { createdBy: 'api' } });
    const before = await createdHere();
    const result = await api('POST', '/api/participants', body);
    expect(result.status).toBe(status);
    if (details) expect(result.body).toEqual({ erreur: 'Données invalides.', details });
    expect(await createdHere()).toBe(before + (status === 201 ? 1 : 0));
  });

  it('takes the person’s situation as JSON keys, records it, and assesses eligibility on it', async () => {
    const suffix = randomBytes(3).toString('hex');
    const situation = {
      sex: 'F',
      postalCode: '06600',
      qualificationLevel: 'V',
      minimumIncome: 'RSA',
      longTermJobSeeker: true,
      qpv: true,
      rqth: false,
      singleParent: true,
      prescriber: 'CCAS',
      prescriberContact: 'M. Martin, CCAS d’Antibes',
      orientationDate: '03/11/2025',
      activeJobSearch: true,
      selfEmployed: false,
      exclusionRisk: false,
      needsSupport: true,
      ableAndWilling: true,
    };
    const created = await api('POST', '/api/participants', { firstName: `Awa${suffix}`, lastName: `Diallo${suffix}`, birthDate: '02/05/1979', commune: 'Antibes', ...situation });
    expect(created.status).toBe(201);
    const id = created.body.participantId as string;
    const record = await db.participant.findUniqueOrThrow({ where: { id } });
    // As sent, the level read from its old name and the date from JJ/MM/AAAA.
    expect(record).toMatchObject({ ...situation, qualificationLevel: 3, orientationDate: new Date('2025-11-03T00:00:00Z') });
    // The workflow assesses article 3 on these facts: everything is said, so nothing is left to review.
    const eligibility = await vi.waitFor(async () => (await db.participant.findUniqueOrThrow({ where: { id } })).eligibility ?? expect.fail('pas encore évalué'), { timeout: 20_000 });
    expect(eligibility).toMatchObject({ decision: 'eligible' });

    // The diagnostic's entry date becomes the integration date, and its barriers rows opened that day.
    const openTask = (kind: string) =>
      vi.waitFor(
        async () => {
          const tasks = (await api('GET', `/api/participants/${id}/parcours`)).body.openTasks as Array<{ id: string; kind: string }>;
          return tasks.find((t) => t.kind === kind)?.id ?? expect.fail(`pas encore de tâche ${kind}`);
        },
        { timeout: 30_000, interval: 100 },
      );
    const assign = await openTask('assign_referent');
    expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: assign, answer: { referentEmail: 'ines@plie.test' }, actor: COORDINATOR })).status).toBe(200);
    const diagnostic = await openTask('diagnostic_decision');
    const integrate = { decision: 'integrate', entryDate: '10/11/2025', barriers: ['MOBILITE', 'GARDE_ENFANTS', 'MOBILITE'] };
    expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: diagnostic, answer: integrate, actor: 'ines@plie.test' })).status).toBe(200);
    expect((await db.participant.findUniqueOrThrow({ where: { id } })).integrationDate).toEqual(new Date('2025-11-10T00:00:00Z'));
    const barriers = await db.barrier.findMany({ where: { participantId: id }, orderBy: { category: 'asc' } });
    expect(barriers.map((b) => [b.category, b.openedOn, b.closedOn])).toEqual([
      ['GARDE_ENFANTS', new Date('2025-11-10T00:00:00Z'), null],
      ['MOBILITE', new Date('2025-11-10T00:00:00Z'), null],
    ]);

    // A contract's nature, as the action's JSON keys give it: the SIAE's kind is kept.
    const signed = await api('POST', `/api/participants/${id}/actions`, {
      action: { type: 'contractSigned', contract: { type: 'CDDI', start: '01/12/2025', end: '31/05/2026', weeklyHours: 26, iaeStructure: 'ACI', marketSector: false } },
      actor: 'ines@plie.test',
    });
    expect(signed.status).toBe(200);
    expect(await db.workContract.findMany({ where: { participantId: id } })).toMatchObject([{ type: 'CDDI', iae: true, iaeStructure: 'ACI', aided: false, marketSector: false, insertionCompany: false }]);

    // Unsaid, the situation is to review at the first interview, never a refusal.
    const unsaid = await api('POST', '/api/participants', { firstName: `Léa${suffix}`, lastName: `Martin${suffix}`, birthDate: '02/05/1979', commune: 'Antibes', minimumIncome: 'AUCUN' });
    const unsaidId = unsaid.body.participantId as string;
    const review = await vi.waitFor(async () => (await db.participant.findUniqueOrThrow({ where: { id: unsaidId } })).eligibility ?? expect.fail('pas encore évalué'), { timeout: 20_000 });
    expect(review).toMatchObject({ decision: 'to_review' });
    expect(await db.participant.findUniqueOrThrow({ where: { id: unsaidId } })).toMatchObject({ longTermJobSeeker: null, exclusionRisk: null, activeJobSearch: null });

    // Rectified once the first interview has told: assessed again, both assessments kept, the change audited.
    const rectified = await api('PATCH', `/api/participants/${unsaidId}`, { longTermJobSeeker: 'oui', activeJobSearch: true, needsSupport: true, ableAndWilling: true, postalCode: '06600' });
    // (Its notices, beside the reasons, depend on the protocol of the day it runs.)
    expect(rectified).toMatchObject({
      status: 200,
      body: { participantId: unsaidId, changed: ['postalCode', 'longTermJobSeeker', 'activeJobSearch', 'needsSupport', 'ableAndWilling'], eligibility: { decision: 'eligible', reasons: [] } },
    });
    const assessments = await db.eligibilityAssessment.findMany({ where: { participantId: unsaidId }, orderBy: { at: 'asc' } });
    expect(assessments.map((a) => [a.source, a.decision])).toEqual([
      ['orientation', 'to_review'],
      ['rectification', 'eligible'],
    ]);
    const audited = await db.auditEvent.findFirstOrThrow({ where: { entityId: unsaidId, action: 'participant.rectify' } });
    expect(audited.details).toMatchObject({ changes: { longTermJobSeeker: { before: null, after: true }, postalCode: { before: null, after: '06600' } }, eligibility: { before: 'to_review', after: 'eligible' } });

    // Nothing to correct, a fact it cannot read, someone it does not know: refused, nothing written.
    expect(await api('PATCH', `/api/participants/${unsaidId}`, {})).toEqual({ status: 400, body: { erreur: 'Données invalides.', details: ['aucun fait à corriger'] } });
    expect(await api('PATCH', `/api/participants/${unsaidId}`, { sex: 'X', lastName: ' ' })).toEqual({ status: 400, body: { erreur: 'Données invalides.', details: ['nom : obligatoire', 'sexe : F ou M attendu'] } });
    expect((await api('PATCH', `/api/participants/${randomUUID()}`, { qpv: true })).status).toBe(404);
    expect((await api('PATCH', `/api/participants/${unsaidId}`, { qpv: true }, OTHER_TOKEN)).status).toBe(404);
    expect(await db.eligibilityAssessment.count({ where: { participantId: unsaidId } })).toBe(2);

    // The priorities of article 3 as the person states them: kept, read by the assessment; an intimate one rectified
    // leaves in the audit that it changed, not what it says.
    const stated = await api('POST', '/api/participants', { firstName: `Nadia${suffix}`, lastName: `Benali${suffix}`, birthDate: '02/05/1979', commune: 'Antibes', minimumIncome: 'RSA', discriminationVictim: 'oui', rqth: true, rqthLightRestriction: 'oui', veryShortPartTime: false });
    expect(stated.status).toBe(201);
    const statedId = stated.body.participantId as string;
    const assessed = await vi.waitFor(async () => (await db.participant.findUniqueOrThrow({ where: { id: statedId } })).eligibility ?? expect.fail('pas encore évalué'), { timeout: 20_000 });
    expect(assessed).toMatchObject({ priorities: ['DISCRIMINATION', 'RQTH_LEGERE'] });
    expect(await db.participant.findUniqueOrThrow({ where: { id: statedId } })).toMatchObject({ discriminationVictim: true, rqthLightRestriction: true, veryShortPartTime: false });
    expect((await api('PATCH', `/api/participants/${statedId}`, { discriminationVictim: 'non' })).status).toBe(200);
    const trail = await db.auditEvent.findFirstOrThrow({ where: { entityId: statedId, action: 'participant.rectify' } });
    expect(trail.details).toMatchObject({ changes: { discriminationVictim: { changed: true } } });
    expect(JSON.stringify(trail.details)).not.toMatch(/"(before|after)":(true|false)/);
  });

  it('lets the coordination entrust a pathway to another referent, the tasks and the history following; barriers raised and lifted', async () => {
    const suffix = randomBytes(3).toString('hex');
    const first = `marie.${suffix}@plie.test`;
    const second = `karim.${suffix}@plie.test`;
    const created = await api('POST', '/api/participants', { firstName: `Nora${suffix}`, lastName: `Benali${suffix}`, birthDate: '12/03/1984', email: 'n@example.org' });
    const id = created.body.participantId as string;
    const { plieCode } = await db.participant.findUniqueOrThrow({ where: { id } });
    await db.staff.createMany({
      data: [
        { plieCode, email: first, name: `Marie ${suffix}`, roles: ['REFERENT'] },
        { plieCode, email: second, name: `Karim ${suffix}`, roles: ['REFERENT'] },
      ],
    });
    const state = () => api('GET', `/api/participants/${id}/parcours`);
    const openTask = (kind: string) =>
      vi.waitFor(async () => ((await state()).body.openTasks as Array<{ id: string; kind: string }>).find((t) => t.kind === kind)?.id ?? expect.fail(`pas encore de tâche ${kind}`), {
        timeout: 30_000,
        interval: 100,
      });
    const assign = await openTask('assign_referent');
    expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: assign, answer: { referentEmail: first }, actor: COORDINATOR })).status).toBe(200);
    const diagnostic = await openTask('diagnostic_decision');
    const action = (value: unknown, actor: string) => api('POST', `/api/participants/${id}/actions`, { action: value, actor });
    const change = (referentEmail: string, actor = COORDINATOR) => action({ type: 'referentChanged', referentEmail, reason: 'Réorganisation des secteurs' }, actor);

    // Only the coordination, only to an active referent of the PLIE, only to someone else.
    expect(await change(second, first)).toEqual({ status: 403, body: { erreur: 'Seule la coordination peut confier ce parcours à un·e autre référent·e.', code: 'not_allowed' } });
    expect(await change('quelquun@ailleurs.fr')).toEqual({ status: 422, body: { erreur: 'Action refusée : quelquun@ailleurs.fr n’est pas référent·e en activité dans ce PLIE.', code: 'invalid' } });
    expect(await change(first)).toEqual({ status: 422, body: { erreur: 'Action refusée : cette personne est déjà la ou le référent·e de ce parcours', code: 'not_now' } });

    const changed = await change(second.toUpperCase());
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ referentEmail: second, openTasks: [{ id: diagnostic, kind: 'diagnostic_decision', assigneeEmail: second }] });
    expect(await db.task.findUniqueOrThrow({ where: { id: diagnostic } })).toMatchObject({ assigneeEmail: second, status: 'open' });
    const pathwayId = `parcours-${id}`;
    expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ referentEmail: second });
    // The history: the first referent's assignment closed, the second's open, both kept.
    const history = await db.referentAssignment.findMany({ where: { pathwayId }, include: { staff: true }, orderBy: { from: 'asc' } });
    expect(history.map((a) => [a.staff.email, a.until === null])).toEqual([
      [first, false],
      [second, true],
    ]);
    expect(await db.auditEvent.findFirstOrThrow({ where: { entityId: pathwayId, action: 'pathway.referentChanged' } })).toMatchObject({
      actor: COORDINATOR,
      details: { from: first, to: second, reason: 'Réorganisation des secteurs' },
    });
    // A word to both: the new referent gets the task with its link; the reason is never sent.
    const toNew = await stack.inbox.waitFor((m) => m.to.includes(second) && m.subject.includes('vous est confié'));
    expect(toNew.text).toContain(`assuré jusqu’ici par Marie ${suffix}.\n\nCette tâche vous revient :\n\nDécider de l’intégration après le diagnostic, échéance le`);
    expect(toNew.text).toMatch(/Répondre : http:\/\/plie\.test\/l\//);
    const toPrevious = await stack.inbox.waitFor((m) => m.to.includes(first) && m.subject.includes(`est confié à Karim ${suffix}`));
    expect(toPrevious.text).toContain('Sa tâche ouverte lui a été transmise');
    expect(`${toNew.text}${toPrevious.text}`).not.toContain('Réorganisation');

    // The previous referent no longer answers the diagnostic; the new one does, with barriers.
    const today = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris' }).format(new Date());
    const integrate = { decision: 'integrate', entryDate: today, barriers: ['MOBILITE', 'SANTE'] };
    expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: diagnostic, answer: integrate, actor: first })).status).toBe(403);
    expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: diagnostic, answer: integrate, actor: second })).status).toBe(200);

    // Levée de freins: a barrier lifted, another found later; what is not open cannot be lifted.
    expect((await action({ type: 'barrierLifted', category: 'MOBILITE', date: today }, second)).status).toBe(200);
    expect(await action({ type: 'barrierLifted', category: 'MOBILITE', date: today }, second)).toEqual({
      status: 422,
      body: { erreur: 'Action refusée : aucun frein de ce type n’est ouvert à cette date', code: 'not_now' },
    });
    expect((await action({ type: 'barrierRaised', category: 'LOGEMENT', date: today }, second)).status).toBe(200);
    expect((await action({ type: 'barrierRaised', category: 'SANTE', date: today }, second)).status).toBe(422);
    expect((await action({ type: 'barrierRaised', category: 'INCONNU', date: today }, second)).body).toMatchObject({ erreur: 'Action refusée : frein inconnu' });
    const barriers = await db.barrier.findMany({ where: { participantId: id }, orderBy: { category: 'asc' } });
    const day = barriers[0]!.openedOn;
    expect(barriers.map((b) => [b.category, b.closedOn])).toEqual([
      ['LOGEMENT', null],
      ['MOBILITE', day],
      ['SANTE', null],
    ]);
  });

  it('refuses a situation it cannot read, in French, writing nothing', async () => {
    const suffix = randomBytes(3).toString('hex');
    const person = { firstName: `Ana${suffix}`, lastName: `Silva${suffix}`, birthDate: '02/05/1979' };
    const bad = await api('POST', '/api/participants', { ...person, sex: 'X', qualificationLevel: 'bac', qpv: 'peut-être', prescriber: 'POLE_EMPLOI' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      'sexe : F ou M attendu',
      'niveau de qualification : 1 à 8, ou VI à I',
      'QPV : oui ou non',
      'prescripteur : CD06, FRANCE_TRAVAIL, MISSION_LOCALE, CCAS, COMMUNE_CASA, MSD, SPIP, PARTENAIRE_PDI, SPONTANE, AUTRE attendu',
    ]);
    const later = new Date(Date.now() + 2 * 86_400_000);
    const future = `${String(later.getUTCDate()).padStart(2, '0')}/${String(later.getUTCMonth() + 1).padStart(2, '0')}/${later.getUTCFullYear()}`;
    const ahead = await api('POST', '/api/participants', { ...person, orientationDate: future });
    expect(ahead.status).toBe(400);
    expect(ahead.body.details).toEqual(['date d’orientation : elle ne peut pas être dans le futur']);
    expect(await db.participant.count({ where: { lastName: person.lastName } })).toBe(0);
  });

  it('refuses to create again someone from the imported history', async () => {
    const imported = await importHistory(db, path.join(projectRoot, 'test', 'fixtures', 'import'), { plieCode: 'CASA', actor: 'test' });
    expect(imported.ok).toBe(true);
    const robin = await db.participant.findUniqueOrThrow({ where: { plieCode_externalId: { plieCode: 'CASA', externalId: 'P00001' } } });
    const again = await api('POST', '/api/participants', { firstName: 'Éric', lastName: 'ROBIN', birthDate: '02/08/1959' });
    expect(again).toMatchObject({ status: 409, body: { participantId: robin.id } });
  });

  it('personal tokens: a referent’s token acts as her, on her own pathways only; a revoked, expired or orphaned token is refused', async () => {
    const suffix = randomBytes(3).toString('hex');
    const alice = `alice.${suffix}@plie.test`;
    const bruno = `bruno.${suffix}@plie.test`;
    await db.staff.createMany({ data: [alice, bruno].map((email) => ({ plieCode: 'CASA', email, name: email.split('.')[0]!, roles: ['REFERENT'] })) });
    const today = new Date().toISOString().slice(0, 10);
    const { token: aliceToken } = await createStaffToken(db, 'CASA', alice, { today });
    expect(aliceToken).toMatch(/^plie_[\w-]{40,}$/);
    expect(JSON.stringify(await db.apiToken.findMany())).not.toContain(aliceToken.slice(5));

    /** A participant referred by the PLIE's token, whose pathway the coordination gives to `referent`. */
    const followedBy = async (referent: string, name: string) => {
      const created = await api('POST', '/api/participants', { firstName: `${name}${suffix}`, lastName: `Suivi${suffix}`, birthDate: '02/05/1979', commune: 'Antibes' });
      const id = created.body.participantId as string;
      const openTask = (kind: string, token: string | null = TOKEN) =>
        vi.waitFor(async () => ((await api('GET', `/api/participants/${id}/parcours`, undefined, token)).body.openTasks as Array<{ id: string; kind: string }> | undefined)?.find((t) => t.kind === kind)?.id ?? expect.fail(`pas encore de tâche ${kind}`), { timeout: 30_000, interval: 100 });
      expect((await api('POST', `/api/participants/${id}/reponses`, { taskId: await openTask('assign_referent'), answer: { referentEmail: referent }, actor: COORDINATOR })).status).toBe(200);
      return { id, openTask };
    };
    const hers = await followedBy(alice, 'Lea');
    const his = await followedBy(bruno, 'Noe');

    // Her own pathway: read, and her diagnostic answered in her name (no actor needed).
    const diagnostic = await hers.openTask('diagnostic_decision', aliceToken);
    const answered = await api('POST', `/api/participants/${hers.id}/reponses`, { taskId: diagnostic, answer: { decision: 'integrate', entryDate: today } }, aliceToken);
    expect(answered.status).toBe(200);
    expect(await db.task.findUniqueOrThrow({ where: { id: diagnostic } })).toMatchObject({ answeredBy: alice, channel: 'http' });

    // Another referent's pathway: not there for her, to read or to answer.
    expect((await api('GET', `/api/participants/${his.id}/parcours`, undefined, aliceToken)).status).toBe(404);
    const hisDiagnostic = await his.openTask('diagnostic_decision');
    expect((await api('POST', `/api/participants/${his.id}/reponses`, { taskId: hisDiagnostic, answer: { decision: 'integrate', entryDate: today } }, aliceToken)).status).toBe(404);
    expect((await api('PATCH', `/api/participants/${his.id}`, { qpv: true }, aliceToken)).status).toBe(404);
    // Acting as the coordination, or anyone else: refused.
    const asCoordination = await api('POST', `/api/participants/${hers.id}/actions`, { action: { type: 'contactLogged', date: today, mode: 'telephone' }, actor: COORDINATOR }, aliceToken);
    expect(asCoordination).toEqual({ status: 403, body: { erreur: `Ce jeton est celui de ${alice} : il n’agit au nom de personne d’autre.` } });
    // Entrusting her pathway to an outsider, or to anyone (the coordination's to do).
    expect((await api('POST', `/api/participants/${hers.id}/actions`, { action: { type: 'referentChanged', referentEmail: 'quelquun@ailleurs.fr' } }, aliceToken)).status).toBe(422);
    expect((await api('POST', `/api/participants/${hers.id}/actions`, { action: { type: 'referentChanged', referentEmail: bruno } }, aliceToken)).status).toBe(403);

    // Revoked: refused at once.
    await revokeStaffTokens(db, 'CASA', alice, new Date());
    expect((await api('GET', `/api/participants/${hers.id}/parcours`, undefined, aliceToken)).status).toBe(401);
    // Expired after its last day; its owner deactivated.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { token: expired } = await createStaffToken(db, 'CASA', bruno, { today: yesterday, expiresOn: yesterday });
    expect((await api('GET', `/api/participants/${his.id}/parcours`, undefined, expired)).status).toBe(401);
    const { token: brunoToken } = await createStaffToken(db, 'CASA', bruno, { today });
    expect((await api('GET', `/api/participants/${his.id}/parcours`, undefined, brunoToken)).status).toBe(200);
    // Each reading of a file is audited under the reader's name; a refused one reads nothing.
    const reads = async (who: string, id: string) => await db.auditEvent.count({ where: { action: 'participant.read', actor: who, entityId: id } });
    expect(await reads(bruno, his.id)).toBe(1);
    expect(await reads(alice, his.id)).toBe(0);
    await db.staff.update({ where: { plieCode_email: { plieCode: 'CASA', email: bruno } }, data: { active: false } });
    expect((await api('GET', `/api/participants/${his.id}/parcours`, undefined, brunoToken)).status).toBe(401);
  });

  it('a prescriber’s token orients and sees nothing after; an administrator’s token does not orient', async () => {
    const suffix = randomBytes(3).toString('hex');
    const prescriber = `prescriptrice.${suffix}@france-travail.test`;
    const admin = `admin.${suffix}@plie.test`;
    await db.staff.createMany({ data: [
      { plieCode: 'CASA', email: prescriber, name: 'Paule Prescriptrice', roles: ['PRESCRIPTEUR'], organisation: 'FRANCE_TRAVAIL' },
      { plieCode: 'CASA', email: admin, name: 'Adèle Admin', roles: ['ADMIN'] },
    ] });
    const today = new Date().toISOString().slice(0, 10);
    const { token: prescriberToken } = await createStaffToken(db, 'CASA', prescriber, { today });
    const { token: adminToken } = await createStaffToken(db, 'CASA', admin, { today });
    const person = { firstName: `Ola${suffix}`, lastName: `Orientee${suffix}`, birthDate: '03/04/1981', commune: 'Antibes' };
    // Whatever the body says of the prescriber, the referral is made in her organisation's name.
    const oriented = await api('POST', '/api/participants', { ...person, prescriber: 'CCAS' }, prescriberToken);
    expect(oriented.status).toBe(201);
    expect(await db.participant.findUniqueOrThrow({ where: { id: oriented.body.participantId as string } })).toMatchObject({ createdBy: prescriber, prescriber: 'FRANCE_TRAVAIL', prescriberContact: `Paule Prescriptrice <${prescriber}>` });
    expect((await api('GET', `/api/participants/${oriented.body.participantId as string}/parcours`, undefined, prescriberToken)).status).toBe(404);
    const refused = await api('POST', '/api/participants', { ...person, firstName: `Ana${suffix}` }, adminToken);
    expect(refused).toEqual({ status: 403, body: { erreur: 'Seules la coordination, les référent·es et les prescripteurs enregistrent une orientation.' } });
    expect((await api('GET', `/api/participants/${oriented.body.participantId as string}/parcours`, undefined, adminToken)).status).toBe(404);
  });

  it('exports a person’s data for a coordinator’s personal token only (right of access), audited under her name', async () => {
    const suffix = randomBytes(3).toString('hex');
    const coordinator = `coordinatrice.${suffix}@plie.test`;
    const referent = `referente.${suffix}@plie.test`;
    await db.staff.createMany({ data: [
      { plieCode: 'CASA', email: coordinator, name: 'Carla Coordination', roles: ['COORDINATEUR'] },
      { plieCode: 'CASA', email: referent, name: 'Rita Référente', roles: ['REFERENT'] },
    ] });
    const today = new Date().toISOString().slice(0, 10);
    const { token: coordinatorToken } = await createStaffToken(db, 'CASA', coordinator, { today });
    const { token: referentToken } = await createStaffToken(db, 'CASA', referent, { today });
    const created = await api('POST', '/api/participants', { firstName: `Eva${suffix}`, lastName: `Export${suffix}`, birthDate: '12/03/1985', commune: 'Antibes', email: `eva.${suffix}@exemple.fr` });
    const id = created.body.participantId as string;

    const exported = await api('GET', `/api/participants/${id}/export`, undefined, coordinatorToken);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ participant: { id, firstName: `Eva${suffix}`, email: `eva.${suffix}@exemple.fr` }, pathways: [{ participantId: id }] });
    expect(await db.auditEvent.count({ where: { action: 'rgpd.export', actor: coordinator, entityId: id, channel: 'http' } })).toBe(1);
    // The PLIE's own token names nobody; a referent may not; another PLIE's person does not exist.
    expect((await api('GET', `/api/participants/${id}/export`)).status).toBe(403);
    expect(await api('GET', `/api/participants/${id}/export`, undefined, referentToken)).toEqual({ status: 403, body: { erreur: 'Les demandes d’accès et d’effacement des données d’une personne sont traitées par la coordination.' } });
    expect((await api('GET', `/api/participants/${randomUUID()}/export`, undefined, coordinatorToken)).status).toBe(404);
    expect((await api('GET', '/api/participants/pas-un-id/export', undefined, coordinatorToken)).status).toBe(400);
  });

  it('erases a person for the coordination, from the API and from the console, and refuses anyone else', async () => {
    const suffix = randomBytes(3).toString('hex');
    const coordinator = `coord.efface.${suffix}@plie.test`;
    const referent = `ref.efface.${suffix}@plie.test`;
    await db.staff.createMany({ data: [
      { plieCode: 'CASA', email: coordinator, name: 'Carla', roles: ['COORDINATEUR'] },
      { plieCode: 'CASA', email: referent, name: 'Rita', roles: ['REFERENT'] },
    ] });
    const today = new Date().toISOString().slice(0, 10);
    const { token: coordinatorToken } = await createStaffToken(db, 'CASA', coordinator, { today });
    const { token: referentToken } = await createStaffToken(db, 'CASA', referent, { today });
    const person = async (name: string) => (await api('POST', '/api/participants', { firstName: `${name}${suffix}`, lastName: `Oubli${suffix}`, birthDate: '12/03/1985', email: `${name}.${suffix}@exemple.fr` })).body.participantId as string;

    const byApi = await person('Ines');
    expect(await api('POST', `/api/participants/${byApi}/erase`, { reason: 'courrier' }, referentToken)).toEqual({ status: 403, body: { erreur: 'Les demandes d’accès et d’effacement des données d’une personne sont traitées par la coordination.' } });
    expect((await api('POST', `/api/participants/${byApi}/erase`, { reason: 'courrier' })).status).toBe(403);
    expect((await api('POST', `/api/participants/${byApi}/erase`, { reason: '' }, coordinatorToken)).body).toEqual({ erreur: 'Requête invalide.', details: ['motif : 3 caractères au moins'] });
    expect((await api('POST', `/api/participants/${randomUUID()}/erase`, { reason: 'courrier' }, coordinatorToken)).status).toBe(404);
    expect(await db.participant.findUniqueOrThrow({ where: { id: byApi } })).toMatchObject({ firstName: `Ines${suffix}`, erasedAt: null });
    const erased = await api('POST', `/api/participants/${byApi}/erase`, { reason: 'courrier du 28/11' }, coordinatorToken);
    expect(erased).toMatchObject({ status: 200, body: { status: 'erased', closedWorkflows: [`parcours-${byApi}`], proofsKept: 0, proofsKeptUntil: null } });
    expect(await db.participant.findUniqueOrThrow({ where: { id: byApi } })).toMatchObject({ firstName: 'Personne', email: null });
    expect((await api('POST', `/api/participants/${byApi}/erase`, { reason: 'relance' }, coordinatorToken)).body).toMatchObject({ status: 'already' });
    // Nothing left to read or do on the pathway; nothing to rectify.
    expect(await api('GET', `/api/participants/${byApi}/parcours`)).toEqual({ status: 404, body: { erreur: 'Aucun parcours pour ce participant.' } });
    expect((await api('PATCH', `/api/participants/${byApi}`, { firstName: 'Ines' })).status).toBe(404);

    // The console: the form, its confirmation required, then the answer to give the person.
    const byConsole = await person('Jade');
    const cookie = `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: 'CASA', email: coordinator, method: 'email-link' }, Date.now())}`;
    const page = async (method: string, form?: Record<string, string>) => {
      const response = await fetch(`${web.url}/participants/${byConsole}/effacer`, { method, headers: { cookie, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
      return { status: response.status, text: await response.text() };
    };
    const form = await page('GET');
    expect(form.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const unconfirmed = await page('POST', { _csrf: csrf, reason: 'demande orale' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Je confirme l’effacement, définitif : choisissez une option');
    expect(await db.participant.findUniqueOrThrow({ where: { id: byConsole } })).toMatchObject({ erasedAt: null });
    const done = await page('POST', { _csrf: csrf, reason: 'demande orale', confirm: 'oui' });
    expect(done.status).toBe(200);
    expect(done.text).toContain(`Les données d’identité du dossier ${byConsole.slice(0, 8).toUpperCase()} sont effacées.`);
    expect(done.text).toContain('Réponse à transmettre à la personne');
    expect(await db.auditEvent.findFirst({ where: { action: 'rgpd.erase', entityId: byConsole } })).toMatchObject({ actor: coordinator, channel: 'web' });
    const referentCookie = `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: 'CASA', email: referent, method: 'email-link' }, Date.now())}`;
    // Not her file: it does not exist for her.
    expect((await fetch(`${web.url}/participants/${byConsole}/effacer`, { headers: { cookie: referentCookie }, redirect: 'manual' })).status).toBe(404);
  });

  it('decodes no payload of Temporal for the Web UI when the deployment serves several PLIEs (one set of keys opens them all)', async () => {
    const coordinator = `coord.codec.${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CASA', email: coordinator, name: 'Cora', roles: ['COORDINATEUR'] } });
    const cookie = `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: 'CASA', email: coordinator, method: 'email-link' }, Date.now())}`;
    const [encrypted] = await new EncryptionCodec(payloadKeys).encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{}') }]);
    const refused = await fetch(`${web.url}/codec/decode`, {
      method: 'POST',
      headers: { origin: UI_ORIGIN, 'content-type': 'application/json', cookie },
      body: JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from(encrypted!.metadata!.encoding!).toString('base64') }, data: Buffer.from(encrypted!.data!).toString('base64') }] }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ erreur: 'Ce déploiement sert plusieurs PLIE : leurs données de Temporal ne se déchiffrent pas dans l’interface.' });
    expect(await db.auditEvent.count({ where: { action: 'temporal.decode', actor: coordinator } })).toBe(0);
  });

  it('does not show, nor let anyone answer for, a participant of another PLIE', async () => {
    const id = randomUUID();
    await db.participant.create({
      data: { id, plieCode: 'AUTRE_API', firstName: 'A', lastName: 'B', identityKey: `autre|${id}`, birthDate: new Date('1980-01-01'), createdBy: 'test' },
    });
    expect(await api('GET', `/api/participants/${id}/parcours`)).toEqual({ status: 404, body: { erreur: 'Aucun parcours pour ce participant.' } });
    const answer = await api('POST', `/api/participants/${id}/reponses`, { taskId: 'x', answer: {}, actor: COORDINATOR });
    expect(answer.status).toBe(404);
  });

  it('gives each PLIE served its own API: its token creates and reads only its participants', async () => {
    const suffix = randomBytes(3).toString('hex');
    const created = await api('POST', '/api/participants', { firstName: `Lou${suffix}`, lastName: 'Autre', birthDate: '01/01/1985' }, OTHER_TOKEN);
    expect(created.status).toBe(201);
    const participantId = created.body.participantId as string;
    expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ plieCode: 'WEB_AUTRE' });
    expect((await api('GET', `/api/participants/${participantId}/parcours`, undefined, OTHER_TOKEN)).status).toBe(200);
    expect((await api('GET', `/api/participants/${participantId}/parcours`)).status).toBe(404);
  });

  it('refuses malformed ids and answers, and says when there is no pathway', async () => {
    expect((await api('GET', '/api/participants/pas-un-uuid/parcours')).status).toBe(400);
    const unknown = await api('GET', '/api/participants/00000000-0000-4000-8000-000000000000/parcours');
    expect(unknown).toEqual({ status: 404, body: { erreur: 'Aucun parcours pour ce participant.' } });
    const bad = await api('POST', '/api/participants/00000000-0000-4000-8000-000000000000/reponses', { answer: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(['taskId : obligatoire', 'answer : un objet JSON est attendu']);
  });
});

/**
 * Who may do what, role by role, in the PLIE of the person and in the other one, over the API
 * (personal tokens), an email's link and Slack (signed slash commands through Bolt's HTTP
 * receiver): referring a person, and opening a file that the first PLIE's referent holds. Restated
 * here, not read from the code.
 */
describe('who may do what, over the API, a link and Slack, in each PLIE', () => {
  const PLIES = ['CASA', 'WEB_AUTRE'] as const;
  const tag = randomBytes(3).toString('hex');
  const people = new Map<string, { email: string; slackId: string; token: string }>();
  const key = (plie: string, role: string) => `${plie}/${role}`;
  let held: string;
  const slack = () => slackClientFor(`${web.url}/slack/events`, SIGNING_SECRET);

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const plie of PLIES) {
      for (const [role] of WHO_MAY) {
        const email = `${role.toLowerCase()}.${plie.toLowerCase()}.${tag}@plie.test`;
        const slackId = `U${role.slice(0, 4)}${plie.slice(0, 3)}${tag}`.toUpperCase();
        await db.staff.create({ data: { plieCode: plie, email, name: `${role} ${plie}`, roles: [role] } });
        slackApi.addUser({ id: slackId, email, name: `${role} ${plie}` });
        people.set(key(plie, role), { email, slackId, token: (await createStaffToken(db, plie, email, { today })).token });
      }
    }
    // A file of the first PLIE, held by its referent.
    const created = await api('POST', '/api/participants', { firstName: `Mona${tag}`, lastName: `Matrice${tag}`, birthDate: '05/06/1977', commune: 'Antibes' });
    held = created.body.participantId as string;
    const assign = await vi.waitFor(
      async () => ((await api('GET', `/api/participants/${held}/parcours`)).body.openTasks as Array<{ id: string; kind: string }> | undefined)?.find((t) => t.kind === 'assign_referent')?.id ?? expect.fail('pas encore'),
      { timeout: 30_000, interval: 100 },
    );
    expect((await api('POST', `/api/participants/${held}/reponses`, { taskId: assign, answer: { referentEmail: people.get(key('CASA', 'REFERENT'))!.email }, actor: COORDINATOR })).status).toBe(200);
  });

  const cases = PLIES.flatMap((plie) => WHO_MAY.map(([role, may]) => [plie, role, may.refer, may.openFiles] as const));
  it.each(cases)('%s, %s: refers %s, opens files %s', async (plie, role, refers, opensFiles) => {
    const me = people.get(key(plie, role))!;
    const own = plie === 'CASA';

    // API: a referral lands in her own PLIE, or is refused; the file is there only for those who may open it, in its PLIE.
    const referred = await api('POST', '/api/participants', { firstName: `Nael${role.slice(0, 3)}${tag}`, lastName: `Oriente${plie}${tag}`, birthDate: '07/08/1990', commune: 'Antibes' }, me.token);
    expect(referred.status).toBe(refers ? 201 : 403);
    if (refers) expect(await db.participant.findUniqueOrThrow({ where: { id: referred.body.participantId as string } })).toMatchObject({ plieCode: plie, createdBy: me.email });
    expect((await api('GET', `/api/participants/${held}/parcours`, undefined, me.token)).status).toBe(opensFiles && own ? 200 : 404);

    // A link sent to her to note a fact on that file: the same rule, checked when it is opened.
    const link = signLink({ purpose: 'pathway-action', subject: held, actor: me.email, expiresAt: Date.now() + 86_400_000 }, LINK_SECRET);
    expect((await fetch(`${web.url}/l/${link}`)).status).toBe(opensFiles && own ? 200 : 403);

    // Slack: the same rules for the same person.
    const replies = () => slackApi.callsOf('chat.postEphemeral').filter((c) => c.args.user === me.slackId).map((c) => String(c.args.text));
    expect((await slack().command(me.slackId, 'C0MATRICE', `participant Matrice${tag}`)).status).toBe(200);
    const lookUp = await vi.waitFor(() => replies().at(-1) ?? expect.fail('pas encore de réponse'), { timeout: 15_000, interval: 50 });
    expect(lookUp).toBe(!opensFiles ? '⛔ La situation d’un dossier est réservée à la coordination et aux référent·es.' : own ? '1 dossier(s)' : 'Aucun dossier à ce nom.');
    const opened = () => slackApi.views.filter((v) => v.method === 'views.open').length;
    const before = { opened: opened(), replies: replies().length };
    expect((await slack().command(me.slackId, 'C0MATRICE', 'orienter')).status).toBe(200);
    if (refers) await vi.waitFor(() => expect(opened()).toBe(before.opened + 1), { timeout: 15_000, interval: 50 });
    else await vi.waitFor(() => expect(replies().slice(before.replies)).toEqual(['⛔ Seules la coordination, les référent·es et les prescripteurs enregistrent une orientation.']), { timeout: 15_000, interval: 50 });
  });
});

describe('Slack HTTP receiver (Bolt, real signature checks)', () => {
  const sign = (body: string, timestamp: number, secret = SIGNING_SECRET) =>
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${web.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const now = () => Math.floor(Date.now() / 1000);

  it('answers Slack’s URL verification when the request is signed', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'défi-123', token: 'x' });
    const ts = now();
    const response = await post(body, { 'x-slack-signature': sign(body, ts), 'x-slack-request-timestamp': String(ts) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'défi-123' });
  });

  it('acknowledges a signed event', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0PLIE',
      api_app_id: 'A0PLIE',
      event: { type: 'app_home_opened', user: 'U0REF', channel: 'D0', tab: 'home', event_ts: '1.0' },
      event_id: 'Ev0',
      event_time: now(),
    });
    const ts = now();
    const response = await post(body, { 'x-slack-signature': sign(body, ts), 'x-slack-request-timestamp': String(ts) });
    expect(response.status).toBe(200);
    expect(slackApi.calls.some((c) => c.method === 'auth.test' && c.token === 'xoxb-test')).toBe(true);
  });

  it.each([
    ['a wrong signature', (body: string, ts: number) => sign(body, ts, 'autre-secret'), 0],
    ['a timestamp six minutes old', (body: string, ts: number) => sign(body, ts), -6 * 60],
  ])('refuses %s with 401', async (_label, signature, shift) => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    const ts = now() + shift;
    const response = await post(body, { 'x-slack-signature': signature(body, ts), 'x-slack-request-timestamp': String(ts) });
    expect(response.status).toBe(401);
  });
});
