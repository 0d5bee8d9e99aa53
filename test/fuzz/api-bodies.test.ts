/**
 * Fuzzing the JSON API (src/web/app.ts) as deployed — the web process listening, a coordinator's
 * personal token, PostgreSQL, the Temporal dev server for the few valid referrals — with bodies that
 * reach the parsers: a valid envelope (a participant, a pathway action, a task's answer) carrying
 * hostile fields. Every answer is below 500; every refusal is French; the rows of the fuzzed PLIE
 * are the same after every refused input; the process keeps serving, with no unhandled rejection.
 * Several hostile fields travel in one request: they are counted, and the total must reach 10,000.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { BARRIERS, CONTRACT_TYPES, STEP_TYPES } from '../../src/domain/codes.ts';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { createStaffToken } from '../../src/staff/tokens.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { TEST_PAYLOAD_KEYS, testConfig, uniqueQueue } from '../helpers/settings.ts';
import { checksum, expectFrench, implausibleBirthDate, implausibleFactDate, malformedDate, oddText, plausibleBirthDate, plausibleFactDate, realName, twoLines, untypableText, watchCrashes, wrongKind } from './hostile.ts';

const run = randomBytes(3).toString('hex').toUpperCase();
const PLIE = `FUZZAPI_${run}`;
const coordinator = `coordination.fuzz.${run.toLowerCase()}@plie.test`;
const today = parisDate(Date.now());
let db: Db;
let client: Client;
let web: RunningWeb;
let token: string;
/** A participant of the fuzzed PLIE, their pathway, and an open task of it (a diagnostic). */
let participantId: string;
let taskId: string;
const started: string[] = [];
const crashes = watchCrashes();
/** Hostile fields sent, whatever the route: at least 10,000. */
let hostileFields = 0;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  await registerPlie(db, { ...CASA_CONFIG, code: PLIE, name: `PLIE fuzz ${run}` });
  await db.staff.create({ data: { plieCode: PLIE, email: coordinator, name: 'Coordination Fuzz', roles: ['COORDINATEUR'] } });
  ({ token } = await createStaffToken(db, PLIE, coordinator, { today }));
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(TEST_PAYLOAD_KEYS, db) });
  // No worker polls this queue: a pathway started here waits, so nothing but the requests writes to the PLIE.
  const config = testConfig({ PLIE_API_TOKENS: `${PLIE}:jeton-du-plie-fuzz-${run}`, TEMPORAL_TASK_QUEUE: uniqueQueue('fuzz-api'), PLIE_COORDINATOR_EMAIL: coordinator });
  web = await runWeb({ config, db, temporal: client, apiToken: `jeton-api-fuzz-${run}`, logger: createLogger('silent'), port: 0 });
  const created = await api('POST', '/api/participants', { firstName: 'Inès', lastName: `Fuzz${run}`, birthDate: '14/03/1985', commune: 'Antibes' });
  expect(created.status).toBe(201);
  participantId = created.body.participantId as string;
  started.push(created.body.workflowId as string);
  const pathwayId = created.body.workflowId as string;
  taskId = `${pathwayId}/diagnostic_decision/fuzz`;
  // The task the workflow would open at the diagnostic (no worker runs it here): answers to it are read by the API first.
  await db.task.create({ data: { id: taskId, pathwayId, kind: 'diagnostic_decision', assigneeEmail: coordinator, status: 'open', dueDate: new Date(), openedAt: new Date() } });
});

