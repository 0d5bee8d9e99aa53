/**
 * The commission ad hoc's post in its channel: the case, pseudonymised (initials, the contract's
 * facts, the criterion; never health or minimum-income details), the vote buttons, who has voted
 * (not what) while the vote is open, then the outcome and the tally.
 */
import type { KnownBlock } from '@slack/types';
import type { CommissionOutcome, PanelWhy } from '../domain/commission.ts';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { SlackContent } from './task-message.ts';

/** The atypical cases as article 5 of the protocol words them, with the PLIE's own durations and hours. */
export function criterionLabel(criterion: string, rules: PlieConfig['exitCriteria']): string {
  const half = rules.fullTimeWeeklyHours / 2;
  const halfTime = `${Math.floor(half)}h${String(Math.round((half % 1) * 60)).padStart(2, '0')}`;
  const labels: Record<string, string> = {
    TEMPS_PARTIEL_COURT: `Emploi à temps partiel de moins de ${halfTime} par semaine, d’au moins ${rules.contractMonths} mois`,
    CONTRAT_AIDE_LONG: `Contrat aidé d’au moins ${rules.longContractMonths} mois`,
    ENTREPRISE_INSERTION_LONG: `Contrat d’au moins ${rules.longContractMonths} mois en entreprise d’insertion`,
  };
  return labels[criterion] ?? criterion;
}

const OUTCOME_LABELS: Record<CommissionOutcome, string> = {
  approved: '✅ Sortie positive accordée',
  rejected: '❌ Sortie positive refusée',
  adjourned: '⏸️ Ajourné : le dossier reviendra à la prochaine session',
};

export const VOTE_ACTION = 'commission_vote';
export const COMMENT_ACTION = 'commission_comment';

export interface CommissionCaseView {
  caseId: string;
  session: number;
  initials: string;
  criterion: string;
  contract: { type: string; weeklyHours: number | null; start: CalendarDate; end: CalendarDate | null } | null;
  deadline: CalendarDate;
  voted: string[];
  waiting: string[];
  outcome: 'open' | CommissionOutcome;
  tally?: { pour: number; contre: number; abstention: number };
  /** The PLIE's exit rules, for the criterion's wording. */
  rules: PlieConfig['exitCriteria'];
  /** When the coordination decides in the commission's place, and why. */
  panelWhy?: PanelWhy | null;
}

const PANEL_NOTES: Record<PanelWhy, string> = {
  no_member: 'La commission ad hoc n’a aucun membre : la coordination décide à sa place.',
  adjourned: 'Dossier ajourné deux fois par la commission ad hoc : la coordination décide.',
  interrupted: 'Le vote précédent sur ce dossier a été interrompu : la coordination décide.',
};

export function commissionMessage(view: CommissionCaseView): SlackContent {
  const criterion = criterionLabel(view.criterion, view.rules);
  const contract = view.contract
    ? `${view.contract.type}${view.contract.weeklyHours ? `, ${String(view.contract.weeklyHours).replace('.', ',')} h par semaine` : ''}, depuis le ${formatFrenchDate(view.contract.start)}${view.contract.end ? ` jusqu’au ${formatFrenchDate(view.contract.end)}` : ''}`
    : 'non précisé';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Commission ad hoc : dossier ${view.initials}${view.session > 1 ? ` (session ${view.session})` : ''}` } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Critère proposé :* ${criterion}\n*Contrat :* ${contract}` } },
    ...(view.panelWhy ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: PANEL_NOTES[view.panelWhy] }] } satisfies KnownBlock] : []),
  ];
  if (view.outcome === 'open') {
    blocks.push(
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Vote ouvert jusqu’au ${formatFrenchDate(view.deadline)}. Ont voté : ${view.voted.length ? view.voted.join(', ') : 'personne pour l’instant'}. En attente : ${view.waiting.length ? view.waiting.join(', ') : 'personne'}.`,
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'vote',
        elements: [
          { type: 'button', action_id: `${VOTE_ACTION}:pour`, text: { type: 'plain_text', text: 'Pour' }, style: 'primary', value: view.caseId },
          { type: 'button', action_id: `${VOTE_ACTION}:contre`, text: { type: 'plain_text', text: 'Contre' }, style: 'danger', value: view.caseId },
          { type: 'button', action_id: `${VOTE_ACTION}:abstention`, text: { type: 'plain_text', text: 'Abstention' }, value: view.caseId },
          { type: 'button', action_id: COMMENT_ACTION, text: { type: 'plain_text', text: 'Voter avec un commentaire…' }, value: view.caseId },
        ],
      },
    );
  } else {
    const t = view.tally ?? { pour: 0, contre: 0, abstention: 0 };
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${OUTCOME_LABELS[view.outcome]}*\nPour : ${t.pour} · Contre : ${t.contre} · Abstention : ${t.abstention}` },
    });
  }
  return { text: `Commission ad hoc : dossier ${view.initials} (${criterion})`, blocks };
}
