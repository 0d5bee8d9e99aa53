/** Emails of collective actions: the participant's invitation and reminder, the organiser's prompt for attendance. */
import { COLLECTIVE_KIND_WITH_ARTICLE, type CollectiveKind } from '../domain/collective-actions.ts';
import type { CalendarDate } from '../domain/dates.ts';
import { linkValidity, render, type RenderedEmail } from './templates.ts';

export interface CollectiveWords {
  kind: CollectiveKind;
  title: string;
  company: string | null;
  /** « mardi 8 décembre 2026 à 14h00 » */
  when: string;
  place: string;
}

/** « l’atelier découverte des métiers « … » avec … » */
const what = (a: CollectiveWords) => `${COLLECTIVE_KIND_WITH_ARTICLE[a.kind]} « ${a.title} »${a.company ? ` avec ${a.company}` : ''}`;

/** « à l’atelier… », « à la visite… », « au job dating… » */
const toWhat = (a: CollectiveWords) => {
  const phrase = what(a);
  return phrase.startsWith('le ') ? `au ${phrase.slice(3)}` : `à ${phrase}`;
};

export function collectiveParticipantEmail(kind: 'invitation' | 'rappel', firstName: string, a: CollectiveWords): RenderedEmail {
  const hello = `Bonjour ${firstName},`;
  if (kind === 'rappel') {
    return render(`Rappel : ${a.title}, dans deux jours`, [hello, `Nous vous attendons le ${a.when} pour ${what(a)}, à l’adresse suivante : ${a.place}.`, 'Un empêchement ? Répondez simplement à ce message pour prévenir votre référent·e.']);
  }
  return render(`Invitation : ${a.title}`, [
    hello,
    `Votre référent·e vous invite ${toWhat(a)}, le ${a.when}, à l’adresse suivante : ${a.place}.`,
    'C’est l’occasion de découvrir des métiers qui recrutent près de chez vous et de rencontrer des employeurs. Vous pouvez l’ajouter à votre agenda avec l’invitation jointe.',
    'Un empêchement, une question ? Répondez simplement à ce message.',
  ]);
}

export function attendancePromptEmail(a: CollectiveWords, invited: number, action: { url: string; expiresOn?: CalendarDate }): RenderedEmail {
  return render(`Présence à saisir : ${a.title}`, [
    `« ${a.title} » a eu lieu le ${a.when}. Qui était présent parmi les ${invited} personne(s) invitée(s), et qu’est-ce que cela a donné (mises en relation, embauches) ?`,
    `Pour le saisir : ${action.url}${linkValidity(action.expiresOn)}`,
  ]);
}
