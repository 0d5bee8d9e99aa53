/** Collective actions: registered (validated, audited), participants invited, attendance and outcomes recorded, figures. */
import type { Db } from '../db/client.ts';
import { attendanceProblems, COLLECTIVE_KINDS, collectiveFigures, type AttendanceInput, type CollectiveFigures, type InvitationFacts } from '../domain/collective-actions.ts';
import { calendarDateField, clockTimeField, parisInstant } from '../domain/dates.ts';
import { fileReference } from '../domain/participant.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';

const text = (label: string, max: number) => z.string({ error: `${label} : obligatoire` }).trim().min(1, `${label} : obligatoire`).max(max, `${label} : ${max} caractères au plus`);

export const collectiveActionSchema = z.object({
  kind: z.enum(COLLECTIVE_KINDS, { error: `type : ${COLLECTIVE_KINDS.join(', ')}` }),
  title: text('intitulé', 200),
  company: z.string().trim().max(200).optional(),
  date: calendarDateField('date'),
  time: clockTimeField('heure'),
  durationMinutes: z.number({ error: 'durée : un nombre de minutes' }).int().min(15, 'durée : 15 minutes au moins').max(600, 'durée : 10 heures au plus').default(120),
  place: text('lieu', 300),
  organizerEmail: z.email({ error: 'organisateur·rice : adresse invalide' }),
});

export async function createCollectiveAction(db: Db, plieCode: string, raw: unknown, actor: string, channel: 'cli' | 'web' = 'cli') {
  const parsed = collectiveActionSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const a = parsed.data;
  return await db.$transaction(async (tx) => {
    const action = await tx.collectiveAction.create({
      data: { plieCode, kind: a.kind, title: a.title, company: a.company ?? null, at: new Date(parisInstant(a.date, a.time)), durationMinutes: a.durationMinutes, place: a.place, organizerEmail: a.organizerEmail.toLowerCase(), createdBy: actor },
    });
    await audit(tx, { idempotencyKey: `collective/${action.id}/create`, actor, channel, action: 'collective.create', entityType: 'collective_action', entityId: action.id });
    return action;
  });
}

/** The participants of the action's PLIE among these ids; unknown ones are refused, with their id. */
export async function checkInvitees(db: Db, actionId: string, participantIds: string[]): Promise<string[]> {
  const action = await db.collectiveAction.findUnique({ where: { id: actionId } });
  if (!action) throw new InvalidInputError(['action collective inconnue']);
  const ids = [...new Set(participantIds.map((id) => id.trim()).filter(Boolean))];
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const found = await db.participant.findMany({ where: { id: { in: valid }, plieCode: action.plieCode }, select: { id: true } });
  const unknown = ids.filter((id) => !found.some((f) => f.id === id));
  if (unknown.length > 0) throw new InvalidInputError(unknown.map((id) => `${id} : participant·e inconnu·e dans ce PLIE`));
  if (ids.length === 0) throw new InvalidInputError(['aucun·e participant·e à inviter']);
  return ids;
}

export async function recordInvitations(db: Db, actionId: string, participantIds: string[], actor: string): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const participantId of participantIds) {
      await tx.collectiveInvitation.upsert({ where: { actionId_participantId: { actionId, participantId } }, create: { actionId, participantId }, update: {} });
    }
    await audit(tx, { idempotencyKey: `collective/${actionId}/invite/${[...participantIds].sort().join(',')}`, actor, channel: 'workflow', action: 'collective.invite', entityType: 'collective_action', entityId: actionId, details: { count: participantIds.length } });
  });
}

export async function recordAttendance(db: Db, actionId: string, a: AttendanceInput, actor: string, channel: string): Promise<CollectiveFigures> {
  const invitations = await db.collectiveInvitation.findMany({ where: { actionId } });
  const problems = attendanceProblems(invitations.map((i) => i.participantId), a, (id) => `Dossier ${fileReference(id)}`);
  if (problems.length > 0) throw new InvalidInputError(problems);
  await db.$transaction(async (tx) => {
    for (const i of invitations) {
      const present = a.present.includes(i.participantId);
      await tx.collectiveInvitation.update({
        where: { id: i.id },
        data: { status: present ? 'PRESENT' : 'ABSENT', miseEnRelation: a.misesEnRelation.includes(i.participantId) || a.hires.includes(i.participantId), hired: a.hires.includes(i.participantId) },
      });
    }
    await audit(tx, { idempotencyKey: `collective/${actionId}/attendance`, actor, channel, action: 'collective.attendance', entityType: 'collective_action', entityId: actionId });
  });
  return await figuresOf(db, actionId);
}

/** The figures of several actions at once (one query), by action id. */
export async function figuresOfMany(db: Db, actionIds: string[]): Promise<Map<string, CollectiveFigures>> {
  const invitations = await db.collectiveInvitation.findMany({ where: { actionId: { in: actionIds } }, select: { actionId: true, status: true, miseEnRelation: true, hired: true } });
  return new Map(actionIds.map((id) => [id, collectiveFigures(invitations.filter((i) => i.actionId === id).map((i) => ({ status: i.status as InvitationFacts['status'], miseEnRelation: i.miseEnRelation, hired: i.hired })))]));
}

export async function figuresOf(db: Db, actionId: string): Promise<CollectiveFigures> {
  const invitations = await db.collectiveInvitation.findMany({ where: { actionId } });
  return collectiveFigures(invitations.map((i) => ({ status: i.status as InvitationFacts['status'], miseEnRelation: i.miseEnRelation, hired: i.hired })));
}
