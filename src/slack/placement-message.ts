/** The referent's Slack prompt on a « mise en relation », and how it reads once answered. */
import type { KnownBlock } from '@slack/types';
import { placementHeadline, type PlacementFacts } from '../offers/placement-facts.ts';
import type { SlackContent } from './task-message.ts';

export const PLACEMENT_ACTIONS = { propose: 'placement:propose', form: 'placement:form' } as const;

export function placementMessage(f: PlacementFacts): SlackContent {
  const text = placementHeadline(f);
  const buttons =
    f.status === 'A_PROPOSER'
      ? [
          { type: 'button' as const, action_id: PLACEMENT_ACTIONS.propose, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Proposer l’offre' }, value: f.placementId },
          { type: 'button' as const, action_id: PLACEMENT_ACTIONS.form, text: { type: 'plain_text' as const, text: 'Ne pas la proposer…' }, value: f.placementId },
        ]
      : [{ type: 'button' as const, action_id: PLACEMENT_ACTIONS.form, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Donner la suite…' }, value: f.placementId }];
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'actions', block_id: `placement:${f.placementId}:${f.status}`, elements: buttons },
  ];
  return { text, blocks };
}

export function placementDoneMessage(original: string, outcome: string): SlackContent {
  return { text: `${original} — ${outcome}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: original } }, { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }] };
}
