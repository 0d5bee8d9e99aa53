import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { createLogger } from '../../src/logging.ts';
import { createWorker } from '../../src/temporal/worker.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { registerSearchAttributes } from '../../src/temporal/search-attributes.ts';
import { TEST_PAYLOAD_KEYS, timeSkippingExecutable, uniqueQueue } from './settings.ts';
import { TestInbox } from './smtp.ts';

export const COORDINATOR = 'coordination@plie.test';
/** Signs the links of the test workers' emails (the web forms check them with the same secret). */
export const LINK_SECRET = 'secret-des-liens-de-test-assez-long-pour-hmac';

export interface WorkerStack {
  db: Db;
  inbox: TestInbox;
  mailer: Mailer;
  worker: Worker;
  stop: () => Promise<void>;
}

/**
 * The real worker (bundled workflows, every real activity) running on the given Temporal
 * connection, with the test run's PostgreSQL and an SMTP server of its own.
 */
export async function startWorkerStack(opts: {
  connection: NativeConnection;
  taskQueue: string;
  payloadKeys: string;
  maxCachedWorkflows?: number;
  /** Further dependencies of the activities (Slack, a PLIE's configuration). */
  deps?: Partial<ActivityDeps>;
  /** A database of the test's own (else the run's shared one). */
  databaseUrl?: string;
}): Promise<WorkerStack> {
  const inbox = await TestInbox.start();
  const mailer = createMailer(inbox.url);
  const db = createDb(opts.databaseUrl ?? inject('databaseUrl'));
  const worker = await createWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    payloadKeys: opts.payloadKeys,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
    deps: { db, mailer, mailFrom: 'PLIE test <plie@plie.test>', appUrl: 'http://plie.test', logger: createLogger('silent'), linkSecret: LINK_SECRET, ...opts.deps },
  });
  const running = worker.run();
  return {
    db,
    inbox,
    mailer,
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
      mailer.close();
      await inbox.stop();
      await db.$disconnect();
    },
  };
}

/**
 * A worker on the tests' dev server with a queue of its own, and a client speaking to it with the
 * same keys: what a test of workflows and activities against the real server needs; `stop` closes all.
 */
export async function startWorkerAndClient(name: string): Promise<{ stack: WorkerStack; client: Client; taskQueue: string; stop: () => Promise<void> }> {
  const taskQueue = uniqueQueue(name);
  const payloadKeys = TEST_PAYLOAD_KEYS;
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys });
  const client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, stack.db) });
  return {
    stack,
    client,
    taskQueue,
    stop: async () => {
      await stack.stop();
      await client.connection.close();
      await nativeConnection.close();
    },
  };
}

/**
 * A time-skipping server with its client and the pathway's search attributes. The client's codec
 * reads participants' data keys, so it has a database handle of its own; `close` ends both.
 */
export async function startTimeSkipping(payloadKeys: string, databaseUrl = inject('databaseUrl')): Promise<{ env: TestWorkflowEnvironment; close: () => Promise<void> }> {
  const keysDb = createDb(databaseUrl);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: timeSkippingExecutable(inject('testServerLauncher')) },
    client: { dataConverter: dataConverter(payloadKeys, keysDb) },
  });
  await registerSearchAttributes(env.connection);
  return {
    env,
    close: async () => {
      await env.teardown();
      await keysDb.$disconnect();
    },
  };
}
