/** A job offer's form (the console; the CLI reads the same fields from JSON), validated by the offers' schema. */
import { offerInputSchema } from '../offers/offers.ts';
import { number, text, yesNo, type FormSpec } from './fields.ts';
import { CONTRACT_TYPE_OPTIONS } from './labels.ts';

export const OFFER_FORM: FormSpec = {
  title: 'Nouvelle offre d’emploi',
  submit: 'Enregistrer l’offre',
  intro: 'Les référent·es des personnes en parcours dont les souhaits correspondent au secteur sont sollicité·es aussitôt.',
  fields: [
    { id: 'company', label: 'Entreprise', kind: 'text' },
    { id: 'jobTitle', label: 'Intitulé du poste', kind: 'text' },
    { id: 'sector', label: 'Secteur', kind: 'text', hint: 'Comparé aux souhaits de secteur des personnes, par exemple « Propreté ».' },
    { id: 'contractType', label: 'Type de contrat', kind: 'select', options: CONTRACT_TYPE_OPTIONS },
    { id: 'weeklyHours', label: 'Heures par semaine', kind: 'number', optional: true },
    { id: 'place', label: 'Lieu de travail', kind: 'text', optional: true },
    { id: 'startDate', label: 'Date de début', kind: 'date', optional: true },
    { id: 'clause', label: 'Au titre d’une clause d’insertion', kind: 'select', options: yesNo, optional: true, hint: 'Non si rien n’est choisi.' },
  ],
  toValue: (raw) => ({
    company: text(raw, 'company'),
    jobTitle: text(raw, 'jobTitle'),
    sector: text(raw, 'sector'),
    contractType: text(raw, 'contractType'),
    weeklyHours: number(raw, 'weeklyHours'),
    place: text(raw, 'place'),
    startDate: text(raw, 'startDate'),
    clause: text(raw, 'clause') === 'oui',
  }),
  schema: offerInputSchema,
};
