/** The form of each kind of task, as staff answer it (Slack modal or web page). */
import { parisDate } from '../domain/dates.ts';
import { taskAnswerSchemas, type TaskKind } from '../domain/tasks.ts';
import { factDateProblem, type z } from '../domain/validation.ts';
import { list, number, text, yesNo, type FormSpec, type Option } from './fields.ts';
import { BARRIER_OPTIONS, CONTACT_MODE_OPTIONS, LABOUR_MARKET_OPTIONS, VOTE_OPTIONS } from './labels.ts';

export interface TaskFormContext {
  /** Referents a coordinator may choose from (assign_referent). */
  referents: readonly Option[];
}

const yes = (value: string | undefined) => (value === undefined ? undefined : value === 'oui');

/** The dates each kind of answer carries, by key, with the name the messages give them. */
const ANSWER_DATES: Partial<Record<TaskKind, Record<string, string>>> = {
  diagnostic_decision: { entryDate: 'date d’entrée', availableFrom: 'disponible à partir du' },
  log_contact: { date: 'date du contact' },
  follow_up_check: { date: 'date' },
  confirm_exit: { date: 'date de sortie' },
};

/**
 * What an answer of this kind must say, as the workflow checks it, and dates that are plausible on
 * the app's today in Paris (from 1950 to two years ahead, see DATE_BOUNDS): checked where the answer
 * is typed (forms, API), before it travels to the workflow.
 */
export function taskAnswerSchema(kind: TaskKind): z.ZodType {
  const dates = Object.entries(ANSWER_DATES[kind] ?? {});
  return (taskAnswerSchemas[kind] as z.ZodType).check((ctx) => {
    const answer = ctx.value as Record<string, unknown>;
    const today = parisDate(Date.now());
    for (const [key, label] of dates) {
      const date = answer[key];
      const problem = typeof date === 'string' ? factDateProblem(label, date, today) : undefined;
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: date, path: [key] });
    }
  });
}

