/**
 * The sign-in link of the web console: sealed like the emails' other links, valid 15 minutes,
 * used once. Its subject names the PLIE and the person (`<plie code>:<email>`).
 */
import { signLink, type LinkClaims } from './signed-links.ts';

export const SIGN_IN_PURPOSE = 'sign-in';
export const SIGN_IN_MINUTES = 15;

export const signInSubject = (plieCode: string, email: string) => `${plieCode}:${email.trim().toLowerCase()}`;

/** The PLIE and address a sign-in link's subject names, or null if it names none. */
export function signInTarget(claims: LinkClaims): { plieCode: string; email: string } | null {
  const at = claims.subject.indexOf(':');
  if (claims.purpose !== SIGN_IN_PURPOSE || at < 1) return null;
  return { plieCode: claims.subject.slice(0, at), email: claims.subject.slice(at + 1) };
}

/** The address of the page that opens a session from the link (asked for at `requestedAt`). */
export function signInUrl(appUrl: string, target: { plieCode: string; email: string }, requestedAt: number, secret: string): string {
  const claims: LinkClaims = { purpose: SIGN_IN_PURPOSE, subject: signInSubject(target.plieCode, target.email), expiresAt: requestedAt + SIGN_IN_MINUTES * 60_000 };
  return `${appUrl.replace(/\/$/, '')}/connexion/lien/${signLink(claims, secret)}`;
}

/** What the web asks the worker to send: the link is sealed by the activity, never carried in a workflow's history. */
export interface SignInRequest {
  requestId: string;
  plieCode: string;
  email: string;
  /** When it was asked (ms since the epoch): the link expires SIGN_IN_MINUTES after. */
  requestedAt: number;
}
