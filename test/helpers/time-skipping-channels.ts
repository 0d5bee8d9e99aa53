/**
 * Everything a person meets, on a time-skipping server of the test file's own: the real worker
 * (with Slack), the web process (the pages behind the links, Bolt's HTTP receiver with its
 * signature checks) and the local Slack Web API, with the given staff.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PlieConfig } from '../../src/domain/plie-config.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { FakeSlackApi, VALID_TOKEN } from './slack-api.ts';
import { slackClientFor } from './slack-requests.ts';
import { TEST_PAYLOAD_KEYS, testConfig } from './settings.ts';
import { LINK_SECRET, startTimeSkipping, startWorkerStack, type WorkerStack } from './worker.ts';

export interface StaffMember {
  /** A Slack user id, for those who have an account. */
  id?: string;
  email: string;
  name: string;
  roles: string[];
}

export interface ChannelsStack {
  env: TestWorkflowEnvironment;
  api: FakeSlackApi;
  stack: WorkerStack;
  web: RunningWeb;
  slack: ReturnType<typeof slackClientFor>;
  /** An email's link, pointed at this stack's web server. */
  linkOf: (text: string) => string;
  close: () => Promise<void>;
}

/**
 * `servedPlie`: a PLIE of the test's own, registered and served by the web process (its staff sign
 * in to the console, its referrals follow its rules) and the worker's configuration.
 */
export async function startChannelsStack(opts: { taskQueue: string; coordinatorEmail: string; staff: StaffMember[]; plieCode?: string; plieConfig?: PlieConfig; servedPlie?: PlieConfig }): Promise<ChannelsStack> {
  const secret = `signature-${randomBytes(8).toString('hex')}`;
  const payloadKeys = TEST_PAYLOAD_KEYS;
  const { env, close: closeTemporal } = await startTimeSkipping(payloadKeys);
  const api = await FakeSlackApi.start();
  for (const p of opts.staff) if (p.id) api.addUser({ id: p.id, email: p.email, name: p.name });
  const served: Record<string, string> = opts.servedPlie ? { PLIE_API_TOKENS: `${opts.servedPlie.code}:jeton-du-plie-${randomBytes(8).toString('hex')}` } : {};
  const config = testConfig({ TEMPORAL_TASK_QUEUE: opts.taskQueue, PLIE_COORDINATOR_EMAIL: opts.coordinatorEmail, SLACK_BOT_TOKEN: VALID_TOKEN, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: api.url, ...served });
  const plieConfig = opts.servedPlie ?? opts.plieConfig;
  const plieCode = opts.servedPlie?.code ?? opts.plieCode;
  const stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue: opts.taskQueue, payloadKeys, deps: { slack: postClient(config.env)!, ...(plieConfig ? { plieConfig: async () => plieConfig } : {}) } });
  if (opts.servedPlie) await registerPlie(stack.db, opts.servedPlie);
  for (const p of opts.staff) await stack.db.staff.create({ data: { ...(plieCode ? { plieCode } : {}), email: p.email, name: p.name, roles: p.roles } });
  const web = await runWeb({ config, db: stack.db, temporal: env.client, apiToken: `jeton-${randomBytes(4).toString('hex')}`, links: { linkSecret: LINK_SECRET, fileKey: randomBytes(32).toString('base64') }, logger: createLogger('silent'), port: 0 });
  return {
    env,
    api,
    stack,
    web,
    slack: slackClientFor(`${web.url}${SLACK_EVENTS_PATH}`, secret),
    linkOf: (text: string) => {
      const path = /http:\/\/plie\.test(\/l\/[A-Za-z0-9_.-]+)/.exec(text)?.[1];
      if (!path) throw new Error('pas de lien dans ce message');
      return `${web.url}${path}`;
    },
    close: async () => {
      await web.close();
      await stack.stop();
      await api.stop();
      await closeTemporal();
    },
  };
}
