/** The facilitator's Slack prompts for a procurement (marché): validate the month's hours, chase the company, the pace alert and the bilan. */
import { z } from '../domain/validation.ts';
import type { KnownBlock } from '@slack/types';
import { monthLabel } from '../domain/procurement.ts';
import { bilanHeadline, declaredLines, promptHeadline, type BilanFigures, type FacilitatorPrompt, type PromptFacts } from '../email/procurement-templates.ts';
import type { SlackContent } from './task-message.ts';

export const PROCUREMENT_ACTIONS = { validate: 'marche:validate', correct: 'marche:correct', chase: 'marche:chase' } as const;

/** What a button acts on: the marché and the month (the key `marcheId` is kept: it is in the buttons already posted). */
export interface ProcurementButtonValue {
  marcheId: string;
  month: string;
}

export const buttonValue = (v: ProcurementButtonValue) => JSON.stringify(v);

export function parseButtonValue(raw: string | undefined): ProcurementButtonValue | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<ProcurementButtonValue>;
    // A marché's id is a UUID: anything else names no marché (and never reaches a query).
    return typeof v.marcheId === 'string' && z.uuid().safeParse(v.marcheId).success && typeof v.month === 'string' && /^\d{4}-\d{2}$/.test(v.month) ? { marcheId: v.marcheId, month: v.month } : null;
  } catch {
    return null;
  }
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

export function procurementPromptMessage(prompt: FacilitatorPrompt, f: PromptFacts, target: ProcurementButtonValue): SlackContent {
  const text = promptHeadline(prompt, f);
  const blocks: KnownBlock[] = [section(text)];
  if (f.declared) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: declaredLines(f.declared).join(' · ') }] });
  const value = buttonValue(target);
  const id = `marche:${target.marcheId}:${target.month}`;
  if (prompt === 'validate') {
    blocks.push({
      type: 'actions',
      block_id: id,
      elements: [
        { type: 'button', action_id: PROCUREMENT_ACTIONS.validate, style: 'primary', text: { type: 'plain_text', text: 'Valider les heures' }, value },
        { type: 'button', action_id: PROCUREMENT_ACTIONS.correct, text: { type: 'plain_text', text: 'Demander une correction…' }, value },
      ],
    });
  } else if (prompt === 'chase') {
    blocks.push({ type: 'actions', block_id: id, elements: [{ type: 'button', action_id: PROCUREMENT_ACTIONS.chase, style: 'primary', text: { type: 'plain_text', text: 'Relancer l’entreprise' }, value }] });
  }
  return { text, blocks };
}

/** The prompt once acted on: what was done, by whom, without its buttons. */
export function procurementDoneMessage(original: string, outcome: string): SlackContent {
  return { text: `${original} — ${outcome}`, blocks: [section(original), { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }] };
}

export const PROCUREMENT_OUTCOMES = {
  validate: (month: string) => `✅ Heures de ${monthLabel(month)} validées`,
  correct: (month: string) => `✏️ Correction des heures de ${monthLabel(month)} demandée à l’entreprise`,
  chase: (month: string) => `📨 Entreprise relancée pour les heures de ${monthLabel(month)}`,
} as const;

export function bilanMessage(reference: string, figures: BilanFigures): SlackContent {
  const text = `📊 ${bilanHeadline(reference, figures)}`;
  return { text, blocks: [section(text), { type: 'context', elements: [{ type: 'mrkdwn', text: 'Le bilan pour l’acheteur vous a été envoyé par email (document et tableur).' }] }] };
}
