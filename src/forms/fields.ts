/**
 * Forms described once and rendered twice: as Slack modals and as web pages behind email links.
 * A form turns the raw values people typed into the object the workflow expects; the workflow's
 * own schema then validates it, and its messages are placed next to the field they concern.
 */
import { hasLineBreaks, hasUntypableCharacters, lineBreakMessage, untypableMessage, type z } from '../domain/validation.ts';

export interface Option {
  value: string;
  label: string;
}

export interface Field {
  id: string;
  label: string;
  kind: 'date' | 'select' | 'multiselect' | 'text' | 'textarea' | 'number';
  options?: readonly Option[];
  optional?: boolean;
  hint?: string;
  /** Special-category or intimate data: never asked, shown or read through Slack (web, CLI and API only). */
  sensitive?: boolean;
}

/** What a person typed: one string per field, several for multiple choices; absent when empty. */
export type RawValues = Record<string, string | string[] | undefined>;

export interface FormSpec {
  /** At most 24 characters (Slack's modal title limit). */
  title: string;
  submit: string;
  intro?: string;
  fields: Field[];
  toValue: (raw: RawValues) => unknown;
  schema: z.ZodType;
}

export type FormResult = { ok: true; value: unknown } | { ok: false; errors: Record<string, string> };

/** Reads and validates a submitted form; errors are keyed by field id (French messages). */
export function readForm(form: FormSpec, raw: RawValues): FormResult {
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    const value = raw[field.id];
    // What no one types, said next to the field by its label (the schema would name it by its key).
    const typed = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (typed.some(hasUntypableCharacters)) {
      errors[field.id] = untypableMessage(field.label);
      continue;
    }
    if (field.kind !== 'textarea' && typed.some((v) => hasLineBreaks(v.trim()))) {
      errors[field.id] = lineBreakMessage(field.label);
      continue;
    }
    const empty = value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
    if (empty && !field.optional) errors[field.id] = `${field.label} : ${field.kind === 'select' ? 'choisissez une option' : 'obligatoire'}`;
    if (!empty && field.kind === 'number' && typeof value === 'string' && !Number.isFinite(Number(value.replace(',', '.')))) {
      errors[field.id] = `${field.label} : un nombre est attendu`;
    }
    if (!empty && field.options && field.kind !== 'text') {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => !field.options!.some((o) => o.value === v))) errors[field.id] = `${field.label} : choix inconnu`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = form.schema.safeParse(form.toValue(raw));
  if (parsed.success) return { ok: true, value: parsed.data };
  const ids = form.fields.map((f) => f.id);
  for (const issue of parsed.error.issues) {
    // The deepest path segment that names a field (contract.type → type), else the first field.
    const id = [...issue.path].reverse().find((p): p is string => typeof p === 'string' && ids.includes(p)) ?? ids[0]!;
    errors[id] ??= issue.message;
  }
  return { ok: false, errors };
}

export const text = (raw: RawValues, id: string): string | undefined => {
  const value = raw[id];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

export const list = (raw: RawValues, id: string): string[] => {
  const value = raw[id];
  return Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
};

export const number = (raw: RawValues, id: string): number | undefined => {
  const value = text(raw, id);
  return value === undefined ? undefined : Number(value.replace(',', '.'));
};

export const yesNo: readonly Option[] = [
  { value: 'oui', label: 'Oui' },
  { value: 'non', label: 'Non' },
];
