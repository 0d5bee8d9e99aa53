/** Job offers registered and matched against the participants of the PLIE (test run's PostgreSQL). */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { offerMatches, registerOffer } from '../../src/offers/offers.ts';

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
