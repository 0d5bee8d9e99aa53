/**
 * Hours worked under a clause, per person and month: declared (by the company's contact or the
 * facilitator), then validated by the facilitator; only validated hours count in the marché and
 * its pace. A second declaration of the same month replaces the first until it is validated.
 */
import type { Db } from '../db/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { checkPace, type ClauseConfig, type PaceCheck } from '../domain/procurement.ts';
import { addDays, addMonths, parisDate } from '../domain/dates.ts';
import { z } from '../domain/validation.ts';
import { InvalidInputError } from '../participants/create.ts';
import { audit } from '../db/audit.ts';
import { periodOf } from './register.ts';

export const hoursInputSchema = z.object({
  month: z.string({ error: 'mois : obligatoire (AAAA-MM)' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois : attendu AAAA-MM'),
  hours: z.record(
    z.string(),
    z.number({ error: 'heures : un nombre par personne' }).min(0, 'heures : pas de nombre négatif').max(744, 'heures : au plus 744 dans un mois'),
    { error: 'heures : un objet { personne: heures } est attendu' },
  ),
});

export interface HoursResult {
  /** The marché's validated hours after this, and where they stand against the pace. */
  pace: PaceCheck;
  validated: boolean;
}

export async function recordHours(
  db: Db,
  clauses: Pick<ClauseConfig, 'paceAlertShare'>,
  procurementId: string,
  raw: unknown,
  opts: { actor: string; validate: boolean; now?: Date; channel?: string },
): Promise<HoursResult> {
  const parsed = hoursInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const { month, hours } = parsed.data;
  const now = opts.now ?? new Date();
  const procurement = await db.procurement.findUnique({ where: { id: procurementId }, include: { contracts: true } });
  if (!procurement) throw new InvalidInputError(['marché inconnu']);
  const monthStart = `${month}-01`;
  const monthEnd = addDays(addMonths(monthStart, 1), -1);
  // Each person must have a clause contract that covers some of that month.
  const contractOf = (personId: string) =>
    procurement.contracts
      .filter((c) => c.personId === personId && fromDbDate(c.start) <= monthEnd && (!c.end || fromDbDate(c.end) >= monthStart))
      .sort((a, b) => b.start.getTime() - a.start.getTime())[0];
  const unknown = Object.keys(hours).filter((p) => !contractOf(p));
  if (unknown.length > 0) throw new InvalidInputError(unknown.map((p) => `${p} : aucun contrat de la clause en ${month}`));
  await db.$transaction(async (tx) => {
    // A new declaration of the month replaces the previous one as a whole (someone left out is no longer declared).
    if (!opts.validate) await tx.hoursDeclaration.deleteMany({ where: { procurementId, month, status: 'DECLAREE', personId: { notIn: Object.keys(hours) } } });
    for (const [personId, value] of Object.entries(hours)) {
      const existing = await tx.hoursDeclaration.findUnique({ where: { procurementId_personId_month: { procurementId, personId, month } } });
      if (existing?.status === 'VALIDEE' && !opts.validate) throw new InvalidInputError([`${personId} : les heures de ${month} sont déjà validées`]);
      const data = {
        hours: value,
        declaredBy: opts.actor,
        declaredAt: now,
        status: opts.validate ? 'VALIDEE' : 'DECLAREE',
        validatedBy: opts.validate ? opts.actor : null,
        validatedAt: opts.validate ? now : null,
      };
      await tx.hoursDeclaration.upsert({ where: { procurementId_personId_month: { procurementId, personId, month } }, create: { procurementId, personId, month, ...data }, update: data });
    }
    // The contracts' hours are the sum of their validated months.
    for (const personId of Object.keys(hours)) {
      const contract = contractOf(personId)!;
      const months = await tx.hoursDeclaration.findMany({ where: { procurementId, personId, status: 'VALIDEE' } });
      const own = months.filter((h) => monthCovers(contract, h.month));
      await tx.clauseContract.update({ where: { id: contract.id }, data: { hoursDone: Math.round(own.reduce((sum, h) => sum + h.hours, 0)) } });
    }
    await audit(tx, {
      idempotencyKey: `hours/${procurementId}/${month}/${now.getTime()}`,
      actor: opts.actor,
      channel: opts.channel ?? 'cli',
      action: opts.validate ? 'marche.hours.validate' : 'marche.hours.declare',
      entityType: 'marche',
      entityId: procurementId,
      details: { month, persons: Object.keys(hours).length },
    });
  });
  const validated = await db.hoursDeclaration.aggregate({ where: { procurementId, status: 'VALIDEE' }, _sum: { hours: true } });
  return { pace: checkPace(clauses, periodOf(procurement), Math.round(validated._sum.hours ?? 0), parisDate(now)), validated: opts.validate };
}

/** A declaration checked before it goes to the marché's workflow: the month's form, persons under contract that month. */
export async function checkDeclaration(db: Db, procurementId: string, raw: unknown): Promise<{ month: string; hours: Record<string, number> }> {
  const parsed = hoursInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => i.message));
  const persons = await personsOfMonth(db, procurementId, parsed.data.month);
  const unknown = Object.keys(parsed.data.hours).filter((p) => !persons.includes(p));
  if (unknown.length > 0) throw new InvalidInputError(unknown.map((p) => `${p} : aucun contrat de la clause en ${parsed.data.month}`));
  return parsed.data;
}

/** The hours declared for a month and not yet validated, per person. */
export async function declaredHours(db: Db, procurementId: string, month: string): Promise<Record<string, number>> {
  const rows = await db.hoursDeclaration.findMany({ where: { procurementId, month, status: 'DECLAREE' }, orderBy: { personId: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.personId, r.hours]));
}

/** The persons with a clause contract covering some of the month (whose hours the company declares). */
export async function personsOfMonth(db: Db, procurementId: string, month: string): Promise<string[]> {
  const start = `${month}-01`;
  const end = addDays(addMonths(start, 1), -1);
  const contracts = await db.clauseContract.findMany({
    where: { procurementId, start: { lte: toDbDate(end) }, OR: [{ end: null }, { end: { gte: toDbDate(start) } }] },
    orderBy: { personId: 'asc' },
  });
  return [...new Set(contracts.map((c) => c.personId))];
}

function monthCovers(contract: { start: Date; end: Date | null }, month: string): boolean {
  const start = `${month}-01`;
  const end = addDays(addMonths(start, 1), -1);
  return fromDbDate(contract.start) <= end && (!contract.end || fromDbDate(contract.end) >= start);
}
