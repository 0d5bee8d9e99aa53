import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { fileReferenceRange, participantByReference } from '../../src/participants/file-reference.ts';

const PLIE = `REF_${randomBytes(3).toString('hex').toUpperCase()}`;
let db: Db;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

const person = (id: string) => db.participant.create({ data: { id, plieCode: PLIE, firstName: 'Test', lastName: id, identityKey: id, birthDate: toDbDate('1990-01-01'), createdBy: 'test' } });

describe('file numbers', () => {
  it.each([
    ['3f2a9c1b', { gte: '3f2a9c1b-0000-0000-0000-000000000000', lte: '3f2a9c1b-ffff-ffff-ffff-ffffffffffff' }],
    ['3F2A', { gte: '3f2a0000-0000-0000-0000-000000000000', lte: '3f2affff-ffff-ffff-ffff-ffffffffffff' }],
  ])('looks for the ids beginning with %s', (prefix, range) => {
    expect(fileReferenceRange(prefix)).toEqual(range);
  });

  it('finds the file a number or a whole id names, says when a number is shared, and finds nothing in another PLIE', async () => {
    const shared = randomBytes(4).toString('hex');
    const [first, second] = [`${shared}-0000-4000-8000-000000000001`, `${shared}-0000-4000-8000-000000000002`];
    const alone = `${randomBytes(4).toString('hex')}-0000-4000-8000-000000000003`;
    for (const id of [first, second, alone]) await person(id);
    expect(await participantByReference(db, PLIE, fileReference(alone))).toEqual({ id: alone });
    expect(await participantByReference(db, PLIE, ` ${fileReference(alone).toLowerCase()} `)).toEqual({ id: alone });
    expect(await participantByReference(db, PLIE, first)).toEqual({ id: first });
    expect(await participantByReference(db, PLIE, fileReference(first))).toEqual({ problem: `plusieurs dossiers portent le numéro ${shared.toUpperCase()} : donnez l’identifiant complet` });
    expect(await participantByReference(db, 'AUTRE_PLIE', fileReference(alone))).toBeNull();
    expect(await participantByReference(db, PLIE, 'pas-un-id')).toBeNull();
  });
});
