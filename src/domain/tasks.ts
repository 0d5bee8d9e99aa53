import { z } from './validation.ts';
import { calendarDateField } from './dates.ts';

/** Where a pathway stands (étape du parcours). Later stages come with the full pathway. */
export const STAGES = ['orientation', 'diagnostic', 'active', 'exited'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  orientation: 'Orientation',
  diagnostic: 'Diagnostic',
  active: 'Parcours actif',
  exited: 'Sorti',
};

/** Human tasks the workflow waits for. */
export const TASK_KINDS = ['assign_referent', 'diagnostic_decision'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_TITLES: Record<TaskKind, string> = {
  assign_referent: 'Désigner le ou la référent·e de parcours',
  diagnostic_decision: 'Décider de l’intégration après le diagnostic',
};

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

export const taskAnswerSchemas = {
  assign_referent: z.object(
    { referentEmail: z.email({ error: 'référent·e : adresse email invalide' }) },
    { error: 'réponse : un objet { referentEmail } est attendu' },
  ),
  diagnostic_decision: z.discriminatedUnion(
    'decision',
    [
      z.object({ decision: z.literal('integrate'), entryDate: calendarDateField('date d’entrée') }),
      z.object({
        decision: z.literal('reorient'),
        reason: z
          .string({ error: 'motif de réorientation : obligatoire' })
          .trim()
          .min(3, 'motif de réorientation : obligatoire')
          .max(500, 'motif : 500 caractères au plus'),
      }),
    ],
    { error: 'décision : attendu « integrate » (intégrer) ou « reorient » (réorienter)' },
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
