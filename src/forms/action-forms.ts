/** Forms of the actions staff record on a pathway outside any task (step, contact, contract, training, exit, pause…). */
import { pathwayActionSchema } from '../domain/pathway-actions.ts';
import { number, text, yesNo, type FormSpec, type Option } from './fields.ts';
import { BARRIER_OPTIONS, CONTACT_MODE_OPTIONS, CONTRACT_END_OPTIONS, CONTRACT_TYPE_OPTIONS, DECLARED_SITUATION_OPTIONS, EXIT_TYPE_OPTIONS, IAE_STRUCTURE_OPTIONS, STEP_TYPE_OPTIONS } from './labels.ts';

/** A form of one date for an action that says only when it happened. */
function dateForm(type: 'qualificationObtained' | 'businessCreated', title: string, id: 'date' | 'start', label: string): FormSpec {
  return { title, submit: 'Enregistrer', fields: [{ id, label, kind: 'date' }], toValue: (raw) => ({ type, [id]: text(raw, id) }), schema: pathwayActionSchema };
}

/** A form of a kind chosen in a list and a date: a step planned or done, a barrier raised or lifted. */
function kindAndDateForm(type: 'stepPlanned' | 'stepDone' | 'barrierRaised' | 'barrierLifted', title: string, kind: { id: string; label: string; options: readonly Option[] }, dateLabel: string): FormSpec {
  return {
    title,
    submit: 'Enregistrer',
    fields: [
      { id: kind.id, label: kind.label, kind: 'select', options: kind.options },
      { id: 'date', label: dateLabel, kind: 'date' },
    ],
    toValue: (raw) => ({ type, [kind.id]: text(raw, kind.id), date: text(raw, 'date') }),
    schema: pathwayActionSchema,
  };
}

const STEP_KIND = { id: 'stepType', label: 'Type d’étape', options: STEP_TYPE_OPTIONS };
const BARRIER_KIND = { id: 'category', label: 'Frein', options: BARRIER_OPTIONS };

/** The coordination entrusts the pathway to another referent, chosen among the PLIE's active ones. */
function referentChangeForm(referents: readonly Option[]): FormSpec {
  return {
    title: 'Changer de référent·e',
    submit: 'Confier le dossier',
    intro: 'Les tâches ouvertes du dossier suivent le parcours ; l’ancienne et la nouvelle référente (ou le nouveau référent) sont prévenus.',
    fields: [
      { id: 'referentEmail', label: 'Nouveau ou nouvelle référent·e', kind: 'select', options: referents },
      { id: 'reason', label: 'Motif', kind: 'textarea', optional: true, hint: 'Gardé au journal, jamais envoyé.' },
    ],
    toValue: (raw) => ({ type: 'referentChanged', referentEmail: text(raw, 'referentEmail'), reason: text(raw, 'reason') }),
    schema: pathwayActionSchema,
  };
}


