/**
 * zod, as every schema of the project uses it (`import { z } from './validation.ts'`): French
 * messages, and strings that never carry what no person types. Here too, the plausibility rules of
 * the dates people type, for the schemas that know their clock (the domain's dates module parses;
 * these rules only compare `YYYY-MM-DD` strings).
 */
import { z as zod } from 'zod';

/**
 * Whether what people type (control characters, implausible dates) is judged: everywhere but in
 * the workflows' bundle, which turns it off when it loads (workflows/index.ts). Input reaches a
 * workflow only through a boundary that judged it (src/participants/pathway-action.ts, the API,
 * the forms), and a history recorded before these checks must replay as it ran: an action accepted
 * then is not refused on replay because a rule came since (a nondeterminism error).
 */
let judging = true;
const judged = () => judging;

/** For the workflows' bundle only (see above). */
export function stopJudgingTypedInput(): void {
  judging = false;
}

// Every message zod writes for people is French, including its generic ones (wrong type…).
zod.config(zod.locales.fr());

/**
 * What no one types, in any field: C0 control characters (NUL first: PostgreSQL refuses it, and a
 * refusal from the database is no answer for the person who typed), DEL, C1 control characters, and
 * lone UTF-16 surrogates (half a character, mangled on the way to the database). Tab, line feed and
 * carriage return stay allowed: multi-line texts carry them (a browser sends CR LF).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNTYPABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDFFF]/u;
/** Line breaks and tabs: fine in a multi-line text, not in a one-line field (a name, a date). */
const LINE_BREAK = /[\t\n\r]/;

export function hasUntypableCharacters(text: string): boolean {
  return UNTYPABLE.test(text);
}

export function hasLineBreaks(text: string): boolean {
  return LINE_BREAK.test(text);
}

export const untypableMessage = (label: string) => `${label} : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller`;

export const lineBreakMessage = (label: string) => `${label} : tient sur une seule ligne (ni retour à la ligne ni tabulation)`;

/** A check for a one-line text (a name, a phone number): no line break nor tab inside. */
export function oneLine(label: string) {
  return (ctx: zod.core.ParsePayload<unknown>) => {
    if (typeof ctx.value === 'string' && hasLineBreaks(ctx.value)) ctx.issues.push({ code: 'custom', message: lineBreakMessage(label), input: ctx.value });
  };
}

/**
 * The French name of the fields an API caller may send, for the messages that must name the field
 * the schema does not name itself; any other field is named by its key.
 */
const FIELD_LABELS: Record<string, string> = {
  firstName: 'prénom',
  lastName: 'nom',
  birthDate: 'date de naissance',
  email: 'email',
  phone: 'téléphone',
  commune: 'commune',
  postalCode: 'code postal',
  prescriberContact: 'contact du prescripteur',
  orientationDate: 'date d’orientation',
  date: 'date',
  start: 'date de début',
  end: 'date de fin',
  until: 'jusqu’au',
  time: 'heure',
  from: 'rendez-vous',
  place: 'lieu',
  reason: 'motif',
  employer: 'employeur',
  sector: 'secteur',
  source: 'source',
  referentEmail: 'référent·e',
  eligibilityJustification: 'justification d’éligibilité',
  entryDate: 'date d’entrée',
  availableFrom: 'disponible à partir du',
  barriers: 'freins',
  project: 'projet',
  availability: 'disponibilités',
  sectorWishes: 'secteurs souhaités',
  fileReference: 'référence du document',
  comment: 'commentaire',
  title: 'intitulé',
  company: 'entreprise',
  description: 'description',
  name: 'nom',
  actor: 'actor',
  taskId: 'taskId',
};

/** The field an issue is about, for people: its French name, else its key, else « texte ». */
function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string');
  if (key === undefined) return 'texte';
  return FIELD_LABELS[key] ?? `champ « ${key.slice(0, 40)} »`;
}

/**
 * zod's string, refusing what no one types: every schema, hence every boundary (API, console,
 * Slack, email links, configuration), refuses it with a message naming the field, before anything
 * reaches the database or a workflow. `abort`: the field's other checks would only add noise.
 */
