/** What an audit event of a participant's file says, in French, for the file's timeline. */
import { isTaskKind, STAGE_LABELS, TASK_TITLES, type Stage } from '../../domain/tasks.ts';
import type { PathwayFact } from '../../domain/pathway/commands.ts';

/** The facts noted on a pathway (audited as `pathway.<kind>`), as done. */
const FACTS: Record<PathwayFact['kind'], string> = {
  step: 'Étape notée',
  contact: 'Contact noté',
  absence: 'Rendez-vous manqué',
  appointment: 'Rendez-vous fixé',
  appointmentMoved: 'Rendez-vous déplacé',
  appointmentCancelled: 'Rendez-vous annulé',
  contract: 'Contrat signé',
  contractEnded: 'Fin de contrat',
  training: 'Formation notée',
  business: 'Création d’entreprise notée',
  remindersPaused: 'Relances suspendues',
  remindersResumed: 'Relances reprises',
  referentChanged: 'Changement de référent·e',
  barrierRaised: 'Frein repéré',
  barrierLifted: 'Frein levé',
};

const FIXED: Record<string, string> = {
  'participant.create': 'Orientation enregistrée',
  'participant.read': 'Dossier consulté',
  'participant.rectify': 'Informations rectifiées',
  'participant.eligibility': 'Éligibilité examinée',
  'pathway.exit': 'Sortie enregistrée',
  'pathway.reentry': 'Nouveau parcours après une sortie',
  'pathway.action': 'Action sur le parcours',
  'task.answer': 'Tâche traitée',
  // Closed by the pathway itself: a proof no longer needed at the exit, a vote after its deadline.
  'task.expired': 'Tâche close sans réponse (plus nécessaire)',
  'task.cancelled': 'Tâche annulée',
  'history.import': 'Reprise de l’historique',
  'api.on_behalf': 'Action par l’API du PLIE',
};

/** The messages a participant's file lists, by template. */
const MESSAGES: Record<string, string> = {
  convocation: 'Convocation au premier entretien',
  rendez_vous: 'Rendez-vous',
  'rendez_vous.rappel': 'Rappel de rendez-vous',
  'rendez_vous.deplace': 'Rendez-vous déplacé',
  'rendez_vous.annulation': 'Rendez-vous annulé',
  suivi_mensuel: 'Suivi du mois',
  entree: 'Bienvenue dans le PLIE',
  proof_request: 'Demande de justificatif',
  'proof_request.relance': 'Relance du justificatif',
  fse_questionnaire: 'Questionnaire de sortie',
  'fse_questionnaire.relance': 'Relance du questionnaire',
  'task.opened': 'Nouvelle tâche',
  'task.reminder': 'Rappel de tâche',
  'task.escalation': 'Tâche en retard signalée',
  'task.received': 'Justificatif reçu',
  'prescriber.exit': 'Sortie annoncée au prescripteur',
  'prescriber.reorientation': 'Réorientation annoncée au prescripteur',
  'marche.heures.request': 'Heures du mois demandées à l’entreprise',
  'marche.heures.chase': 'Relance de l’entreprise pour ses heures',
  'marche.heures.correction': 'Correction des heures demandée à l’entreprise',
  'marche.validate': 'Heures à valider (facilitation)',
  'marche.chase': 'Entreprise à relancer (facilitation)',
  'marche.pace': 'Alerte sur le rythme des heures (facilitation)',
  'marche.bilan': 'Bilan du marché',
};

const NOTICES: Record<string, string> = { opened: 'Tâche signalée', reminder: 'Rappel de tâche', escalation: 'Retard signalé à la coordination', received: 'Justificatif reçu signalé' };

export const messageLabel = (template: string) => MESSAGES[template] ?? template;

const DELIVERY: Record<string, string> = { sent: 'envoyé', pending: 'en attente', failed: 'échec', refused: 'adresse refusée', no_address: 'sans adresse' };
export const deliveryLabel = (status: string) => DELIVERY[status] ?? status;

export function timelineLabel(action: string, details: unknown): string {
  const d = (details ?? {}) as { stage?: string; kind?: string };
  if (action === 'pathway.stage' && d.stage && Object.hasOwn(STAGE_LABELS, d.stage)) return `Étape : ${STAGE_LABELS[d.stage as Stage]}`;
  if (action === 'task.open' && d.kind && isTaskKind(d.kind)) return `Tâche ouverte : ${TASK_TITLES[d.kind]}`;
  const fact = action.startsWith('pathway.') ? action.slice('pathway.'.length) : '';
  if (Object.hasOwn(FACTS, fact)) return FACTS[fact as PathwayFact['kind']];
  if (action.startsWith('participant.email.')) return `Email à la personne : ${messageLabel(action.slice('participant.email.'.length))}`;
  if (action.startsWith('task.notice.')) return NOTICES[action.slice('task.notice.'.length)] ?? action;
  return FIXED[action] ?? action;
}
