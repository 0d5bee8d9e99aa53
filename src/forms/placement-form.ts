/** The referent's form on a « mise en relation » (Slack modal and web page): the decision, why, and the contract of a hire. */
import { CONTRACT_TYPES } from '../domain/codes.ts';
import { calendarDateField } from '../domain/dates.ts';
import { PLACEMENT_DECISION_LABELS, PLACEMENT_DECISIONS, placementDecisionsFrom, type PlacementStatus } from '../domain/placements.ts';
import { z } from '../domain/validation.ts';
import { number, text, type FormSpec } from './fields.ts';
import { CONTRACT_TYPE_OPTIONS } from './labels.ts';

export const placementAnswerSchema = z
  .object({
    decision: z.enum(PLACEMENT_DECISIONS, { error: 'décision : choisissez une option' }),
    reason: z.string().trim().max(500, 'précision : 500 caractères au plus').optional(),
    contract: z
      .object({
        type: z.enum(CONTRACT_TYPES, { error: 'type de contrat : choisissez une option' }),
        start: calendarDateField('début du contrat'),
        end: calendarDateField('fin prévue').nullable().default(null),
        weeklyHours: z.number({ error: 'heures par semaine : un nombre' }).positive('heures par semaine : plus de 0').max(60, 'heures par semaine : 60 au plus'),
      })
      .optional(),
  })
  .refine((a) => a.decision !== 'hired' || a.contract !== undefined, { message: 'Pour une embauche, précisez le contrat (type, début, heures).', path: ['type'] })
  .refine((a) => (a.decision !== 'decline' && a.decision !== 'not_retained') || (a.reason?.length ?? 0) >= 3, { message: 'Dites en quelques mots pourquoi.', path: ['reason'] });

export type PlacementAnswer = z.output<typeof placementAnswerSchema>;

export function placementForm(status: PlacementStatus): FormSpec {
  const decisions = placementDecisionsFrom(status);
  const hire = decisions.includes('hired');
  return {
    title: status === 'A_PROPOSER' ? 'Proposer l’offre ?' : 'Suite de la mise en relation',
    submit: 'Enregistrer',
    fields: [
      { id: 'decision', label: 'Votre décision', kind: 'select', options: decisions.map((d) => ({ value: d, label: PLACEMENT_DECISION_LABELS[d] })) },
      { id: 'reason', label: 'Pourquoi (si l’offre n’est pas proposée ou la personne pas retenue)', kind: 'textarea', optional: true },
      ...(hire
        ? ([
            { id: 'type', label: 'Contrat : type (embauche)', kind: 'select', options: CONTRACT_TYPE_OPTIONS, optional: true },
            { id: 'start', label: 'Contrat : début', kind: 'date', optional: true },
            { id: 'end', label: 'Contrat : fin prévue', kind: 'date', optional: true, hint: 'Vide pour un CDI.' },
            { id: 'weeklyHours', label: 'Contrat : heures par semaine', kind: 'number', optional: true },
          ] as const)
        : []),
    ],
    toValue: (raw) => {
      const decision = text(raw, 'decision');
      return {
        decision,
        reason: text(raw, 'reason'),
        ...(decision === 'hired' ? { contract: { type: text(raw, 'type'), start: text(raw, 'start'), end: text(raw, 'end') ?? null, weeklyHours: number(raw, 'weeklyHours') } } : {}),
      };
    },
    schema: placementAnswerSchema,
  };
}
