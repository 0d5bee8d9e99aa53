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
  /** The arguments as the client sent them (form fields, JSON values decoded). */
  args: Record<string, unknown>;
  at: number;
}

export interface SlackUser {
  id: string;
  email: string;
  name: string;
  deleted?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** What the next call of a method meets: a rate limit, an outage, or an answer lost after Slack acted. */
export type Failure = { kind: 'ratelimit'; retryAfter: number } | { kind: 'down' } | { kind: 'lost' };

/**
 * Plays Slack's Web API on loopback (Slack's servers are out of reach): answers the methods the
 * app calls with the documented JSON shapes, keeps the conversations, and records every call.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly users = new Map<string, SlackUser>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: Array<{ channel: string; user: string; text: string }> = [];
  readonly views: Array<{ method: 'views.open' | 'views.publish' | 'views.update'; args: Record<string, unknown> }> = [];
  /** What `apps.connections.open` hands out: the local Socket Mode WebSocket, when a test runs one. */
  socketUrl: string | undefined;
  /** While true, every method answers 503 (Slack down). */
  down = false;

  private readonly failures: Array<{ method: string; failure: Failure }> = [];
  private readonly holds: Array<{ method: string; match: (args: Record<string, unknown>) => boolean; arrived: () => void; released: Promise<void> }> = [];
  private sequence = 0;
  private readonly server: http.Server;

  private constructor(readonly url: string) {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => this.handle(req, res, body));
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

  addUser(user: SlackUser): void {
    this.users.set(user.id, user);
  }

  /** The next call of `method` meets `failure` (queued in order). */
  failNext(method: string, failure: Failure): void {
    this.failures.push({ method, failure });
  }