function string(params?: string | zod.core.$ZodStringParams): zod.ZodString {
  return zod.string(params).refine((text) => !judged() || !UNTYPABLE.test(text), { abort: true, error: (issue) => untypableMessage(fieldLabel(issue.path)) });
}

/** zod, its `string` the one above (a module namespace cannot be changed: this is a copy of it). */
export const z: Omit<typeof zod, 'string'> & { readonly string: typeof string } = Object.freeze({ ...zod, string });

/** zod's types, as `z.output<typeof schema>`… (add the ones a schema needs). */
// eslint-disable-next-line @typescript-eslint/no-namespace -- types only, merged with the value above
export declare namespace z {
  export type output<T> = zod.output<T>;
  export type input<T> = zod.input<T>;
  export type infer<T> = zod.infer<T>;
  export type ZodType<Output = unknown, Input = unknown> = zod.ZodType<Output, Input>;
  export type ZodError<T = unknown> = zod.ZodError<T>;
  export type ZodIssue = zod.ZodIssue;
  export type ZodString = zod.ZodString;
  export type ZodObject<Shape extends zod.ZodRawShape = zod.ZodRawShape> = zod.ZodObject<Shape>;
  export type ZodRawShape = zod.ZodRawShape;
  export type ZodSafeParseResult<T> = zod.ZodSafeParseResult<T>;
}

// --- Plausible dates ---

/**
 * How far dates people type may go. A fact of a pathway (a step, a contact, a contract's start, an
 * exit, a pause…) is dated from 1950 (no pathway, nor the history imported from the PLIE's earlier
 * software, goes back further) to two years ahead (the longest anything is planned); a planned end
 * (a contract's, a training's) up to five years ahead: a contract starting up to two years ahead
 * may last three (apprenticeship, CDD à objet défini, a long training). A birth date gives an age of
 * 16 (the age of leaving compulsory schooling, the youngest a PLIE may follow) to 100 years.
 * « Today » is the caller's: the app's today in Paris, as it computes it where the date is read.
 */
export const DATE_BOUNDS = { oldestFact: '1950-01-01', factYearsAhead: 2, plannedEndYearsAhead: 5, minAge: 16, maxAge: 100 } as const;

/** The same calendar day `years` later (29 February stays a valid bound to compare with). */
const yearsLater = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
const french = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** Why a pathway's date (`YYYY-MM-DD`) is not plausible today, or undefined. */
export function factDateProblem(label: string, date: string, today: string, yearsAhead: number = DATE_BOUNDS.factYearsAhead): string | undefined {
  if (date < DATE_BOUNDS.oldestFact) return `${label} : le ${french(date)} est trop ancien (pas avant le ${french(DATE_BOUNDS.oldestFact)}) ; vérifiez l’année`;
  const latest = yearsLater(today, yearsAhead);
  if (date > latest) return `${label} : le ${french(date)} est trop loin dans l’avenir (${yearsAhead} ans au plus, soit le ${french(latest)}) ; vérifiez l’année`;
  return undefined;
}

/** Whole years from `birthDate` to `day`. */
const ageOn = (birthDate: string, day: string) => Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (day.slice(5) < birthDate.slice(5) ? 1 : 0);

/** Why a birth date (`YYYY-MM-DD`) is not plausible today, or undefined. */
export function birthDateProblem(label: string, date: string, today: string): string | undefined {
  if (date > today) return `${label} : elle ne peut pas être dans le futur (${french(date)})`;
  const age = ageOn(date, today);
  if (age < DATE_BOUNDS.minAge) return `${label} : la personne aurait ${age} an${age > 1 ? 's' : ''} ; vérifiez la date (${DATE_BOUNDS.minAge} ans au moins)`;
  if (age > DATE_BOUNDS.maxAge) return `${label} : la personne aurait ${age} ans ; vérifiez l’année (${DATE_BOUNDS.maxAge} ans au plus)`;
  return undefined;
}

/** A check for a parsed date field: `problem` says why the date is refused today, or undefined. */
export function plausibleDate(problem: (date: string, today: string) => string | undefined, today: () => string) {
  return (ctx: zod.core.ParsePayload<string>) => {
    if (!judged()) return;
    const message = problem(ctx.value, today());
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  };
}
