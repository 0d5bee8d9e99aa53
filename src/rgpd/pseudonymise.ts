/**
 * Removes a person's identity from every record, in one transaction, for an erasure (article 17)
 * and for the end of its retention alike: names, contact, birth date and identity key give way to
 * a pseudonym; their data key is destroyed (their Temporal histories no longer decrypt); free text
 * that names them is masked. The statistical facts stay as they were — sex, age at entry, commune,
 * qualification, minimum income, the flags, dates, prescriber, steps, contracts, exits — so that
 * no past bilan changes. Proofs stay (legal hold, see retention.ts).
 */
import { Prisma } from '../generated/prisma/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { parisDate } from '../domain/dates.ts';
import { destroyDataKey } from '../temporal/data-keys.ts';
import { ERASED_FIRST_NAME, erasedAddress, erasedLastName, identityNeedles, maskJson, maskText, standInBirthDate, uniqueNeedles } from './pseudonym.ts';

type Tx = Prisma.TransactionClient;

export interface PseudonymisedCounts {
  messages: number;
  auditEvents: number;
  tasks: number;
  usedLinks: number;
}

/** Pseudonymises participant `participantId` (already checked to exist) within the caller's transaction; `at` is when. */
export async function pseudonymise(tx: Tx, participantId: string, at: Date): Promise<PseudonymisedCounts> {
  const p = await tx.participant.findUniqueOrThrow({ where: { id: participantId }, include: { pathways: { select: { id: true, tasks: { select: { id: true } } } } } });
  const identity = { ...p, birthDate: fromDbDate(p.birthDate) };
  const mine = identityNeedles(identity);
  const everyone = uniqueNeedles(identity);
  const pathwayIds = p.pathways.map((w) => w.id);
  const taskIds = p.pathways.flatMap((w) => w.tasks.map((t) => t.id));
  const pseudonym = erasedAddress(p.id);
  const reference = p.integrationDate ?? p.orientationDate ?? toDbDate(parisDate(p.createdAt));

  await tx.participant.update({
    where: { id: p.id },
    data: {
      firstName: ERASED_FIRST_NAME,
      lastName: erasedLastName(p.id),
      identityKey: `efface|${p.id}`,
      birthDate: toDbDate(standInBirthDate(identity.birthDate, fromDbDate(reference))),
      email: null,
      phone: null,
      postalCode: null,
      externalId: null,
      eligibility: p.eligibility === null ? Prisma.DbNull : maskJson(p.eligibility, mine),
      erasedAt: at,
    },
  });
  for (const a of await tx.eligibilityAssessment.findMany({ where: { participantId: p.id } })) {
    await tx.eligibilityAssessment.update({ where: { id: a.id }, data: { reasons: maskJson(a.reasons, mine) as Prisma.InputJsonValue } });
  }
  for (const e of await tx.exit.findMany({ where: { participantId: p.id, reason: { not: null } } })) {
    await tx.exit.update({ where: { id: e.id }, data: { reason: maskText(e.reason!, mine) } });
  }
  // A commission member's comment may name the person it is about.
  for (const v of await tx.commissionVote.findMany({ where: { case: { pathwayId: { in: pathwayIds } }, comment: { not: null } } })) {
    await tx.commissionVote.update({ where: { caseId_staffId: { caseId: v.caseId, staffId: v.staffId } }, data: { comment: maskText(v.comment!, mine) } });
  }
  for (const pl of await tx.placement.findMany({ where: { participantId: p.id, reason: { not: null } } })) {
    await tx.placement.update({ where: { id: pl.id }, data: { reason: maskText(pl.reason!, mine) } });
  }

  // The facilitation's identifier of the person, wherever a clause names them.
  const clauseIds = new Set([
    ...(await tx.clauseCandidate.findMany({ where: { participantId: p.id }, select: { personId: true } })).map((c) => c.personId),
    ...(await tx.clauseContract.findMany({ where: { participantId: p.id }, select: { personId: true } })).map((c) => c.personId),
  ]);
  for (const personId of clauseIds) {
    const stand = `efface-${p.id.slice(0, 8)}`;
    await tx.clauseCandidate.updateMany({ where: { personId }, data: { personId: stand } });
    await tx.clauseContract.updateMany({ where: { personId }, data: { personId: stand } });
    await tx.hoursDeclaration.updateMany({ where: { personId }, data: { personId: stand } });
  }

  const tasks = await tx.task.findMany({ where: { pathwayId: { in: pathwayIds } } });
  for (const t of tasks) {
    await tx.task.update({
      where: { id: t.id },
      data: {
        answer: t.answer === null ? Prisma.DbNull : maskJson(t.answer, mine),
        answeredBy: t.answeredBy && p.email && t.answeredBy.toLowerCase() === p.email.toLowerCase() ? pseudonym : t.answeredBy,
      },
    });
  }

  // Their messages (their pathways', and those keyed by their id): the address and any error quoting it.
  const messages = await tx.message.findMany({ where: { OR: [{ pathwayId: { in: pathwayIds } }, { idempotencyKey: { contains: p.id } }, ...(p.email ? [{ recipient: p.email }] : [])] } });
  let pseudonymised = 0;
  for (const m of messages) {
    const toThem = p.email !== null && m.recipient.toLowerCase() === p.email.toLowerCase();
    // An address shared with another person (a family mailbox) stays on that person's messages.
    const theirs = m.pathwayId !== null ? pathwayIds.includes(m.pathwayId) : m.idempotencyKey.includes(p.id);
    if (!theirs) continue;
    await tx.message.update({ where: { id: m.id }, data: { recipient: toThem ? pseudonym : m.recipient, error: m.error === null ? null : maskText(m.error, mine) } });
    pseudonymised++;
  }

  // Audit: the events about them, and any other whose details quote what names them alone.
  const ids = [p.id, ...pathwayIds, ...taskIds];
  const patterns = everyone.map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`);
  const found = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text FROM "AuditEvent"
    WHERE "entityId" = ANY(${ids}) OR lower(actor) = ANY(${p.email ? [p.email.toLowerCase()] : []})
      OR (cardinality(${patterns}::text[]) > 0 AND details::text ILIKE ANY(${patterns}::text[]))`;
  for (const { id } of found) {
    const event = await tx.auditEvent.findUniqueOrThrow({ where: { id } });
    const about = ids.includes(event.entityId);
    await tx.auditEvent.update({
      where: { id },
      data: {
        actor: p.email && event.actor.toLowerCase() === p.email.toLowerCase() ? pseudonym : event.actor,
        details: event.details === null ? Prisma.DbNull : maskJson(event.details, about ? mine : everyone),
      },
    });
  }

  // Single-use links already used: their subject names a task or the person by id only; it goes too.
  const links = await tx.usedLink.updateMany({ where: { OR: ids.map((id) => ({ subject: { contains: id } })) }, data: { subject: 'effacé' } });
  await destroyDataKey(tx, p.id, at);
  return { messages: pseudonymised, auditEvents: found.length, tasks: tasks.length, usedLinks: links.count };
}