  /**
   * The next call of `method` whose arguments match waits until released (a slow Slack): `arrived`
   * resolves once the call is in, `release` lets it through.
   */
  holdNext(method: string, match: (args: Record<string, unknown>) => boolean = () => true): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ method, match, arrived, released });
    return { arrived: arrival, release };
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The DM conversation of a user (as conversations.open names it). */
  static dmOf(userId: string): string {
    return `D${userId}`;
  }

  messagesIn(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = parseArgs(req.headers['content-type'], body);
    const held = this.holds.findIndex((h) => h.method === method && h.match(args));
    if (held >= 0) {
      const hold = this.holds.splice(held, 1)[0]!;
      hold.arrived();
      void hold.released.then(() => this.handle(req, res, body));
      return;
    }
    this.calls.push({ method, token: req.headers.authorization?.replace(/^Bearer /, ''), body, args, at: Date.now() });
    const index = this.failures.findIndex((f) => f.method === method);
    const failure = index >= 0 ? this.failures.splice(index, 1)[0]!.failure : undefined;
    if (this.down || failure?.kind === 'down') {
      res.statusCode = 503;
      res.end('Service Unavailable');
      return;
    }
    if (failure?.kind === 'ratelimit') {
      res.statusCode = 429;
      res.setHeader('retry-after', String(failure.retryAfter));
      res.end();
      return;
    }
    const answer = this.answer(method, req.headers.authorization, args);
    if (failure?.kind === 'lost') {
      // Slack acted, but the answer never arrives.
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(answer));
  }

  /** As Slack's: the second it was posted, then a sequence that keeps messages unique and ordered. */
  private nextTs(): string {
    this.sequence += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
  }

  private channelOf(to: string): string {
    return /^[UW]/.test(to) ? FakeSlackApi.dmOf(to) : to;
  }

  private answer(method: string, authorization: string | undefined, args: Record<string, unknown>): Record<string, unknown> {
    if (!authorization) return { ok: false, error: 'not_authed' };
    if (method === 'apps.connections.open') {
      return authorization === `Bearer ${VALID_APP_TOKEN}` && this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'invalid_auth' };
    }
    if (authorization !== `Bearer ${VALID_TOKEN}`) return { ok: false, error: 'invalid_auth' };
    const blocksProblem = invalidBlocks(method, args);
    if (blocksProblem) return { ok: false, error: 'invalid_blocks', errors: [blocksProblem] };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://plie-test.slack.com/', team: 'PLIE Test', user: 'plie', team_id: 'T0PLIE', user_id: 'U0BOT', bot_id: 'B0BOT' };
      case 'users.info': {
        const user = this.users.get(str(args.user));
        return user ? { ok: true, user: userShape(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = [...this.users.values()].find((u) => u.email.toLowerCase() === str(args.email).toLowerCase());
        return user ? { ok: true, user: userShape(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'conversations.open': {
        const user = str(args.users);
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: FakeSlackApi.dmOf(user) } };
      }
      case 'chat.postMessage': {
        if (!args.channel) return { ok: false, error: 'channel_not_found' };
        const message: StoredMessage = {
          channel: this.channelOf(str(args.channel)),
          ts: this.nextTs(),
          text: str(args.text),
          blocks: (args.blocks as unknown[] | undefined) ?? [],
          ...(args.thread_ts ? { thread_ts: str(args.thread_ts) } : {}),
          ...(args.metadata ? { metadata: args.metadata as StoredMessage['metadata'] & object } : {}),
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts, type: 'message' } };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = str(args.text) || message.text;
        message.blocks = (args.blocks as unknown[] | undefined) ?? [];
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.postEphemeral':
        this.ephemerals.push({ channel: str(args.channel), user: str(args.user), text: str(args.text) });
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.history':
      case 'conversations.replies': {
        const oldest = Number(args.oldest ?? 0);
        const inChannel = this.messagesIn(str(args.channel)).filter((m) => Number(m.ts) >= oldest);
        const messages = method === 'conversations.replies' ? inChannel.filter((m) => m.thread_ts === args.ts || m.ts === args.ts) : inChannel.filter((m) => !m.thread_ts);
        // Metadata only when asked for, as Slack does.
        const shaped = messages.map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(args.include_all_metadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages: shaped.reverse(), has_more: false };
      }
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        this.views.push({ method, args });
        return { ok: true, view: { id: `V${this.sequence++}`, ...(args.view as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Slack refuses repeated block ids and too many blocks (50 in a message, 100 in a view). */
function invalidBlocks(method: string, args: Record<string, unknown>): string | null {
  const view = args.view as { blocks?: unknown[] } | undefined;
  const blocks = (method.startsWith('views.') ? view?.blocks : (args.blocks as unknown[] | undefined)) ?? [];
  const limit = method.startsWith('views.') ? 100 : 50;
  if (blocks.length > limit) return `no more than ${limit} items allowed [json-pointer:/blocks]`;
  const ids = blocks.map((b) => (b as { block_id?: string }).block_id).filter((id): id is string => typeof id === 'string');
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return `duplicate block_id ${repeated} [json-pointer:/blocks]`;
  return blocks.map((b, i) => elementProblem(b, i)).find((p) => p !== null) ?? null;
}

/** Block Kit's documented limits on menus: an overflow holds 2 to 5 options, a select up to 100, each text at most 75 characters. */
const OPTION_LIMITS: Record<string, number> = { overflow: 5, static_select: 100, multi_static_select: 100 };

function elementProblem(block: unknown, index: number): string | null {
  const b = block as { accessory?: unknown; element?: unknown; elements?: unknown[] };
  const elements = [b.accessory, b.element, ...(Array.isArray(b.elements) ? b.elements : [])].filter(Boolean) as Array<{ type?: string; options?: Array<{ text?: { text?: string } }> }>;
  for (const e of elements) {
    const limit = OPTION_LIMITS[e.type ?? ''];
    if (limit === undefined || !Array.isArray(e.options)) continue;
    if (e.options.length > limit) return `must provide at most ${limit} items [json-pointer:/blocks/${index}/${e.type}/options]`;
    if (e.options.some((o) => (o.text?.text ?? '').length > 75)) return `must be less than 76 characters [json-pointer:/blocks/${index}/${e.type}/options]`;
  }
  return null;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function userShape(user: SlackUser) {
  return { id: user.id, name: user.name, deleted: user.deleted ?? false, real_name: user.name, profile: { email: user.email, real_name: user.name } };
}

/** The Web API client posts forms whose object values are JSON; some calls post JSON. */
function parseArgs(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value === 'true' ? true : value;
  }
  return args;
}
