/**
 * A person with a whole history in every table that can name them (a record, a pathway with tasks
 * and a commission vote, an appointment, facts in the first half of 2026, an offer, a collective
 * action, a clause, a proof, messages, audit events): what the RGPD tests export and erase.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import type { ProofStore } from '../../src/files/proof-store.ts';

export async function createPersonWithHistory(db: Db, opts: { plieCode: string; run: string; name: string; proofs: ProofStore; png: Buffer }) {
  const { plieCode: PLIE, run, name, proofs } = opts;
  const PNG = opts.png;
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
  const marche = await db.procurement.create({ data: { plieCode: PLIE, externalId: `M-${randomUUID().slice(0, 8)}`, buyer: 'Ville', title: 'Voirie', sector: 'BTP', plannedHours: 100, start: toDbDate('2026-01-01') } });
  await db.clauseCandidate.create({ data: { procurementId: marche.id, personId: `C-${name}`, participantId: id, eligible: true, publics: ['PARTICIPANT_PLIE'], reasons: [], proposedBy: 'test' } });
  await db.hoursDeclaration.create({ data: { procurementId: marche.id, personId: `C-${name}`, month: '2026-02', hours: 35, status: 'VALIDEE', declaredBy: 'entreprise', declaredAt: new Date('2026-03-02T09:00:00Z') } });
  // Another person's hours on the same marché: not theirs.
  await db.hoursDeclaration.create({ data: { procurementId: marche.id, personId: `C-autre-${randomUUID().slice(0, 8)}`, month: '2026-02', hours: 20, status: 'VALIDEE', declaredBy: 'entreprise', declaredAt: new Date('2026-03-02T09:00:00Z') } });
  await db.clauseContract.create({ data: { procurementId: marche.id, personId: `C-${name}`, participantId: id, type: 'CDD', start: toDbDate('2026-02-01'), hoursDone: 35 } });
  const reference = await proofs.save(PNG);
  await db.proof.create({ data: { participantId: id, kind: 'CONTRAT', receivedAt: new Date('2026-04-02T09:00:00Z'), fileReference: reference, mimeType: 'image/png', size: PNG.length } });
  await db.message.create({ data: { idempotencyKey: `${pathwayId}/convocation`, channel: 'email', template: 'convocation', recipient: email, pathwayId, status: 'sent' } });
  await db.message.create({ data: { idempotencyKey: `collective/${action.id}/${id}/invitation`, channel: 'email', template: 'collective.invitation', recipient: email, status: 'sent' } });
  // Someone else's message to the same address (a family's shared mailbox): not the person's.
  const sharedMailbox = await db.message.create({ data: { idempotencyKey: `parcours-${randomUUID()}/convocation`, channel: 'email', template: 'convocation', recipient: email, status: 'sent' } });
  await db.auditEvent.create({ data: { actor: 'test', channel: 'web', action: 'participant.read', entityType: 'participant', entityId: id } });
  await db.auditEvent.create({ data: { actor: staff.email, channel: 'web', action: 'task.answer', entityType: 'task', entityId: `${pathwayId}/diagnostic_decision/1` } });
  return { id, email, sharedMailbox: sharedMailbox.id };
}
