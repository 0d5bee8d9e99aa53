/**
 * The clause facilitator's forms of the console: a marché registered, a candidate proposed, a hire.
 * The CLI reads the same fields from JSON; the same schemas validate both.
 */
import { hireInputSchema } from '../procurement/hire.ts';
import { candidateInputSchema, procurementInputSchema } from '../procurement/register.ts';
import { number, text, yesNo, type FormSpec, type Option } from './fields.ts';
import { CONTRACT_TYPE_OPTIONS } from './labels.ts';

export const PROCUREMENT_FORM: FormSpec = {
  title: 'Marché à clause',
  submit: 'Enregistrer le marché',
  intro: 'Les heures d’insertion seront demandées chaque mois au contact de l’entreprise, puis validées par la facilitation des clauses.',
  fields: [
    { id: 'reference', label: 'Référence du marché', kind: 'text', hint: 'Lettres, chiffres, . _ / - (40 au plus).' },
    { id: 'buyer', label: 'Acheteur', kind: 'text' },
    { id: 'title', label: 'Intitulé', kind: 'text' },
    { id: 'lot', label: 'Lot', kind: 'text', optional: true },
    { id: 'company', label: 'Entreprise attributaire', kind: 'text' },
    { id: 'contactName', label: 'Contact dans l’entreprise', kind: 'text' },
    { id: 'contactEmail', label: 'Email du contact', kind: 'text' },
    { id: 'sector', label: 'Secteur', kind: 'select', options: [{ value: 'BTP', label: 'Bâtiment et travaux publics' }, { value: 'AUTRE', label: 'Autre' }] },
    { id: 'clauseHours', label: 'Heures d’insertion prévues', kind: 'number' },
    { id: 'start', label: 'Début du marché', kind: 'date' },
    { id: 'end', label: 'Fin du marché', kind: 'date' },
    { id: 'clauseWording', label: 'Clause, telle que le marché la rédige', kind: 'textarea', optional: true },
  ],
  toValue: (raw) => ({
    reference: text(raw, 'reference'),
    buyer: text(raw, 'buyer'),
    title: text(raw, 'title'),
    lot: text(raw, 'lot'),
    company: text(raw, 'company'),
    contactName: text(raw, 'contactName'),
    contactEmail: text(raw, 'contactEmail'),
    sector: text(raw, 'sector'),
    clauseHours: number(raw, 'clauseHours'),
    start: text(raw, 'start'),
    end: text(raw, 'end'),
    clauseWording: text(raw, 'clauseWording'),
  }),
  schema: procurementInputSchema,
};

const MINIMUM_INCOMES: Option[] = [
  { value: 'RSA', label: 'RSA' },
  { value: 'ASS', label: 'ASS' },
  { value: 'AAH', label: 'AAH' },
  { value: 'AUTRE', label: 'Autre minimum social' },
  { value: 'AUCUN', label: 'Aucun' },
];

export const CANDIDATE_FORM: FormSpec = {
  title: 'Proposer une personne',
  submit: 'Vérifier et proposer',
  intro: 'L’éligibilité aux publics de la clause est vérifiée aussitôt.',
  fields: [
    { id: 'personId', label: 'Identifiant de la personne', kind: 'text', hint: 'Le vôtre, par exemple C0042 : il sert aux heures déclarées.' },
    { id: 'participantId', label: 'Numéro de son dossier PLIE', kind: 'text', optional: true, hint: 'Pour une personne accompagnée par le PLIE : les 8 caractères de son numéro de dossier, par exemple 3F2A9C1B.' },
    { id: 'birthDate', label: 'Date de naissance', kind: 'date' },
    { id: 'jobSeekerMonths', label: 'Mois d’inscription comme demandeur·se d’emploi', kind: 'number', optional: true },
    { id: 'minimumIncome', label: 'Minimum social', kind: 'select', options: MINIMUM_INCOMES, optional: true },
    { id: 'qualificationLevel', label: 'Niveau de qualification (1 à 8)', kind: 'number', optional: true },
    { id: 'rqth', label: 'Reconnaissance travailleur handicapé (RQTH)', kind: 'select', options: yesNo, optional: true },
    { id: 'iaeEmployee', label: 'Salarié·e d’une structure d’insertion (IAE)', kind: 'select', options: yesNo, optional: true },
  ],
  toValue: (raw) => ({
    personId: text(raw, 'personId'),
    participantId: text(raw, 'participantId'),
    birthDate: text(raw, 'birthDate'),
    jobSeekerMonths: number(raw, 'jobSeekerMonths') ?? null,
    minimumIncome: text(raw, 'minimumIncome') ?? null,
    qualificationLevel: number(raw, 'qualificationLevel') ?? null,
    rqth: text(raw, 'rqth') === 'oui',
    iaeEmployee: text(raw, 'iaeEmployee') === 'oui',
  }),
  schema: candidateInputSchema,
};

/** A hire, among the eligible people proposed and not yet hired. */
export function hireForm(candidates: readonly Option[]): FormSpec {
  return {
    title: 'Embauche',
    submit: 'Enregistrer l’embauche',
    intro: 'Pour une personne accompagnée par le PLIE, le contrat entre aussi dans son parcours.',
    fields: [
      // Not « personId »: the proposal's form, on the same page, has that field (ids stay unique).
      { id: 'hired', label: 'Personne embauchée', kind: 'select', options: candidates },
      { id: 'type', label: 'Type de contrat', kind: 'select', options: CONTRACT_TYPE_OPTIONS },
      { id: 'start', label: 'Début du contrat', kind: 'date' },
      { id: 'end', label: 'Fin prévue', kind: 'date', optional: true, hint: 'Vide pour un CDI.' },
      { id: 'weeklyHours', label: 'Heures par semaine', kind: 'number' },
    ],
    toValue: (raw) => ({
      personId: text(raw, 'hired'),
      contract: { type: text(raw, 'type'), start: text(raw, 'start'), end: text(raw, 'end') ?? null, weeklyHours: number(raw, 'weeklyHours') },
    }),
    schema: hireInputSchema,
  };
}
