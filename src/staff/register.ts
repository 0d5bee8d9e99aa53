/** Recording the PLIE's staff (who they are, their roles, their Slack account), validated and audited. */
import type { Db } from '../db/client.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';
import { ROLES } from './directory.ts';

export const staffInputSchema = z.object({
  email: z.email({ error: 'email : adresse invalide' }).transform((e) => e.toLowerCase()),
  name: z.string({ error: 'nom : obligatoire' }).trim().min(2, 'nom : obligatoire').max(100, 'nom : 100 caractères au plus'),
  roles: z
    .array(z.enum(ROLES, { error: `rôle inconnu (attendu : ${ROLES.join(', ')})` }))
    .min(1, `rôles : au moins un parmi ${ROLES.join(', ')}`),
  slackUserId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/, 'compte Slack : un identifiant de membre (U…), visible dans le profil Slack')
    .optional(),
});

/** Adds a member of staff, or updates their name, roles and Slack account (same address, same PLIE). */
export async function upsertStaff(db: Db, plieCode: string, raw: unknown, actor: string) {
  const parsed = staffInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const data = parsed.data;
  return await db.$transaction(async (tx) => {
    const staff = await tx.staff.upsert({
      where: { plieCode_email: { plieCode, email: data.email } },
      create: { plieCode, email: data.email, name: data.name, roles: data.roles, slackUserId: data.slackUserId ?? null },
      update: { name: data.name, roles: data.roles, active: true, ...(data.slackUserId ? { slackUserId: data.slackUserId } : {}) },
    });
    await audit(tx, {
      idempotencyKey: `staff/${staff.id}/${Date.now()}`,
      actor,
      channel: 'cli',
      action: 'staff.upsert',
      entityType: 'staff',
      entityId: staff.id,
      details: { roles: data.roles },
    });
    return staff;
  });
}
