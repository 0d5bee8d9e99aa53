import { z } from './validation.ts';
import { calendarDateField } from './dates.ts';

/** Where a pathway stands (étape du parcours). */
export const STAGES = ['orientation', 'diagnostic', 'active', 'followUp', 'exitPending', 'exited', 'reoriented'] as const;
export type Stage = (typeof STAGES)[number];

/** The stages a pathway ends in: no one follows it any more. */
export const CLOSED_STAGES: readonly Stage[] = ['exited', 'reoriented'];

export const STAGE_LABELS: Record<Stage, string> = {
  orientation: 'Orientation',
  diagnostic: 'Diagnostic',
  active: 'Parcours actif',
  followUp: 'Suivi en emploi',
  exitPending: 'Sortie en cours de validation',
  exited: 'Sorti',
  reoriented: 'Réorienté (non intégré)',
};

/** Human tasks the workflows wait for. */
export const TASK_KINDS = [
  'assign_referent',
  'diagnostic_decision',
  'log_contact',
  'follow_up_check',
  'proof_request',
  'confirm_exit',
  'parcours_long',
  'rupture_review',
  'commission_vote',
  'fse_questionnaire',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_TITLES: Record<TaskKind, string> = {
  assign_referent: 'Désigner le ou la référent·e de parcours',
  diagnostic_decision: 'Décider de l’intégration après le diagnostic',
  log_contact: 'Reprendre contact avec la personne accompagnée',
  follow_up_check: 'Confirmer la situation du mois (suivi en emploi)',
  proof_request: 'Transmettre un justificatif',
  confirm_exit: 'Confirmer la sortie du parcours',
  parcours_long: 'Parcours de 24 mois : décider de la suite',
  rupture_review: 'Absences répétées : faire le point',
  commission_vote: 'Voter en commission ad hoc',
  fse_questionnaire: 'Répondre au questionnaire FSE+ (6 mois après la sortie)',
};

/** Who a task is given to: a named person, or a role resolved from the pathway. */
export type AssigneeRole = 'coordinator' | 'referent' | 'participant' | 'commission_member';

/** Delays of one kind of task, in days from its opening. */
export interface TaskPolicy {
  role: AssigneeRole;
  /** Due date; the first reminder goes on that day. */
  dueDays: number;
  /** Days between two reminders. */
  reminderEveryDays: number;
  /** Reminders sent at most (chasing stops there). */
  maxReminders: number;
  /** Whom to alert when the task is still unanswered, and when. */
  escalateTo: AssigneeRole | null;
  escalateAfterDays: number;
  /** The task lapses (closed, unanswered) after this many days; null: it waits. */
  expireAfterDays: number | null;
}

/** Who answers, and delays before the reminder and the escalation to the coordinator. */
export interface TaskTimings {
  /** Due date, and first reminder to the assignee, this many days after the task opened. */
  reminderAfterDays: number;
  /** Escalation to the coordinator this many days after the task opened. */
  escalateAfterDays: number;
}

export const DEFAULT_TASK_TIMINGS: TaskTimings = { reminderAfterDays: 7, escalateAfterDays: 15 };

/** The delays a PLIE configured for its reminders. */
export function taskTimings(config: { reminders: { taskReminderDays: number; taskEscalationDays: number } }): TaskTimings {
  return { reminderAfterDays: config.reminders.taskReminderDays, escalateAfterDays: config.reminders.taskEscalationDays };
}

/**
 * The protocol's default policy for every kind of task: staff tasks are reminded once when due
 * and escalated to the coordination; participants' requests are chased a few times, then the
 * referent is told.
 */
export function taskPolicies(timings: TaskTimings, commissionVoteDays: number): Record<TaskKind, TaskPolicy> {
  const staff = (role: AssigneeRole): TaskPolicy => ({
    role,
    dueDays: timings.reminderAfterDays,
    reminderEveryDays: timings.reminderAfterDays,
    maxReminders: 1,
    escalateTo: 'coordinator',
    escalateAfterDays: timings.escalateAfterDays,
    expireAfterDays: null,
  });
  return {
    assign_referent: staff('coordinator'),
    diagnostic_decision: staff('referent'),
    log_contact: staff('referent'),
    follow_up_check: staff('referent'),
    confirm_exit: staff('referent'),
    parcours_long: staff('referent'),
    rupture_review: staff('referent'),
    proof_request: {
      role: 'participant',
      dueDays: 7,
      reminderEveryDays: 7,
      maxReminders: 3,
      escalateTo: 'referent',
      escalateAfterDays: 28,
      expireAfterDays: null,
    },
    // Members are reminded two days before the vote closes; the deadline closes the vote.
    commission_vote: {
      role: 'commission_member',
      dueDays: commissionVoteDays,
      reminderEveryDays: Math.max(1, commissionVoteDays - 2),
      maxReminders: commissionVoteDays > 2 ? 1 : 0,
      escalateTo: null,
      escalateAfterDays: commissionVoteDays,
      expireAfterDays: commissionVoteDays,
    },
    fse_questionnaire: {
      role: 'participant',
      dueDays: 14,
      reminderEveryDays: 7,
      maxReminders: 2,
      escalateTo: 'referent',
      escalateAfterDays: 21,
      expireAfterDays: 60,
    },
  };
}

const reason = (label: string) =>
  z
    .string({ error: `${label} : obligatoire` })
    .trim()
    .min(3, `${label} : obligatoire`)
    .max(500, `${label} : 500 caractères au plus`);

const hours = z
  .number({ error: 'heures : un nombre est attendu' })
  .min(0, 'heures : pas de nombre négatif')
  .max(744, 'heures : au plus 744 dans un mois');

export const PROOF_KINDS = ['contrat', 'bulletins_salaire', 'attestation_formation', 'immatriculation'] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

export const CONTACT_MODES = ['entretien', 'telephone', 'email', 'atelier', 'visite'] as const;

export const LABOUR_MARKET_STATUSES = ['EMPLOI', 'CREATION', 'FORMATION', 'RECHERCHE_EMPLOI', 'INACTIF'] as const;

export const taskAnswerSchemas = {
  assign_referent: z.object(
    {
      referentEmail: z.email({ error: 'référent·e : adresse email invalide' }),
      /** Required when the eligibility check found a blocking reason: the override is recorded. */
      eligibilityJustification: reason('justification d’éligibilité').optional(),
    },
    { error: 'réponse : un objet { referentEmail } est attendu' },
  ),
  diagnostic_decision: z.discriminatedUnion(
    'decision',
    [
      z.object({
        decision: z.literal('integrate'),
        entryDate: calendarDateField('date d’entrée'),
        barriers: z.array(z.string().trim().min(1).max(40)).max(20, 'freins : 20 au plus').default([]),
        /** The professional project and availability agreed at the diagnostic (free text, kept with the answer). */
        project: z.string().trim().max(500, 'projet : 500 caractères au plus').optional(),
        availability: z.string().trim().max(200, 'disponibilités : 200 caractères au plus').optional(),
        /** Validated at the diagnostic: what job offers are matched on. */
        sectorWishes: z.array(z.string().trim().min(2, 'secteur souhaité : 2 caractères au moins').max(100)).max(10, 'secteurs souhaités : 10 au plus').optional(),
        availableFrom: calendarDateField('disponible à partir du').optional(),
        maxWeeklyHours: z.number({ error: 'heures par semaine : un nombre' }).positive('heures par semaine : plus de 0').max(60, 'heures par semaine : 60 au plus').optional(),
      }),
      z.object({ decision: z.literal('reorient'), reason: reason('motif de réorientation') }),
    ],
    { error: 'décision : attendu « integrate » (intégrer) ou « reorient » (réorienter)' },
  ),
  log_contact: z.object(
    { date: calendarDateField('date du contact'), mode: z.enum(CONTACT_MODES, { error: 'mode de contact inconnu' }) },
    { error: 'réponse : un objet { date, mode } est attendu' },
  ),
  follow_up_check: z.object(
    { inPost: z.boolean({ error: 'en poste : oui ou non' }), hours: hours.optional(), date: calendarDateField('date').optional() },
    { error: 'réponse : un objet { inPost, hours } est attendu' },
  ),
  proof_request: z.object(
    { received: z.literal(true, { error: 'justificatif : seule la réception se déclare' }), fileReference: z.string().max(200).optional() },
    { error: 'réponse : un objet { received: true } est attendu' },
  ),
  confirm_exit: z.discriminatedUnion(
    'confirm',
    [
      z.object({ confirm: z.literal(true), date: calendarDateField('date de sortie').optional() }),
      z.object({ confirm: z.literal(false), reason: reason('motif du refus') }),
    ],
    { error: 'confirmation : attendu « confirm » vrai ou faux' },
  ),
  parcours_long: z.discriminatedUnion(
    'decision',
    [z.object({ decision: z.literal('exit') }), z.object({ decision: z.literal('continue'), reason: reason('motif de poursuite') })],
    { error: 'décision : attendu « exit » (sortie parcours long) ou « continue »' },
  ),
  rupture_review: z.discriminatedUnion(
    'decision',
    [
      z.object({ decision: z.literal('continue') }),
      z.object({ decision: z.literal('propose_exit'), reason: reason('motif de la rupture') }),
    ],
    { error: 'décision : attendu « continue » ou « propose_exit »' },
  ),
  commission_vote: z.object(
    {
      vote: z.enum(['pour', 'contre', 'abstention'], { error: 'vote : pour, contre ou abstention' }),
      comment: z.string().trim().max(500, 'commentaire : 500 caractères au plus').optional(),
    },
    { error: 'réponse : un objet { vote } est attendu' },
  ),
  fse_questionnaire: z.object(
    { labourMarketStatus: z.enum(LABOUR_MARKET_STATUSES, { error: 'situation : emploi, création, formation, recherche d’emploi ou inactivité' }) },
    { error: 'réponse : un objet { labourMarketStatus } est attendu' },
  ),
} satisfies Record<TaskKind, z.ZodType>;

export type TaskAnswer<K extends TaskKind> = z.output<(typeof taskAnswerSchemas)[K]>;
export type AnyTaskAnswer = { [K in TaskKind]: TaskAnswer<K> }[TaskKind];

export type AnswerCheck<K extends TaskKind> =
  | { ok: true; answer: TaskAnswer<K> }
  | { ok: false; problems: string[] };

/** Checks an answer against what this kind of task expects (pure; used by the workflow's validator). */
export function checkTaskAnswer<K extends TaskKind>(kind: K, answer: unknown): AnswerCheck<K> {
  const parsed = taskAnswerSchemas[kind].safeParse(answer);
  if (parsed.success) return { ok: true, answer: parsed.data as TaskAnswer<K> };
  return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
}

export function isTaskKind(value: string): value is TaskKind {
  return (TASK_KINDS as readonly string[]).includes(value);
}
