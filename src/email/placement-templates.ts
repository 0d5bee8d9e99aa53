/** Relation entreprise: a referent without Slack asked about a « mise en relation ». */
import type { CalendarDate } from '../domain/dates.ts';
import { linkValidity, render, type RenderedEmail } from './templates.ts';

export function placementPromptEmail(headline: string, action: { url: string; expiresOn?: CalendarDate }): RenderedEmail {
  return render('Relation entreprise : une offre pour une personne que vous accompagnez', [
    headline,
    `Pour répondre : ${action.url}${linkValidity(action.expiresOn)}`,
  ]);
}
