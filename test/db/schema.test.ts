/** The constraints the data model promises, checked on the real database. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';

let db: Db;
beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

async function pathway() {
  const id = randomUUID();
  await db.participant.create({
    data: { id, plieCode: 'SCHEMA', firstName: 'A', lastName: 'B', identityKey: `schema|${id}`, birthDate: new Date('1980-01-01'), createdBy: 'test' },
  });
  return await db.pathway.create({ data: { id: `parcours-${id}`, participantId: id, stage: 'active' } });
}

describe('data model', () => {
  it('keeps one vote per member and case, which the member may change', async () => {
    const p = await pathway();
    const member = await db.staff.create({ data: { plieCode: 'SCHEMA', email: `m-${randomUUID()}@plie.fr`, name: 'Membre', roles: ['MEMBRE_COMMISSION'] } });
    const commissionCase = await db.commissionCase.create({
      data: { id: `${p.id}/commission/1`, pathwayId: p.id, criterion: 'CONTRAT_AIDE_LONG', openedAt: new Date(), deadline: new Date() },
    });
    const vote = (choice: string) =>
      db.commissionVote.upsert({
        where: { caseId_staffId: { caseId: commissionCase.id, staffId: member.id } },
        create: { caseId: commissionCase.id, staffId: member.id, vote: choice, votedAt: new Date() },
        update: { vote: choice, votedAt: new Date() },
      });
    await vote('POUR');
    await vote('CONTRE');
    expect(await db.commissionVote.findMany({ where: { caseId: commissionCase.id } })).toMatchObject([{ vote: 'CONTRE' }]);
    await expect(
      db.commissionVote.create({ data: { caseId: commissionCase.id, staffId: member.id, vote: 'POUR', votedAt: new Date() } }),
    ).rejects.toThrow();
  });

  it('knows each staff member once per PLIE, and keeps the referent history', async () => {
    const email = `r-${randomUUID()}@plie.fr`;
    const referent = await db.staff.create({ data: { plieCode: 'SCHEMA', email, name: 'Référente', roles: ['REFERENT'] } });
    await expect(db.staff.create({ data: { plieCode: 'SCHEMA', email, name: 'Autre', roles: [] } })).rejects.toThrow();
    await db.staff.create({ data: { plieCode: 'AUTRE_PLIE', email, name: 'Même personne, autre PLIE', roles: ['REFERENT'] } });
    const p = await pathway();
    await db.referentAssignment.create({ data: { pathwayId: p.id, staffId: referent.id, from: new Date('2026-01-01'), until: new Date('2026-06-30') } });
    await db.referentAssignment.create({ data: { pathwayId: p.id, staffId: referent.id, from: new Date('2026-07-01') } });
    expect(await db.referentAssignment.count({ where: { pathwayId: p.id } })).toBe(2);
  });

  it('records each FSE+ data point once per moment', async () => {
    const p = await pathway();
    const point = { participantId: p.participantId, moment: 'ENTREE', recordedAt: new Date(), source: 'REFERENT' };
    await db.fseDataPoint.create({ data: point });
    await expect(db.fseDataPoint.create({ data: point })).rejects.toThrow();
  });
});
