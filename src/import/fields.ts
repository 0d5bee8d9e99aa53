/**
 * Reading the cells of a PLIE's CSV exports: French dates, oui/non, codes, lists separated by |.
 * Each reader returns a value or throws a FieldError whose message is for the person who fixes
 * the file.
 */
import { parseCalendarDate, type CalendarDate } from '../domain/dates.ts';
import { parseQualificationLevel, type QualificationLevel } from '../domain/qualification.ts';
import { z } from '../domain/validation.ts';

export class FieldError extends Error {}

export type Row = Record<string, string | undefined>;

function cell(row: Row, column: string): string {
  return (row[column] ?? '').trim();
}

export function text(row: Row, column: string): string {
  const value = cell(row, column);
  if (!value) throw new FieldError('valeur obligatoire manquante');
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
  if (unknown.length > 0) throw new FieldError(`code(s) inconnu(s) : ${unknown.join(', ')} (attendu : ${codes.join(', ')})`);
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
    return { code, date };
  });
}

export function textList(row: Row, column: string): string[] {
  return cell(row, column)
    .split('|')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function number(row: Row, column: string, { integer = false, min = 0 } = {}): number {
  const raw = text(row, column).replace(',', '.');
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    throw new FieldError(`nombre${integer ? ' entier' : ''} attendu (${min} ou plus), trouvé « ${cell(row, column)} »`);
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
