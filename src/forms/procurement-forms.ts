/** The forms of a procurement's (marché) monthly hours: the company's declaration, and the facilitator's review (by email link or Slack). */
import { monthLabel } from '../domain/procurement.ts';
import { hoursInputSchema } from '../procurement/hours.ts';
import { z } from '../domain/validation.ts';
import { number, text, type FormSpec } from './fields.ts';

/** Field ids stay simple whatever the person's identifier holds. */
const fieldOf = (index: number) => `heures_${index + 1}`;

export function hoursDeclarationForm(month: string, persons: string[]): FormSpec {
  return {
    title: `Heures de ${monthLabel(month)}`,
    submit: 'Envoyer les heures',
    intro: `Indiquez les heures travaillées en ${monthLabel(month)} par chaque personne embauchée au titre de la clause (0 si elle n’a pas travaillé ce mois-là).`,
    fields: persons.map((person, i) => ({ id: fieldOf(i), label: `Salarié·e ${person}`, kind: 'number', hint: 'Heures travaillées dans le mois, par exemple 151,67' })),
    toValue: (raw) => ({ month, hours: Object.fromEntries(persons.map((person, i) => [person, number(raw, fieldOf(i))])) }),
    schema: hoursInputSchema,
  };
}

export const REVIEW_OPTIONS = [
  { value: 'validate', label: 'Valider ces heures' },
  { value: 'correct', label: 'Demander une correction à l’entreprise' },
] as const;

export const reviewSchema = z
  .object({
    decision: z.enum(['validate', 'correct'], { error: 'décision : choisissez une option' }),
    comment: z.string().trim().max(500, 'précision : 500 caractères au plus').optional(),
  })
  .refine((r) => r.decision === 'validate' || (r.comment?.length ?? 0) >= 3, { message: 'Dites à l’entreprise ce qui est à corriger.', path: ['comment'] });

export function hoursReviewForm(month: string): FormSpec {
  return {
    title: `Heures de ${monthLabel(month)}`,
    submit: 'Enregistrer',
    fields: [
      { id: 'decision', label: 'Votre décision', kind: 'select', options: REVIEW_OPTIONS },
      { id: 'comment', label: 'Ce qui est à corriger (envoyé à l’entreprise)', kind: 'textarea', optional: true },
    ],
    toValue: (raw) => ({ decision: text(raw, 'decision'), comment: text(raw, 'comment') }),
    schema: reviewSchema,
  };
}

/** The facilitator's chaser: nothing to fill in, one button. */
export function chaseForm(month: string): FormSpec {
  return {
    title: `Heures de ${monthLabel(month)}`,
    submit: 'Relancer l’entreprise',
    fields: [],
    toValue: () => ({}),
    schema: z.object({}),
  };
}

/** Asking the company for a correction, from Slack: what to correct. */
export function correctionForm(month: string): FormSpec {
  return {
    title: 'Demander une correction',
    submit: 'Envoyer',
    intro: `Votre message est envoyé à l’entreprise avec le formulaire des heures de ${monthLabel(month)}.`,
    fields: [{ id: 'comment', label: 'Ce qui est à corriger', kind: 'textarea' }],
    toValue: (raw) => ({ comment: text(raw, 'comment') }),
    schema: z.object({ comment: z.string({ error: 'Dites à l’entreprise ce qui est à corriger.' }).min(3, 'Dites à l’entreprise ce qui est à corriger.').max(500, '500 caractères au plus') }),
  };
}
