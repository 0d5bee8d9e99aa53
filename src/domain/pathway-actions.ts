/**
 * What staff record on a pathway besides answering a task (docs/product-requirements.md § 2.3): steps,
 * contacts, missed appointments, contracts, trainings, business creations, exit proposals,
 * pauses of the participant's reminders, barriers and the change of referent. Validated the same way from every channel.
 */
import { DATE_BOUNDS, factDateProblem, plausibleDate, z } from './validation.ts';
// The same codes as the import and the reports: a step or contract recorded here counts there.
import { BARRIERS, CONTRACT_TYPES, IAE_STRUCTURES, STEP_TYPES } from './codes.ts';
import { calendarDateField, clockTimeField, parisDate } from './dates.ts';
import { POSITIVE_KINDS } from './exit-types.ts';
import { CONTACT_MODES, type Stage } from './tasks.ts';


/** Today in Paris when the action is read (in a workflow, its own deterministic clock). */
const today = () => parisDate(Date.now());
/** The date of a fact (a step, a contact, a contract's start…): from 1950 to two years ahead (see DATE_BOUNDS). */
const factDate = (label: string) => calendarDateField(label).check(plausibleDate((date, on) => factDateProblem(label, date, on), today));
/** A planned end (a contract's, a training's): up to five years ahead. */
const plannedEnd = (label: string) => calendarDateField(label).check(plausibleDate((date, on) => factDateProblem(label, date, on, DATE_BOUNDS.plannedEndYearsAhead), today));

export const CONTRACT_END_REASONS = ['periode_essai', 'demission', 'licenciement', 'fin_de_contrat', 'rupture_conventionnelle', 'autre'] as const;

const reason = z.string({ error: 'motif : obligatoire' }).trim().min(3, 'motif : obligatoire').max(500, 'motif : 500 caractères au plus');

/** A contract, its start and planned end read by these fields. */
function contractWith(start: ReturnType<typeof calendarDateField>, end: ReturnType<typeof calendarDateField>) {
  return z
    .object({
      type: z.enum(CONTRACT_TYPES, { error: 'type de contrat inconnu' }),
      start,
      end: end.nullable().default(null),
      weeklyHours: z.number({ error: 'heures hebdomadaires : un nombre' }).positive('heures hebdomadaires : plus de 0').max(60, 'heures hebdomadaires : 60 au plus'),
      iae: z.boolean().default(false),
      /** Which kind of SIAE, when it is one; giving it makes the contract an IAE one. */
      iaeStructure: z.enum(IAE_STRUCTURES, { error: `structure d’insertion : ${IAE_STRUCTURES.join(', ')} attendu` }).optional(),
      aided: z.boolean().default(false),
      marketSector: z.boolean().default(true),
      insertionCompany: z.boolean().default(false),
      hoursPaid: z.number().nonnegative().nullable().default(null),
      employer: z.string().trim().max(200).optional(),
      sector: z.string().trim().max(100).optional(),
      /** The decision it comes from (`placement/<id>`): one contract per decision, however many times it is sent. */
      source: z.string().trim().max(100).optional(),
    })
    .refine((c) => c.end === null || c.end >= c.start, { message: 'la fin du contrat précède son début', path: ['end'] })
    .refine((c) => c.type !== 'CDI' || c.end === null, { message: 'un CDI n’a pas de date de fin prévue', path: ['end'] })
    // A contract in an SIAE is an IAE contract, and one in an EI is in an insertion company.
    .transform((c) => (c.iaeStructure ? { ...c, iae: true, insertionCompany: c.insertionCompany || c.iaeStructure === 'EI' } : c));
}

/**
 * A contract as a marché's hire reads it (src/procurement): its dates are judged by the pathway it
 * goes to, on the pathway's own calendar (the action below), not on the clock of the process that
 * read it.
 */
export const contractSchema = contractWith(calendarDateField('début du contrat'), calendarDateField('fin du contrat'));

/** A contract recorded on a pathway: its start a plausible fact, its planned end at most five years ahead. */
const plausibleContractSchema = contractWith(factDate('début du contrat'), plannedEnd('fin du contrat'));

