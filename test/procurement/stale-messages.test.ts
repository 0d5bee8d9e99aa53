import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { staleMarcheMessages } from '../../src/procurement/stale-messages.ts';

const PLIE = `STALE_${randomBytes(3).toString('hex').toUpperCase()}`;
let db: Db;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

const marche = (status: string) =>
  db.procurement.create({ data: { plieCode: PLIE, externalId: `M-${randomUUID()}`, buyer: 'Ville', title: 'Voirie', sector: 'BTP', plannedHours: 100, start: toDbDate('2026-01-01'), status } });
const message = (key: string, template: string) => ({ id: randomUUID(), idempotencyKey: key, template, recipient: 'fac@plie.test', pathwayId: null, status: 'refused' });

describe('marché messages that no longer ask anything', () => {
  it('are those of a closed marché, and of a validated month but for the pace’s alert', async () => {
    const open = await marche('EN_COURS');
    const closed = await marche('CLOS');
    await db.hoursDeclaration.create({ data: { procurementId: open.id, personId: 'C1', month: '2026-01', hours: 35, status: 'VALIDEE', declaredBy: 'test', declaredAt: new Date() } });
    const cases = [
      [message(`marche/${open.id}/2026-01/request/1`, 'marche.heures.request'), 'les heures de ce mois sont validées'],
      [message(`marche/${open.id}/2026-01/validate/1`, 'marche.validate'), 'les heures de ce mois sont validées'],
      [message(`marche/${open.id}/2026-01/pace/1`, 'marche.pace'), undefined],
      [message(`marche/${open.id}/2026-02/request/1`, 'marche.heures.request'), undefined],
      [message(`marche/${open.id}/bilan`, 'marche.bilan'), undefined],
      [message(`marche/${closed.id}/2026-02/chase/1`, 'marche.chase'), 'le marché est clos'],
      [message(`parcours-x/convocation`, 'convocation'), undefined],
    ] as const;
    const stale = await staleMarcheMessages(db, cases.map(([m]) => m));
    expect(cases.map(([m]) => stale.get(m.id))).toEqual(cases.map(([, reason]) => reason));
  });
});
