import { App, ExpressReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Application } from 'express';
import { slackApiUrl, slackMode, type Env } from '../config/env.ts';
import type { Logger } from '../logging.ts';
import { registerCommandListeners } from './command-listeners.ts';
import type { SlackDeps } from './interaction.ts';
import { registerProcurementListeners } from './procurement-listeners.ts';
import { registerPlacementListeners } from './placement-listeners.ts';
import { registerTaskListeners } from './task-listeners.ts';
import { registerVoteListeners } from './vote-listeners.ts';
import { registerPathwayActionListeners } from './pathway-action-listeners.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackRuntime {
  mode: 'socket' | 'http';
  app: App;
  /** Socket Mode opens its WebSocket here; HTTP mode is served by the web server. */
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The Slack bot, in the mode the configuration asks for: Socket Mode (SLACK_APP_TOKEN), HTTP
 * (SLACK_SIGNING_SECRET, requests verified by Bolt on the web server's /slack/events), or off.
 */
export function createSlack(env: Env, web: Application, logger: Logger, deps?: SlackDeps): SlackRuntime | undefined {
  const mode = slackMode(env);
  const log = logger.child({ component: 'slack' });
  if (mode === 'off') {
    log.info('Slack non configuré (ni SLACK_BOT_TOKEN, ni SLACK_APP_TOKEN/SLACK_SIGNING_SECRET) : démarrage sans Slack');
    return undefined;
  }
  const apiUrl = slackApiUrl(env);
  // Listeners have acked already: they may wait for Slack a little (Retry-After honoured).
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 8_000 } };
  const boltLogger = {
    debug: (...m: unknown[]) => log.debug({ bolt: m.map(String).join(' ') }),
    info: (...m: unknown[]) => log.info({ bolt: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => log.warn({ bolt: m.map(String).join(' ') }),
    error: (...m: unknown[]) => log.error({ bolt: m.map(String).join(' ') }),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
  if (mode === 'socket') {
    // The receiver is built here because Bolt's own socketMode option would open the WebSocket
    // through a Web API client that ignores clientOptions (and so SLACK_API_URL).
    const receiver = new SocketModeReceiver({
      appToken: env.SLACK_APP_TOKEN!,
      logger: boltLogger,
      installerOptions: { clientOptions },
    });
    const app = new App({ token: env.SLACK_BOT_TOKEN, receiver, clientOptions, logger: boltLogger });
    if (deps) registerListeners(app, deps);
    log.info('Slack en Socket Mode');
    return {
      mode,
      app,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  const receiver = new ExpressReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET!,
    endpoints: SLACK_EVENTS_PATH,
    app: web,
    logger: boltLogger,
  });
  const app = new App({ token: env.SLACK_BOT_TOKEN, receiver, clientOptions, logger: boltLogger });
  if (deps) registerListeners(app, deps);
  log.info({ path: SLACK_EVENTS_PATH }, 'Slack en mode HTTP (requêtes signées vérifiées)');
  return { mode, app, start: async () => undefined, stop: async () => undefined };
}

/** Every listener of the bot, on an app whatever its receiver (HTTP, Socket Mode, or a test's in-process one). */
export function registerListeners(app: App, deps: SlackDeps): void {
  registerTaskListeners(app, deps);
  registerVoteListeners(app, deps);
  registerPathwayActionListeners(app, deps);
  registerProcurementListeners(app, deps);
  registerPlacementListeners(app, deps);
  registerCommandListeners(app, deps);
  app.error(async (error) => {
    deps.logger.error({ err: error.message }, 'erreur Slack non traitée');
  });
}
