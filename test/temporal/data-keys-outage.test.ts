/**
 * The payload codec while PostgreSQL is away. It runs inside the worker, where an error encoding an
 * activity's result or failure stops the whole worker: `npm run chaos` saw a worker die so when
 * PostgreSQL was restarted. A person's key is now waited for until the database answers again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { freePort } from '../../src/infra/ports.ts';
import { EncryptionCodec } from '../../src/temporal/codec.ts';
import { isDatabaseUnreachable } from '../../src/temporal/data-keys.ts';

const keys = `k1:${randomBytes(32).toString('base64')}`;
const payload = defaultPayloadConverter.toPayload({ lastName: 'Durand' });
const context = (participantId: string) => ({ type: 'activity' as const, namespace: 'default', workflowId: `parcours-${participantId}`, isLocal: false });

let relay: Server | null = null;
let db: Db | null = null;

afterEach(async () => {
  await db?.$disconnect();
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
  relay = null;
  db = null;
});

/**
 * A TCP relay to the tests' PostgreSQL on `port`. While `down`, it cuts every connection at once
 * (a server going away), counting them; then it relays.
 */
function openRelay(port: number, state: { down: boolean; cut: number }): Promise<Server> {
  const target = new URL(inject('databaseUrl'));
  const server = createServer((client) => {
    if (state.down) {
      state.cut += 1;
      client.destroy();
      return;
    }
    const upstream = new Socket();
    upstream.connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('a person’s data key while the database is away', () => {
  it('is waited for until PostgreSQL answers again, then encrypts and decrypts as usual', async () => {
    const port = await freePort();
    const url = new URL(inject('databaseUrl'));
    url.host = `127.0.0.1:${port}`;
    db = createDb(url.toString());
    const codec = new EncryptionCodec(keys, db);
    const participantId = randomUUID();

    const state = { down: true, cut: 0 };
    relay = await openRelay(port, state);
    let settled = false;
    const encoding = codec.encode([payload], context(participantId)).finally(() => (settled = true));
    // The database cuts the first connections: they are tried again, the encoding waits.
    await expect.poll(() => state.cut, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(settled).toBe(false);
    state.down = false;
    const [encoded] = await encoding;
    expect(new TextDecoder().decode(encoded!.metadata!['encryption-key-id'])).toMatch(/^personne:/);

    // Another process (no key in memory) reads it back through the same database.
    const reader = new EncryptionCodec(keys, db);
    const [decoded] = await reader.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ lastName: 'Durand' });
  });

  it.each([
    ['Prisma cannot reach the server', Object.assign(new Error('Can’t reach'), { code: 'P1001' })],
    ['PostgreSQL shutting down, through the driver adapter', Object.assign(new Error('x'), { cause: { originalCode: '57P03', message: 'the database system is shutting down' } })],
    ['a connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('counts as unreachable (waited out): %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique key taken', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })],
    ['a missing row', Object.assign(new Error('No record was found'), { code: 'P2025' })],
    ['any other error', new Error('clé de personne inconnue : personne:x')],
  ])('is not unreachable (thrown at once): %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});
