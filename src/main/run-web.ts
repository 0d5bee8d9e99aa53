import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { DEFAULT_TASK_TIMINGS } from '../domain/tasks.ts';
import type { Logger } from '../logging.ts';
import { createSlack } from '../slack/app.ts';
import { createWebApp } from '../web/app.ts';

export interface RunningWeb {
  url: string;
  close: () => Promise<void>;
}

/** The bot/web process: HTTP API, Slack (HTTP or Socket Mode) on one port. */
export async function runWeb(opts: {
  config: AppConfig;
  db: Db;
  temporal: Client;
  apiToken: string;
  logger: Logger;
  port?: number;
}): Promise<RunningWeb> {
  const { env } = opts.config;
  const app = createWebApp({
    db: opts.db,
    temporal: opts.temporal,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    coordinatorEmail: env.PLIE_COORDINATOR_EMAIL,
    timings: DEFAULT_TASK_TIMINGS,
    logger: opts.logger,
    apiToken: opts.apiToken,
  });
  const slack = createSlack(env, app, opts.logger);
  const server = http.createServer(app);
  const port = opts.port ?? env.PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  await slack?.start();
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://localhost:${actualPort}`;
  opts.logger.info({ url }, 'application web à l’écoute');
  return {
    url,
    close: async () => {
      await slack?.stop();
      // Requests in flight finish (an answer may already be applied); idle keep-alive
      // connections are closed now, and any straggler after 10 seconds.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const straggler = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(straggler);
    },
  };
}
