/**
 * Socket Mode as Bolt runs it: `apps.connections.open` on the (local) Web API, then a WebSocket
 * on which Slack says hello and sends envelopes that the app must acknowledge.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { freePort } from '../../src/infra/ports.ts';
import { createLogger } from '../../src/logging.ts';
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../../src/db/client.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { pathwayDeps } from '../../src/main/services.ts';
import { createSlack, type SlackRuntime } from '../../src/slack/app.ts';
import { FakeSlackApi, VALID_APP_TOKEN, VALID_TOKEN } from '../helpers/slack-api.ts';
import { testConfig } from '../helpers/settings.ts';

let api: FakeSlackApi;
let sockets: WebSocketServer;
let slack: SlackRuntime | undefined;
let closeDb: (() => Promise<void>) | undefined;
/** Resolves with the server side of the app's WebSocket, once Slack has said hello on it. */
let connected: Promise<WebSocket>;

beforeAll(async () => {
  const port = await freePort();
  sockets = new WebSocketServer({ port, host: '127.0.0.1' });
  connected = new Promise((resolve) =>
    sockets.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'local' } }));
      resolve(socket);
    }),
  );
  api = await FakeSlackApi.start();
  api.socketUrl = `ws://127.0.0.1:${port}/link`;
});

afterAll(async () => {
  await slack?.stop();
  await closeDb?.();
  sockets?.close();
  await api?.stop();
});

describe('Slack in Socket Mode', () => {
  it('opens the connection through SLACK_API_URL and acknowledges events', async () => {
    const env = testConfig({ SLACK_BOT_TOKEN: VALID_TOKEN, SLACK_APP_TOKEN: VALID_APP_TOKEN, SLACK_API_URL: api.url }).env;
    const logger = createLogger('silent');
    const db = createDb(inject('databaseUrl'));
    closeDb = () => db.$disconnect();
    // The Temporal client connects only when used (not by `/plie aide`).
    const temporal = new Client({ connection: Connection.lazy({ address: inject('temporalAddress') }) });
    const config = testConfig({}).env;
    slack = createSlack(env, express(), logger, {
      db,
      temporal,
      logger,
      pathway: pathwayDeps({ env: config, dataDir: '/nonexistent' }, db, temporal, logger),
      plieConfig: async () => CASA_CONFIG,
    });
    expect(slack?.mode).toBe('socket');
    await slack!.start();
    const socket = await connected;
    expect(api.calls.some((c) => c.method === 'apps.connections.open' && c.token === VALID_APP_TOKEN)).toBe(true);

    const ack = new Promise<unknown>((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
    socket.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: {
          type: 'event_callback',
          team_id: 'T0PLIE',
          api_app_id: 'A0PLIE',
          event: { type: 'app_home_opened', user: 'U0REF', channel: 'D0', tab: 'home', event_ts: '1.0' },
          event_id: 'Ev1',
          event_time: 1,
        },
      }),
    );
    expect(await ack).toMatchObject({ envelope_id: 'env-1' });

    // A slash command on the socket: its answer comes back in the acknowledgement itself.
    const answered = new Promise<{ envelope_id: string; payload?: { text?: string } }>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as { envelope_id: string; payload?: { text?: string } })),
    );
    socket.send(
      JSON.stringify({
        envelope_id: 'env-2',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { command: '/plie', text: 'aide', user_id: 'U0REF', channel_id: 'C0X', team_id: 'T0PLIE', trigger_id: 't', response_url: 'http://127.0.0.1:9/x', api_app_id: 'A0PLIE', token: 'legacy' },
      }),
    );
    const reply = await answered;
    expect(reply.envelope_id).toBe('env-2');
    expect(reply.payload?.text).toContain('/plie orienter');
  });
});
