/**
 * What the console knows of a request once its cookies are read: the session, if any, and the
 * anti-forgery token its forms carry (the session's, or before sign-in the pre-session cookie's).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { cookie, cookiesOf, findSession, newPreSessionToken, preSessionCookieName, sessionCookieName, type ConsoleSession, type CookieSettings } from './sessions.ts';

const sessions = new WeakMap<Request, ConsoleSession>();
const formTokens = new WeakMap<Request, string>();

export const sessionOf = (req: Request): ConsoleSession | null => sessions.get(req) ?? null;

/** The token the forms of this page carry (empty only before `loadRequestState` ran). */
export const formTokenOf = (req: Request): string => formTokens.get(req) ?? '';

/** Reads the session cookie; without a session, makes sure a pre-session token exists for the sign-in forms. */
export function loadRequestState(db: Db, cookies: CookieSettings, now: () => number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const jar = cookiesOf(req);
    const session = await findSession(db, jar[sessionCookieName(cookies)], now());
    if (session) {
      sessions.set(req, session);
      formTokens.set(req, session.csrfToken);
      return next();
    }
    let pre = jar[preSessionCookieName(cookies)];
    if (!pre) {
      pre = newPreSessionToken();
      res.append('Set-Cookie', cookie(cookies, preSessionCookieName(cookies), pre, 3600));
    }
    formTokens.set(req, pre);
    next();
  };
}
