/** Registering a referral (orientation): the person's identity, then the eligibility pre-check shown before saving. */
import { parisDate } from '../domain/dates.ts';
import { checkEligibility, situationFacts, type EligibilityResult } from '../domain/eligibility.ts';
import { participantInputSchema, rectificationSchema, type ParticipantInput } from '../domain/participant.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { birthDateProblem, oneLine, plausibleDate } from '../domain/validation.ts';
import { text, yesNo, type Field, type FormSpec } from './fields.ts';
import { MINIMUM_INCOME_OPTIONS, PRESCRIBER_OPTIONS, QUALIFICATION_OPTIONS, SEX_OPTIONS } from './labels.ts';

/**
 * A birth date giving an age of 16 to 100 today (a typo's year, 2080 or 1890, is refused before
 * anything is recorded), judged on the app's today in Paris when the referral is read.
 */
const plausibleBirthDate = participantInputSchema.shape.birthDate.check(
  plausibleDate((date, today) => birthDateProblem('date de naissance', date, today), () => parisDate(Date.now())),
);

/** One-line facts (names, a phone number): no line break nor tab inside, whatever the channel. */
const { shape } = participantInputSchema;
const oneLineFacts = {
  firstName: shape.firstName.check(oneLine('prénom')),
  lastName: shape.lastName.check(oneLine('nom')),
  phone: shape.phone.check(oneLine('téléphone')),
  commune: shape.commune.check(oneLine('commune')),
  prescriberContact: shape.prescriberContact.check(oneLine('contact du prescripteur')),
};

/** A referral as every channel reads it (Slack, the console, the API, the CLI): the participant's facts, one line each, a plausible birth date. */
export const referralSchema = participantInputSchema.extend({ ...oneLineFacts, birthDate: plausibleBirthDate });

/** A rectification: any fact of the referral, each optional; one line each, and a birth date given must be plausible too. */
export const rectificationInputSchema = rectificationSchema.extend({
  firstName: oneLineFacts.firstName.optional(),
  lastName: oneLineFacts.lastName.optional(),
  phone: oneLineFacts.phone,
  commune: oneLineFacts.commune,
  prescriberContact: oneLineFacts.prescriberContact,
  birthDate: plausibleBirthDate.optional(),
});

const yesNoField = (id: string, label: string, hint?: string): Field => ({ id, label, kind: 'select', options: yesNo, optional: true, ...(hint ? { hint } : {}) });

const REFERRAL_FIELDS: Field[] = [
  { id: 'lastName', label: 'Nom', kind: 'text' },
  { id: 'firstName', label: 'Prénom', kind: 'text' },
  { id: 'birthDate', label: 'Date de naissance', kind: 'date' },
  { id: 'sex', label: 'Sexe', kind: 'select', options: SEX_OPTIONS, optional: true },
  { id: 'commune', label: 'Commune de résidence', kind: 'text', optional: true },
  { id: 'postalCode', label: 'Code postal', kind: 'text', optional: true },
  { id: 'email', label: 'Email', kind: 'text', optional: true, hint: 'Pour la convocation et les rappels.' },
  { id: 'phone', label: 'Téléphone', kind: 'text', optional: true },
  { id: 'orientationDate', label: 'Date d’orientation', kind: 'date', optional: true, hint: 'Aujourd’hui si vide.' },
  { id: 'prescriber', label: 'Prescripteur', kind: 'select', options: PRESCRIBER_OPTIONS, optional: true },
  { id: 'prescriberContact', label: 'Contact chez le prescripteur', kind: 'text', optional: true, hint: 'Qui a orienté : il ou elle sera informé·e de la sortie.' },
  { id: 'minimumIncome', label: 'Minimum social', kind: 'select', options: MINIMUM_INCOME_OPTIONS, optional: true },
  yesNoField('longTermJobSeeker', 'Demandeur·se d’emploi de longue durée'),
  yesNoField('exclusionRisk', 'À risque d’exclusion (chômage de longue durée à prévenir)'),
  yesNoField('activeJobSearch', 'En recherche active d’emploi'),
  yesNoField('selfEmployed', 'Travailleur·se indépendant·e'),
  yesNoField('needsSupport', 'A besoin d’un accompagnement', 'Pour lever des freins à l’emploi ; sinon vu au premier entretien.'),
  yesNoField('ableAndWilling', 'Apte et volontaire pour un parcours', 'Sinon confirmé au premier entretien.'),
  { id: 'qualificationLevel', label: 'Niveau de qualification', kind: 'select', options: QUALIFICATION_OPTIONS, optional: true },
  yesNoField('qpv', 'Habite un quartier prioritaire (QPV)'),
  yesNoField('rqth', 'Reconnaissance travailleur handicapé (RQTH)'),
  yesNoField('singleParent', 'Famille monoparentale'),
  // The priorities of article 3 that are intimate: asked on the web, the CLI and the API, never in Slack.
  { ...yesNoField('rqthLightRestriction', 'RQTH avec restriction légère', 'Public prioritaire de l’article 3.'), sensitive: true },
  { ...yesNoField('discriminationVictim', 'Victime de discrimination', 'Déclaré par la personne, avec son accord ; public prioritaire.'), sensitive: true },
  yesNoField('veryShortPartTime', 'Travaille à temps partiel très réduit', 'Disponible toutefois pour les rendez-vous et actions collectives.'),
];

export const REFERRAL_FORM: FormSpec = {
  title: 'Nouvelle orientation',
  submit: 'Vérifier',
  intro: 'Le pré-contrôle d’éligibilité s’affiche avant l’enregistrement. Ce qui n’est pas encore connu peut rester vide : il sera vérifié au premier entretien.',
  fields: REFERRAL_FIELDS,
  // Every field is read as typed (text, date, code, « oui »/« non »): the schema reads them all.
  toValue: (raw) => Object.fromEntries(REFERRAL_FIELDS.map((f) => [f.id, text(raw, f.id)])),
  schema: referralSchema,
};

/**
 * Correcting a record (rectification): the referral's facts, each optional; only those filled in
 * change, the others stay as recorded.
 */
export const RECTIFICATION_FORM: FormSpec = {
  title: 'Corriger la fiche',
  submit: 'Corriger',
  intro: 'Seuls les champs remplis changent ; l’éligibilité est réévaluée et l’ancienne évaluation reste dans l’historique.',
  fields: REFERRAL_FIELDS.map((f) => ({ ...f, optional: true })),
  toValue: (raw) =>
    Object.fromEntries(
      REFERRAL_FIELDS.flatMap((f): Array<[string, string]> => {
        const value = text(raw, f.id);
        return value === undefined ? [] : [[f.id, value]];
      }),
    ),
  schema: rectificationInputSchema,
};

export const DECISION_LABELS = { eligible: 'éligible', not_eligible: 'non éligible', to_review: 'à vérifier' } as const;

/**
 * Article 3 on what the referral says: what it leaves out (often the situation, checked at the
 * first interview) shows as « to review », never as a refusal.
 */
export function referralPreCheck(config: PlieConfig, input: ParticipantInput, now: Date): EligibilityResult {
  return checkEligibility(config, situationFacts(input, input.orientationDate ?? parisDate(now), []));
}
