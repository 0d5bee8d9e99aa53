/**
 * Reading the cells of a PLIE's CSV exports: French dates, oui/non, codes, lists separated by |.
 * Each reader returns a value or throws a FieldError whose message is for the person who fixes
 * the file; what no export should hold is refused there too (control characters, the NUL byte
 * PostgreSQL cannot store, implausible dates, figures too large), so the database never refuses a row.
 */
import { addMonths, formatFrenchDate, parisDate, parseCalendarDate, type CalendarDate } from '../domain/dates.ts';
import { parseQualificationLevel, type QualificationLevel } from '../domain/qualification.ts';
import { z } from '../domain/validation.ts';

export class FieldError extends Error {}

export type Row = Record<string, string | undefined>;

/** Longer than any name, code or reason a PLIE software exports: a longer cell is a broken file. */
const MAX_CELL = 1000;

/**
 * Characters refused in any cell: PostgreSQL cannot store the NUL byte at all; the other control
 * characters (C0 but tab and line breaks, DEL, C1) are invisible and break messages, Slack and
 * emails; U+FFFD is what reading a file saved in another encoding than UTF-8 makes of its accented
 * letters (and of any byte that is not UTF-8, lone surrogates included).
 */
const UNWANTED = /(?![\t\n\r])[\p{Cc}\uFFFD]/u;

function cell(row: Row, column: string): string {
  const value = (row[column] ?? '').trim();
  if (value.includes('\u0000')) throw new FieldError('caractère nul (code 0) dans la cellule : la base ne peut pas l’enregistrer, retirez-le du fichier');
  const unwanted = UNWANTED.exec(value)?.[0].charCodeAt(0);
  if (unwanted === 0xfffd) throw new FieldError('caractère illisible « \uFFFD » : enregistrez le fichier en UTF-8 (les lettres accentuées d’un autre encodage deviennent illisibles)');
  if (unwanted !== undefined) throw new FieldError(`caractère de contrôle invisible (code ${unwanted}) dans la cellule : retirez-le du fichier`);
  if (value.length > MAX_CELL) throw new FieldError(`valeur trop longue (${value.length} caractères, ${MAX_CELL} au plus)`);
  return value;
}

export function text(row: Row, column: string): string {
  const value = cell(row, column);
  if (!value) throw new FieldError('valeur obligatoire manquante');
  return value;
}

/**
 * A short required text: an identifier or a name. Kept short because PostgreSQL indexes them (the
 * source's id, the identity key made of the names), and an index entry cannot exceed about 2 700 bytes.
 */
export function shortText(row: Row, column: string, max = 100): string {
  const value = text(row, column);
  if (value.length > max) throw new FieldError(`valeur trop longue (${value.length} caractères, ${max} au plus)`);
  return value;
}

export function optionalText(row: Row, column: string): string | null {
  return cell(row, column) || null;
}

/** An address checked as every other channel checks it (the person's emails go there). */
export function optionalEmail(row: Row, column: string): string | null {
  const value = cell(row, column);
  if (!value) return null;
  if (!z.email().safeParse(value).success) throw new FieldError(`adresse email invalide « ${value} »`);
  return value;
}

export function date(row: Row, column: string): CalendarDate {
  const value = text(row, column);
  const parsed = parseCalendarDate(value);
  if (!parsed) throw new FieldError(`date invalide « ${value} » (attendu JJ/MM/AAAA)`);
  return parsed;
}

export function optionalDate(row: Row, column: string): CalendarDate | null {
  return cell(row, column) ? date(row, column) : null;
}

/** Today in Paris, read at each call (not at load: a worker runs for days). */
const today = (): CalendarDate => parisDate(Date.now());

/** A birth date: not in the future, nor more than 100 years ago (a typing error of the century). */
export function birthDate(row: Row, column: string): CalendarDate {
  const value = date(row, column);
  const now = today();
  if (value > now) throw new FieldError(`date de naissance dans le futur « ${formatFrenchDate(value)} »`);
  if (value < addMonths(now, -100 * 12)) throw new FieldError(`date de naissance improbable « ${formatFrenchDate(value)} » : la personne aurait plus de 100 ans`);
  return value;
}

/** The earliest date of a pathway's event the import takes (PLIEs date from the 1990s). */
const EARLIEST_EVENT: CalendarDate = '1950-01-01';

