/** What a prescriber is told of a person they referred: where the pathway stands, in one word, nothing more. */
import type { Stage } from './tasks.ts';

export type ReferralOutcome = 'oriented' | 'integrated' | 'reoriented' | 'exited';

export const REFERRAL_OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  oriented: 'Orientée, en attente du diagnostic',
  integrated: 'Intégrée au PLIE',
  reoriented: 'Réorientée',
  exited: 'Sortie du PLIE',
};

const BY_STAGE: Record<Stage, ReferralOutcome> = {
  orientation: 'oriented',
  diagnostic: 'oriented',
  active: 'integrated',
  followUp: 'integrated',
  exitPending: 'integrated',
  reoriented: 'reoriented',
  exited: 'exited',
};

export function referralOutcome(stage: string | null): ReferralOutcome {
  return stage && Object.hasOwn(BY_STAGE, stage) ? BY_STAGE[stage as Stage] : 'oriented';
}
