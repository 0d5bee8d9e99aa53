/** Recording the PLIE's staff (who they are, their roles, their Slack account), validated and audited. */
import { CLOSED_STAGES } from '../domain/tasks.ts';
import type { Db } from '../db/client.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';
import { PRESCRIBERS } from '../domain/codes.ts';
import { ROLES } from './directory.ts';

export const staffInputSchema = z
  .object({
  email: z.email({ error: 'email : adresse invalide' }).transform((e) => e.toLowerCase()),
  name: z.string({ error: 'nom : obligatoire' }).trim().min(2, 'nom : obligatoire').max(100, 'nom : 100 caractères au plus'),
  roles: z
    .array(z.enum(ROLES, { error: `rôle inconnu (attendu : ${ROLES.join(', ')})` }))
    .min(1, `rôles : au moins un parmi ${ROLES.join(', ')}`),
  slackUserId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/, 'compte Slack : un identifiant de membre (U…), visible dans le profil Slack')
    .optional(),
  /** A prescriber's organisation: their referrals are made in its name, and its outcome reported to them. */
  organisation: z.enum(PRESCRIBERS, { error: `organisme : un code parmi ${PRESCRIBERS.join(', ')}` }).optional(),
})
  .refine((s) => !s.roles.includes('PRESCRIPTEUR') || s.organisation !== undefined, { message: `organisme : obligatoire pour un·e prescripteur·rice (un code parmi ${PRESCRIBERS.join(', ')})`, path: ['organisation'] });

/** Adds a member of staff, or updates their name, roles and Slack account (same address, same PLIE). */
export async function upsertStaff(db: Db, plieCode: string, raw: unknown, actor: string) {
  const parsed = staffInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const data = parsed.data;
  return await db.$transaction(async (tx) => {
    const staff = await tx.staff.upsert({
      where: { plieCode_email: { plieCode, email: data.email } },
      create: { plieCode, email: data.email, name: data.name, roles: data.roles, slackUserId: data.slackUserId ?? null, organisation: data.organisation ?? null },
      update: { name: data.name, roles: data.roles, active: true, organisation: data.organisation ?? null, ...(data.slackUserId ? { slackUserId: data.slackUserId } : {}) },
    });
    await audit(tx, {
      idempotencyKey: `staff/${staff.id}/${Date.now()}`,
      actor,
      channel: 'cli',
      action: 'staff.upsert',
      entityType: 'staff',
      entityId: staff.id,
      details: { roles: data.roles, ...(data.organisation ? { organisation: data.organisation } : {}) },
    });
    return staff;
  });
}

/**
 * Deactivates a member of staff: from now on no channel knows them (Slack, personal tokens, the
 * PLIE's token acting on their behalf, designations), and their tokens are revoked. Returns the
 * open pathways they still hold and their open tasks, for the coordination to entrust again.
 */
export async function deactivateStaff(db: Db, plieCode: string, email: string, actor: string, now: Date) {
  return await db.$transaction(async (tx) => {
    const staff = await tx.staff.findFirst({ where: { plieCode, email: { equals: email.trim(), mode: 'insensitive' } } });
    if (!staff) throw new InvalidInputError([`${email.trim()} : personne de ce nom dans le personnel du PLIE ${plieCode}`]);
    const wasActive = staff.active;
    await tx.staff.update({ where: { id: staff.id }, data: { active: false } });
    const revoked = await tx.apiToken.updateMany({ where: { staffId: staff.id, revokedAt: null }, data: { revokedAt: now } });
    const held = await tx.pathway.findMany({
      where: { referentEmail: { equals: staff.email, mode: 'insensitive' }, stage: { notIn: [...CLOSED_STAGES] }, participant: { plieCode } },
      select: { id: true, participantId: true },
      orderBy: { id: 'asc' },
    });
    const openTasks = await tx.task.count({ where: { status: 'open', assigneeEmail: { equals: staff.email, mode: 'insensitive' }, pathway: { participant: { plieCode } } } });
    await audit(tx, {
      idempotencyKey: `staff/${staff.id}/deactivate/${now.getTime()}`,
      actor,
      channel: 'cli',
      action: 'staff.deactivate',
      entityType: 'staff',
      entityId: staff.id,
      details: { tokensRevoked: revoked.count, pathwaysHeld: held.length, openTasks },
    });
    return { staff, wasActive, tokensRevoked: revoked.count, pathwaysHeld: held, openTasks };
  });
}
