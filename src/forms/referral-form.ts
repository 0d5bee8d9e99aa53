/** Registering a referral (orientation): the person's identity, then the eligibility pre-check shown before saving. */
import { parisDate } from '../domain/dates.ts';
import { checkEligibility, type EligibilityResult } from '../domain/eligibility.ts';
import { participantInputSchema, type ParticipantInput } from '../domain/participant.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { text, type FormSpec } from './fields.ts';

export const REFERRAL_FORM: FormSpec = {
  title: 'Nouvelle orientation',
  submit: 'Vérifier',
  intro: 'Le pré-contrôle d’éligibilité s’affiche avant l’enregistrement.',
  fields: [
    { id: 'lastName', label: 'Nom', kind: 'text' },
    { id: 'firstName', label: 'Prénom', kind: 'text' },
    { id: 'birthDate', label: 'Date de naissance', kind: 'date' },
    { id: 'commune', label: 'Commune de résidence', kind: 'text', optional: true },
    { id: 'email', label: 'Email', kind: 'text', optional: true, hint: 'Pour la convocation et les rappels.' },
    { id: 'phone', label: 'Téléphone', kind: 'text', optional: true },
  ],
  toValue: (raw) => ({
    lastName: text(raw, 'lastName'),
    firstName: text(raw, 'firstName'),
    birthDate: text(raw, 'birthDate'),
    commune: text(raw, 'commune'),
    email: text(raw, 'email'),
    phone: text(raw, 'phone'),
  }),
  schema: participantInputSchema,
};

export const DECISION_LABELS = { eligible: 'éligible', not_eligible: 'non éligible', to_review: 'à vérifier' } as const;

/**
 * Article 3 on what is known at referral: the situation (minimum income, job seeker status…) is
 * checked at the first interview, so it shows as « to review », never as a refusal.
 */
export function referralPreCheck(config: PlieConfig, input: ParticipantInput, now: Date): EligibilityResult {
  return checkEligibility(config, {
    birthDate: input.birthDate,
    orientationDate: parisDate(now),
    commune: input.commune ?? '',
    minimumIncome: null,
    longTermJobSeeker: false,
    atRiskOfLongTermUnemployment: false,
    followedByMissionLocale: false,
    activeJobSearch: null,
    needsSupport: null,
    ableAndWilling: null,
    selfEmployed: false,
    earlierPathways: [],
    qpv: false,
    singleParent: false,
    discriminationVictim: false,
    veryShortPartTime: false,
    rqthLightRestriction: false,
    qualificationLevel: null,
  });
}
