/** Relation entreprise: a referent without Slack asked about a « mise en relation ». */
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { render, type RenderedEmail } from './templates.ts';

export function placementPromptEmail(headline: string, action: { url: string; expiresOn?: CalendarDate }): RenderedEmail {
  return render('Relation entreprise : une offre pour une personne que vous accompagnez', [
    headline,
    `Pour répondre : ${action.url}${action.expiresOn ? ` Le lien est valable jusqu’au ${formatFrenchDate(action.expiresOn)}.` : ''}`,
  ]);
}
