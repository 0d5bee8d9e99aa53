/**
 * Fuzzing the Slack bot (src/slack) through Bolt's real HTTP receiver, every request signed with the
 * signing secret: modals submitted with hostile values (a referral, a rectification, each fact of a
 * pathway, a task's answer, a vote's comment), a referral confirmed with a tampered person, and
 * `/plie` commands with hostile text. Every answer is below 500; a modal's refusal puts a French
 * message next to each hostile field; what is told afterwards is French and never a « technical
 * error »; the PLIE's rows are the same after it all (a refusal's own audit excepted); the process
 * keeps serving, with no unhandled rejection. Temporal is not needed: nothing hostile reaches a workflow.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { ACTION_FORMS } from '../../src/forms/action-forms.ts';
import type { Field, FormSpec } from '../../src/forms/fields.ts';
import { RECTIFICATION_FORM, REFERRAL_FORM } from '../../src/forms/referral-form.ts';
import { taskForm } from '../../src/forms/task-forms.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';
import { FakeSlackApi, VALID_TOKEN } from '../helpers/slack-api.ts';
import { input, slackClientFor } from '../helpers/slack-requests.ts';
import { testConfig, uniqueQueue } from '../helpers/settings.ts';
import { checksum, controlText, expectFrench, implausibleBirthDate, implausibleFactDate, malformedDate, twoLines, untypableText, watchCrashes, wrongKind } from './hostile.ts';

const SECRET = 'secret-de-signature-du-fuzzing';
const run = randomBytes(3).toString('hex').toUpperCase();
const PLIE = `FUZZSLACK_${run}`;
const CHANNEL = 'C0FUZZ';
const coordinator = { id: `UCOORD${run}`, email: `coordination.slack.${run.toLowerCase()}@plie.test`, name: 'Coordination Slack' };
const today = parisDate(Date.now());
const participantId = randomUUID();
const pathwayId = `parcours-${participantId}`;
const taskId = `${pathwayId}/diagnostic_decision/fuzz`;
let db: Db;
let api: FakeSlackApi;
let web: RunningWeb;
let slack: ReturnType<typeof slackClientFor>;
let configDir: string;
const crashes = watchCrashes();
let hostileFields = 0;
/** What the bot is expected to tell after acknowledging (a referral refused, a search answered). */
let toldLater = 0;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  const config = { ...CASA_CONFIG, code: PLIE, name: `PLIE Slack ${run}` };
  await registerPlie(db, config);
  await db.staff.create({ data: { plieCode: PLIE, email: coordinator.email, name: coordinator.name, roles: ['COORDINATEUR'] } });
  await db.participant.create({ data: { id: participantId, plieCode: PLIE, firstName: 'Inès', lastName: `Slack${run}`, identityKey: `slack|${participantId}`, birthDate: toDbDate('1985-03-14'), createdBy: coordinator.email } });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: coordinator.email } });
  await db.task.create({ data: { id: taskId, pathwayId, kind: 'diagnostic_decision', assigneeEmail: coordinator.email, status: 'open', dueDate: new Date(), openedAt: new Date() } });
  api = await FakeSlackApi.start();
  api.addUser(coordinator);
  configDir = mkdtempSync(path.join(os.tmpdir(), 'plie-fuzz-slack-'));
  const configFile = path.join(configDir, 'plie.json');
  writeFileSync(configFile, JSON.stringify(config));
  // Never connected: whatever reaches Temporal would fail, and nothing hostile may.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const env = testConfig({ TEMPORAL_TASK_QUEUE: uniqueQueue('fuzz-slack'), PLIE_COORDINATOR_EMAIL: coordinator.email, PLIE_CONFIG_FILE: configFile, SLACK_BOT_TOKEN: VALID_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url });
  web = await runWeb({ config: env, db, temporal, apiToken: `jeton-api-slack-${run}`, logger: createLogger('silent'), port: 0 });
  slack = slackClientFor(`${web.url}${SLACK_EVENTS_PATH}`, SECRET);
  // Her Slack account is linked to her staff record on first use (a write of its own, before the checksums).
  expect((await slack.command(coordinator.id, CHANNEL, 'mes-taches')).status).toBe(200);
  await vi.waitFor(() => expect(api.ephemerals.length).toBe(1), { timeout: 10_000 });
});