export const ACTION_FORMS = {
  stepPlanned: kindAndDateForm('stepPlanned', 'Étape prévue', STEP_KIND, 'Date prévue'),
  stepDone: kindAndDateForm('stepDone', 'Étape réalisée', STEP_KIND, 'Date de réalisation'),
  contactLogged: {
    title: 'Contact',
    submit: 'Enregistrer',
    fields: [
      { id: 'date', label: 'Date du contact', kind: 'date' },
      { id: 'mode', label: 'Mode de contact', kind: 'select', options: CONTACT_MODE_OPTIONS },
    ],
    toValue: (raw) => ({ type: 'contactLogged', date: text(raw, 'date'), mode: text(raw, 'mode') }),
    schema: pathwayActionSchema,
  },
  appointmentScheduled: {
    title: 'Fixer un rendez-vous',
    submit: 'Envoyer l’invitation',
    intro: 'La personne reçoit l’invitation par email (à ajouter à son agenda), puis un rappel deux jours avant.',
    fields: [
      { id: 'date', label: 'Date', kind: 'date' },
      { id: 'time', label: 'Heure (HH:MM)', kind: 'text' },
      { id: 'place', label: 'Lieu (adresse)', kind: 'text' },
      { id: 'durationMinutes', label: 'Durée en minutes', kind: 'number', optional: true, hint: '60 par défaut.' },
    ],
    toValue: (raw) => ({ type: 'appointmentScheduled', date: text(raw, 'date'), time: text(raw, 'time'), place: text(raw, 'place'), durationMinutes: number(raw, 'durationMinutes') }),
    schema: pathwayActionSchema,
  },
  appointmentMissed: {
    title: 'Rendez-vous manqué',
    submit: 'Enregistrer',
    fields: [{ id: 'date', label: 'Date du rendez-vous', kind: 'date' }],
    toValue: (raw) => ({ type: 'appointmentMissed', date: text(raw, 'date') }),
    schema: pathwayActionSchema,
  },
  contractSigned: {
    title: 'Contrat de travail',
    submit: 'Enregistrer',
    fields: [
      { id: 'type', label: 'Type de contrat', kind: 'select', options: CONTRACT_TYPE_OPTIONS },
      { id: 'start', label: 'Début', kind: 'date' },
      { id: 'end', label: 'Fin prévue', kind: 'date', optional: true, hint: 'Vide pour un CDI.' },
      { id: 'weeklyHours', label: 'Heures par semaine', kind: 'number' },
      { id: 'employer', label: 'Employeur', kind: 'text', optional: true },
      { id: 'sector', label: 'Secteur', kind: 'text', optional: true },
      // The protocol's rules depend on the contract's nature (article 5): always asked.
      { id: 'iaeStructure', label: 'Structure d’insertion (IAE)', kind: 'select', options: IAE_STRUCTURE_OPTIONS },
      { id: 'aided', label: 'Contrat aidé (PEC, CUI…)', kind: 'select', options: yesNo },
      { id: 'marketSector', label: 'Secteur marchand', kind: 'select', options: yesNo, hint: 'Non pour une collectivité, une association, un hôpital…' },
    ],
    toValue: (raw) => {
      const structure = text(raw, 'iaeStructure');
      return {
        type: 'contractSigned',
        contract: {
          type: text(raw, 'type'),
          start: text(raw, 'start'),
          end: text(raw, 'end') ?? null,
          weeklyHours: number(raw, 'weeklyHours'),
          employer: text(raw, 'employer'),
          sector: text(raw, 'sector'),
          ...(structure && structure !== 'AUCUNE' ? { iaeStructure: structure } : {}),
          aided: text(raw, 'aided') === 'oui',
          marketSector: text(raw, 'marketSector') !== 'non',
        },
      };
    },
    schema: pathwayActionSchema,
  },
  contractEnded: {
    title: 'Fin de contrat',
    submit: 'Enregistrer',
    fields: [
      { id: 'date', label: 'Date de fin', kind: 'date' },
      { id: 'reason', label: 'Motif', kind: 'select', options: CONTRACT_END_OPTIONS },
    ],
    toValue: (raw) => ({ type: 'contractEnded', date: text(raw, 'date'), reason: text(raw, 'reason') }),
    schema: pathwayActionSchema,
  },
  trainingStarted: {
    title: 'Formation',
    submit: 'Enregistrer',
    fields: [
      { id: 'start', label: 'Début', kind: 'date' },
      { id: 'end', label: 'Fin prévue', kind: 'date', optional: true },
      { id: 'rncp', label: 'Certifiante (inscrite au RNCP)', kind: 'select', options: yesNo },
      { id: 'longTraining', label: 'Formation longue', kind: 'select', options: yesNo, optional: true, hint: 'Non si rien n’est choisi.' },
    ],
    toValue: (raw) => ({ type: 'trainingStarted', start: text(raw, 'start'), end: text(raw, 'end') ?? null, rncp: text(raw, 'rncp') === 'oui', longTraining: text(raw, 'longTraining') === 'oui' }),
    schema: pathwayActionSchema,
  },
  qualificationObtained: dateForm('qualificationObtained', 'Qualification obtenue', 'date', 'Date d’obtention'),
  businessCreated: dateForm('businessCreated', 'Création d’entreprise', 'start', 'Date de création'),
  remindersPaused: {
    title: 'Suspendre les relances',
    submit: 'Suspendre',
    intro: 'Aucune relance sur ce dossier, ni à la personne ni à l’équipe, jusqu’à la date choisie.',
    fields: [
      { id: 'until', label: 'Jusqu’au', kind: 'date' },
      { id: 'reason', label: 'Motif', kind: 'textarea' },
    ],
    toValue: (raw) => ({ type: 'remindersPaused', until: text(raw, 'until'), reason: text(raw, 'reason') }),
    schema: pathwayActionSchema,
  },
  remindersResumed: {
    title: 'Reprendre les relances',
    submit: 'Reprendre',
    intro: 'Les relances de ce dossier reprennent dès maintenant.',
    fields: [],
    toValue: () => ({ type: 'remindersResumed' }),
    schema: pathwayActionSchema,
  },
  barrierRaised: kindAndDateForm('barrierRaised', 'Frein repéré', BARRIER_KIND, 'Repéré le'),
  barrierLifted: kindAndDateForm('barrierLifted', 'Frein levé', BARRIER_KIND, 'Levé le'),
  referentChanged: referentChangeForm([]),
  exitProposed: {
    title: 'Proposer une sortie',
    submit: 'Proposer',
    intro: 'Une sortie positive se constate d’elle-même par les critères ; proposez ici les autres sorties.',
    fields: [
      { id: 'exitType', label: 'Type de sortie', kind: 'select', options: EXIT_TYPE_OPTIONS },
      { id: 'reason', label: 'Motif', kind: 'textarea' },
    ],
    toValue: (raw) => ({ type: 'exitProposed', exitType: text(raw, 'exitType'), reason: text(raw, 'reason') }),
    schema: pathwayActionSchema,
  },
  positiveExitDeclared: {
    title: 'Sortie positive déclarée',
    submit: 'Proposer',
    intro: 'La personne se dit en emploi, en formation ou en création d’entreprise, sans en transmettre les justificatifs : la sortie compte comme positive, marquée « déclarée sans justificatifs », une fois confirmée par la coordination.',
    fields: [
      { id: 'kind', label: 'Situation déclarée', kind: 'select', options: DECLARED_SITUATION_OPTIONS },
      { id: 'cdi', label: 'En CDI', kind: 'select', options: yesNo, optional: true, hint: 'Pour un emploi ; non si rien n’est choisi.' },
      { id: 'reason', label: 'Ce que la personne a dit, et quand', kind: 'textarea' },
    ],
    toValue: (raw) => ({ type: 'positiveExitDeclared', kind: text(raw, 'kind'), cdi: text(raw, 'cdi') === 'oui', reason: text(raw, 'reason') }),
    schema: pathwayActionSchema,
  },
} satisfies Record<string, FormSpec>;

