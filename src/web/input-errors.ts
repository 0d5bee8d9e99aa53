/**
 * Errors the request itself caused, told apart from the service's own failures: only these answer
 * « unavailable, try again » (503); a request refused for what it carries is answered 4xx, with
 * what to change, since sending it again would be refused again.
 *
 * A database error is either the request's own data (a value too long, a character PostgreSQL
 * refuses, a duplicate, a reference to nothing): sending the same request again gives the same
 * error, so the answer is a refusal that says what to change, never « try again »; or the
 * database itself (connection lost, timeout, conflict between transactions, too many
 * connections): only then is the answer « unavailable, try again ».
 */
import { Prisma } from '../generated/prisma/client.ts';

export interface DatabaseRefusal {
  /** 409 for a duplicate (the data exists already), 400 for anything else the data caused. */
  status: 400 | 409;
  /** For the person who sent the data (French). */
  message: string;
  /** Prisma's code or PostgreSQL's SQLSTATE, for the logs (never the data: Prisma's message quotes it). */
  code: string;
}

type Refusal = Omit<DatabaseRefusal, 'code'>;

const TOO_LONG = 'Une valeur est trop longue pour être enregistrée : raccourcissez-la, puis renvoyez.';
const UNREADABLE = 'Une valeur contient un caractère que la base de données refuse (caractère invisible ou de contrôle) : retapez-la, puis renvoyez.';
const DUPLICATE = 'Cette donnée est déjà enregistrée : elle n’a pas été enregistrée une seconde fois.';
const DANGLING = 'Cette demande désigne un élément qui n’existe pas (ou plus) : rien n’a été enregistré pour elle.';
const MISSING = 'Une valeur obligatoire manque : la demande n’a pas pu être enregistrée.';
const MALFORMED = 'Une valeur n’a pas la forme attendue (nombre, date, identifiant…) : la demande n’a pas pu être enregistrée.';

/** Prisma's codes for errors the data causes (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_CODES: Record<string, Refusal> = {
  P2000: { status: 400, message: TOO_LONG },
  P2002: { status: 409, message: DUPLICATE },
  P2003: { status: 400, message: DANGLING },
  P2004: { status: 400, message: MALFORMED },
  P2005: { status: 400, message: MALFORMED },
  P2006: { status: 400, message: MALFORMED },
  P2007: { status: 400, message: MALFORMED },
  P2011: { status: 400, message: MISSING },
  P2012: { status: 400, message: MISSING },
  P2019: { status: 400, message: MALFORMED },
  P2020: { status: 400, message: MALFORMED },
  P2023: { status: 400, message: MALFORMED },
  P2025: { status: 400, message: DANGLING },
  P2033: { status: 400, message: MALFORMED },
};

/** PostgreSQL's SQLSTATE of an error the driver adapter passes on as is (no Prisma code for it). */
function sqlState(error: unknown): string | undefined {
  const cause = (error as { name?: unknown; cause?: { originalCode?: unknown; code?: unknown } } | null)?.cause;
  if ((error as { name?: unknown } | null)?.name !== 'DriverAdapterError' || !cause) return undefined;
  const code = cause.originalCode ?? cause.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** PostgreSQL's refusals of the data: class 22 (data exception), class 23 (integrity), 54000 (a value beyond its limits). */
function refusalOfSqlState(code: string): Refusal | null {
  if (code === '22001' || code === '54000') return { status: 400, message: TOO_LONG };
  if (code === '22021' || code === '22P05') return { status: 400, message: UNREADABLE };
  if (code === '23505') return { status: 409, message: DUPLICATE };
  if (code === '23503') return { status: 400, message: DANGLING };
  if (code === '23502') return { status: 400, message: MISSING };
  if (code.startsWith('22') || code.startsWith('23')) return { status: 400, message: MALFORMED };
  return null;
}

/** The refusal to answer when the data caused this database error; null when the database itself failed. */
export function databaseRefusal(error: unknown): DatabaseRefusal | null {
  const withCode = (refusal: Refusal | null | undefined, code: string) => (refusal ? { ...refusal, code } : null);
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const state = sqlState((error.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
    return withCode(PRISMA_CODES[error.code], error.code) ?? (state ? withCode(refusalOfSqlState(state), state) : null);
  }
  // A query built with a value of the wrong kind (an object for an id, an invalid date): the data again.
  if (error instanceof Prisma.PrismaClientValidationError) return { status: 400, message: MALFORMED, code: 'validation' };
  const state = sqlState(error);
  return state ? withCode(refusalOfSqlState(state), state) : null;
}

/** The malformed requests Express and its body parsers refuse before any route: each with its status, in French. */
const REQUEST_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'Le corps de la requête est illisible (JSON ou formulaire mal formé).',
  'entity.too.large': 'Requête trop volumineuse.',
  'charset.unsupported': 'Jeu de caractères non pris en charge : envoyez le corps en UTF-8.',
  'encoding.unsupported': 'Compression du corps non prise en charge.',
  'parameters.too.many': 'Trop de champs dans le formulaire.',
  'request.aborted': 'Requête interrompue avant sa fin.',
  'request.size.invalid': 'La taille annoncée de la requête ne correspond pas à son corps.',
  'stream.encoding.set': 'Requête illisible.',
};

/**
 * A request refused by Express or a body parser (malformed JSON, a charset other than UTF-8, an
 * address with a broken %-encoding…): the status they chose (4xx), a French message; else null.
 */
export function requestRefusal(error: unknown): { status: number; message: string } | null {
  const e = error as { status?: unknown; statusCode?: unknown; type?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return null;
  return { status, message: (typeof e?.type === 'string' ? REQUEST_ERRORS[e.type] : undefined) ?? 'Requête invalide.' };
}
