/**
 * Error texts from outside (SMTP, Slack, PostgreSQL) may quote an address, a phone number or a name.
 * Before such a text reaches a failure, a log line, the audit or a message's record, what could name
 * a person is masked: every email address, every phone number, and the names the caller knows.
 */
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
// French and international numbers: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0612345678.
const PHONE = /(?:\+\d{2}[\s.-]?|\b0)\d(?:[\s.-]?\d{2}){4}\b/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function withoutPersonalData(text: string, knownNames: Array<string | null | undefined> = []): string {
  let clean = text.replace(EMAIL, '[adresse]').replace(PHONE, '[téléphone]');
  for (const name of knownNames) {
    // Names of two letters or less would mask ordinary words.
    if (name && name.trim().length > 2) clean = clean.replace(new RegExp(escapeRegExp(name.trim()), 'gi'), '[nom]');
  }
  return clean;
}

/**
 * The same error with a message (and stack) that names no one: a database error keeps what it is
 * about (the call, the code, the fields) but never the values of the query, which hold the person's
 * data; any other text is masked as above. Changed in place, so that its class and flags (an
 * ApplicationFailure's non-retryable, its type) stay as they were.
 */
export function withoutPersonalDataInError<T>(error: T, depth = 0): T {
  if (!(error instanceof Error)) return error;
  // Its cause travels with it (into the failure's chain): cleaned the same way.
  if (error.cause instanceof Error && depth < 5) withoutPersonalDataInError(error.cause, depth + 1);
  const clean = cleanErrorText(error);
  if (clean.message === error.message) return error;
  error.message = clean.message;
  error.stack = clean.stack;
  return error;
}

/** An error's message and stack as they may be kept or logged, the error itself left alone. */
export function cleanErrorText(error: Error): { message: string; stack: string } {
  const message = error.name.startsWith('PrismaClient') ? prismaSummary(error) : withoutPersonalData(error.message);
  // The stack begins with the message; the frames below it name code, not people.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { message, stack: [`${error.name}: ${message}`, ...frames].join('\n') };
}

/** What a database error is about, without the values: « base de données — tx.participant.create() : erreur P2002 (identityKey) ». */
function prismaSummary(error: Error): string {
  const { code, meta } = error as Error & { code?: string; meta?: { target?: unknown; modelName?: unknown } };
  // « Invalid `await tx.participant.create()` invocation »: the call as the source line wrote it.
  const call = /Invalid `[^`]*?(\w+\.\w+\.\w+)\(/.exec(error.message)?.[1]?.concat('()');
  const lines = error.message.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  // A validation error ends with its reason (« Argument `birthDate` is missing. »), which names fields, not values.
  const reason = code ? `erreur ${code}` : withoutPersonalData(lines.at(-1) ?? '').replace(/(["'“«])[^"'”»]*\1/g, '[valeur]');
  const target = Array.isArray(meta?.target) ? ` (${(meta.target as unknown[]).join(', ')})` : typeof meta?.modelName === 'string' ? ` (${meta.modelName})` : '';
  return `base de données${call ? ` — ${call}` : ''} : ${reason}${target}`;
}
