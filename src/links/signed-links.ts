/**
 * Signed, expiring, single-use links (proof upload, FSE+ questionnaire, staff action forms, votes
 * by email). The token carries what it allows (purpose, subject, expiry, the person it was sent
 * to) sealed with AES-256-GCM, so that nobody reading the address learns who it is for; its use is
 * recorded (by hash) so that it works once.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';

export const LINK_PURPOSES = ['proof-upload', 'fse-questionnaire', 'task-answer', 'proof-download', 'hours-declaration', 'hours-review', 'placement', 'attendance', 'pathway-action'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** How long each kind of link stays valid. */
export const LINK_DAYS: Record<LinkPurpose, number> = {
  'proof-upload': 30,
  'fse-questionnaire': 60,
  'task-answer': 14,
  'proof-download': 7,
  // The company's monthly hours form, and the facilitator's review of them (without Slack).
  'hours-declaration': 30,
  'hours-review': 14,
  // A referent's answer on a « mise en relation ».
  placement: 14,
  // The organiser's attendance record after a collective action.
  attendance: 30,
  // A referent's form to note a fact on a pathway (contract, training…), without Slack.
  'pathway-action': 14,
};

export interface LinkClaims {
  /** What the link allows, e.g. `proof-upload`, `task-answer`. */
  purpose: string;
  /** Who it was sent to, when it acts in their name (a member of staff). */
  actor?: string;
  /** What it is about, e.g. a task id. */
  subject: string;
  /** Expiry, ms since the epoch. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'used'; message: string };

const MESSAGES = {
  malformed: 'Ce lien est incomplet ou abîmé : copiez-le en entier depuis le message reçu.',
  signature: 'Ce lien n’est pas valide.',
  expired: 'Ce lien a expiré. Demandez-en un nouveau à votre interlocuteur du PLIE.',
  used: 'Ce lien a déjà servi : il ne fonctionne qu’une fois.',
} as const;

const refuse = (reason: keyof typeof MESSAGES): LinkCheck => ({ ok: false, reason, message: MESSAGES[reason] });
const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest();

const sealingKey = (secret: string) => createHash('sha256').update('plie/liens/chiffrement\0').update(secret).digest();

/** `iv.ciphertext.tag`: the claims sealed; the iv comes from the claims, so one link is always the same address. */
export function signLink(claims: LinkClaims, secret: string): string {
  const plain = JSON.stringify(claims);
  const iv = mac(plain, secret).subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, sealed, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

/** Opens a sealed link; null if it was altered or sealed with another secret. */
function unseal(parts: string[], secret: string): string | null {
  const [iv, sealed, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Checks the seal (or, for a link sent before links were sealed, its signature: they expire within
 * LINK_DAYS) and the expiry (pure: `now` is given).
 */
export function verifyLink(token: string, secret: string, now: number): LinkCheck {
  const parts = token.split('.');
  if (parts.some((p) => p === '') || parts.length < 2 || parts.length > 3) return refuse('malformed');
  let text: string;
  // A link cut short (copied in part from a message) is said so, not taken for a forgery.
  const cut = parts.length === 3 ? Buffer.from(parts[0]!, 'base64url').length !== 12 || Buffer.from(parts[2]!, 'base64url').length !== 16 : Buffer.from(parts[1]!, 'base64url').length !== 32;
  if (cut) return refuse('malformed');
  if (parts.length === 3) {
    const opened = unseal(parts, secret);
    if (opened === null) return refuse('signature');
    text = opened;
  } else {
    const [payload, signature] = parts as [string, string];
    const expected = mac(payload, secret);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('signature');
    text = Buffer.from(payload, 'base64url').toString('utf8');
  }
  let claims: LinkClaims;
  try {
    claims = JSON.parse(text) as LinkClaims;
  } catch {
    return refuse('malformed');
  }
  if (typeof claims.expiresAt !== 'number' || typeof claims.purpose !== 'string' || typeof claims.subject !== 'string') return refuse('malformed');
  if (now >= claims.expiresAt) return refuse('expired');
  return { ok: true, claims };
}

/**
 * Verifies the link and records its use in the same step: of two concurrent uses, one wins.
 * `purpose` must match, so a link made for one form cannot open another.
 */
export async function useLink(db: Db, token: string, opts: { secret: string; purpose: string; now: number }): Promise<LinkCheck> {
  const check = verifyLink(token, opts.secret, opts.now);
  if (!check.ok) return check;
  if (check.claims.purpose !== opts.purpose) return refuse('signature');
  const tokenHash = hashOf(token);
  try {
    // A link that never expires (Number.MAX_SAFE_INTEGER) keeps its record for good: without it, it would open again.
    const expiresAt = check.claims.expiresAt < 8.64e15 ? new Date(check.claims.expiresAt) : null;
    await db.usedLink.create({ data: { tokenHash, purpose: check.claims.purpose, subject: check.claims.subject, expiresAt } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return refuse('used');
    throw error;
  }
  return check;
}

/** Gives a claimed link back (its action failed before anything was done): it may be used again. */
export async function releaseLink(db: Db, token: string): Promise<void> {
  await db.usedLink.deleteMany({ where: { tokenHash: hashOf(token) } });
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Checks a link without using it (a form is shown; it is used when the form is sent). */
export async function peekLink(db: Db, token: string, opts: { secret: string; purpose: string; now: number }): Promise<LinkCheck> {
  const check = verifyLink(token, opts.secret, opts.now);
  if (!check.ok) return check;
  if (check.claims.purpose !== opts.purpose) return refuse('signature');
  if (await db.usedLink.findUnique({ where: { tokenHash: hashOf(token) } })) return refuse('used');
  return check;
}

/** The address of a signed link in the web application. */
export function linkUrl(appUrl: string, claims: LinkClaims, secret: string): string {
  return `${appUrl.replace(/\/$/, '')}/l/${signLink(claims, secret)}`;
}
