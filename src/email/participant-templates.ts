/**
 * Emails to participants: plain French, no jargon, nothing sensitive (no situation, no barrier,
 * no benefit named), and a way to reach their referent.
 */
import type { RenderedEmail } from './templates.ts';
import { render } from './templates.ts';

export const PARTICIPANT_TEMPLATES = [
  'convocation',
  'rendez_vous',
  'rendez_vous.rappel',
  'rendez_vous.deplace',
  'rendez_vous.annulation',
  'suivi_mensuel',
  'entree',
  'proof_request',
  'proof_request.relance',
  'fse_questionnaire',
  'fse_questionnaire.relance',
] as const;
export type ParticipantTemplate = (typeof PARTICIPANT_TEMPLATES)[number];

export function isParticipantTemplate(value: string): value is ParticipantTemplate {
  return (PARTICIPANT_TEMPLATES as readonly string[]).includes(value);
}

export interface AppointmentWords {
  /** « mardi 8 décembre 2026 à 14h00 » */
  when: string;
  place: string;
  first: boolean;
}

/** What each proof request asks for, in the person's words (article 5: the contract and six months of pay slips…). */
const PROOF_WORDS: Record<string, string> = {
  contrat: 'votre contrat de travail',
  bulletins_salaire: 'vos bulletins de salaire de vos six premiers mois dans cet emploi (un seul envoi peut les réunir)',
  attestation_formation: 'votre attestation d’entrée en formation',
  immatriculation: 'l’extrait K-bis ou l’avis d’immatriculation de votre entreprise',
};

export function participantEmail(
  template: ParticipantTemplate,
  args: { firstName: string; link: string; appointment?: AppointmentWords; proofKind?: string | null },
): RenderedEmail {
  const hello = `Bonjour ${args.firstName},`;
  const appointment = args.appointment ?? { when: '', place: '', first: false };
  switch (template) {
    case 'convocation':
      return render('Bienvenue au PLIE : votre premier rendez-vous', [
        hello,
        'Vous avez été orienté·e vers le PLIE, qui accompagne les personnes dans leur retour à l’emploi.',
        'Votre référent·e de parcours va vous proposer un premier entretien : vous recevrez l’invitation par email. Vous pouvez aussi répondre à ce message pour convenir d’une date.',
      ]);
    case 'rendez_vous':
      return render(appointment.first ? 'Votre premier rendez-vous au PLIE' : 'Votre prochain rendez-vous au PLIE', [
        hello,
        appointment.first
          ? `Votre référent·e vous attend pour un premier entretien le ${appointment.when}, à l’adresse suivante : ${appointment.place}.`
          : `Votre prochain rendez-vous avec votre référent·e est fixé le ${appointment.when}, à l’adresse suivante : ${appointment.place}.`,
        'Vous pouvez l’ajouter à votre agenda avec l’invitation jointe.',
        'Un empêchement ? Répondez simplement à ce message pour prévenir votre référent·e et convenir d’une autre date.',
      ]);
    case 'rendez_vous.rappel':
      return render('Rappel : votre rendez-vous au PLIE dans deux jours', [
        hello,
        `Nous vous rappelons votre rendez-vous le ${appointment.when}, à l’adresse suivante : ${appointment.place}.`,
        'Un empêchement ? Répondez à ce message, votre référent·e vous proposera une autre date.',
      ]);
    case 'rendez_vous.deplace':
      return render('Votre rendez-vous au PLIE est modifié', [
        hello,
        `Votre rendez-vous avec votre référent·e est modifié : il aura lieu le ${appointment.when}, à l’adresse suivante : ${appointment.place}.`,
        'L’invitation jointe remplace la précédente dans votre agenda.',
        'Ce rendez-vous ne vous convient pas ? Répondez simplement à ce message.',
      ]);
    case 'rendez_vous.annulation':
      return render('Votre rendez-vous au PLIE est annulé', [
        hello,
        `Votre rendez-vous du ${appointment.when} est annulé. Votre référent·e vous recontactera.`,
        'Une question ? Répondez simplement à ce message.',
      ]);
    case 'suivi_mensuel':
      return render('Comment se passe votre emploi ?', [
        hello,
        'Vous avez repris un emploi : bravo ! Le PLIE continue de vous accompagner pendant vos six premiers mois.',
        'Comment cela se passe-t-il ce mois-ci ? Répondez simplement à ce message : votre référent·e le lira et reviendra vers vous si besoin.',
      ]);
    case 'entree':
      return render('Bienvenue dans votre parcours PLIE', [
        hello,
        'Votre parcours au PLIE commence. Votre référent·e vous accompagnera à chaque étape, jusqu’à l’emploi et pendant les six premiers mois dans votre poste.',
        'Cet accompagnement est cofinancé par le Fonds social européen (FSE+). Vos informations servent uniquement à votre suivi et aux bilans anonymes du programme. Vous pouvez y accéder, les faire corriger ou demander leur effacement en répondant à ce message.',
      ]);
    case 'proof_request':
      return render('Un document à nous transmettre', [
        hello,
        `Pour compléter votre dossier, merci de nous transmettre ${PROOF_WORDS[args.proofKind ?? ''] ?? 'le justificatif demandé (par exemple votre contrat ou vos bulletins de salaire)'}.`,
        `Vous pouvez le déposer ici, en toute sécurité : ${args.link}`,
        'Une question ? Répondez simplement à ce message.',
      ]);
    case 'proof_request.relance':
      return render('Rappel : un document à nous transmettre', [
        hello,
        `Nous n’avons pas encore reçu ${PROOF_WORDS[args.proofKind ?? ''] ?? 'le justificatif demandé'}. Si vous l’avez déjà envoyé, merci et ne tenez pas compte de ce message.`,
        `Pour le déposer : ${args.link}`,
      ]);
    case 'fse_questionnaire':
      return render('Où en êtes-vous ? Un questionnaire de deux minutes', [
        hello,
        'Il y a six mois, vous terminiez votre parcours au PLIE. Pour que le programme s’améliore, pourriez-vous nous dire où vous en êtes aujourd’hui ?',
        `Le questionnaire : ${args.link}`,
        'Vos réponses restent confidentielles.',
      ]);
    case 'fse_questionnaire.relance':
      return render('Rappel : votre avis compte', [
        hello,
        'Vous n’avez pas encore répondu à notre court questionnaire. Deux minutes suffisent.',
        `Le questionnaire : ${args.link}`,
      ]);
  }
}
