/**
 * Who is who: staff records (role, Slack account) and the rules of what each may do. A Slack user
 * is known through their staff record, linked by the address Slack holds for them.
 */
import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/client.ts';
import type { Staff } from '../generated/prisma/client.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { withRateLimit } from '../slack/web-client.ts';

export { ROLES, type Role } from '../domain/permissions.ts';


/** The coordination of a PLIE (its active staff with the role), handed to the pathways it starts. */
export async function coordinatorsOf(db: Db, plieCode: string): Promise<string[]> {
  const staff = await db.staff.findMany({ where: { plieCode, active: true, roles: { has: 'COORDINATEUR' } }, select: { email: true }, orderBy: { email: 'asc' } });
  return staff.map((s) => s.email.trim().toLowerCase());
}

/**
 * The commission ad hoc of a PLIE as it stands today: its active staff with the role, and the
 * members its configuration names (kept for PLIEs that list them there), each address once.
 */
export async function commissionMembersOf(db: Db, config: PlieConfig): Promise<string[]> {
  const staff = await db.staff.findMany({ where: { plieCode: config.code, active: true, roles: { has: 'MEMBRE_COMMISSION' } }, select: { email: true } });
  const all = [...staff.map((s) => s.email), ...config.commission.members.map((m) => m.email)].map((e) => e.trim().toLowerCase());
  return [...new Set(all)].sort();
}

/** The active referents of a PLIE, as the choices of a form (assign or change a referent). */
export async function referentOptions(db: Db, plieCode: string): Promise<Array<{ value: string; label: string }>> {
  const staff = await db.staff.findMany({ where: { plieCode, active: true, roles: { has: 'REFERENT' } }, orderBy: { name: 'asc' } });
  return staff.map((s) => ({ value: s.email, label: s.name }));
}

/** The active staff record of an address in a PLIE (addresses compared case-insensitively). */
export async function staffByEmail(db: Db, plieCode: string, email: string): Promise<Staff | null> {
  return await db.staff.findFirst({ where: { plieCode, active: true, email: { equals: email.trim(), mode: 'insensitive' } } });
}

/** Every active staff record of an address in the PLIEs a deployment serves, by PLIE code (sign-in by link or identity provider). */
export async function activeStaffIn(db: Db, email: string, served: Iterable<string>): Promise<Staff[]> {
  return await db.staff.findMany({ where: { active: true, email: { equals: email.trim(), mode: 'insensitive' }, plieCode: { in: [...served] } }, orderBy: { plieCode: 'asc' } });
}

/**
 * The Slack account to write to, or none (the person gets email). An account not yet linked is
 * looked up by address once and remembered.
 */
export async function slackUserOf(db: Db, slack: WebClient, staff: Staff): Promise<string | null> {
  if (staff.slackUserId) return staff.slackUserId;
  try {
    const found = await withRateLimit(() => slack.users.lookupByEmail({ email: staff.email }));
    const id = found.user?.id;
    if (!id || found.user?.deleted) return null;
    await db.staff.update({ where: { id: staff.id }, data: { slackUserId: id } });
    return id;
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error === 'users_not_found') return null;
    throw error;
  }
}

/**
 * The staff record behind a Slack user: linked already, or found by the address Slack gives for
 * them (users.info) and linked now. Null for anyone else.
 */
export async function staffBySlackUser(db: Db, slack: WebClient, slackUserId: string): Promise<Staff | null> {
  const linked = await db.staff.findFirst({ where: { slackUserId, active: true } });
  if (linked) return linked;
  const info = await withRateLimit(() => slack.users.info({ user: slackUserId }));
  const email = info.user?.profile?.email;
  if (!email || info.user?.deleted) return null;
  const staff = await db.staff.findFirst({ where: { active: true, slackUserId: null, email: { equals: email, mode: 'insensitive' } } });
  if (!staff) return null;
  return await db.staff.update({ where: { id: staff.id }, data: { slackUserId } });
}

/** How a member of staff is named in messages: their name, else their address. */
export async function displayName(db: Db, plieCode: string, actor: string): Promise<string> {
  if (actor === 'participant') return 'la personne accompagnée';
  if (!actor.includes('@')) return actor;
  return (await staffByEmail(db, plieCode, actor))?.name ?? actor;
}
