import { z } from './validation.ts';
import { calendarDateField } from './dates.ts';

const name = (label: string) =>
  z
    .string({ error: `${label} : obligatoire` })
    .trim()
    .min(1, `${label} : obligatoire`)
    .max(100, `${label} : 100 caractères au plus`);

const optionalText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, `${label} : ${max} caractères au plus`).optional(),
  );

/** What staff type to create a participant (CLI, HTTP); validated the same way everywhere. */
export const participantInputSchema = z.object({
  firstName: name('prénom'),
  lastName: name('nom'),
  birthDate: calendarDateField('date de naissance'),
  email: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.email({ error: 'email : adresse invalide' }).optional(),
  ),
  phone: optionalText('téléphone', 30),
  commune: optionalText('commune', 100),
});

export type ParticipantInput = z.output<typeof participantInputSchema>;

/** Same person, same key: case, accents, hyphens and extra spaces do not make a new person. */
export function identityKey(input: Pick<ParticipantInput, 'firstName' | 'lastName' | 'birthDate'>): string {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return `${fold(input.lastName)}|${fold(input.firstName)}|${input.birthDate}`;
}

/** Initials only: what a staff message may say about a person. */
export function initials(firstName: string, lastName: string): string {
  const first = (s: string) => s.trim().charAt(0).toUpperCase();
  return `${first(firstName)}. ${first(lastName)}.`;
}

/** Short file reference shown to staff instead of a name. */
export function fileReference(participantId: string): string {
  return participantId.slice(0, 8).toUpperCase();
}

/** Flattens zod issues into French sentences for people. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}
