/**
 * What the fuzz tests throw at the boundaries — texts no one types, dates no one lives, values of
 * the wrong kind, odd but valid texts — and what they check of every answer: never a 5xx, every
 * refusal in French, nothing written by what was refused (a checksum of a PLIE's rows), and the
 * process still serving, with no unhandled rejection.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { addDays, formatFrenchDate, parseCalendarDate } from '../../src/domain/dates.ts';

/** NUL, the other C0 controls but tab, LF and CR, DEL, the C1 controls, a lone surrogate. */
export const untypableChar = fc
  .oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 0x1f }).filter((c) => ![0x09, 0x0a, 0x0d].includes(c)),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
  )
  .map((c) => String.fromCharCode(c));

/** A text with something no one types in it (printable ASCII around: never a surrogate pair by chance). */
export const untypableText = fc.tuple(fc.string({ maxLength: 12 }), untypableChar, fc.string({ maxLength: 12 })).map(([a, c, b]) => `${a}${c}${b}`);

/**
 * The same, control characters only: what a form's UTF-8 body can carry (a lone surrogate is no
 * character, so it travels as U+FFFD: only JSON's \u escapes carry one).
 */
export const controlText = untypableText.filter((t) => !/[\uD800-\uDFFF]/.test(t));

/** A line break or a tab inside a one-line field (a name, a phone number). */
export const twoLines = fc.tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ''), fc.constantFrom('\n', '\r\n', '\t', '\r'), fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== '')).map(([a, c, b]) => `${a.trim()}${c}${b.trim()}`);

/** Dates no calendar has, and texts that are no date (never blank: a blank optional date is no date given). */
export const malformedDate = fc.oneof(
  fc.constantFrom('31/02/2023', '2024-13-01', '00/00/0000', '29/02/2023', '12/03/20800', '１２/０３/２０８０', 'demain', '2024-02-30T00:00:00Z', '1er janvier 2024', '12-03-1980', '+002024-01-01', '2024-1-1', '1/1/1899', '31/12/2201', '--', '∞'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && parseCalendarDate(s) === undefined),
);

/** A date as people type it: ISO or French. */
const typed = (date: string) => fc.constantFrom(date, formatFrenchDate(date));

/** Birth dates no one has on `today`: in the future, under 16 (a little margin kept), over 100 (from 1900). */
export function implausibleBirthDate(today: string) {
  const sinceYear1900 = Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse('1900-01-01T00:00:00Z')) / 86_400_000);
  return fc
    .oneof(
      fc.integer({ min: 1, max: 50_000 }).map((d) => addDays(today, d)),
      fc.integer({ min: 0, max: 15 * 365 }).map((d) => addDays(today, -d)),
      fc.integer({ min: 101 * 366 + 2, max: sinceYear1900 }).map((d) => addDays(today, -d)),
    )
    .chain(typed);
}

/** Dates no pathway fact has on `today`: before 1950, or more than five years ahead (beyond every bound). */
export function implausibleFactDate(today: string) {
  return fc.oneof(fc.integer({ min: 0, max: 49 * 365 }).map((d) => addDays('1900-01-01', d)), fc.integer({ min: 5 * 366 + 2, max: 50_000 }).map((d) => addDays(today, d))).chain(typed);
}

/** A plausible date of a fact: within the last three years, or the coming year. */
export function plausibleFactDate(today: string) {
  return fc.integer({ min: -3 * 365, max: 365 }).map((d) => addDays(today, d)).chain(typed);
}

/** A plausible birth date: 18 to 90 years ago. */
export function plausibleBirthDate(today: string) {
  return fc.integer({ min: 18 * 366, max: 90 * 365 }).map((d) => addDays(today, -d)).chain(typed);
}

/** Values of another kind than a text: numbers, booleans, null, lists, objects. */
export const wrongKind: fc.Arbitrary<unknown> = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));

/** Texts that may well be valid: any code point, long ones, markup, quotes. Never a 5xx, whatever the answer. */
export const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 300, maxLength: 3_000 }),
  fc.constantFrom("Robert'); DROP TABLE \"Participant\";--", '<script>alert(1)</script>', '%00', '${jndi:ldap://x}', '{{7*7}}', '../../etc/passwd', 'Zoë N’Diaye-Lefèvre', '👩🏽‍🔧', '‮evil', ' '),
);