afterAll(async () => {
  crashes.stop();
  await web?.close();
  await api?.stop();
  await db?.$disconnect();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** An element's state as Slack reports it, for a field of this kind. */
function element(field: Field, value: string | string[]) {
  if (field.kind === 'multiselect') return input.multi(Array.isArray(value) ? value : [value]);
  const single = Array.isArray(value) ? (value[0] ?? '') : value;
  return field.kind === 'select' ? input.select(single) : field.kind === 'date' ? input.date(single) : input.text(single);
}

function validValue(field: Field): string | string[] {
  if (field.id === 'birthDate') return '1985-03-14';
  if (field.id === 'time') return '14:30';
  if (field.id === 'email') return 'ines.durand@exemple.test';
  if (field.id === 'postalCode') return '06600';
  if (field.options) return field.kind === 'multiselect' ? [field.options[0]!.value] : (field.options[0]?.value ?? 'oui');
  if (field.kind === 'date') return today;
  if (field.kind === 'number') return '10';
  return field.kind === 'textarea' ? 'Un motif valable\nsur deux lignes' : 'Texte valable';
}

/** A hostile value refused by the form's own reading (`named`: the modal names this field), or by its schema. */
function hostileValue(field: Field): fc.Arbitrary<{ value: string | string[]; named: boolean }> {
  const named = (a: fc.Arbitrary<string | string[]>) => a.map((value) => ({ value, named: true }));
  const bySchema = (a: fc.Arbitrary<string>) => a.map((value) => ({ value, named: false }));
  const always = [named(untypableText)];
  if (field.kind !== 'textarea') always.push(named(twoLines));
  if (field.kind === 'select') return fc.oneof(...always, named(fc.constantFrom('inconnu', 'OUI', ' oui')));
  if (field.kind === 'multiselect') return fc.oneof(named(fc.array(untypableText, { minLength: 1, maxLength: 3 })), named(fc.constant(['inconnu'])));
  if (field.kind === 'number') return fc.oneof(...always, named(fc.constantFrom('beaucoup', '1e999', '12 heures', 'NaN')));
  if (field.kind === 'date') {
    const dates = field.id === 'birthDate' ? implausibleBirthDate(today) : field.id === 'orientationDate' ? fc.constant('2023-02-31') : implausibleFactDate(today);
    return fc.oneof(...always, bySchema(malformedDate), bySchema(dates));
  }
  return fc.oneof(...always);
}

interface Submitted {
  callbackId: string;
  meta: Record<string, unknown>;
  values: Record<string, Record<string, unknown>>;
  named: string[];
  hostile: number;
}

/** A modal submitted with its valid values and 4 or more of its fields hostile (never a sensitive one: Slack never asks them). */
function hostileModal(callbackId: string, form: FormSpec, meta: Record<string, unknown>): fc.Arbitrary<Submitted> {
  const fields = form.fields.filter((f) => !f.sensitive);
  return fc
    .shuffledSubarray(fields, { minLength: Math.min(4, fields.length) })
    .chain((chosen) => fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map(hostileValue))))
    .map(([chosen, values]) => {
      const raw = { ...Object.fromEntries(fields.map((f) => [f.id, validValue(f)])), ...Object.fromEntries(chosen.map((f, i) => [f.id, values[i]!.value])) };
      return {
        callbackId,
        meta,
        values: Object.fromEntries(fields.map((f) => [f.id, element(f, raw[f.id]!)])),
        named: chosen.filter((_, i) => values[i]!.named).map((f) => f.id),
        hostile: chosen.length,
      };
    });
}

const modals: fc.Arbitrary<Submitted> = fc.oneof(
  { arbitrary: hostileModal('referral_check', REFERRAL_FORM, { channel: CHANNEL }), weight: 5 },
  { arbitrary: hostileModal('participant_rectify', RECTIFICATION_FORM, { participantId, channel: CHANNEL }), weight: 4 },
  ...Object.entries(ACTION_FORMS)
    .filter(([, form]) => form.fields.length > 0)
    .map(([name, form]) => ({ arbitrary: hostileModal('pathway_action', form, { participantId, action: name, channel: CHANNEL }), weight: 1 })),
  { arbitrary: hostileModal('task_form', taskForm('diagnostic_decision'), { taskId, channel: CHANNEL }), weight: 3 },
  { arbitrary: hostileModal('commission_vote', taskForm('commission_vote'), { caseId: `${pathwayId}/commission/1`, channel: CHANNEL }), weight: 1 },
);

/** Submits a hostile modal: the errors come back in the modal, in French, next to each field its reading refuses. */
async function refusedModal(submitted: Submitted): Promise<void> {
  const answered = await slack.submit(coordinator.id, submitted.callbackId, JSON.stringify(submitted.meta), submitted.values);
  expect(answered.status).toBe(200);
  const body = JSON.parse(answered.body) as { response_action?: string; errors?: Record<string, string> };
  expect(body.response_action, answered.body).toBe('errors');
  for (const id of submitted.named) expect(body.errors?.[id], `${id} : ${answered.body}`).toBeDefined();
  for (const message of Object.values(body.errors ?? {})) expectFrench(message);
  hostileFields += submitted.hostile;
}

