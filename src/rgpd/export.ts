/**
 * The right of access (RGPD article 15): everything the PLIE holds on one person, read from every
 * table that names them — their record and its facts, pathways with their tasks and answers,
 * steps, contracts, barriers, appointments, exits, eligibility checks, FSE+ data points, commission
 * cases (never the members' votes), job offers put to them, collective actions, clauses and the
 * hours declared under them, messages
 * sent to them or about their pathway and their delivery, the audit events about them, and their
 * proofs. The files themselves are written decrypted beside the export (see `writeExport`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client.ts';
import { fileReference } from '../domain/participant.ts';
import { EXTENSIONS, type ProofStore, type ProofType } from '../files/proof-store.ts';
import { renderExportHtml } from './export-html.ts';

export type ParticipantExport = NonNullable<Awaited<ReturnType<typeof collectExport>>>;

/** Everything held on the person, or null when no such participant exists in the PLIE. */
export async function collectExport(db: Db, plieCode: string, participantId: string, now: Date) {
  const participant = await db.participant.findFirst({ where: { id: participantId, plieCode } });
  if (!participant) return null;
  const byId = { id: 'asc' } as const;
  const pathways = await db.pathway.findMany({
    where: { participantId },
    // A commission member's vote task sits on the person's pathway, but its answer is the member's: left out.
    include: { tasks: { where: { kind: { not: 'commission_vote' } }, orderBy: { openedAt: 'asc' } }, appointments: { orderBy: { at: 'asc' } }, referents: { include: { staff: { select: { name: true, email: true } } }, orderBy: { from: 'asc' } } },
    orderBy: { createdAt: 'asc' },
  });
  const pathwayIds = pathways.map((p) => p.id);
  const taskIds = pathways.flatMap((p) => p.tasks.map((t) => t.id));
  const ofPerson = { participantId };
  const [assessments, barriers, steps, contracts, exits, fse, cases, placements, invitations, candidates, clauses, proofs, messages, audit] = await Promise.all([
    db.eligibilityAssessment.findMany({ where: ofPerson, orderBy: { at: 'asc' } }),
    db.barrier.findMany({ where: ofPerson, orderBy: byId }),
    db.step.findMany({ where: ofPerson, orderBy: { start: 'asc' } }),
    db.workContract.findMany({ where: ofPerson, include: { paidHours: { orderBy: { on: 'asc' } } }, orderBy: { start: 'asc' } }),
    db.exit.findMany({ where: ofPerson, orderBy: { date: 'asc' } }),
    db.fseDataPoint.findMany({ where: ofPerson, orderBy: { recordedAt: 'asc' } }),
    // The case and its outcome; how each member voted is the commission's, not the person's.
    db.commissionCase.findMany({ where: { pathwayId: { in: pathwayIds } }, select: { id: true, pathwayId: true, criterion: true, openedAt: true, deadline: true, outcome: true, panel: true, closedAt: true }, orderBy: { openedAt: 'asc' } }),
    db.placement.findMany({ where: ofPerson, orderBy: { createdAt: 'asc' } }),
    db.collectiveInvitation.findMany({ where: ofPerson, include: { action: { select: { kind: true, title: true, at: true, place: true } } }, orderBy: { invitedAt: 'asc' } }),
    db.clauseCandidate.findMany({ where: ofPerson, include: { procurement: { select: { externalId: true, title: true, buyer: true } } }, orderBy: { proposedAt: 'asc' } }),
    db.clauseContract.findMany({ where: ofPerson, include: { procurement: { select: { externalId: true, title: true } } }, orderBy: { start: 'asc' } }),
    db.proof.findMany({ where: ofPerson, orderBy: byId }),
    // Messages of their pathways, and those keyed by their id (collective actions, offers): never all
    // those sent to their address, which another person (a family, another PLIE) may share.
    db.message.findMany({ where: { OR: [{ pathwayId: { in: pathwayIds } }, { idempotencyKey: { contains: participantId } }] }, orderBy: { createdAt: 'asc' } }),
    db.auditEvent.findMany({ where: { entityId: { in: [participantId, ...pathwayIds, ...taskIds] } }, orderBy: { at: 'asc' } }),
  ]);
  // The hours declared each month under a clause, by the facilitation's identifier of the person on that marché.
  const clausePersons = [...candidates, ...clauses].map((c) => ({ procurementId: c.procurementId, personId: c.personId }));
  const hours = clausePersons.length === 0 ? [] : await db.hoursDeclaration.findMany({ where: { OR: clausePersons }, include: { procurement: { select: { externalId: true, title: true } } }, orderBy: [{ month: 'asc' }, { procurementId: 'asc' }] });
  const offers = await db.jobOffer.findMany({ where: { id: { in: placements.map((p) => p.offerId) } }, select: { id: true, company: true, jobTitle: true } });
  return {
    exportedAt: now.toISOString(),
    fileReference: fileReference(participantId),
    participant,
    assessments,
    pathways: pathways.map(({ tasks, appointments, referents, ...pathway }) => ({
      ...pathway,
      referents: referents.map((r) => ({ name: r.staff.name, email: r.staff.email, from: r.from, until: r.until })),
      tasks,
      appointments,
    })),
    barriers,
    steps,
    contracts,
    exits,
    fseDataPoints: fse,
    commissionCases: cases,
    placements: placements.map((p) => ({ ...p, offer: offers.find((o) => o.id === p.offerId) ?? null })),
    collectiveInvitations: invitations,
    clauseCandidates: candidates,
    clauseContracts: clauses,
    clauseHours: hours,
    proofs: proofs.map((p) => ({ ...p, file: proofFileName(p) })),
    messages,
    auditEvents: audit,
  };
}

/** The name a proof's file is written under in the export's folder (none when no file was received). */
function proofFileName(proof: { id: string; kind: string; fileReference: string | null; mimeType: string | null }): string | null {
  if (!proof.fileReference) return null;
  const extension = EXTENSIONS[proof.mimeType as ProofType] ?? 'bin';
  return `justificatifs/${proof.kind.toLowerCase()}-${proof.id.slice(0, 8)}.${extension}`;
}

/** Writes export.json, export.html and the proofs' files, decrypted, into `folder`; returns what was written. */
export async function writeExport(folder: string, data: ParticipantExport, proofs: ProofStore | (() => ProofStore)): Promise<string[]> {
  const store = typeof proofs === 'function' ? proofs : () => proofs;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const written = ['export.json', 'export.html'];
  await writeFile(path.join(folder, 'export.json'), `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  await writeFile(path.join(folder, 'export.html'), renderExportHtml(data, { withFiles: true }), { mode: 0o600 });
  for (const proof of data.proofs) {
    if (!proof.file || !proof.fileReference) continue;
    await mkdir(path.join(folder, 'justificatifs'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(folder, proof.file), await store().read(proof.fileReference), { mode: 0o600 });
    written.push(proof.file);
  }
  return written;
}
