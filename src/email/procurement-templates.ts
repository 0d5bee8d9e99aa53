/**
 * Emails of the procurement flow (marchés with clauses d'insertion): the monthly hours form to the company's contact, the
 * facilitator's prompts when she has no Slack account, and the bilan at closing. They name the
 * marché and the facilitator's identifiers of the persons, nothing else about them.
 */
import type { CalendarDate } from '../domain/dates.ts';
import { monthLabel, type PaceCheck } from '../domain/procurement.ts';
import { linkValidity, render, type RenderedEmail } from './templates.ts';

export interface ProcurementFacts {
  reference: string;
  title: string;
  buyer: string;
  company: string | null;
}

const named = (m: ProcurementFacts) => `le marché ${m.reference} « ${m.title} » (${m.buyer})`;

export type HoursRequestKind = 'request' | 'chase' | 'correction';

export function hoursRequestEmail(args: {
  kind: HoursRequestKind;
  procurement: ProcurementFacts;
  month: string;
  persons: number;
  url: string;
  expiresOn?: CalendarDate;
  comment?: string;
}): RenderedEmail {
  const month = monthLabel(args.month);
  const subject =
    args.kind === 'request'
      ? `Heures d’insertion de ${month} — marché ${args.procurement.reference}`
      : args.kind === 'chase'
        ? `Rappel : heures d’insertion de ${month} — marché ${args.procurement.reference}`
        : `Correction demandée : heures d’insertion de ${month} — marché ${args.procurement.reference}`;
  const opening =
    args.kind === 'request'
      ? `Bonjour, pour ${named(args.procurement)}, pourriez-vous nous indiquer les heures travaillées en ${month} par les ${args.persons} personne(s) embauchée(s) au titre de la clause d’insertion ?`
      : args.kind === 'chase'
        ? `Bonjour, sauf erreur de notre part, nous n’avons pas encore reçu les heures travaillées en ${month} pour ${named(args.procurement)}. Pourriez-vous les indiquer quand vous aurez un moment ?`
        : `Bonjour, merci pour votre déclaration des heures de ${month} pour ${named(args.procurement)}. Un point est à revoir avant que nous puissions la valider.`;
  return render(subject, [
    opening,
    ...(args.kind === 'correction' && args.comment ? [`Ce qui est à revoir : ${args.comment}`] : []),
    `Le formulaire ne prend qu’une minute : ${args.url}${linkValidity(args.expiresOn)}`,
    'Ces heures permettent de suivre la réalisation de la clause pour l’acheteur. Pour toute question, répondez simplement à ce message.',
  ]);
}

export type FacilitatorPrompt = 'validate' | 'chase' | 'pace';

export interface PromptFacts {
  procurement: ProcurementFacts;
  month: string;
  /** Declared hours per person (validate), in the facilitator's identifiers. */
  declared?: Record<string, number>;
  /** Emails sent to the company for the month (chase). */
  requests?: number;
  pace?: PaceCheck;
}

export const declaredTotal = (declared: Record<string, number>) => Object.values(declared).reduce((sum, h) => sum + h, 0);
/** Hours as French readers write them (151,5). */
export const hoursText = (hours: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(hours);

/** The prompt's first line, the same in Slack and by email. */
export function promptHeadline(prompt: FacilitatorPrompt, f: PromptFacts): string {
  const month = monthLabel(f.month);
  switch (prompt) {
    case 'validate':
      return `Heures de ${month} déclarées par ${f.procurement.company ?? 'l’entreprise'} pour le marché ${f.procurement.reference} : ${hoursText(declaredTotal(f.declared ?? {}))} h pour ${Object.keys(f.declared ?? {}).length} personne(s), à valider.`;
    case 'chase':
      return `Le marché ${f.procurement.reference} attend toujours les heures de ${month} de ${f.procurement.company ?? 'l’entreprise'} (${f.requests ?? 1} demande(s) envoyée(s)).`;
    case 'pace':
      return `⚠️ Le marché ${f.procurement.reference} est en retard sur son rythme : ${hoursText(f.pace?.realised ?? 0)} h validées pour ${hoursText(f.pace?.expected ?? 0)} h attendues à ce jour, soit ${hoursText(f.pace?.gap ?? 0)} h à rattraper.`;
  }
}

export const declaredLines = (declared: Record<string, number>) => Object.entries(declared).map(([person, hours]) => `${person} : ${hoursText(hours)} h`);

export function facilitatorPromptEmail(prompt: FacilitatorPrompt, f: PromptFacts, action: { url: string; expiresOn?: CalendarDate } | null): RenderedEmail {
  const subject =
    prompt === 'validate'
      ? `Heures à valider — marché ${f.procurement.reference} (${monthLabel(f.month)})`
      : prompt === 'chase'
        ? `Heures non déclarées — marché ${f.procurement.reference} (${monthLabel(f.month)})`
        : `Retard sur la clause — marché ${f.procurement.reference}`;
  const todo =
    prompt === 'validate'
      ? `Pour valider ces heures ou demander une correction à l’entreprise : ${action?.url ?? ''}${linkValidity(action?.expiresOn)}`
      : prompt === 'chase'
        ? `Pour relancer l’entreprise : ${action?.url ?? ''}${linkValidity(action?.expiresOn)}`
        : 'Un échange avec l’entreprise sur ses prochains recrutements permettrait peut-être de rattraper ce retard.';
  return render(subject, [promptHeadline(prompt, f), ...(f.declared ? [declaredLines(f.declared).join('\n')] : []), todo]);
}

export interface BilanFigures {
  requiredHours: number;
  realisedHours: number;
  contracts: number;
  persons: number;
}

export function bilanHeadline(reference: string, b: BilanFigures): string {
  const share = b.requiredHours > 0 ? Math.round((b.realisedHours / b.requiredHours) * 100) : 0;
  return `Marché ${reference} clos : ${hoursText(b.realisedHours)} h d’insertion réalisées sur ${hoursText(b.requiredHours)} h prévues (${share} %), ${b.contracts} contrat(s), ${b.persons} personne(s).`;
}

export function bilanEmail(procurement: ProcurementFacts, figures: BilanFigures): RenderedEmail {
  return render(`Bilan de la clause — marché ${procurement.reference}`, [
    bilanHeadline(procurement.reference, figures),
    `Le bilan pour l’acheteur (${procurement.buyer}) est joint, en document et en tableur. Vous pouvez le relire avant de le lui transmettre.`,
  ]);
}