/** A referral confirmed with a person its first modal never read (a tampered metadata): refused, and told in French. */
const tamperedReferral = fc
  .record({
    firstName: fc.oneof(untypableText, twoLines),
    lastName: fc.oneof(untypableText, twoLines, wrongKind.filter((v) => v !== null)),
    birthDate: fc.oneof(untypableText, implausibleBirthDate(today), malformedDate),
    phone: fc.oneof(untypableText, twoLines),
  })
  .map((person) => ({ input: person, hostile: 4 }));

/**
 * `/plie` with hostile text: a search for a name no one types, or an unknown verb. A command is a
 * form's UTF-8 body (no lone surrogate), split on spaces (a vertical tab or a form feed would only
 * separate words): what stays is a control character in the name or the verb.
 */
const commandText = controlText.filter((t) => !t.includes('\v') && !t.includes('\f'));
const commands = fc.oneof(
  commandText.map((name) => ({ text: `participant ${name}`, later: true })),
  commandText.filter((verb) => verb.trim().length > 0 && !/\s/.test(verb)).map((verb) => ({ text: `${verb} participant`, later: false })),
);

const AT_ONCE = 4;

describe('the Slack bot, fuzzed through its signed HTTP receiver', () => {
  it('puts a French error next to each hostile field of every modal, writing nothing', async () => {
    const before = await checksum(db, PLIE, [coordinator.email]);
    await fc.assert(
      fc.asyncProperty(fc.array(modals, { minLength: AT_ONCE, maxLength: AT_ONCE }), async (batch) => {
        await Promise.all(batch.map(refusedModal));
      }),
      { numRuns: 1_600 / AT_ONCE },
    );
    expect(await checksum(db, PLIE, [coordinator.email])).toBe(before);
  });

  it('refuses a tampered referral and hostile commands, told in French, never as a technical error', async () => {
    const before = await checksum(db, PLIE, [coordinator.email]);
    const told = api.ephemerals.length;
    await fc.assert(
      fc.asyncProperty(tamperedReferral, commands, async (referral, command) => {
        const submitted = await slack.submit(coordinator.id, 'referral_submit', JSON.stringify({ input: referral.input, channel: CHANNEL }), {});
        expect(submitted.status).toBe(200);
        const answered = await slack.command(coordinator.id, CHANNEL, command.text);
        expect(answered.status).toBe(200);
        if (!command.later) expectFrench((JSON.parse(answered.body) as { text: string }).text);
        toldLater += 1 + (command.later ? 1 : 0);
        hostileFields += referral.hostile + 1;
      }),
      { numRuns: 400 },
    );
    // Acknowledged at once, answered after: every answer arrives, each in French.
    await vi.waitFor(() => expect(api.ephemerals.length - told).toBe(toldLater), { timeout: 30_000, interval: 100 });
    for (const { text } of api.ephemerals.slice(told)) {
      expectFrench(text);
      expect(text).not.toContain('erreur technique');
    }
    expect(api.ephemerals.slice(told).filter((e) => e.text.startsWith('Orientation non enregistrée : ')).length).toBe(400);
    expect(await checksum(db, PLIE, [coordinator.email])).toBe(before);
  });

  it('checks a valid referral (no write) after 10,000 hostile fields and more, with no unhandled rejection', async () => {
    console.log('slack : champs hostiles', hostileFields);
    expect(hostileFields).toBeGreaterThanOrEqual(10_000);
    const before = await checksum(db, PLIE, [coordinator.email]);
    const fields = REFERRAL_FORM.fields.filter((f) => !f.sensitive);
    const checked = await slack.submit(coordinator.id, 'referral_check', JSON.stringify({ channel: CHANNEL }), {
      lastName: input.text('Lefèvre-N’Diaye'),
      firstName: input.text('Zoë'),
      birthDate: input.date('1968-06-21'),
      ...Object.fromEntries(fields.filter((f) => f.id === 'commune').map((f) => [f.id, input.text('Antibes')])),
    });
    expect(JSON.parse(checked.body)).toMatchObject({ response_action: 'update', view: { callback_id: 'referral_submit' } });
    expect(await checksum(db, PLIE, [coordinator.email])).toBe(before);
    expect(crashes.seen).toEqual([]);
  });
});
