/**
 * One PLIE served as deployed, for tests that go through Slack and the HTTP API together: Bolt's
 * real HTTP receiver (signature checks) and the API on one port, the worker on the Temporal dev
 * server, PostgreSQL, SMTP, and Slack's Web API played locally. Its staff are in the roster and in
 * Slack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { PlieConfig } from '../../src/domain/plie-config.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb } from '../../src/main/run-web.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { FakeSlackApi } from './slack-api.ts';
import { slackClientFor } from './slack-requests.ts';
import { TEST_PAYLOAD_KEYS, testConfig, uniqueQueue } from './settings.ts';
import { startWorkerStack } from './worker.ts';

export interface StaffMember {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

export async function startSlackWebStack(opts: { plieConfig: PlieConfig; coordinator: StaffMember; staff: StaffMember[]; signingSecret: string; apiToken: string; name: string }) {
  const configDir = mkdtempSync(path.join(os.tmpdir(), `plie-${opts.name}-`));
  const api = await FakeSlackApi.start();
  const people = [opts.coordinator, ...opts.staff];
  for (const p of people) api.addUser(p);
  const configFile = path.join(configDir, 'plie.json');
  writeFileSync(configFile, JSON.stringify(opts.plieConfig));
  const taskQueue = uniqueQueue(opts.name);
  const config = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    PLIE_COORDINATOR_EMAIL: opts.coordinator.email,
    PLIE_CONFIG_FILE: configFile,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: opts.signingSecret,
    SLACK_API_URL: api.url,
  });
  const payloadKeys = TEST_PAYLOAD_KEYS;
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys, deps: { slack: postClient(config.env)!, plieConfig: async () => opts.plieConfig } });
  const { db } = stack;
  await registerPlie(db, opts.plieConfig);
  for (const p of people) await db.staff.create({ data: { plieCode: opts.plieConfig.code, email: p.email, name: p.name, roles: p.roles } });
  const client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, stack.db) });
  const web = await runWeb({ config, db, temporal: client, apiToken: opts.apiToken, logger: createLogger('silent'), port: 0 });
  return {
    api,
    stack,
    db,
    client,
    web,
    slack: slackClientFor(`${web.url}${SLACK_EVENTS_PATH}`, opts.signingSecret),
    stop: async () => {
      await web.close();
      await stack.stop();
      await client.connection.close();
      await nativeConnection.close();
      await api.stop();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

export type SlackWebStack = Awaited<ReturnType<typeof startSlackWebStack>>;
