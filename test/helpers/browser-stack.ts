/**
 * What a browser test of the web process needs: the worker (dev server), PostgreSQL, SMTP, the web
 * process itself and headless Chromium, started together and stopped together.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Browser } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { launchBrowser } from './browser.ts';
import { TEST_PAYLOAD_KEYS, testConfig, uniqueQueue } from './settings.ts';
import { LINK_SECRET, startWorkerStack, type WorkerStack } from './worker.ts';

export interface BrowserStack {
  stack: WorkerStack;
  db: Db;
  client: Client;
  web: RunningWeb;
  browser: Browser;
  dataDir: string;
  taskQueue: string;
  /** Refers a person through the API (the PLIE's token); their participant id. */
  refer: (person: Record<string, unknown>) => Promise<string>;
  stop: () => Promise<void>;
}

export async function startBrowserStack(opts: {
  name: string;
  coordinator: string;
  apiToken: string;
  fileKey?: string;
  staff: Array<{ email: string; name: string; roles: string[]; organisation?: string }>;
  /** More of the deployment's environment, and a port of the test's choosing (else any free one). */
  env?: Record<string, string>;
  port?: number;
}): Promise<BrowserStack> {
  const taskQueue = uniqueQueue(opts.name);
  const payloadKeys = TEST_PAYLOAD_KEYS;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `plie-${opts.name}-`));
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys });
  const { db } = stack;
  await db.staff.createMany({ data: opts.staff });
  const client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, stack.db) });
  const config = { ...testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, PLIE_COORDINATOR_EMAIL: opts.coordinator, ...opts.env }), dataDir };
  const fileKey = opts.fileKey ?? randomBytes(32).toString('base64');
  const web = await runWeb({ config, db, temporal: client, apiToken: opts.apiToken, links: { linkSecret: LINK_SECRET, fileKey }, logger: createLogger('silent'), port: opts.port ?? 0 });
  const browser = await launchBrowser();
  return {
    stack,
    db,
    client,
    web,
    browser,
    dataDir,
    taskQueue,
    refer: async (person) => {
      const created = await fetch(`${web.url}/api/participants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(person),
      });
      const body = (await created.json()) as { participantId: string };
      expect(created.status, JSON.stringify(body)).toBe(201);
      return body.participantId;
    },
    stop: async () => {
      await browser.close();
      await web.close();
      await stack.stop();
      await client.connection.close();
      await nativeConnection.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
