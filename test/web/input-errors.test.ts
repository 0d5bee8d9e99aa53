/**
 * Which database errors the request's data caused (answered 4xx, with what to change) and which
 * the database itself did (answered 503, « try again »): told apart on the errors PostgreSQL and
 * Prisma really raise.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { databaseRefusal, requestRefusal } from '../../src/web/input-errors.ts';

const db = createDb(inject('databaseUrl'));
afterAll(async () => {
  await db.$disconnect();
});

/** The error `work` fails with. */
async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('aucune erreur');
}

const person = (data: Record<string, unknown> = {}) => ({ id: randomUUID(), firstName: 'Inès', lastName: 'Erreurs', identityKey: `erreurs|${randomUUID()}`, birthDate: new Date('1985-03-14'), createdBy: 'test', ...data });

describe('database errors caused by the data', () => {
  it.each([
    ['a NUL byte in a text', () => db.participant.create({ data: person({ firstName: 'A\u0000b' }) }), 400, '22021', 'caractère que la base de données refuse'],
    ['a NUL escape in JSON', () => db.auditEvent.create({ data: { idempotencyKey: randomUUID(), actor: 'test', channel: 'http', action: 'test', entityType: 'test', entityId: 'x', details: { a: 'x\u0000y' } } }), 400, '22P05', 'caractère que la base de données refuse'],
    ['a value beyond an index’s limit', () => db.participant.create({ data: person({ identityKey: Array.from({ length: 4_000 }, () => randomUUID()).join('') }) }), 400, '54000', 'trop longue'],
    ['an object where an id is expected', () => db.participant.findUnique({ where: { id: {} as unknown as string } }), 400, 'validation', 'n’a pas la forme attendue'],
  ])('%s: refused (4xx), never « try again »', async (_what, work, status, code, words) => {
    const refusal = databaseRefusal(await errorOf(work));
    expect(refusal).toMatchObject({ status, code });
    expect(refusal?.message).toContain(words);
  });

  it('a duplicate: 409, the data exists already', async () => {
    const data = person();
    await db.participant.create({ data });
    expect(databaseRefusal(await errorOf(() => db.participant.create({ data: { ...data, id: randomUUID() } })))).toEqual({ status: 409, code: 'P2002', message: 'Cette donnée est déjà enregistrée : elle n’a pas été enregistrée une seconde fois.' });
  });

  it('the database out of reach: not the data’s doing (503, try again)', async () => {
    const away = createDb('postgresql://personne:secret@127.0.0.1:1/plie');
    try {
      const error = await errorOf(() => away.participant.count());
      expect(databaseRefusal(error)).toBeNull();
    } finally {
      await away.$disconnect();
    }
  });

  it('malformed requests keep the status their parser gave, with a French message; anything else is not theirs', () => {
    expect(requestRefusal(Object.assign(new Error('unsupported charset "LATIN1"'), { status: 415, type: 'charset.unsupported' }))).toEqual({ status: 415, message: 'Jeu de caractères non pris en charge : envoyez le corps en UTF-8.' });
    expect(requestRefusal(Object.assign(new URIError('Failed to decode param'), { status: 400 }))).toEqual({ status: 400, message: 'Requête invalide.' });
    expect(requestRefusal(new Error('connexion perdue'))).toBeNull();
    expect(requestRefusal(Object.assign(new Error('indisponible'), { status: 503 }))).toBeNull();
  });
});
