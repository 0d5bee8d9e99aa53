/**
 * Sessions of the web console: a random value in an HttpOnly cookie, of which the database keeps
 * only the hash. A session ends after an hour without activity, at the end of a working day
 * whatever the activity, at sign-out, or as soon as the person is no longer active staff.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { Request } from 'express';
import type { Db } from '../../db/client.ts';
import { staffByEmail } from '../../staff/directory.ts';
import type { PlieGrants } from '../../domain/permissions.ts';

export const IDLE_MINUTES = 60;
export const ABSOLUTE_HOURS = 10;
/** lastSeenAt is written at most once a minute: a page and its assets need not each write. */
const TOUCH_MS = 60_000;

export interface ConsoleSession {
  hash: string;
  staffId: string;
  plieCode: string;
  email: string;
  name: string;
  roles: string[];
  /** A prescriber's organisation (PRESCRIBERS code), in whose name they refer. */
  organisation: string | null;
  /** What the person's PLIE adds to the roles' rights (read once per request). */
  plie: PlieGrants;
  csrfToken: string;
}

/** Until the PLIE's configuration is read for the request (see the console's router). */
const NO_GRANTS: PlieGrants = { bilanReaders: [] };

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');
const randomValue = () => randomBytes(32).toString('base64url');

export interface CookieSettings {
  /** Production: Secure, and the __Host- prefix (this host only, path /). */
  secure: boolean;
}

export const sessionCookieName = (c: CookieSettings) => (c.secure ? '__Host-plie_session' : 'plie_session');
/** Before sign-in: the anti-forgery token of the sign-in forms (double submit). */
export const preSessionCookieName = (c: CookieSettings) => (c.secure ? '__Host-plie_avant' : 'plie_avant');

export function cookiesOf(req: Request): Record<string, string | undefined> {
  return parse(req.headers.cookie ?? '');
}

export function cookie(c: CookieSettings, name: string, value: string, maxAgeSeconds: number): string {
  return serialize(name, value, { httpOnly: true, secure: c.secure, sameSite: 'lax', path: '/', maxAge: maxAgeSeconds });
}

export const newPreSessionToken = randomValue;

/** Opens a session for an active member of staff; returns the cookie's value. */
export async function openSession(db: Db, who: { plieCode: string; email: string; method: 'email-link' | 'oidc' }, now: number): Promise<string> {
  const value = randomValue();
  await db.staffSession.create({
    data: {
      hash: hashOf(value),
      plieCode: who.plieCode,
      email: who.email.trim().toLowerCase(),
      csrfToken: randomValue(),
      method: who.method,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + ABSOLUTE_HOURS * 3_600_000),
    },
  });
  return value;
}

/** The session a cookie's value opens, with the person's roles of today; null if it is over. */
export async function findSession(db: Db, value: string | undefined, now: number): Promise<ConsoleSession | null> {
  if (!value) return null;
  const row = await db.staffSession.findUnique({ where: { hash: hashOf(value) } });
  if (!row || row.endedAt || row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + IDLE_MINUTES * 60_000 <= now) return null;
  const staff = await staffByEmail(db, row.plieCode, row.email);
  if (!staff) return null;
  if (now - row.lastSeenAt.getTime() >= TOUCH_MS) await db.staffSession.update({ where: { hash: row.hash }, data: { lastSeenAt: new Date(now) } });
  return { hash: row.hash, staffId: staff.id, plieCode: row.plieCode, email: row.email, name: staff.name, roles: staff.roles, organisation: staff.organisation, plie: NO_GRANTS, csrfToken: row.csrfToken };
}

export async function endSession(db: Db, hash: string, now: number): Promise<void> {
  await db.staffSession.updateMany({ where: { hash, endedAt: null }, data: { endedAt: new Date(now) } });
}