export function taskForm(kind: TaskKind, context: TaskFormContext = { referents: [] }): FormSpec {
  const schema = taskAnswerSchema(kind);
  switch (kind) {
    case 'assign_referent':
      return {
        title: 'Désigner un·e référent·e',
        submit: 'Désigner',
        fields: [
          { id: 'referentEmail', label: 'Référent·e de parcours', kind: 'select', options: context.referents },
          {
            id: 'eligibilityJustification',
            label: 'Justification d’éligibilité',
            kind: 'textarea',
            optional: true,
            hint: 'Obligatoire quand le pré-contrôle a relevé un point bloquant.',
          },
        ],
        toValue: (raw) => ({ referentEmail: text(raw, 'referentEmail'), eligibilityJustification: text(raw, 'eligibilityJustification') }),
        schema,
      };
    case 'diagnostic_decision':
      return {
        title: 'Diagnostic',
        submit: 'Enregistrer',
        fields: [
          {
            id: 'decision',
            label: 'Décision',
            kind: 'select',
            options: [
              { value: 'integrate', label: 'Intégrer au PLIE' },
              { value: 'reorient', label: 'Réorienter' },
            ],
          },
          { id: 'entryDate', label: 'Date d’entrée', kind: 'date', optional: true, hint: 'Si la personne intègre le PLIE.' },
          { id: 'barriers', label: 'Freins repérés', kind: 'multiselect', options: BARRIER_OPTIONS, optional: true },
          { id: 'project', label: 'Projet professionnel', kind: 'text', optional: true },
          { id: 'availability', label: 'Disponibilités', kind: 'text', optional: true },
          { id: 'sectorWishes', label: 'Secteurs ou métiers souhaités', kind: 'text', optional: true, hint: 'Séparés par des virgules : les offres d’emploi leur sont rapprochées.' },
          { id: 'availableFrom', label: 'Disponible à partir du', kind: 'date', optional: true },
          { id: 'maxWeeklyHours', label: 'Heures par semaine au plus', kind: 'number', optional: true },
          { id: 'reason', label: 'Motif de réorientation', kind: 'textarea', optional: true, hint: 'Si la personne est réorientée.' },
        ],
        toValue: (raw) =>
          text(raw, 'decision') === 'reorient'
            ? { decision: 'reorient', reason: text(raw, 'reason') }
            : {
                decision: text(raw, 'decision'),
                entryDate: text(raw, 'entryDate'),
                barriers: list(raw, 'barriers'),
                project: text(raw, 'project'),
                availability: text(raw, 'availability'),
                sectorWishes: text(raw, 'sectorWishes')
                  ?.split(',')
                  .map((w) => w.trim())
                  .filter(Boolean),
                availableFrom: text(raw, 'availableFrom'),
                maxWeeklyHours: number(raw, 'maxWeeklyHours'),
              },
        schema,
      };
    case 'log_contact':
      return {
        title: 'Contact',
        submit: 'Enregistrer',
        fields: [
          { id: 'date', label: 'Date du contact', kind: 'date' },
          { id: 'mode', label: 'Mode de contact', kind: 'select', options: CONTACT_MODE_OPTIONS },
        ],
        toValue: (raw) => ({ date: text(raw, 'date'), mode: text(raw, 'mode') }),
        schema,
      };
    case 'follow_up_check':
      return {
        title: 'Suivi du mois',
        submit: 'Enregistrer',
        fields: [
          { id: 'inPost', label: 'La personne est-elle toujours en poste ?', kind: 'select', options: yesNo },
          { id: 'hours', label: 'Heures travaillées ce mois-ci', kind: 'number', optional: true },
        ],
        toValue: (raw) => ({ inPost: yes(text(raw, 'inPost')), hours: number(raw, 'hours') }),
        schema,
      };
    case 'proof_request':
      return {
        title: 'Justificatif',
        submit: 'Justificatif reçu',
        intro: 'Vous avez reçu le justificatif (par exemple en main propre) : enregistrez sa réception.',
        fields: [{ id: 'fileReference', label: 'Référence du document', kind: 'text', optional: true }],
        toValue: (raw) => ({ received: true, fileReference: text(raw, 'fileReference') }),
        schema,
      };
    case 'confirm_exit':
      return {
        title: 'Sortie du parcours',
        submit: 'Enregistrer',
        fields: [
          { id: 'confirm', label: 'Confirmer la sortie ?', kind: 'select', options: yesNo },
          { id: 'date', label: 'Date de sortie', kind: 'date', optional: true, hint: 'Laissez vide pour la date prévue.' },
          { id: 'reason', label: 'Motif du refus', kind: 'textarea', optional: true },
        ],
        toValue: (raw) =>
          text(raw, 'confirm') === 'non'
            ? { confirm: false, reason: text(raw, 'reason') }
            : { confirm: yes(text(raw, 'confirm')), date: text(raw, 'date') },
        schema,
      };
    case 'parcours_long':
      return continueOrExitForm('Parcours long', 'exit', 'Sortie (parcours long)', 'Motif de poursuite');
    case 'rupture_review':
      return continueOrExitForm('Absences répétées', 'propose_exit', 'Proposer une sortie', 'Motif de la rupture');
    case 'commission_vote':
      return {
        title: 'Vote de la commission',
        submit: 'Voter',
        fields: [
          { id: 'vote', label: 'Votre vote', kind: 'select', options: VOTE_OPTIONS },
          { id: 'comment', label: 'Commentaire', kind: 'textarea', optional: true },
        ],
        toValue: (raw) => ({ vote: text(raw, 'vote'), comment: text(raw, 'comment') }),
        schema,
      };
    case 'fse_questionnaire':
      return {
        title: 'Situation à 6 mois',
        submit: 'Enregistrer',
        fields: [{ id: 'labourMarketStatus', label: 'Situation actuelle', kind: 'select', options: LABOUR_MARKET_OPTIONS }],
        toValue: (raw) => ({ labourMarketStatus: text(raw, 'labourMarketStatus') }),
        schema,
      };
  }
}

/** Continue the pathway, or go towards an exit: the two decisions of a long or broken pathway. */
function continueOrExitForm(title: string, exitValue: string, exitLabel: string, reasonLabel: string): FormSpec {
  return {
    title,
    submit: 'Enregistrer',
    fields: [
      {
        id: 'decision',
        label: 'Suite du parcours',
        kind: 'select',
        options: [
          { value: 'continue', label: 'Poursuivre l’accompagnement' },
          { value: exitValue, label: exitLabel },
        ],
      },
      { id: 'reason', label: reasonLabel, kind: 'textarea', optional: true },
    ],
    toValue: (raw) => ({ decision: text(raw, 'decision'), reason: text(raw, 'reason') }),
    schema: taskAnswerSchema(exitValue === 'exit' ? 'parcours_long' : 'rupture_review'),
  };
}
