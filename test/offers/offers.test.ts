/** Job offers registered and matched against the participants of the PLIE (test run's PostgreSQL). */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { offerMatches, registerOffer } from '../../src/offers/offers.ts';
import { activityTestbed } from '../helpers/activities.ts';

const PLIE = `O${randomBytes(3).toString('hex').toUpperCase()}`;
let db: Db;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

async function participant(wishes: string[], stage: string | null, referentEmail: string | null, plieCode = PLIE) {
  const id = randomUUID();
  await db.participant.create({ data: { id, plieCode, firstName: 'Zoé', lastName: 'Offre', identityKey: `offer|${id}`, birthDate: new Date('1991-01-01T00:00:00Z'), sectorWishes: wishes, createdBy: 'test' } });
  if (stage) await db.pathway.create({ data: { id: `parcours-${id}`, participantId: id, stage, referentEmail } });
  return id;
}

describe('job offers', () => {
  it('reach the participants in an active pathway whose wishes fit, with their referent, and no one else', async () => {
    const wanted = await participant(['Nettoyage de locaux', 'cuisine'], 'active', 'ref@plie.test');
    await participant(['nettoyage'], 'followUp', 'ref@plie.test');
    await participant(['bâtiment'], 'active', 'ref@plie.test');
    await participant(['nettoyage'], 'active', 'autre@plie.test', 'AUTRE_PLIE');
    const offer = await registerOffer(db, PLIE, { company: 'Net06', jobTitle: 'Agent de nettoyage de locaux', sector: 'Propreté', contractType: 'CDD', weeklyHours: 24, startDate: '04/01/2027' }, 'charge.entreprises@plie.test');
    expect(await offerMatches(db, offer.id)).toEqual([{ participantId: wanted, fileReference: fileReference(wanted), initials: 'Z. O.', referentEmail: 'ref@plie.test', wish: 'Nettoyage de locaux' }]);
    expect(await db.auditEvent.count({ where: { entityId: offer.id, action: 'offer.register' } })).toBe(1);
    await expect(registerOffer(db, PLIE, { company: 'X', jobTitle: '', sector: 'Y', contractType: 'STAGE' }, 'x')).rejects.toMatchObject({
      problems: ['intitulé du poste : obligatoire', 'type de contrat inconnu'],
    });
  });
});

describe('the wishes and availability offers are matched on', () => {
  it('are those validated at the diagnostic, and an offer starting before the person is available does not reach them', async () => {
    const bed = await activityTestbed();
    try {
      const id = await participant(['ancien souhait'], 'diagnostic', 'ref@plie.test');
      const taskId = `parcours-${id}/diagnostic_decision/1`;
      await bed.activities.openTask({ id: taskId, pathwayId: `parcours-${id}`, kind: 'diagnostic_decision', assigneeEmail: 'ref@plie.test', assigneeRole: 'referent', openedAt: new Date().toISOString(), dueDate: '2026-12-10' });
      await bed.activities.closeTask({
        taskId,
        answer: { decision: 'integrate', entryDate: '2026-12-01', barriers: [], sectorWishes: ['Propreté', 'aide à domicile'], availableFrom: '2027-02-01', maxWeeklyHours: 28 },
        actor: 'ref@plie.test',
        channel: 'slack',
        answeredAt: new Date().toISOString(),
      });
      const saved = await db.participant.findUniqueOrThrow({ where: { id } });
      expect(saved).toMatchObject({ sectorWishes: ['Propreté', 'aide à domicile'], availableFrom: new Date('2027-02-01T00:00:00Z'), maxWeeklyHours: 28 });
      await db.pathway.update({ where: { id: `parcours-${id}` }, data: { stage: 'active' } });
      const early = await registerOffer(db, PLIE, { company: 'Net06', jobTitle: 'Agent d’entretien', sector: 'Propreté', contractType: 'CDD', weeklyHours: 24, startDate: '04/01/2027' }, 'x@plie.test');
      const later = await registerOffer(db, PLIE, { company: 'Net06', jobTitle: 'Agent d’entretien', sector: 'Propreté', contractType: 'CDD', weeklyHours: 24, startDate: '01/03/2027' }, 'x@plie.test');
      const full = await registerOffer(db, PLIE, { company: 'Net06', jobTitle: 'Agent d’entretien', sector: 'Propreté', contractType: 'CDD', weeklyHours: 35, startDate: '01/03/2027' }, 'x@plie.test');
      const reached = async (offerId: string) => (await offerMatches(db, offerId)).some((m) => m.participantId === id);
      expect([await reached(early.id), await reached(later.id), await reached(full.id)]).toEqual([false, true, false]);
    } finally {
      await bed.stop();
    }
  });
});
