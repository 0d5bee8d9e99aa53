/**
 * The App Home: the referent's caseload (overdue first), their open tasks with their buttons, and
 * for the coordination the team's overdue tasks. Built from plain rows (see caseload.ts).
 */
import type { KnownBlock, View } from '@slack/types';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { STAGE_LABELS, TASK_TITLES, type Stage, type TaskKind } from '../domain/tasks.ts';
import { ACTION_FORMS, ACTION_LABELS, COORDINATION_ACTIONS, type ActionFormName } from '../forms/action-forms.ts';
import { taskButtons } from './task-message.ts';

export const PARTICIPANT_ACTION = 'participant_action';
/** The menu's choice that corrects the person's record (a rectification, not a pathway action). */
export const RECTIFY_ACTION = 'rectify';

export interface CaseRow {
  participantId: string;
  fileReference: string;
  initials: string;
  stage: Stage;
  nextTask: { kind: TaskKind; dueDate: CalendarDate } | null;
  overdue: boolean;
}

export interface TaskRow {
  taskId: string;
  kind: TaskKind;
  fileReference: string;
  initials: string;
  dueDate: CalendarDate;
  overdue: boolean;
  assignee?: string;
}

export interface HomeData {
  name: string;
  coordinator: boolean;
  caseload: CaseRow[];
  tasks: TaskRow[];
  teamOverdue: TaskRow[];
  /** For the coordination: what to fix in the PLIE's configuration or roster. */
  warnings?: string[];
}

const LIMIT = 15;

/** Overdue first, then by the next due date; pure, so the order is tested on its own. */
export function sortCaseload(rows: CaseRow[]): CaseRow[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.nextTask?.dueDate ?? '9999').localeCompare(b.nextTask?.dueDate ?? '9999') ||
      a.fileReference.localeCompare(b.fileReference),
  );
}

const more = (total: number): KnownBlock[] =>
  total > LIMIT ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `… et ${total - LIMIT} de plus.` }] }] : [];

/**
 * The menu of actions a referent records on a pathway (value: action|participant id). A select,
 * not an overflow: Slack refuses an overflow of more than five choices.
 */
export function participantActions(participantId: string, coordinator: boolean) {
  const names = (Object.keys(ACTION_FORMS) as ActionFormName[]).filter((name) => coordinator || !COORDINATION_ACTIONS.includes(name));
  return {
    type: 'static_select' as const,
    action_id: PARTICIPANT_ACTION,
    placeholder: { type: 'plain_text' as const, text: 'Agir sur le dossier…' },
    options: [
      ...names.map((name) => ({ text: { type: 'plain_text' as const, text: ACTION_LABELS[name] }, value: `${name}|${participantId}` })),
      { text: { type: 'plain_text' as const, text: 'Corriger la fiche' }, value: `${RECTIFY_ACTION}|${participantId}` },
    ],
  };
}

function taskLine(t: TaskRow): string {
  const late = t.overdue ? ' · :warning: *en retard*' : '';
  return `*${TASK_TITLES[t.kind]}*\nDossier ${t.fileReference} (${t.initials}) · échéance le ${formatFrenchDate(t.dueDate)}${late}${t.assignee ? ` · ${t.assignee}` : ''}`;
}

export function homeView(data: HomeData): View {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Bonjour ${data.name}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Tapez `/plie aide` pour les commandes. Les informations affichées se limitent aux initiales et au numéro de dossier.' }] },
    ...(data.warnings ?? []).map((w): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `:warning: *À régler pour le PLIE* : ${w}` } })),
    { type: 'header', text: { type: 'plain_text', text: `Mes tâches (${data.tasks.length})` } },
  ];
  if (data.tasks.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'Aucune tâche en attente. 🎉' } });
  for (const t of data.tasks.slice(0, LIMIT)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: taskLine(t) } }, taskButtons({ taskId: t.taskId, kind: t.kind }));
  }
  blocks.push(...more(data.tasks.length));
  const caseload = sortCaseload(data.caseload);
  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: `Mes parcours (${caseload.length})` } });
  if (caseload.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'Aucun parcours en cours.' } });
  for (const c of caseload.slice(0, LIMIT)) {
    const next = c.nextTask ? `Prochaine tâche : ${TASK_TITLES[c.nextTask.kind]} (le ${formatFrenchDate(c.nextTask.dueDate)})` : 'Pas de tâche en attente';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${c.overdue ? ':warning: ' : ''}*Dossier ${c.fileReference} (${c.initials})* · ${STAGE_LABELS[c.stage]}\n${next}` },
      accessory: participantActions(c.participantId, data.coordinator),
    });
  }
  blocks.push(...more(caseload.length));
  if (data.coordinator) {
    blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: `Équipe : tâches en retard (${data.teamOverdue.length})` } });
    if (data.teamOverdue.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'Aucune tâche en retard.' } });
    for (const t of data.teamOverdue.slice(0, LIMIT)) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: taskLine(t) } }, taskButtons({ taskId: t.taskId, kind: t.kind }, 'equipe'));
    }
    blocks.push(...more(data.teamOverdue.length));
  }
  return { type: 'home', blocks };
}
