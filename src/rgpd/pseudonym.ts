/**
 * What erasure and retention put in place of a person's identity: a pseudonym made of their file
 * number, and a stand-in birth date that keeps their age at entry (the bilan counts it), and the
 * masking of their identity wherever it was written in free text (audit details, answers, reasons).
 */
import { addDays, addMonths, ageOn, type CalendarDate } from '../domain/dates.ts';
import { fileReference } from '../domain/participant.ts';

export const ERASED_FIRST_NAME = 'Personne';
export const MASK = '[effacé]';

export function erasedLastName(participantId: string): string {
  return `effacée ${fileReference(participantId)}`;
}

/** Stands for the address in the records that kept one (messages' recipients, answers' authors). */
export function erasedAddress(participantId: string): string {
  return `effacee-${fileReference(participantId).toLowerCase()}@invalid`;
}

/**
 * A birth date that gives the same age on `reference` (the entry, else the orientation): the day
 * `age` years before it, or, when that happens to be the real birth date, the first day of the
 * same year of age. Any other date derived from it says no more than the age at entry.
 */
export function standInBirthDate(birthDate: CalendarDate, reference: CalendarDate): CalendarDate {
  const age = ageOn(birthDate, reference);
  const latest = addMonths(reference, -12 * age);
  return latest !== birthDate ? latest : addDays(addMonths(reference, -12 * (age + 1)), 1);
}

type Identity = { firstName: string; lastName: string; email: string | null; phone: string | null; birthDate: CalendarDate; externalId: string | null; identityKey: string };

/**
 * What names the person in their own records (a one-letter name would mask everything); `earlier`
 * adds what they were called before a rectification (names, addresses, birth dates).
 */
export function identityNeedles(p: Identity, earlier: string[] = []): string[] {
  const [y, m, d] = p.birthDate.split('-');
  const dates = [p.birthDate, ...earlier.filter((e) => /^\d{4}-\d{2}-\d{2}$/.test(e))].flatMap((date) => [date, date.split('-').reverse().join('/')]);
  return needles([...uniqueNeedles(p), ...dates, `${d}/${m}/${y}`, p.firstName.trim(), p.lastName.trim(), ...earlier.map((e) => e.trim())]);
}

/** What names the person alone, looked for in everyone's records (a surname or a date is shared with others). */
export function uniqueNeedles(p: Identity): string[] {
  // Short identifiers (an external id « P1 ») would match others' records too.
  return needles([p.identityKey, p.email, p.phone, p.phone?.replace(/\D/g, ''), p.externalId], 6);
}

function needles(candidates: Array<string | null | undefined>, minLength = 2): string[] {
  return [...new Set(candidates.filter((n): n is string => typeof n === 'string' && n.length >= minLength))].sort((a, b) => b.length - a.length);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every needle (any case) masked, as a whole word only (« Li » leaves « éligible » and
 * « CDI » alone); the longest first, so that a name inside an address goes with it.
 */
export function maskText(text: string, needles: readonly string[]): string {
  if (needles.length === 0) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])(?:${needles.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu'), MASK);
}

/** The same for every string (never a key) of a JSON value. */
export function maskJson<T>(value: T, needles: readonly string[]): T {
  if (typeof value === 'string') return maskText(value, needles) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => maskJson(v, needles)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, needles)])) as T;
  return value;
}
