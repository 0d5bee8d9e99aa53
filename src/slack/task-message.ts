/**
 * The Slack messages of a task: the DM that asks (with its buttons), the reminder threaded under
 * it, the escalation to the coordination, and the same message once answered ("✅ … par … le …").
 * Only a file reference and initials: nothing else about the person leaves the application.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { TASK_TITLES, type TaskKind } from '../domain/tasks.ts';

export interface TaskSummary {
  taskId: string;
  kind: TaskKind;
  fileReference: string;
  initials: string;
  dueDate: CalendarDate;
  eligibility?: string | null;
  /** Points of the eligibility check for the coordination that do not change its decision (HORS_PROTOCOLE…). */
  eligibilityNotices?: string[];
}

export interface SlackContent {
  text: string;
  blocks: KnownBlock[];
}

/** Answers that need no input: one click. Keyed by the button's value suffix. */
export const QUICK_ANSWERS: Partial<Record<TaskKind, Array<{ key: string; label: string; answer: unknown; primary?: boolean }>>> = {
  follow_up_check: [{ key: 'in_post', label: 'Toujours en poste', answer: { inPost: true }, primary: true }],
  confirm_exit: [{ key: 'confirm', label: 'Confirmer la sortie', answer: { confirm: true }, primary: true }],
  rupture_review: [{ key: 'continue', label: 'Poursuivre le parcours', answer: { decision: 'continue' } }],
  parcours_long: [{ key: 'exit', label: 'Sortie (parcours long)', answer: { decision: 'exit' } }],
  proof_request: [{ key: 'received', label: 'Justificatif reçu', answer: { received: true } }],
};

export const ACTION_IDS = { quick: 'task_quick', form: 'task_form' } as const;

const FORM_LABEL: Record<TaskKind, string> = {
  assign_referent: 'Désigner…',
  diagnostic_decision: 'Saisir le diagnostic…',
  log_contact: 'Noter le contact…',
  follow_up_check: 'Autre situation…',
  proof_request: 'Détails…',
  confirm_exit: 'Refuser ou corriger…',
  parcours_long: 'Poursuivre…',
  rupture_review: 'Proposer une sortie…',
  commission_vote: 'Voter…',
  fse_questionnaire: 'Saisir la situation…',
};

function subject(task: TaskSummary): string {
  return `Dossier ${task.fileReference} (${task.initials})`;
}

function heading(task: TaskSummary, prefix: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `${prefix}*${TASK_TITLES[task.kind]}*\n${subject(task)} · à faire d’ici le ${formatFrenchDate(task.dueDate)}` },
  };
}

/** `scope` keeps block ids unique when a task shows twice in one view (App Home). */
export function taskButtons(task: Pick<TaskSummary, 'taskId' | 'kind'>, scope = 'task'): ActionsBlock {
  const buttons: Button[] = (QUICK_ANSWERS[task.kind] ?? []).map((q) => ({
    type: 'button',
    action_id: `${ACTION_IDS.quick}:${q.key}`,
    text: { type: 'plain_text', text: q.label },
    value: task.taskId,
    ...(q.primary ? { style: 'primary' as const } : {}),
  }));
  buttons.push({ type: 'button', action_id: ACTION_IDS.form, text: { type: 'plain_text', text: FORM_LABEL[task.kind] }, value: task.taskId });
  return { type: 'actions', block_id: `${scope}:${task.taskId}`, elements: buttons };
}

function eligibilityNote(task: TaskSummary): KnownBlock[] {
  const notices = (task.eligibilityNotices ?? []).map((text): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: `ℹ️ ${text}` }] }));
  if (!task.eligibility || task.eligibility === 'eligible') return notices;
  const label = task.eligibility === 'not_eligible' ? 'point bloquant relevé, justification requise' : 'à vérifier';
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Pré-contrôle d’éligibilité : ${label}.` }] }, ...notices];
}

export function openedTaskMessage(task: TaskSummary): SlackContent {
  return {
    text: `Nouvelle tâche : ${TASK_TITLES[task.kind]} (${subject(task)})`,
    blocks: [heading(task, ''), ...eligibilityNote(task), taskButtons(task)],
  };
}

export function reminderMessage(task: TaskSummary): SlackContent {
  const text = `🔔 Petit rappel : cette tâche attend toujours votre réponse (échéance le ${formatFrenchDate(task.dueDate)}).`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function escalationMessage(task: TaskSummary, assigneeName: string): SlackContent {
  return {
    text: `Tâche en retard : ${TASK_TITLES[task.kind]} (${subject(task)})`,
    blocks: [
      heading(task, '⚠️ En retard — '),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Confiée à ${assigneeName}, sans réponse à ce jour. Vous pouvez répondre à sa place.` }] },
      taskButtons(task),
    ],
  };
}

export function proofReceivedMessage(task: TaskSummary, url: string): SlackContent {
  const text = `📎 Justificatif reçu : ${subject(task)}, déposé par la personne accompagnée.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'actions', block_id: `proof:${task.taskId}`, elements: [{ type: 'button', action_id: 'proof_open', text: { type: 'plain_text', text: 'Consulter (lien à usage unique)' }, url }] },
    ],
  };
}

export type TaskClosing =
  | { status: 'done'; answer: unknown; by: string; at: Date }
  | { status: 'expired' | 'cancelled'; at: Date };

export function parisDateTime(at: Date): string {
  return DateTime.fromJSDate(at).setZone('Europe/Paris').toFormat("dd/MM/yyyy 'à' HH'h'mm");
}

/** The same message once the task is closed: what was decided, by whom, when; no buttons. */
export function closedTaskMessage(task: TaskSummary, closing: TaskClosing): SlackContent {
  const when = parisDateTime(closing.at);
  const line =
    closing.status === 'done'
      ? `✅ ${outcomeLabel(task.kind, closing.answer)} par ${closing.by} le ${when}`
      : closing.status === 'expired'
        ? `⏱️ Close sans réponse le ${when}`
        : `➖ Sans objet depuis le ${when} (le parcours a évolué)`;
  return {
    text: `${TASK_TITLES[task.kind]} (${subject(task)}) : ${line}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${TASK_TITLES[task.kind]}*\n${subject(task)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: line }] },
    ],
  };
}

/** What an answer decided, in a few words (never the content of a vote). */
export function outcomeLabel(kind: TaskKind, answer: unknown): string {
  const a = (answer ?? {}) as Record<string, unknown>;
  switch (kind) {
    case 'assign_referent':
      return 'Référent·e désigné·e';
    case 'diagnostic_decision':
      return a.decision === 'reorient'
        ? 'Réorientation décidée'
        : `Diagnostic validé, entrée au PLIE le ${typeof a.entryDate === 'string' ? formatFrenchDate(a.entryDate) : '?'}`;
    case 'log_contact':
      return 'Contact noté';
    case 'follow_up_check':
      return a.inPost === false ? 'Plus en poste : signalé' : 'Toujours en poste : confirmé';
    case 'proof_request':
      return 'Justificatif reçu';
    case 'confirm_exit':
      return a.confirm === false ? 'Sortie refusée' : 'Sortie confirmée';
    case 'parcours_long':
      return a.decision === 'exit' ? 'Sortie (parcours long) décidée' : 'Poursuite du parcours décidée';
    case 'rupture_review':
      return a.decision === 'propose_exit' ? 'Sortie proposée' : 'Poursuite du parcours décidée';
    case 'commission_vote':
      return 'Vote enregistré';
    case 'fse_questionnaire':
      return 'Situation à 6 mois enregistrée';
  }
}