afterAll(async () => {
  crashes.stop();
  for (const id of started) await client?.workflow.getHandle(id).terminate('fin du test de fuzzing').catch(() => undefined);
  await web?.close();
  await client?.connection.close();
  await db?.$disconnect();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${web.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { texte: text };
  }
  return { status: response.status, body: parsed };
}

/** A request and what its refusal must say: `hostile` fields, each surely refused, and the words their messages carry. */
interface Hostile {
  method: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Hostile fields in the request (each would be refused alone). */
  hostile: number;
  status: number;
  erreur: string | RegExp;
}

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
/** The kinds that are not a text, never the `null` a nullable field accepts. */
const notText = wrongKind.filter((v) => v !== null);
const textHostile = fc.oneof(untypableText, notText);
const oneLineHostile = fc.oneof(untypableText, twoLines, notText);
const factDateHostile = fc.oneof(untypableText, implausibleFactDate(today), malformedDate, notText);

/** A person as a referral gives them, valid; then some of their fields made hostile. */
const person = fc.record({ firstName: realName, lastName: realName, birthDate: plausibleBirthDate(today), commune: fc.constantFrom('Antibes', 'Vallauris', 'Biot') });
const personFields = {
  firstName: oneLineHostile,
  lastName: oneLineHostile,
  phone: oneLineHostile,
  commune: oneLineHostile,
  prescriberContact: oneLineHostile,
  birthDate: fc.oneof(untypableText, implausibleBirthDate(today), malformedDate, notText),
  orientationDate: fc.oneof(untypableText, malformedDate, fc.constantFrom(1, true, ['2024-01-01'])),
  postalCode: fc.oneof(untypableText, fc.constantFrom('0600', '06 600', 'ABCDE', '060000')),
  email: fc.oneof(untypableText, fc.constantFrom('pas-une-adresse', 'a@', '@b.fr', 'a b@c.fr')),
  // The situation at referral: codes and « oui »/« non » read as typed, whatever the case.
  sex: fc.oneof(untypableText, fc.constantFrom('X', 'femme', 1)),
  qualificationLevel: fc.oneof(untypableText, fc.constantFrom('bac', 0, 9, 'IX', true)),
  minimumIncome: fc.oneof(untypableText, fc.constantFrom('RMI', 'oui', 3)),
  prescriber: fc.oneof(untypableText, fc.constantFrom('POLE_EMPLOI', 'inconnu', 7)),
  qpv: fc.oneof(untypableText, fc.constantFrom('peut-être', 'O', 2)),
  rqth: fc.oneof(untypableText, fc.constantFrom('vrai', 'N', 0)),
  longTermJobSeeker: fc.oneof(untypableText, fc.constantFrom('ouii', 'yes', -1)),
  exclusionRisk: fc.oneof(untypableText, fc.constantFrom('nonn', 'true', [])),
};
type PersonField = keyof typeof personFields;
const hostilePerson = (base: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(base, fc.shuffledSubarray(Object.keys(personFields) as PersonField[], { minLength: 8 }))
    .chain(([valid, fields]) => fc.tuple(fc.constant(valid), fc.constant(fields), fc.tuple(...fields.map((f) => personFields[f] as fc.Arbitrary<unknown>)), fc.dictionary(fc.string({ maxLength: 8 }), oddText, { maxKeys: 2 })))
    .map(([valid, fields, values, extra]) => ({ body: { ...extra, ...valid, ...Object.fromEntries(fields.map((f, i) => [f, values[i]])) }, hostile: fields.length }));

const referral: fc.Arbitrary<Hostile> = hostilePerson(person).map(({ body, hostile }) => ({ method: 'POST', path: '/api/participants', body, hostile, status: 400, erreur: 'Données invalides.' }));
const rectification: fc.Arbitrary<Hostile> = hostilePerson(fc.constant({})).map(({ body, hostile }) => ({ method: 'PATCH', path: `/api/participants/${participantId}`, body, hostile, status: 400, erreur: 'Données invalides.' }));

/** An action of each kind, valid, with the fields that may be made hostile. */
function actions() {
  const date = plausibleFactDate(today);
  const contract = fc.record({ type: pick(CONTRACT_TYPES.filter((t) => t !== 'CDI')), start: date, end: fc.constant(addDays(today, 200)), weeklyHours: fc.integer({ min: 1, max: 60 }), employer: fc.constant('Boulangerie du port') });
  const templates: Array<[fc.Arbitrary<Record<string, unknown>>, Record<string, fc.Arbitrary<unknown>>]> = [
    [fc.record({ type: fc.constant('stepPlanned'), stepType: pick(STEP_TYPES), date }), { date: factDateHostile }],
    [fc.record({ type: fc.constant('contactLogged'), date, mode: fc.constant('telephone') }), { date: factDateHostile }],
    [fc.record({ type: fc.constant('appointmentScheduled'), date: fc.constant(addDays(today, 7)), time: fc.constant('14:30'), place: fc.constant('PLIE Antibes') }), { date: factDateHostile, place: textHostile, time: fc.oneof(untypableText, fc.constantFrom('25:00', '9h', '12:60')) }],
    [fc.record({ type: fc.constant('contractSigned'), contract }), { 'contract.start': factDateHostile, 'contract.end': factDateHostile, 'contract.employer': textHostile, 'contract.sector': textHostile, 'contract.source': textHostile }],
    [fc.record({ type: fc.constant('trainingStarted'), start: date, rncp: fc.boolean() }), { start: factDateHostile, end: factDateHostile }],
    [fc.record({ type: fc.constant('exitProposed'), exitType: fc.constant('AUTRE'), reason: fc.constant('Déménagement à Lyon') }), { reason: textHostile }],
    [fc.record({ type: fc.constant('remindersPaused'), until: fc.constant(addDays(today, 30)), reason: fc.constant('Hospitalisation') }), { until: factDateHostile, reason: textHostile }],
    [fc.record({ type: fc.constant('barrierRaised'), category: pick(BARRIERS), date }), { date: factDateHostile, category: fc.oneof(untypableText, fc.constant('INCONNU')) }],
    [fc.record({ type: fc.constant('referentChanged'), referentEmail: fc.constant(coordinator), reason: fc.constant('Réorganisation') }), { referentEmail: fc.oneof(untypableText, fc.constant('pas-une-adresse')), reason: textHostile }],
  ];
  return fc.oneof(
    ...templates.map(([valid, fields]) =>
      fc
        .tuple(valid, fc.shuffledSubarray(Object.keys(fields), { minLength: 1 }))
        .chain(([action, chosen]) => fc.tuple(fc.constant(action), fc.constant(chosen), fc.tuple(...chosen.map((f) => fields[f]!))))
        .map(([action, chosen, values]) => {
          const body = structuredClone(action);
          chosen.forEach((path, i) => {
            const [head, tail] = path.split('.') as [string, string | undefined];
            if (tail) (body[head] as Record<string, unknown>)[tail] = values[i];
            else body[head] = values[i];
          });
          return { body, hostile: chosen.length };
        }),
    ),
  );
}
const action: fc.Arbitrary<Hostile> = actions().map(({ body, hostile }) => ({ method: 'POST', path: `/api/participants/${participantId}/actions`, body: { action: body }, hostile, status: 422, erreur: /^Action refusée : / }));

/** The diagnostic's answer, with its dates and texts made hostile. */
const answerFields: Record<string, fc.Arbitrary<unknown>> = {
  entryDate: factDateHostile,
  availableFrom: factDateHostile,
  project: textHostile,
  availability: textHostile,
  sectorWishes: fc.array(untypableText, { minLength: 1, maxLength: 3 }),
  barriers: fc.array(untypableText, { minLength: 1, maxLength: 3 }),
  maxWeeklyHours: fc.oneof(fc.constantFrom(-1, 0, 61, 1e9), untypableText),
};
const answer: fc.Arbitrary<Hostile> = fc
  .shuffledSubarray(Object.keys(answerFields), { minLength: 3 })
  .chain((chosen) => fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map((f) => answerFields[f]!))))
  .map(([chosen, values]) => ({
    method: 'POST',
    path: `/api/participants/${participantId}/reponses`,
    body: { taskId, answer: { decision: 'integrate', entryDate: today, ...Object.fromEntries(chosen.map((f, i) => [f, values[i]])) } },
    hostile: chosen.length,
    status: 422,
    erreur: /^Réponse invalide : /,
  }));