export const pathwayActionSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('stepPlanned'), stepType: z.enum(STEP_TYPES, { error: 'type d’étape inconnu' }), date: factDate('date') }),
    z.object({ type: z.literal('stepDone'), stepType: z.enum(STEP_TYPES, { error: 'type d’étape inconnu' }), date: factDate('date') }),
    z.object({ type: z.literal('contactLogged'), date: factDate('date'), mode: z.enum(CONTACT_MODES, { error: 'mode de contact inconnu' }) }),
    z.object({ type: z.literal('appointmentMissed'), date: factDate('date') }),
    z.object({
      type: z.literal('appointmentScheduled'),
      date: factDate('date du rendez-vous'),
      time: clockTimeField('heure'),
      place: z.string({ error: 'lieu : obligatoire' }).trim().min(2, 'lieu : obligatoire').max(200, 'lieu : 200 caractères au plus'),
      durationMinutes: z.number().int().min(15, 'durée : 15 minutes au moins').max(480, 'durée : 8 heures au plus').default(60),
    }),
    // An appointment already sent, named by its instant (each person has one appointment at a time):
    // moved (a new version of the invitation) or cancelled (the invitation withdrawn).
    z.object({
      type: z.literal('appointmentMoved'),
      from: z.iso.datetime({ offset: true, error: 'rendez-vous : lequel ? (son heure, ISO 8601)' }),
      date: factDate('nouvelle date du rendez-vous'),
      time: clockTimeField('heure'),
      place: z.string({ error: 'lieu : obligatoire' }).trim().min(2, 'lieu : obligatoire').max(200, 'lieu : 200 caractères au plus'),
      durationMinutes: z.number().int().min(15, 'durée : 15 minutes au moins').max(480, 'durée : 8 heures au plus').default(60),
    }),
    z.object({ type: z.literal('appointmentCancelled'), from: z.iso.datetime({ offset: true, error: 'rendez-vous : lequel ? (son heure, ISO 8601)' }) }),
    z.object({ type: z.literal('contractSigned'), contract: plausibleContractSchema }),
    z.object({ type: z.literal('contractEnded'), date: factDate('date de fin'), reason: z.enum(CONTRACT_END_REASONS, { error: 'motif de fin inconnu' }) }),
    z.object({
      type: z.literal('trainingStarted'),
      start: factDate('début de formation'),
      end: plannedEnd('fin de formation').nullable().default(null),
      rncp: z.boolean({ error: 'RNCP : oui ou non' }),
      longTraining: z.boolean().default(false),
    }),
    z.object({ type: z.literal('qualificationObtained'), date: factDate('date d’obtention') }),
    z.object({ type: z.literal('businessCreated'), start: factDate('date de création') }),
    z.object({
      type: z.literal('exitProposed'),
      exitType: z.enum(['ABANDON', 'PARCOURS_LONG', 'ADMINISTRATIVE', 'AUTRE'], {
        error: 'type de sortie : abandon, parcours long, administrative ou autre (une sortie positive se constate par les critères)',
      }),
      reason,
    }),
    // Article 5's « personnes déclarées en emploi, en formation ou en création d'entreprise » without their proofs: positive, flagged.
    z.object({
      type: z.literal('positiveExitDeclared'),
      kind: z.enum(POSITIVE_KINDS, { error: 'situation déclarée : emploi, formation ou création d’entreprise' }),
      cdi: z.boolean().default(false),
      reason,
    }),
    z.object({ type: z.literal('remindersPaused'), until: factDate('jusqu’au'), reason }),
    z.object({ type: z.literal('remindersResumed') }),
    // The coordination entrusts the pathway to another referent (the roster is checked by the channels).
    z.object({
      type: z.literal('referentChanged'),
      referentEmail: z.string({ error: 'référent·e : obligatoire' }).trim().toLowerCase().pipe(z.email({ error: 'référent·e : adresse email invalide' })),
      reason: z.string().trim().max(500, 'motif : 500 caractères au plus').optional(),
    }),
    // Barriers (freins périphériques) found or lifted during the pathway, each with its date.
    z.object({ type: z.literal('barrierRaised'), category: z.enum(BARRIERS, { error: 'frein inconnu' }), date: factDate('date') }),
    z.object({ type: z.literal('barrierLifted'), category: z.enum(BARRIERS, { error: 'frein inconnu' }), date: factDate('date de levée') }),
  ],
  { error: 'action inconnue' },
);

export type PathwayAction = z.output<typeof pathwayActionSchema>;
export type PathwayActionType = PathwayAction['type'];
export type ContractInput = z.output<typeof contractSchema>;

const FACTS_STAGES: readonly Stage[] = ['active', 'followUp', 'exitPending'];
const OPEN_STAGES: readonly Stage[] = ['orientation', 'diagnostic', 'active', 'followUp'];

/** Stages in which each action makes sense; anywhere else it is refused. */
export const ACTION_STAGES: Record<PathwayActionType, readonly Stage[]> = {
  stepPlanned: ['active', 'followUp'],
  stepDone: ['active', 'followUp'],
  contactLogged: FACTS_STAGES,
  appointmentMissed: ['active', 'followUp'],
  appointmentScheduled: OPEN_STAGES,
  appointmentMoved: OPEN_STAGES,
  appointmentCancelled: OPEN_STAGES,
  contractSigned: FACTS_STAGES,
  contractEnded: FACTS_STAGES,
  trainingStarted: FACTS_STAGES,
  qualificationObtained: FACTS_STAGES,
  businessCreated: FACTS_STAGES,
  exitProposed: OPEN_STAGES,
  positiveExitDeclared: ['active', 'followUp'],
  remindersPaused: [...OPEN_STAGES, 'exitPending', 'exited'],
  remindersResumed: [...OPEN_STAGES, 'exitPending', 'exited'],
  referentChanged: ['diagnostic', 'active', 'followUp', 'exitPending'],
  barrierRaised: FACTS_STAGES,
  barrierLifted: FACTS_STAGES,
};

/** Refused: why, and whether the action itself was fine but not at this stage. */
export type ActionCheck = { ok: true; action: PathwayAction } | { ok: false; problems: string[]; wrongStage: boolean };

/** Validates an action and whether it can be taken at this stage (pure; used by the workflow's validator). */
export function checkPathwayAction(raw: unknown, stage: Stage): ActionCheck {
  const parsed = pathwayActionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message), wrongStage: false };
  if (!ACTION_STAGES[parsed.data.type].includes(stage)) {
    return { ok: false, problems: [`impossible à cette étape du parcours (${stage})`], wrongStage: true };
  }
  return { ok: true, action: parsed.data };
}
