import http from 'node:http';
import { freePort } from '../../src/infra/ports.ts';

/** The only bot token this workspace knows. */
export const VALID_TOKEN = 'xoxb-test';
/** The app-level token that may open a Socket Mode connection. */
export const VALID_APP_TOKEN = 'xapp-test';

export interface SlackCall {
  method: string;
  token: string | undefined;
  body: string;
}

/**
 * Plays Slack's Web API on loopback (Slack's servers are out of reach): answers the methods the
 * app calls with the documented JSON shapes, and records every call.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  /** What `apps.connections.open` hands out: the local Socket Mode WebSocket, when a test runs one. */
  socketUrl: string | undefined;

  private readonly server: http.Server;

  private constructor(readonly url: string) {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        this.calls.push({ method, token: req.headers.authorization?.replace(/^Bearer /, ''), body });
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(answer(method, req.headers.authorization, this.socketUrl)));
      });
    });
  }

  static async start(): Promise<FakeSlackApi> {
    const port = await freePort();
    const api = new FakeSlackApi(`http://127.0.0.1:${port}/api/`);
    await new Promise<void>((resolve) => api.server.listen(port, '127.0.0.1', resolve));
    return api;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function answer(method: string, authorization: string | undefined, socketUrl: string | undefined): Record<string, unknown> {
  if (!authorization) return { ok: false, error: 'not_authed' };
  if (method === 'apps.connections.open') {
    return authorization === `Bearer ${VALID_APP_TOKEN}` && socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'invalid_auth' };
  }
  if (authorization !== `Bearer ${VALID_TOKEN}`) return { ok: false, error: 'invalid_auth' };
  switch (method) {
    case 'auth.test':
      return { ok: true, url: 'https://plie-test.slack.com/', team: 'PLIE Test', user: 'plie', team_id: 'T0PLIE', user_id: 'U0BOT', bot_id: 'B0BOT' };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}
