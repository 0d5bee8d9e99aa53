import { randomBytes, randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { EncryptionCodec } from '../../src/temporal/codec.ts';
import { destroyDataKey, ErasedDataError, participantOfWorkflow } from '../../src/temporal/data-keys.ts';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const payload = defaultPayloadConverter.toPayload({ lastName: 'Durand', situation: 'RSA' });

describe('payload encryption codec', () => {
  it('hides the content from the server and gives it back intact', async () => {
    const codec = new EncryptionCodec(key('k1'));
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toContain('Durand');
    expect(new TextDecoder().decode(encoded!.metadata!['encryption-key-id'])).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ lastName: 'Durand', situation: 'RSA' });
  });

  it('keeps reading payloads written with an older key after rotation', async () => {
    const old = key('k1');
    const [encoded] = await new EncryptionCodec(old).encode([payload]);
    const rotated = new EncryptionCodec(`${key('k2')},${old}`);
    const [decoded] = await rotated.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ lastName: 'Durand', situation: 'RSA' });
    const [fresh] = await rotated.encode([payload]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe('k2');
  });

  it('refuses an unknown key and a tampered payload', async () => {
    const [encoded] = await new EncryptionCodec(key('k1')).encode([payload]);
    await expect(new EncryptionCodec(key('k9')).decode([encoded!])).rejects.toThrow('clé de chiffrement inconnue : k1');
    const tampered = { ...encoded!, data: Buffer.from(encoded!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(new EncryptionCodec(key('k1')).decode([tampered])).rejects.toThrow();
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new EncryptionCodec(`k1:${randomBytes(16).toString('base64')}`)).toThrow('doit faire 32 octets');
  });
});

describe('participants’ own data keys (crypto-shredding)', () => {
  let db: Db;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
  });
  afterAll(async () => {
    await db.$disconnect();
  });
  const keyIdOf = (p: Payload) => new TextDecoder().decode(p.metadata!['encryption-key-id']);
  const workflow = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId });

  it.each([
    ['parcours-3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c'],
    ['parcours-3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c-2', '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c'],
    ['parcours-3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c/commission/1', '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c'],
    ['offre-3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', null],
    ['plie-recapitulatif-quotidien-run', null],
    ['parcours-pas-un-identifiant', null],
  ])('knows whose workflow %s is', (workflowId, participantId) => {
    expect(participantOfWorkflow(workflowId)).toBe(participantId);
  });

  it('encrypts a pathway with its person’s key, which erasure destroys for every reader', async () => {
    const spec = key('k1');
    const erased = randomUUID();
    const kept = randomUUID();
    const writer = new EncryptionCodec(spec, db);
    const [ofErased] = await writer.encode([payload], workflow(`parcours-${erased}`));
    const [ofChild] = await writer.encode([payload], { type: 'activity', namespace: 'default', workflowId: `parcours-${erased}/commission/1`, isLocal: false });
    const [ofKept] = await writer.encode([payload], workflow(`parcours-${kept}`));
    const [shared] = await writer.encode([payload], workflow(`offre-${randomUUID()}`));
    expect(keyIdOf(ofErased!)).toMatch(/^personne:/);
    expect(keyIdOf(ofChild!)).toBe(keyIdOf(ofErased!));
    expect(keyIdOf(ofKept!)).not.toBe(keyIdOf(ofErased!));
    expect(keyIdOf(shared!)).toBe('k1');
    // The key lies wrapped in the database, never in clear.
    const row = await db.participantDataKey.findUniqueOrThrow({ where: { participantId: erased } });
    expect(row.wrappingKeyId).toBe('k1');

    const eraser = new EncryptionCodec(spec, db);
    expect(await destroyDataKey(db, erased, new Date())).toBe('destroyed');
    expect(await destroyDataKey(db, erased, new Date())).toBe('already');
    const reader = new EncryptionCodec(spec, db);
    await expect(reader.decode([ofErased!])).rejects.toBeInstanceOf(ErasedDataError);
    await expect(reader.decode([ofChild!])).rejects.toBeInstanceOf(ErasedDataError);
    const [decoded] = await reader.decode([ofKept!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ lastName: 'Durand', situation: 'RSA' });
    // No new key is ever made for an erased person: a late payload is refused.
    await expect(eraser.encode([payload], workflow(`parcours-${erased}`))).rejects.toBeInstanceOf(ErasedDataError);
  });

  it('refuses a participant’s payload to a client without the keys’ database', async () => {
    const spec = key('k1');
    const [encoded] = await new EncryptionCodec(spec, db).encode([payload], workflow(`parcours-${randomUUID()}`));
    await expect(new EncryptionCodec(spec).decode([encoded!])).rejects.toThrow('n’a pas accès à la base des clés');
  });
});
