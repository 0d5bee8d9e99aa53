import { z } from './validation.ts';
import { calendarDateField } from './dates.ts';
import { MINIMUM_INCOMES, PRESCRIBERS } from './codes.ts';
import { parseQualificationLevel } from './qualification.ts';

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

const blankToUndefined = (v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);

/** Yes or no, as JSON (true/false) or as typed (« oui »/« non »); absent means not known yet. */
const yesNo = (label: string) =>
  z.preprocess(
    (v) => {
      const known = blankToUndefined(v);
      if (typeof known !== 'string') return known;
      const folded = known.trim().toLowerCase();
      return folded === 'oui' ? true : folded === 'non' ? false : known;
    },
    z.boolean({ error: `${label} : oui ou non` }).optional(),
  );

/** One of the records' codes (those of the import), whatever the case it is typed in. */
const code = <const T extends readonly [string, ...string[]]>(label: string, codes: T) =>
  z.preprocess(
    (v) => {
      const known = blankToUndefined(v);
      return typeof known === 'string' ? known.trim().toUpperCase() : known;
    },
    z.enum(codes, { error: `${label} : ${codes.join(', ')} attendu` }).optional(),
  );

/**
 * The person's situation at referral (article 3), with the import's names and codes. Every key is
 * optional: what is not known yet stays unknown, and makes the eligibility « to review », never
 * « not eligible ».
 */
export const situationShape = {
  /** F or M as the import; the simulator's H is read as M. */
  sex: z.preprocess(
    (v) => {
      const known = blankToUndefined(v);
      if (typeof known !== 'string') return known;
      const folded = known.trim().toUpperCase();
      return folded === 'H' ? 'M' : folded;
    },
    z.enum(['F', 'M'], { error: 'sexe : F ou M attendu' }).optional(),
  ),
  postalCode: z.preprocess(blankToUndefined, z.string().trim().regex(/^\d{5}$/, 'code postal : 5 chiffres attendus').optional()),
  /** 1 to 8 (2019 nomenclature) or VI … I (1969), as the import reads it. */
  qualificationLevel: z.preprocess(
    (v) => {
      const known = blankToUndefined(v);
      return typeof known === 'string' || typeof known === 'number' ? (parseQualificationLevel(String(known)) ?? 0) : known;
    },
    z.number().int().min(1, 'niveau de qualification : 1 à 8, ou VI à I').max(8, 'niveau de qualification : 1 à 8, ou VI à I').optional(),
  ),
  minimumIncome: code('minima sociaux', MINIMUM_INCOMES),
  longTermJobSeeker: yesNo('demandeur·se d’emploi de longue durée'),
  /** Article 3: a job seeker at risk of exclusion in time (prevention of long-term unemployment). */
  exclusionRisk: yesNo('risque d’exclusion'),
  activeJobSearch: yesNo('recherche active d’emploi'),
  selfEmployed: yesNo('travailleur·se indépendant·e'),
  /** Article 3's last two conditions, usually confirmed at the first interview; a prescriber may state them. */
  needsSupport: yesNo('besoin d’accompagnement'),
  ableAndWilling: yesNo('apte et volontaire'),
  qpv: yesNo('QPV'),
  rqth: yesNo('RQTH'),
  singleParent: yesNo('famille monoparentale'),
  /** Article 3's priorities (« une attention particulière »), as the person states them. */
  rqthLightRestriction: yesNo('RQTH avec restriction légère'),
  discriminationVictim: yesNo('victime de discrimination'),
  veryShortPartTime: yesNo('temps partiel très réduit'),
  prescriber: code('prescripteur', PRESCRIBERS),
  prescriberContact: optionalText('contact du prescripteur', 200),
  /** JJ/MM/AAAA; today when absent. */
  orientationDate: z.preprocess(blankToUndefined, calendarDateField('date d’orientation').optional()),
};

/** What staff type to create a participant (Slack, CLI, HTTP); validated the same way everywhere. */
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
  ...situationShape,
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

/** Any fact of the referral, each optional (a rectification); a name or a birth date cannot be emptied. */
export const rectificationSchema = participantInputSchema.partial();
