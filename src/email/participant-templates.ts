/**
 * Emails to participants: plain French, no jargon, nothing sensitive (no situation, no barrier,
 * no benefit named), and a way to reach their referent.
 */
import type { RenderedEmail } from './templates.ts';
import { render } from './templates.ts';

export const PARTICIPANT_TEMPLATES = [
  'convocation',
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

export function participantEmail(template: ParticipantTemplate, args: { firstName: string; link: string }): RenderedEmail {
  const hello = `Bonjour ${args.firstName},`;
  switch (template) {
    case 'convocation':
      return render('Votre premier rendez-vous au PLIE', [
        hello,
        'Vous avez été orienté·e vers le PLIE, qui accompagne les personnes dans leur retour à l’emploi.',
        'Votre référent·e de parcours va vous proposer un premier entretien. Vous pouvez aussi répondre à ce message pour convenir d’une date.',
        `Vos rendez-vous : ${args.link}`,
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
        'Pour compléter votre dossier, merci de nous transmettre le justificatif demandé (par exemple votre contrat ou vos bulletins de salaire).',
        `Vous pouvez le déposer ici, en toute sécurité : ${args.link}`,
        'Une question ? Répondez simplement à ce message.',
      ]);
    case 'proof_request.relance':
      return render('Rappel : un document à nous transmettre', [
        hello,
        'Nous n’avons pas encore reçu le justificatif demandé. Si vous l’avez déjà envoyé, merci et ne tenez pas compte de ce message.',
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
