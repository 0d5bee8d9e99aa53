import type { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { Mailer } from '../../src/email/transport.ts';
import { createLogger } from '../../src/logging.ts';
import { createWorker } from '../../src/temporal/worker.ts';

export const COORDINATOR = 'coordination@plie.test';

/** The real worker: the bundled workflows and every real activity, on the given servers. */
export async function startTestWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  payloadKeys: string;
  db: Db;
  mailer: Mailer;
}): Promise<Worker> {
  return await createWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    payloadKeys: opts.payloadKeys,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    deps: {
      db: opts.db,
      mailer: opts.mailer,
      mailFrom: 'PLIE test <plie@plie.test>',
      appUrl: 'http://plie.test',
      logger: createLogger('silent'),
    },
  });
}
