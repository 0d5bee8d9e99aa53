/**
 * Procurements (marchés with a social clause, « clause d'insertion »), as the facilitator registers them (buyer, title, lot, awarded
 * company and its contact, sector, clause hours, period, the clause's wording), and the people she
 * proposes for clause jobs, checked against the PLIE's clause publics. Validated, recorded, audited.
 */
import type { Db } from '../db/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { clauseEligibility, type ClauseConfig, type ClauseEligibility } from '../domain/procurement.ts';
import { PROCUREMENT_SECTORS } from '../domain/codes.ts';
import { calendarDateField, parisDate } from '../domain/dates.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';
import { participantByReference } from '../participants/file-reference.ts';

const text = (label: string, max: number) =>
  z.string({ error: `${label} : obligatoire` }).trim().min(1, `${label} : obligatoire`).max(max, `${label} : ${max} caractères au plus`);

export const procurementInputSchema = z
  .object({
    reference: z.string({ error: 'référence : obligatoire' }).trim().regex(/^[A-Za-z0-9._/-]{1,40}$/, 'référence : lettres, chiffres, . _ / - (40 au plus)'),
    buyer: text('acheteur', 200),
    title: text('intitulé', 300),
    lot: z.string().trim().max(50).optional(),
    company: text('entreprise attributaire', 200),
    contactName: text('contact de l’entreprise', 200),
    contactEmail: z.email({ error: 'email du contact : adresse invalide' }),
    sector: z.enum(PROCUREMENT_SECTORS, { error: 'secteur : BTP ou AUTRE' }),
    clauseHours: z.number({ error: 'heures d’insertion : un nombre' }).int('heures d’insertion : un nombre entier').positive('heures d’insertion : plus de 0').max(1_000_000),
    start: calendarDateField('début du marché'),
    end: calendarDateField('fin du marché'),
    clauseWording: z.string().trim().max(5000, 'clause : 5 000 caractères au plus').optional(),
  })
  .refine((m) => m.end > m.start, { message: 'la fin du marché doit suivre son début', path: ['end'] });

export class DuplicateProcurementError extends Error {
  constructor(readonly reference: string) {
    super(`Un marché porte déjà la référence ${reference} dans ce PLIE.`);
    this.name = 'DuplicateMarcheError';
  }
}

export async function registerProcurement(db: Db, plieCode: string, raw: unknown, actor: string, channel: 'cli' | 'web' = 'cli') {
  const parsed = procurementInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const m = parsed.data;
  const existing = await db.procurement.findUnique({ where: { plieCode_externalId: { plieCode, externalId: m.reference } } });
  if (existing) throw new DuplicateProcurementError(m.reference);
  return await db.$transaction(async (tx) => {
    const procurement = await tx.procurement.create({
      data: {
        plieCode,
        externalId: m.reference,
        buyer: m.buyer,
        title: m.title,
        lot: m.lot ?? null,
        company: m.company,
        contactName: m.contactName,
        contactEmail: m.contactEmail.toLowerCase(),
        sector: m.sector,
        plannedHours: m.clauseHours,
        start: toDbDate(m.start),
        end: toDbDate(m.end),
        clauseWording: m.clauseWording ?? null,
        createdBy: actor,
      },
    });
    await audit(tx, { idempotencyKey: `marche/${procurement.id}/register`, actor, channel, action: 'marche.register', entityType: 'marche', entityId: procurement.id });
    return procurement;
  });
}

export const candidateInputSchema = z.object({
  personId: z.string({ error: 'personne : identifiant obligatoire' }).trim().regex(/^[A-Za-z0-9._-]{1,40}$/, 'personne : identifiant du facilitateur (lettres, chiffres, . _ -)'),
  /** The PLIE file: its number (eight characters) or its whole id. */
  participantId: z.union([z.uuid(), z.string().trim().regex(/^[0-9A-Fa-f]{8}$/)], { error: 'participant : numéro de dossier (8 caractères) ou identifiant invalide' }).optional(),
  birthDate: calendarDateField('date de naissance'),
  jobSeekerMonths: z.number().int().min(0).nullable().default(null),
  minimumIncome: z.enum(['RSA', 'ASS', 'AAH', 'AUTRE', 'AUCUN']).nullable().default(null),
  qualificationLevel: z.number().int().min(1).max(8).nullable().default(null),
  rqth: z.boolean().default(false),
  iaeEmployee: z.boolean().default(false),
});

/**
 * Records a proposal and its eligibility (a PLIE participant counts as such). A second proposal of
 * the same person on the same marché updates the check rather than adding a candidate.
 */
export async function proposeCandidate(
  db: Db,
  clauses: ClauseConfig,
  procurementId: string,
  raw: unknown,
  actor: string,
  now = new Date(),
  channel: 'cli' | 'web' = 'cli',
): Promise<ClauseEligibility> {
  const parsed = candidateInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const c = parsed.data;
  const procurement = await db.procurement.findUnique({ where: { id: procurementId } });
  if (!procurement) throw new InvalidInputError(['marché inconnu']);
  if (procurement.status === 'CLOS') throw new InvalidInputError([`le marché ${procurement.externalId} est clos`]);
  const named = c.participantId ? await participantByReference(db, procurement.plieCode, c.participantId) : null;
  if (named && 'problem' in named) throw new InvalidInputError([named.problem]);
  if (c.participantId && !named) throw new InvalidInputError(['participant inconnu dans ce PLIE']);
  const participant = named;
  const result = clauseEligibility(clauses, { ...c, plieParticipant: participant !== null }, parisDate(now));
  await db.$transaction(async (tx) => {
    const data = { participantId: participant?.id ?? null, eligible: result.eligible, publics: result.publics, reasons: result.reasons, proposedBy: actor, proposedAt: now };
    const candidate = await tx.clauseCandidate.upsert({ where: { procurementId_personId: { procurementId, personId: c.personId } }, create: { procurementId, personId: c.personId, ...data }, update: data });
    await audit(tx, {
      idempotencyKey: `candidate/${candidate.id}/${now.getTime()}`,
      actor,
      channel,
      action: 'marche.candidate',
      entityType: 'marche',
      entityId: procurementId,
      details: { personId: c.personId, eligible: result.eligible, publics: result.publics },
    });
  });
  return result;
}

/** A marché's period for the pace (its end, or the start for one without an end). */
export function periodOf(m: { start: Date; end: Date | null; plannedHours: number }) {
  return { start: fromDbDate(m.start), end: fromDbDate(m.end ?? m.start), requiredHours: m.plannedHours };
}
