/**
 * Removes a person's identity from every record, in one transaction, for an erasure (article 17)
 * and for the end of its retention alike: names, contact, birth date and identity key give way to
 * a pseudonym; their data key is destroyed (their Temporal histories no longer decrypt); free text
 * that names them is masked. The statistical facts stay as they were — sex, age at entry, commune,
 * qualification, minimum income, the flags, dates, prescriber, steps, contracts, exits — so that
 * no past bilan changes. Proofs stay (legal hold, see retention.ts).
 */
import { createHash } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { parisDate } from '../domain/dates.ts';
import { destroyDataKey } from '../temporal/data-keys.ts';
import { ERASED_FIRST_NAME, erasedAddress, erasedLastName, identityNeedles, maskJson, maskText, standInBirthDate, uniqueNeedles } from './pseudonym.ts';

type Tx = Prisma.TransactionClient;

/** What was done, and the masking it used: the caller's own text about the person (a motif) goes through it too. */
export interface Pseudonymised {
  counts: PseudonymisedCounts;
  mask: (text: string) => string;
}

export interface PseudonymisedCounts {
  messages: number;
  auditEvents: number;
  tasks: number;
  usedLinks: number;
}

/**
 * Pseudonymises participant `participantId` (already checked to exist) within the caller's
 * transaction; `at` is when. The record is locked first: of an erasure and a retention at the same
 * time, the second finds it done and returns null.
 */
export async function pseudonymise(tx: Tx, participantId: string, at: Date): Promise<Pseudonymised | null> {
  const [locked] = await tx.$queryRaw<Array<{ erasedAt: Date | null }>>`SELECT "erasedAt" FROM "Participant" WHERE id = ${participantId}::uuid FOR UPDATE`;
  if (!locked || locked.erasedAt) return null;
  const p = await tx.participant.findUniqueOrThrow({ where: { id: participantId }, include: { pathways: { select: { id: true, tasks: { select: { id: true } } } } } });
  const identity = { ...p, birthDate: fromDbDate(p.birthDate) };
  // What they were called before a rectification: the trail kept the old values.
  const earlier = earlierIdentity(await tx.auditEvent.findMany({ where: { action: 'participant.rectify', entityId: p.id }, select: { details: true } }));
  const mine = identityNeedles(identity, earlier.all);
  const everyone = [...uniqueNeedles(identity), ...earlier.addresses];
  const addresses = new Set([p.email, ...earlier.addresses].filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase()));
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

  // Free text of their pathways that may name them.
  for (const w of await tx.pathway.findMany({ where: { id: { in: pathwayIds }, remindersPauseReason: { not: null } } })) {
    await tx.pathway.update({ where: { id: w.id }, data: { remindersPauseReason: maskText(w.remindersPauseReason!, mine) } });
  }
  for (const c of await tx.workContract.findMany({ where: { participantId: p.id, endReason: { not: null } } })) {
    await tx.workContract.update({ where: { id: c.id }, data: { endReason: maskText(c.endReason!, mine) } });
  }
  for (const a of await tx.appointment.findMany({ where: { pathwayId: { in: pathwayIds }, place: { not: null } } })) {
    await tx.appointment.update({ where: { id: a.id }, data: { place: maskText(a.place!, mine) } });
  }

  // The facilitation's identifiers of the person. One names one person across marchés (the bilan
  // counts people by it), so all its rows take the same stand-in, and each identifier its own:
  // counts of people and monthly hours stay as they were. Salted with the record's id, so that a
  // short identifier (« C0042 ») cannot be found again from its stand-in.
  const clauseIds = new Set([
    ...(await tx.clauseCandidate.findMany({ where: { participantId: p.id }, select: { personId: true } })).map((c) => c.personId),
    ...(await tx.clauseContract.findMany({ where: { participantId: p.id }, select: { personId: true } })).map((c) => c.personId),
  ]);
  for (const personId of clauseIds) {
    const data = { personId: `efface-${createHash('sha256').update(`${p.id}/${personId}`).digest('hex').slice(0, 12)}` };
    await tx.clauseCandidate.updateMany({ where: { personId }, data });
    await tx.clauseContract.updateMany({ where: { personId }, data });
    await tx.hoursDeclaration.updateMany({ where: { personId }, data });
  }

  const tasks = await tx.task.findMany({ where: { pathwayId: { in: pathwayIds } } });
  for (const t of tasks) {
    await tx.task.update({
      where: { id: t.id },
      data: {
        answer: t.answer === null ? Prisma.DbNull : maskJson(t.answer, mine),
        answeredBy: t.answeredBy && addresses.has(t.answeredBy.toLowerCase()) ? pseudonym : t.answeredBy,
      },
    });
  }

  // Their messages (their pathways', and those keyed by their id): the address and any error quoting it.
  const messages = await tx.message.findMany({ where: { OR: [{ pathwayId: { in: pathwayIds } }, { idempotencyKey: { contains: p.id } }] } });
  let pseudonymised = 0;
  for (const m of messages) {
    const toThem = addresses.has(m.recipient.toLowerCase());
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
    WHERE "entityId" = ANY(${ids}) OR lower(actor) = ANY(${[...addresses]})
      OR (cardinality(${patterns}::text[]) > 0 AND details::text ILIKE ANY(${patterns}::text[]))`;
  for (const { id } of found) {
    const event = await tx.auditEvent.findUniqueOrThrow({ where: { id } });
    const about = ids.includes(event.entityId);
    await tx.auditEvent.update({
      where: { id },
      data: {
        actor: addresses.has(event.actor.toLowerCase()) ? pseudonym : event.actor,
        details: event.details === null ? Prisma.DbNull : maskJson(event.details, about ? mine : everyone),
      },
    });
  }

  // Single-use links already used: their subject names a task or the person by id only; it goes too.
  const links = await tx.usedLink.updateMany({ where: { OR: ids.map((id) => ({ subject: { contains: id } })) }, data: { subject: 'effacé' } });
  await destroyDataKey(tx, p.id, at);
  return { counts: { messages: pseudonymised, auditEvents: found.length, tasks: tasks.length, usedLinks: links.count }, mask: (text) => maskText(text, mine) };
}

/**
 * The old values of the identity in the rectifications' trail (`details.changes.<field>.before`):
 * all of them, and the addresses and phones among them (looked for in everyone's records).
 */
function earlierIdentity(events: Array<{ details: unknown }>): { all: string[]; addresses: string[] } {
  const all: string[] = [];
  const addresses: string[] = [];
  for (const { details } of events) {
    const changes = (details as { changes?: Record<string, { before?: unknown }> } | null)?.changes ?? {};
    for (const field of ['firstName', 'lastName', 'birthDate', 'email', 'phone', 'postalCode'] as const) {
      const before = changes[field]?.before;
      if (typeof before !== 'string' || before.trim() === '') continue;
      all.push(before);
      if (field === 'email' || field === 'phone') addresses.push(before);
    }
  }
  return { all, addresses };
}