/** Why a date of the pathway (orientation, step, contract, exit…) is implausible; null when it is not. */
function implausibleEvent(value: CalendarDate): string | null {
  if (value < EARLIEST_EVENT) return `date trop ancienne « ${formatFrenchDate(value)} » (le ${formatFrenchDate(EARLIEST_EVENT)} au plus tôt)`;
  const latest = addMonths(today(), 24);
  if (value > latest) return `date trop lointaine « ${formatFrenchDate(value)} » (au plus deux ans après aujourd’hui, le ${formatFrenchDate(latest)})`;
  return null;
}

/** A date of the pathway: from 1950 to two years ahead at most (further is a typing error). */
export function eventDate(row: Row, column: string): CalendarDate {
  const value = date(row, column);
  const problem = implausibleEvent(value);
  if (problem) throw new FieldError(problem);
  return value;
}

export function optionalEventDate(row: Row, column: string): CalendarDate | null {
  return cell(row, column) ? eventDate(row, column) : null;
}

export function yesNo(row: Row, column: string): boolean {
  const value = cell(row, column).toLowerCase();
  if (value === 'oui') return true;
  if (value === 'non') return false;
  throw new FieldError(`attendu « oui » ou « non », trouvé « ${cell(row, column)} »`);
}

/** The code as the list spells it, whatever the case typed; undefined when it is not in the list. */
const spelled = <const T extends readonly string[]>(codes: T, typed: string): T[number] | undefined => codes.find((c) => c.toUpperCase() === typed.trim().toUpperCase());

export function code<const T extends readonly string[]>(row: Row, column: string, codes: T): T[number] {
  const found = spelled(codes, text(row, column));
  if (found === undefined) throw new FieldError(`code inconnu « ${cell(row, column)} » (attendu : ${codes.join(', ')})`);
  return found;
}

export function optionalCode<const T extends readonly string[]>(row: Row, column: string, codes: T): T[number] | null {
  return cell(row, column) ? code(row, column, codes) : null;
}

export function codeList<const T extends readonly string[]>(row: Row, column: string, codes: T): Array<T[number]> {
  const items = cell(row, column)
    .split('|')
    .map((item) => item.trim().toUpperCase())
    .filter(Boolean);
  const unknown = items.filter((item) => !(codes as readonly string[]).includes(item));
  if (unknown.length > 0) throw new FieldError(`code(s) inconnu(s) : ${unknown.map((item) => `« ${item} »`).join(', ')} (attendu : ${codes.join(', ')})`);
  return [...new Set(items)] as Array<T[number]>;
}

/** `CODE:JJ/MM/AAAA|CODE:JJ/MM/AAAA`: codes each with a date (a barrier and the day it was lifted). */
export function datedCodeList<const T extends readonly string[]>(row: Row, column: string, codes: T): Array<{ code: T[number]; date: CalendarDate }> {
  const items = cell(row, column)
    .split('|')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.map((item) => {
    const [rawCode = '', rawDate = ''] = item.split(':').map((part) => part.trim());
    const code = spelled(codes, rawCode);
    const date = parseCalendarDate(rawDate);
    if (code === undefined || !date) throw new FieldError(`attendu CODE:JJ/MM/AAAA séparés par « | », trouvé « ${item} » (codes : ${codes.join(', ')})`);
    const problem = implausibleEvent(date);
    if (problem) throw new FieldError(`${code} : ${problem}`);
    return { code, date };
  });
}

export function textList(row: Row, column: string): string[] {
  return cell(row, column)
    .split('|')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** 1000000 as French readers write it, 1 000 000 (the same whatever the machine's locale data). */
const figure = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/**
 * A number written as people write it (`12`, `12,5`, `12.5`), from `min` to `max`: no exponent nor
 * hexadecimal that Number() would take, and no figure too large for the hours a PLIE counts (nor for
 * PostgreSQL's integer columns).
 */
export function number(row: Row, column: string, { integer = false, min = 0, max = 1_000_000 } = {}): number {
  const typed = text(row, column);
  const value = /^[+-]?\d+([.,]\d+)?$/.test(typed) ? Number(typed.replace(',', '.')) : NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new FieldError(`nombre${integer ? ' entier' : ''} attendu de ${figure(min)} à ${figure(max)}, trouvé « ${typed} »`);
  }
  return value;
}

export function qualification(row: Row, column: string): QualificationLevel | null {
  const value = cell(row, column);
  if (!value) return null;
  const level = parseQualificationLevel(value);
  if (!level) throw new FieldError(`niveau de qualification inconnu « ${value} » (attendu 1 à 8, ou VI, V bis, V, IV, III, II, I)`);
  return level;
}
