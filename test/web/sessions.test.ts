/** Console sessions against PostgreSQL: when they end, and what the database keeps of them. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { ABSOLUTE_HOURS, cookie, endSession, findSession, IDLE_MINUTES, openSession, sessionCookieName } from '../../src/web/console/sessions.ts';

let db: Db;
const run = randomBytes(3).toString('hex');
const EMAIL = `session-${run}@plie.test`;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const MINUTE = 60_000;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  await db.staff.create({ data: { email: EMAIL, name: 'Léa Garnier', roles: ['REFERENT'], plieCode: 'CASA' } });
});

afterAll(async () => {
  await db.$disconnect();
});

const open = () => openSession(db, { plieCode: 'CASA', email: EMAIL, method: 'email-link' }, T0);

describe('console sessions', () => {
  it('keeps only a hash of the cookie, and gives the person’s roles of today', async () => {
    const value = await open();
    expect(await db.staffSession.count({ where: { hash: value } })).toBe(0);
    expect(await findSession(db, value, T0 + MINUTE)).toMatchObject({ email: EMAIL, name: 'Léa Garnier', roles: ['REFERENT'] });
    expect(await findSession(db, `${value}x`, T0 + MINUTE)).toBeNull();
    expect(await findSession(db, undefined, T0)).toBeNull();
  });

  it.each([
    ['used within the idle delay', [IDLE_MINUTES - 1], IDLE_MINUTES * 2 - 2, true],
    ['left idle for the whole delay', [], IDLE_MINUTES, false],
    ['left idle a minute less', [], IDLE_MINUTES - 1, true],
    ['kept busy past the end of the working day', Array.from({ length: ABSOLUTE_HOURS * 2 - 1 }, (_, i) => (i + 1) * 30), ABSOLUTE_HOURS * 60, false],
  ])('a session %s', async (_, activity, at, open_) => {
    const value = await open();
    for (const minute of activity) expect(await findSession(db, value, T0 + minute * MINUTE)).not.toBeNull();
    expect((await findSession(db, value, T0 + at * MINUTE)) !== null).toBe(open_);
  });

  it('ends at sign-out', async () => {
    const value = await open();
    const session = (await findSession(db, value, T0))!;
    await endSession(db, session.hash, T0 + MINUTE);
    expect(await findSession(db, value, T0 + 2 * MINUTE)).toBeNull();
  });

  it('sends its cookie HttpOnly and SameSite=Lax; Secure with the __Host- prefix in production', () => {
    expect(cookie({ secure: false }, sessionCookieName({ secure: false }), 'v', 60)).toBe('plie_session=v; Max-Age=60; Path=/; HttpOnly; SameSite=Lax');
    expect(cookie({ secure: true }, sessionCookieName({ secure: true }), 'v', 60)).toBe('__Host-plie_session=v; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax');
  });
});