/** The envelope itself: a task id, an actor, an erasure's reason, a body that is no JSON object, a broken address. */
const envelope: fc.Arbitrary<Hostile> = fc.oneof(
  fc.tuple(untypableText, fc.oneof(untypableText, fc.constant('pas-une-adresse'))).map(([id, actor]) => ({ method: 'POST', path: `/api/participants/${participantId}/reponses`, body: { taskId: id, answer: { decision: 'integrate' }, actor }, hostile: 2, status: 400, erreur: 'Requête invalide.' })),
  fc.oneof(untypableText, notText).map((reason) => ({ method: 'POST', path: `/api/participants/${participantId}/erase`, body: { reason }, hostile: 1, status: 400, erreur: 'Requête invalide.' })),
  // JSON, but no object: a list reaches the schema; a lone value is refused by the parser (strict JSON bodies).
  fc.constantFrom('[]', '[{"firstName": "Inès"}]').map((body) => ({ method: 'POST', path: '/api/participants', body, hostile: 1, status: 400, erreur: 'Données invalides.' })),
  fc.constantFrom('null', '"texte"', '42', 'true').map((body) => ({ method: 'POST', path: '/api/participants', body, hostile: 1, status: 400, erreur: 'Le corps de la requête n’est pas du JSON valide.' })),
  fc.string({ maxLength: 30 }).map((text) => ({ method: 'POST', path: '/api/participants', body: `{"firstName": ${text}`, hostile: 1, status: 400, erreur: 'Le corps de la requête n’est pas du JSON valide.' })),
  fc.constantFrom('latin1', 'iso-8859-1', 'ebcdic').map((charset) => ({ method: 'POST', path: '/api/participants', body: '{}', headers: { 'content-type': `application/json; charset=${charset}` }, hostile: 1, status: 415, erreur: 'Jeu de caractères non pris en charge : envoyez le corps en UTF-8.' })),
  fc.constantFrom('%E0%A4%A', '%', '%FF', '%C0%80').map((id) => ({ method: 'GET', path: `/api/participants/${id}/parcours`, body: undefined, hostile: 1, status: 400, erreur: /./ })),
);

