import http from 'node:http';
import { createProofStore, proofsFolder } from '../files/proof-store.ts';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logging.ts';
import { createSlack } from '../slack/app.ts';
import { createWebApp } from '../web/app.ts';
import { pathwayDeps } from './services.ts';
import { plieConfigFor } from '../plies/registry.ts';
import { oidcSettingsOf } from '../web/console/oidc-sign-in.ts';
import { personalTokenOwner } from '../staff/tokens.ts';
import { parisDate } from '../domain/dates.ts';

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
  /** The links' secret and the proofs' key: the pages behind the emails' links are served with them. */
  links?: { linkSecret: string; fileKey: string };
  logger: Logger;
  port?: number;
}): Promise<RunningWeb> {
  const { env } = opts.config;
  const own = pathwayDeps(opts.config, opts.db, opts.temporal, opts.logger);
  const others = (env.PLIE_API_TOKENS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => ({ plieCode: entry.slice(0, entry.indexOf(':')), token: entry.slice(entry.indexOf(':') + 1) }));
  // Each other PLIE must be registered (plie config register): its configuration is read now.
  const configs = new Map(
    await Promise.all(others.map(async (o) => [o.plieCode, await plieConfigFor(opts.db, env, o.plieCode)] as const)),
  );
  const tokens = [{ token: opts.apiToken, plieCode: own.plieCode }, ...others];
  // A personal token or a session acts in its owner's PLIE, whether or not that PLIE has a token of its own here.
  const depsFor = async (plieCode: string) =>
    plieCode === own.plieCode ? own : pathwayDeps(opts.config, opts.db, opts.temporal, opts.logger, configs.get(plieCode) ?? (await plieConfigFor(opts.db, env, plieCode)));
  /** The pages behind the emails' links and the staff's console: served when links can be signed. */
  const pages = (links: { linkSecret: string; fileKey: string }) => {
    const proofs = createProofStore(proofsFolder(opts.config), links.fileKey);
    return {
      links: { db: opts.db, temporal: opts.temporal, secret: links.linkSecret, proofs, logger: opts.logger },
      console: {
        db: opts.db,
        temporal: opts.temporal,
        taskQueue: own.taskQueue,
        secret: links.linkSecret,
        // The PLIEs this web serves: the same as its API's.
        served: new Set(tokens.map((t) => t.plieCode)),
        secureCookies: env.NODE_ENV === 'production',
        // An origin is scheme, host and port, without a path.
        ...(env.TEMPORAL_UI_ORIGIN ? { temporalUiOrigin: new URL(env.TEMPORAL_UI_ORIGIN).origin } : {}),
        plieConfig: (code: string) => plieConfigFor(opts.db, env, code),
        pathwayDeps: depsFor,
        oidc: oidcSettingsOf(env),
        proofs,
        logger: opts.logger,
      },
    };
  };
  const app = createWebApp({
    logger: opts.logger,
    tokens,
    personalToken: (token) => personalTokenOwner(opts.db, token, parisDate(new Date())),
    pathwayDeps: depsFor,
    ...(opts.links ? pages(opts.links) : {}),
  });
  const slack = createSlack(env, app, opts.logger, {
    db: opts.db,
    temporal: opts.temporal,
    logger: opts.logger.child({ component: 'slack' }),
    pathway: own,
    // A member of another registered PLIE refers into their own (its rules, its coordination).
    pathwayFor: async (code) => pathwayDeps(opts.config, opts.db, opts.temporal, opts.logger, await plieConfigFor(opts.db, env, code)),
    plieConfig: (code) => plieConfigFor(opts.db, env, code),
  });
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
