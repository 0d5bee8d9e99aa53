/**
 * A referral in Slack with the person's situation, under a PLIE whose configuration designates the
 * referent automatically: Bolt's real HTTP receiver, the worker on the Temporal dev server,
 * PostgreSQL, and Slack's Web API played locally.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { CASA_CONFIG, type PlieConfig } from '../../src/domain/plie-config.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { FakeSlackApi } from '../helpers/slack-api.ts';
import { input, slackClientFor } from '../helpers/slack-requests.ts';
import { randomPayloadKeys, testConfig, uniqueQueue } from '../helpers/settings.ts';
import { startWorkerStack, type WorkerStack } from '../helpers/worker.ts';
import { found } from '../helpers/found.ts';

const SECRET = 'secret-de-signature-orientation';
const run = randomBytes(3).toString('hex').toUpperCase();
const PLIE = `AUTO${run}`;
const coordinator = { id: `UCOORD${run}`, email: `coord-${run}@plie.test`.toLowerCase(), name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const referent = { id: `UREF${run}`, email: `ref-${run}@plie.test`.toLowerCase(), name: 'Alice Référente', roles: ['REFERENT'] };
/** This PLIE gives every eligible person to the same referent. */
const plieConfig: PlieConfig = { ...CASA_CONFIG, code: PLIE, assignment: { autoReferentEmail: referent.email } };
const taskQueue = uniqueQueue('slack-referral');
const payloadKeys = randomPayloadKeys();
const configDir = mkdtempSync(path.join(os.tmpdir(), 'plie-orientation-'));

let api: FakeSlackApi;
let stack: WorkerStack;
let db: Db;
let nativeConnection: NativeConnection;
let client: Client;
let web: RunningWeb;
let slack: ReturnType<typeof slackClientFor>;

beforeAll(async () => {
  api = await FakeSlackApi.start();
  for (const p of [coordinator, referent]) api.addUser(p);
  const configFile = path.join(configDir, 'plie.json');
  writeFileSync(configFile, JSON.stringify(plieConfig));
  const config = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    PLIE_COORDINATOR_EMAIL: coordinator.email,
    PLIE_CONFIG_FILE: configFile,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
  });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys, deps: { slack: postClient(config.env)!, plieConfig: async () => plieConfig } });
  db = stack.db;
  for (const p of [coordinator, referent]) await db.staff.create({ data: { plieCode: PLIE, email: p.email, name: p.name, roles: p.roles } });
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys) });
  web = await runWeb({ config, db, temporal: client, apiToken: 'jeton-api-orientation', logger: createLogger('silent'), port: 0 });
  slack = slackClientFor(`${web.url}${SLACK_EVENTS_PATH}`, SECRET);
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
  await client?.connection.close();
  await nativeConnection?.close();
  await api?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

describe('a referral with the situation, under an automatic referent rule', () => {
  it('records the situation, finds the person eligible, and gives them the referent at once', async () => {
    const lastName = `Nguyen${run}`;
    const before = api.views.length;
    expect((await slack.command(referent.id, 'C0EQUIPE', 'orienter')).status).toBe(200);
    const modal = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === 'referral_check'), 20_000);
    const meta = (modal.args.view as { private_metadata: string }).private_metadata;

    const checked = await slack.submit(referent.id, 'referral_check', meta, {
      lastName: input.text(lastName),
      firstName: input.text('Mai'),
      birthDate: input.date('1979-05-02'),
      sex: input.select('F'),
      commune: input.text('Antibes'),
      postalCode: input.text('06600'),
      prescriber: input.select('FRANCE_TRAVAIL'),
      prescriberContact: input.text('Mme Roux, agence d’Antibes'),
      minimumIncome: input.select('RSA'),
      activeJobSearch: input.select('oui'),
      needsSupport: input.select('oui'),
      ableAndWilling: input.select('oui'),
      qualificationLevel: input.select('3'),
      qpv: input.select('oui'),
    });
    const update = JSON.parse(checked.body) as { response_action: string; view: { private_metadata: string; blocks: unknown[] } };
    expect(update.response_action).toBe('update');
    const shown = JSON.stringify(update.view.blocks);
    expect(shown).toContain('Pré-contrôle d’éligibilité : éligible');
    expect(shown).toContain('désigné·e d’office');
    expect(await db.participant.count({ where: { lastName } })).toBe(0);

    await slack.submit(referent.id, 'referral_submit', update.view.private_metadata, {});
    const participant = await found(async () => (await db.participant.findFirst({ where: { lastName } })) ?? undefined, 20_000);
    expect(participant).toMatchObject({ plieCode: PLIE, sex: 'F', postalCode: '06600', prescriber: 'FRANCE_TRAVAIL', prescriberContact: 'Mme Roux, agence d’Antibes', minimumIncome: 'RSA', qualificationLevel: 3, qpv: true, activeJobSearch: true, needsSupport: true, ableAndWilling: true });

    // Eligible on what the referral said: the referent is designated without asking the coordination.
    const pathwayId = `parcours-${participant.id}`;
    const diagnostic = await found(async () => (await db.task.findFirst({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } })) ?? undefined, 20_000);
    expect(diagnostic.assigneeEmail).toBe(referent.email);
    expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ referentEmail: referent.email });
    expect(await db.task.count({ where: { pathwayId, kind: 'assign_referent' } })).toBe(0);
    expect((await db.participant.findUniqueOrThrow({ where: { id: participant.id } })).eligibility).toMatchObject({ decision: 'eligible' });
    await vi.waitFor(() => expect(api.ephemerals.some((e) => e.user === referent.id && e.text.includes('désigné·e d’office'))).toBe(true), { timeout: 20_000 });
  });
});
