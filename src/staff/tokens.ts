/**
 * Personal API tokens: each belongs to one member of staff, who is then the person acting; only a
 * hash is stored, the token itself is shown once. A token stops working when revoked, past its last
 * day, or as soon as its owner is deactivated.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import type { CalendarDate } from '../domain/dates.ts';
import { InvalidInputError } from '../participants/create.ts';
import { staffByEmail } from './directory.ts';

/** Personal tokens start with this, so that logs and scanners can tell them (never the rest). */
export const PERSONAL_TOKEN_PREFIX = 'plie_';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createStaffToken(db: Db, plieCode: string, email: string, opts: { expiresOn?: CalendarDate; today: CalendarDate }): Promise<{ token: string; owner: string }> {
  const staff = await staffByEmail(db, plieCode, email);
  if (!staff) throw new InvalidInputError([`${email.trim()} : aucun membre actif du personnel du PLIE ${plieCode} à cette adresse`]);
  if (opts.expiresOn && opts.expiresOn < opts.today) throw new InvalidInputError(['expiration : la date est passée']);
  const token = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await db.apiToken.create({ data: { staffId: staff.id, hash: hashOf(token), expiresOn: opts.expiresOn ? toDbDate(opts.expiresOn) : null } });
  return { token, owner: staff.email };
}

/** Revokes every token of a person of the PLIE; returns how many were still working. */
export async function revokeStaffTokens(db: Db, plieCode: string, email: string, now: Date): Promise<number> {
  const { count } = await db.apiToken.updateMany({
    where: { revokedAt: null, staff: { plieCode, email: { equals: email.trim(), mode: 'insensitive' } } },
    data: { revokedAt: now },
  });
  return count;
}

export async function listStaffTokens(db: Db, plieCode: string) {
  const rows = await db.apiToken.findMany({ where: { staff: { plieCode } }, include: { staff: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((t) => ({
    email: t.staff.email,
    name: t.staff.name,
    createdAt: t.createdAt,
    expiresOn: t.expiresOn ? fromDbDate(t.expiresOn) : null,
    revokedAt: t.revokedAt,
    lastUsedAt: t.lastUsedAt,
    ownerActive: t.staff.active,
  }));
}

/** The owner of a working personal token, or null (unknown, revoked, expired, owner deactivated). */
export async function personalTokenOwner(db: Db, token: string, today: CalendarDate): Promise<{ plieCode: string; email: string; name: string; roles: string[]; organisation: string | null } | null> {
  if (!token.startsWith(PERSONAL_TOKEN_PREFIX)) return null;
  const found = await db.apiToken.findUnique({ where: { hash: hashOf(token) }, include: { staff: true } });
  if (!found || found.revokedAt || !found.staff.active) return null;
  if (found.expiresOn && fromDbDate(found.expiresOn) < today) return null;
  await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  return { plieCode: found.staff.plieCode, email: found.staff.email.toLowerCase(), name: found.staff.name, roles: found.staff.roles, organisation: found.staff.organisation };
}
