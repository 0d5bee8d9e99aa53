import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { signLink, useLink, verifyLink } from '../../src/links/signed-links.ts';

const SECRET = 'secret-de-test-des-liens';
const NOW = Date.parse('2026-12-01T10:00:00Z');
const claims = { purpose: 'proof-upload', subject: 'parcours-x/proof_request/4', expiresAt: NOW + 3_600_000 };

describe('signed links', () => {
  it('opens with its own claims until it expires', () => {
    const token = signLink(claims, SECRET);
    expect(verifyLink(token, SECRET, NOW)).toEqual({ ok: true, claims });
    const expired = verifyLink(token, SECRET, claims.expiresAt);
    expect(expired).toMatchObject({ ok: false, reason: 'expired' });
    expect(!expired.ok && expired.message).toBe('Ce lien a expiré. Demandez-en un nouveau à votre interlocuteur du PLIE.');
  });

  it.each([
    ['another secret', (t: string) => t, 'autre-secret', 'signature'],
    ['a changed subject', (t: string) => `${Buffer.from(JSON.stringify({ ...claims, subject: 'autre' })).toString('base64url')}.${t.split('.')[1]}`, SECRET, 'signature'],
    ['a cut link', (t: string) => t.slice(0, 20), SECRET, 'malformed'],
    ['an extra part', (t: string) => `${t}.x`, SECRET, 'malformed'],
  ] as const)('refuses %s', (_label, alter, secret, reason) => {
    expect(verifyLink(alter(signLink(claims, SECRET)), secret, NOW)).toMatchObject({ ok: false, reason });
  });

  it('never accepts a token altered anywhere', () => {
    const token = signLink(claims, SECRET);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...'ABCxyz019-_'), (i, c) => {
        fc.pre(token[i] !== c);
        const altered = token.slice(0, i) + c + token.slice(i + 1);
        const check = verifyLink(altered, SECRET, NOW);
        // Only a change in the unused bits of the last base64 character can leave the bytes as they were.
        if (check.ok) expect(Buffer.from(altered.split('.')[1]!, 'base64url')).toEqual(Buffer.from(token.split('.')[1]!, 'base64url'));
      }),
    );
  });
});

describe('single use', () => {
  let db: Db;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('works once, even when two uses race, and only for its purpose', async () => {
    const token = signLink({ ...claims, subject: `tâche-${randomBytes(4).toString('hex')}` }, SECRET);
    expect(await useLink(db, token, { secret: SECRET, purpose: 'task-answer', now: NOW })).toMatchObject({ ok: false, reason: 'signature' });
    const [first, second] = await Promise.all([
      useLink(db, token, { secret: SECRET, purpose: 'proof-upload', now: NOW }),
      useLink(db, token, { secret: SECRET, purpose: 'proof-upload', now: NOW }),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect([first, second].find((c) => !c.ok)).toMatchObject({ reason: 'used', message: 'Ce lien a déjà servi : il ne fonctionne qu’une fois.' });
    const expired = signLink({ ...claims, expiresAt: NOW - 1 }, SECRET);
    expect(await useLink(db, expired, { secret: SECRET, purpose: 'proof-upload', now: NOW })).toMatchObject({ ok: false, reason: 'expired' });
  });
});