export type ActionFormName = keyof typeof ACTION_FORMS;

export const ACTION_LABELS: Record<ActionFormName, string> = {
  stepPlanned: 'Prévoir une étape',
  stepDone: 'Étape réalisée',
  contactLogged: 'Noter un contact',
  appointmentScheduled: 'Fixer un rendez-vous',
  appointmentMissed: 'Rendez-vous manqué',
  contractSigned: 'Contrat signé',
  contractEnded: 'Fin de contrat',
  trainingStarted: 'Formation commencée',
  qualificationObtained: 'Qualification obtenue',
  businessCreated: 'Création d’entreprise',
  remindersPaused: 'Suspendre les relances',
  remindersResumed: 'Reprendre les relances',
  barrierRaised: 'Frein repéré',
  barrierLifted: 'Frein levé',
  referentChanged: 'Changer de référent·e',
  exitProposed: 'Proposer une sortie',
  positiveExitDeclared: 'Sortie positive déclarée (sans justificatif)',
};

/** Moving an appointment already sent (named by its instant): the fields of scheduling one, filled in. */
export function appointmentMoveForm(from: string): FormSpec {
  const scheduling = ACTION_FORMS.appointmentScheduled;
  return {
    ...scheduling,
    title: 'Déplacer le rendez-vous',
    submit: 'Déplacer et prévenir',
    intro: 'La personne reçoit la nouvelle invitation, qui remplace l’ancienne dans son agenda ; le rappel suit la nouvelle date.',
    toValue: (raw) => ({ ...(scheduling.toValue(raw) as object), type: 'appointmentMoved', from }),
  };
}

/** Actions only the coordination records (left out of a referent's menu). */
export const COORDINATION_ACTIONS: readonly ActionFormName[] = ['referentChanged'];

/** An action's form, with the choices that depend on the PLIE (its referents). */
export function actionForm(name: ActionFormName, context: { referents: readonly Option[] }): FormSpec {
  return name === 'referentChanged' ? referentChangeForm(context.referents) : ACTION_FORMS[name];
}

export function isActionFormName(name: string): name is ActionFormName {
  return Object.hasOwn(ACTION_FORMS, name);
}
