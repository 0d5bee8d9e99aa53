/**
 * The right of access: a person with a whole history in every table that can name them; the export
 * holds each part of it (and nothing of another person, nor how the commission's members voted),
 * and its folder holds the JSON, the readable page and the proofs decrypted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { collectExport, writeExport } from '../../src/rgpd/export.ts';

const run = randomBytes(3).toString('hex');
const PLIE = `RGPD_${run.toUpperCase()}`;
const scratch = makeScratchDir('plie-rgpd-export-');
const proofs = createProofStore(path.join(scratch, 'justificatifs'), Buffer.alloc(32, 7).toString('base64'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const NOW = new Date('2026-06-15T10:00:00Z');
let db: Db;

async function personWithHistory(name: string) {
  const id = randomUUID();
  const pathwayId = `parcours-${id}`;
  const email = `${name.toLowerCase()}-${run}@exemple.fr`;
  await db.participant.create({ data: { id, plieCode: PLIE, firstName: name, lastName: `Durand${run}`, identityKey: `${name}|${run}`, birthDate: toDbDate('1984-02-29'), email, phone: '0600000000', createdBy: 'test', integrationDate: toDbDate('2026-01-05') } });
  await db.pathway.create({ data: { id: pathwayId, participantId: id, stage: 'exited', referentEmail: `referente-${run}@plie.test` } });
  const staff = await db.staff.upsert({ where: { plieCode_email: { plieCode: PLIE, email: `referente-${run}@plie.test` } }, create: { plieCode: PLIE, email: `referente-${run}@plie.test`, name: 'Sophie Garnier', roles: ['REFERENT', 'MEMBRE_COMMISSION'] }, update: {} });
  await db.referentAssignment.create({ data: { pathwayId, staffId: staff.id, from: toDbDate('2026-01-05') } });
  await db.task.create({ data: { id: `${pathwayId}/diagnostic_decision/1`, pathwayId, kind: 'diagnostic_decision', status: 'done', dueDate: toDbDate('2026-01-10'), openedAt: new Date('2026-01-05T09:00:00Z'), answeredAt: new Date('2026-01-06T09:00:00Z'), answeredBy: staff.email, channel: 'web', answer: { decision: 'integrate' } } });
  await db.appointment.create({ data: { pathwayId, kind: 'PREMIER_ENTRETIEN', at: new Date('2026-01-08T09:00:00Z'), place: 'Antibes', status: 'HONORE', createdBy: staff.email } });
  await db.eligibilityAssessment.create({ data: { id: randomUUID(), participantId: id, on: toDbDate('2026-01-02'), orientedOn: toDbDate('2026-01-02'), decision: 'ELIGIBLE', reasons: [], source: 'orientation', actor: 'test' } });
  await db.barrier.create({ data: { participantId: id, category: 'MOBILITE', closedOn: toDbDate('2026-03-01') } });
  await db.step.create({ data: { participantId: id, type: 'FORMATION', start: toDbDate('2026-02-01'), status: 'TERMINEE' } });
  const contract = await db.workContract.create({ data: { participantId: id, type: 'CDI', start: toDbDate('2026-04-01'), employer: 'Boulangerie du Port' } });
  await db.paidHours.create({ data: { id: randomUUID(), contractId: contract.id, on: toDbDate('2026-04-30'), hours: 151, taskId: `${pathwayId}/follow_up_check/1` } });
  await db.exit.create({ data: { participantId: id, date: toDbDate('2026-06-01'), type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, pathwayId } });
  await db.fseDataPoint.create({ data: { participantId: id, moment: 'ENTREE', recordedAt: new Date('2026-01-05T09:00:00Z'), source: 'test' } });
  const caseId = `${pathwayId}/commission/1`;
  await db.commissionCase.create({ data: { id: caseId, pathwayId, criterion: 'TEMPS_PARTIEL_COURT', openedAt: new Date('2026-05-01T09:00:00Z'), deadline: new Date('2026-05-08T09:00:00Z'), outcome: 'approved' } });
  await db.commissionVote.create({ data: { caseId, staffId: staff.id, vote: 'CONTRE', comment: `avis-${name}-${run}`, votedAt: new Date('2026-05-02T09:00:00Z') } });
  // The member's vote task, on the person's pathway, as the commission's workflow leaves it.
  await db.task.create({ data: { id: `${caseId}/commission_vote/1`, pathwayId, kind: 'commission_vote', assigneeEmail: staff.email, status: 'done', dueDate: toDbDate('2026-05-08'), openedAt: new Date('2026-05-01T09:00:00Z'), answeredBy: staff.email, answer: { vote: 'contre', comment: `avis-${name}-${run}` }, commissionCaseId: caseId } });
  const offer = await db.jobOffer.create({ data: { plieCode: PLIE, company: 'Boulangerie du Port', jobTitle: 'Vendeur·se', sector: 'Commerce', contractType: 'CDI', createdBy: 'test' } });
  await db.placement.create({ data: { offerId: offer.id, participantId: id, wish: 'Commerce', status: 'EMBAUCHE' } });
  const action = await db.collectiveAction.create({ data: { plieCode: PLIE, kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de bouche', at: new Date('2026-03-10T13:00:00Z'), durationMinutes: 120, place: 'Antibes', organizerEmail: staff.email, createdBy: 'test' } });
  await db.collectiveInvitation.create({ data: { actionId: action.id, participantId: id, status: 'PRESENT' } });
  const marche = await db.procurement.create({ data: { plieCode: PLIE, externalId: `M-${name}-${run}`, buyer: 'Ville', title: 'Voirie', sector: 'BTP', plannedHours: 100, start: toDbDate('2026-01-01') } });
  await db.clauseCandidate.create({ data: { procurementId: marche.id, personId: `C-${name}`, participantId: id, eligible: true, publics: ['PARTICIPANT_PLIE'], reasons: [], proposedBy: 'test' } });
  await db.clauseContract.create({ data: { procurementId: marche.id, personId: `C-${name}`, participantId: id, type: 'CDD', start: toDbDate('2026-02-01'), hoursDone: 35 } });
  const reference = await proofs.save(PNG);
  await db.proof.create({ data: { participantId: id, kind: 'CONTRAT', receivedAt: new Date('2026-04-02T09:00:00Z'), fileReference: reference, mimeType: 'image/png', size: PNG.length } });
  await db.message.create({ data: { idempotencyKey: `${pathwayId}/convocation`, channel: 'email', template: 'convocation', recipient: email, pathwayId, status: 'sent' } });
  await db.message.create({ data: { idempotencyKey: `collective/${action.id}/${id}/invitation`, channel: 'email', template: 'collective.invitation', recipient: email, status: 'sent' } });
  // Someone else's message to the same address (a family's shared mailbox): not the person's.
  await db.message.create({ data: { idempotencyKey: `parcours-${randomUUID()}/convocation`, channel: 'email', template: 'convocation', recipient: email, status: 'sent' } });
  await db.auditEvent.create({ data: { actor: 'test', channel: 'web', action: 'participant.read', entityType: 'participant', entityId: id } });
  await db.auditEvent.create({ data: { actor: staff.email, channel: 'web', action: 'task.answer', entityType: 'task', entityId: `${pathwayId}/diagnostic_decision/1` } });
  return { id, email };
}

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('the right of access', () => {
  it('exports everything held on the person, and nothing of another person nor of the votes', async () => {
    const ana = await personWithHistory('Ana');
    const other = await personWithHistory('Bruno');
    const data = (await collectExport(db, PLIE, ana.id, NOW))!;
    expect(data.participant).toMatchObject({ id: ana.id, firstName: 'Ana', email: ana.email, phone: '0600000000' });
    const counts = {
      assessments: data.assessments.length,
      pathways: data.pathways.length,
      tasks: data.pathways[0]!.tasks.length,
      appointments: data.pathways[0]!.appointments.length,
      referents: data.pathways[0]!.referents.length,
      barriers: data.barriers.length,
      steps: data.steps.length,
      contracts: data.contracts.length,
      paidHours: data.contracts[0]!.paidHours.length,
      exits: data.exits.length,
      fseDataPoints: data.fseDataPoints.length,
      commissionCases: data.commissionCases.length,
      placements: data.placements.length,
      collectiveInvitations: data.collectiveInvitations.length,
      clauseCandidates: data.clauseCandidates.length,
      clauseContracts: data.clauseContracts.length,
      proofs: data.proofs.length,
      messages: data.messages.length,
      auditEvents: data.auditEvents.length,
    };
    expect(counts).toEqual({ assessments: 1, pathways: 1, tasks: 1, appointments: 1, referents: 1, barriers: 1, steps: 1, contracts: 1, paidHours: 1, exits: 1, fseDataPoints: 1, commissionCases: 1, placements: 1, collectiveInvitations: 1, clauseCandidates: 1, clauseContracts: 1, proofs: 1, messages: 2, auditEvents: 2 });
    expect(data.pathways[0]!.tasks[0]!.answer).toEqual({ decision: 'integrate' });
    expect(data.commissionCases[0]).toMatchObject({ criterion: 'TEMPS_PARTIEL_COURT', outcome: 'approved' });
    const json = JSON.stringify(data);
    expect(json).not.toContain('CONTRE');
    expect(json).not.toContain('contre');
    expect(json).not.toContain(`avis-Ana-${run}`);
    expect(json).not.toContain('commission_vote');
    expect(json).not.toContain(other.id);
    expect(json).not.toContain(other.email);
    expect(await collectExport(db, 'AUTRE_PLIE', ana.id, NOW)).toBeNull();
  });

  it('writes the JSON, a page in French and the proofs decrypted into the folder', async () => {
    const ana = await personWithHistory('Chloe');
    const folder = path.join(scratch, `export-${ana.id}`);
    const written = await writeExport(folder, (await collectExport(db, PLIE, ana.id, NOW))!, proofs);
    expect(written).toEqual(['export.json', 'export.html', expect.stringMatching(/^justificatifs\/contrat-[0-9a-f]{8}\.png$/)]);
    expect((await readdir(path.join(folder, 'justificatifs'))).length).toBe(1);
    expect((await readFile(path.join(folder, written[2]!))).equals(PNG)).toBe(true);
    const page = await readFile(path.join(folder, 'export.html'), 'utf8');
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Vos données au PLIE');
    expect(page).toContain('<dt>Prénom</dt><dd>Chloe</dd>');
    expect(page).toContain('<dt>Date de naissance</dt><dd>1984-02-29</dd>');
    expect(page).toContain('Commission (sans les votes de ses membres) (1)');
    expect(page).not.toContain('CONTRE');
    const json = JSON.parse(await readFile(path.join(folder, 'export.json'), 'utf8')) as { participant: { email: string } };
    expect(json.participant.email).toBe(ana.email);
  });
});
