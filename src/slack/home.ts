/**
 * The App Home: the referent's caseload (overdue first), their open tasks with their buttons, and
 * for the coordination the team's overdue tasks and the messages that did not go out. Built from
 * plain rows (see caseload.ts, and src/email/undelivered.ts for the messages).
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
  /** For the coordination: the PLIE's messages that did not go out, most recent first (undeliveredForHome). */
  undelivered?: UndeliveredRow[];
}

/** A message that did not go out, as Slack may show it: what and about whom (a file's reference), never an address. */
export interface UndeliveredRow {
  id: string;
  label: string;
  /** « dossier 7716D7EA », « marché 2026-VOIRIE-12 », « récapitulatif du matin ». */
  about: string;
  /** « échec », « adresse refusée », « sans adresse », « en attente ». */
  status: string;
  /** « renvoi automatique prévu », « à renvoyer », « nouvel essai automatique en cours », « ne part plus : … ». */
  next: string;
  decidedOn: CalendarDate;
}

/** At most this many messages in the App Home: the rest is in the console's « Messages » and `plie messages --echecs`. */
const UNDELIVERED_LIMIT = 8;

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
    if (data.undelivered) blocks.push(...undeliveredBlocks(data.undelivered));
  }
  return { type: 'home', blocks };
}

/**
 * The coordination's view of the messages that did not go out, and where to send them again: four
 * blocks at most, the lines in one section (a view holds 100 blocks, the tasks take most).
 */
function undeliveredBlocks(rows: UndeliveredRow[]): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: `Messages non envoyés (${rows.length})` } }];
  if (rows.length === 0) return [...blocks, { type: 'section', text: { type: 'mrkdwn', text: 'Tous les messages sont partis.' } }];
  const lines = rows.slice(0, UNDELIVERED_LIMIT).map((r) => `:envelope: *${r.label}* · ${escapeMrkdwn(r.about)} · le ${formatFrenchDate(r.decidedOn)}\n${r.status} · ${escapeMrkdwn(r.next)}`);
  const others = rows.length > UNDELIVERED_LIMIT ? `… et ${rows.length - UNDELIVERED_LIMIT} de plus. ` : '';
  return [
    ...blocks,
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n\n') } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${others}Pour les voir tous et les renvoyer : la page « Messages » de la console, ou \`plie messages --echecs\` puis \`plie messages renvoyer <id>\`.` }] },
  ];
}

/** Slack's three control characters of mrkdwn, in a text that may come from a record (a marché's reference). */
const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
