import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logging.ts';
import { createSlack } from '../slack/app.ts';
import { createWebApp } from '../web/app.ts';
import { pathwayDeps } from './services.ts';

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
  const app = createWebApp({ ...pathwayDeps(opts.config, opts.db, opts.temporal, opts.logger), apiToken: opts.apiToken });
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
