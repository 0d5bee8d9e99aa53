/** A collective action's form (the console; the CLI reads the same fields from JSON), validated by the actions' schema. */
import { collectiveActionSchema } from '../collective/actions.ts';
import { COLLECTIVE_KIND_LABELS, COLLECTIVE_KINDS } from '../domain/collective-actions.ts';
import { number, text, type FormSpec, type Option } from './fields.ts';

/** `organisers`: the PLIE's staff who may run an action (the organiser answers its attendance). */
export function collectiveActionForm(organisers: readonly Option[]): FormSpec {
  return {
    title: 'Action collective',
    submit: 'Enregistrer l’action',
    intro: 'Les invitations partent ensuite de la page de l’action, avec l’évènement à ajouter à l’agenda ; un rappel la veille.',
    fields: [
      { id: 'kind', label: 'Type', kind: 'select', options: COLLECTIVE_KINDS.map((k) => ({ value: k, label: COLLECTIVE_KIND_LABELS[k] })) },
      { id: 'title', label: 'Intitulé', kind: 'text' },
      { id: 'company', label: 'Entreprise', kind: 'text', optional: true },
      { id: 'date', label: 'Date', kind: 'date' },
      { id: 'time', label: 'Heure (HH:MM)', kind: 'text' },
      { id: 'durationMinutes', label: 'Durée en minutes', kind: 'number', optional: true, hint: '120 par défaut.' },
      { id: 'place', label: 'Lieu (adresse)', kind: 'text' },
      { id: 'organizerEmail', label: 'Qui organise', kind: 'select', options: organisers, hint: 'Cette personne saisit la présence après l’action.' },
    ],
    toValue: (raw) => ({
      kind: text(raw, 'kind'),
      title: text(raw, 'title'),
      company: text(raw, 'company'),
      date: text(raw, 'date'),
      time: text(raw, 'time'),
      durationMinutes: number(raw, 'durationMinutes'),
      place: text(raw, 'place'),
      organizerEmail: text(raw, 'organizerEmail'),
    }),
    schema: collectiveActionSchema,
  };
}