/** A name people have: letters of any script, with spaces, hyphens and apostrophes inside. */
export const realName = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéèêëàâîïôöûüçñßøåæœÉÈÀÇ'.split(''), ...'ŁłŠšŽžĞğİıАБВГДабвгдΑΒΓαβγ'.split('')), { minLength: 2, maxLength: 12 })
  .chain((letters) => fc.constantFrom('', ' ', '-', '’', "'").map((joint) => `${letters.slice(0, 1).join('').toUpperCase()}${letters.slice(1, 6).join('')}${letters.length > 6 ? `${joint}${letters.slice(6).join('')}` : ''}`))
  .filter((name) => name.trim().length > 0 && !/['’ -]$/.test(name));

const ENGLISH = /\b(Invalid|Expected|Required|Unexpected|received|must be|cannot|Cannot|is not valid|undefined|Internal Server Error|Bad Request)\b|\[object Object\]/;
const FRENCH = /[àâçéèêëîïôûùüœ’«»]|AAAA-MM-JJ|JJ\/MM\/AAAA|\b(le|la|les|de|des|du|un|une|est|et|ou|au|aux|en|pas|sans|avec|pour|dans|sur|attendue?s?|obligatoires?|invalides?|inconnue?s?|non|oui|plus|moins|caractères?|nombres?|chiffres?|lettres?|choix|clé|adresse|valeur|trop)\b/i;

/** A message for people: French, and none of the English of a library or the runtime. */
export function expectFrench(message: unknown): void {
  expect(typeof message, `message : ${String(message)}`).toBe('string');
  expect(message as string).toMatch(FRENCH);
  expect(message as string).not.toMatch(ENGLISH);
}

/**
 * Every row a PLIE's boundaries may write (its participants and all that hangs on them, its offers,
 * marchés and collective actions, the audit of its actors), as one checksum: equal before and after
 * refused inputs means nothing was written, not even in part. The audit of refusals (`refused.*`) is
 * left out: a refusal is audited on purpose.
 */
export async function checksum(db: Db, plieCode: string, actors: string[]): Promise<string> {
  const rows = (table: string, where: string) => `coalesce((SELECT string_agg(t::text, '|' ORDER BY t::text) FROM "${table}" t WHERE ${where}), '')`;
  const ofParticipants = `t."participantId" IN (SELECT id FROM "Participant" WHERE "plieCode" = $1)`;
  const ofPathways = `t."pathwayId" IN (SELECT p.id FROM "Pathway" p JOIN "Participant" q ON q.id = p."participantId" WHERE q."plieCode" = $1)`;
  const [row] = await db.$queryRawUnsafe<Array<{ sum: string }>>(
    `SELECT md5(concat_ws('#', ${[
      rows('Participant', `t."plieCode" = $1`),
      rows('Pathway', ofParticipants),
      rows('Task', ofPathways),
      rows('Appointment', ofPathways),
      rows('Message', ofPathways),
      rows('CommissionCase', ofPathways),
      ...['EligibilityAssessment', 'Barrier', 'Step', 'WorkContract', 'Exit', 'Proof', 'FseDataPoint', 'Placement'].map((table) => rows(table, ofParticipants)),
      ...['JobOffer', 'Marche', 'CollectiveAction'].map((table) => rows(table, `t."plieCode" = $1`)),
      rows('AuditEvent', `(t.actor = ANY($2::text[]) OR t."entityId" IN (SELECT id::text FROM "Participant" WHERE "plieCode" = $1)) AND t.action NOT LIKE 'refused.%'`),
    ].join(', ')})) AS sum`,
    plieCode,
    actors,
  );
  return row!.sum;
}

/** Records the process's unhandled rejections and uncaught exceptions while the fuzzing runs. */
export function watchCrashes() {
  const seen: unknown[] = [];
  const record = (error: unknown) => seen.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtExceptionMonitor', record);
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', record);
      process.off('uncaughtExceptionMonitor', record);
    },
  };
}
