import { createHmac, randomBytes } from 'node:crypto';
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
    ['a changed subject (an unsealed link)', (_t: string) => `${Buffer.from(JSON.stringify({ ...claims, subject: 'autre' })).toString('base64url')}.${createHmac('sha256', SECRET).update(Buffer.from(JSON.stringify(claims)).toString('base64url')).digest('base64url')}`, SECRET, 'signature'],
    ['a sealed part swapped for another link’s', (t: string) => [t.split('.')[0], signLink({ ...claims, subject: 'autre' }, SECRET).split('.')[1], t.split('.')[2]].join('.'), SECRET, 'signature'],
    ['a cut link', (t: string) => t.slice(0, 20), SECRET, 'malformed'],
    ['an extra part', (t: string) => `${t}.x`, SECRET, 'malformed'],
  ] as const)('refuses %s', (_label, alter, secret, reason) => {
    expect(verifyLink(alter(signLink(claims, SECRET)), secret, NOW)).toMatchObject({ ok: false, reason });
  });

  it('says nothing readable of whom it is for; a link signed before links were sealed still opens until it expires', () => {
    const staffClaims = { ...claims, purpose: 'task-answer', actor: 'alice.referente@plie.test' };
    const token = signLink(staffClaims, SECRET);
    const readable = token.split('.').map((p) => Buffer.from(p, 'base64url').toString('latin1')).join(' ') + token;
    expect(readable).not.toContain('alice');
    expect(readable).not.toContain('task-answer');
    // The same claims always give the same address (a message sent again carries the same link).
    expect(signLink(staffClaims, SECRET)).toBe(token);
    const payload = Buffer.from(JSON.stringify(staffClaims)).toString('base64url');
    const legacy = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    expect(verifyLink(legacy, SECRET, NOW)).toEqual({ ok: true, claims: staffClaims });
    expect(verifyLink(legacy, 'autre-secret', NOW)).toMatchObject({ ok: false, reason: 'signature' });
  });

  it('never accepts a token altered anywhere', () => {
    const token = signLink(claims, SECRET);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...'ABCxyz019-_'), (i, c) => {
        fc.pre(token[i] !== c);
        const altered = token.slice(0, i) + c + token.slice(i + 1);
        const check = verifyLink(altered, SECRET, NOW);
        // Only a change in the unused bits of a part's last base64 character can leave the bytes as they were.
        const bytes = (t: string) => t.split('.').map((p) => Buffer.from(p, 'base64url').toString('hex'));
        if (check.ok) expect(bytes(altered)).toEqual(bytes(token));
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
