import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../src/temporal/codec.ts';

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