/** Sends a hostile request and checks its refusal. */
async function refused(request: Hostile): Promise<void> {
  const answered = await api(request.method, request.path, request.body, request.headers);
  expect(answered.status, JSON.stringify(answered.body)).toBe(request.status);
  const erreur = answered.body.erreur;
  if (typeof request.erreur === 'string') expect(erreur).toBe(request.erreur);
  else expect(erreur).toMatch(request.erreur);
  expectFrench(erreur);
  const details = answered.body.details;
  if (details !== undefined) {
    expect(Array.isArray(details) && details.length > 0).toBe(true);
    for (const detail of details as unknown[]) expectFrench(detail);
  }
  hostileFields += request.hostile;
}

/** Requests sent four at a time, as clients do: the server answers each on its own. */
const AT_ONCE = 4;

describe('the JSON API, fuzzed', () => {
  it.each([
    ['referrals', referral, 480],
    ['rectifications', rectification, 360],
    ['pathway actions', action, 480],
    ['task answers', answer, 320],
    ['envelopes', envelope, 200],
  ] as const)('refuses hostile %s in French, writing nothing', async (_what, requests, count) => {
    const before = await checksum(db, PLIE, [coordinator]);
    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: AT_ONCE, maxLength: AT_ONCE }), async (batch) => {
        await Promise.all(batch.map(refused));
      }),
      { numRuns: count / AT_ONCE },
    );
    expect(await checksum(db, PLIE, [coordinator])).toBe(before);
    // A margin for a machine busy with other runs: alone, a fraction of it.
  }, 180_000);

  it('creates valid referrals of every script and shape (201), each written once', async () => {
    const people = fc.sample(fc.record({ firstName: realName, lastName: realName, birthDate: plausibleBirthDate(today) }), 15);
    const before = await db.participant.count({ where: { plieCode: PLIE } });
    for (const [i, p] of people.entries()) {
      const created = await api('POST', '/api/participants', { ...p, lastName: `${p.lastName}-${run}${i}` });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      started.push(created.body.workflowId as string);
      expect(await db.participant.findUniqueOrThrow({ where: { id: created.body.participantId as string } })).toMatchObject({ firstName: p.firstName, plieCode: PLIE });
    }
    expect(await db.participant.count({ where: { plieCode: PLIE } })).toBe(before + people.length);
  });

  it('counted at least 10,000 hostile fields, and still serves, with no unhandled rejection', async () => {
    console.log('API : champs hostiles', hostileFields);
    expect(hostileFields).toBeGreaterThanOrEqual(10_000);
    expect((await api('GET', '/health')).status).toBe(200);
    expect((await api('PATCH', `/api/participants/${participantId}`, { commune: 'Biot' })).status).toBe(200);
    expect(crashes.seen).toEqual([]);
  });
});
