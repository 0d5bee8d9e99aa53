/**
 * The README's pictures of the Slack messages: the Block Kit the bot sends (written as JSON to
 * docs/slack/), drawn roughly as Slack shows it and photographed by headless Chromium into
 * docs/screenshots/. The web pages' pictures come from their test (npm run screenshots).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KnownBlock, View } from '@slack/types';
import { chromium } from 'playwright-core';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import { taskForm } from '../src/forms/task-forms.ts';
import { projectRoot } from '../src/infra/project.ts';
import { commissionMessage } from '../src/slack/commission-message.ts';
import { homeView } from '../src/slack/home.ts';
import { formModal } from '../src/slack/modal.ts';
import { procurementPromptMessage } from '../src/slack/procurement-message.ts';
import { placementMessage } from '../src/slack/placement-message.ts';
import { closedTaskMessage, escalationMessage, openedTaskMessage, reminderMessage, type TaskSummary } from '../src/slack/task-message.ts';

const task: TaskSummary = { taskId: 'parcours-7716d7ea/diagnostic_decision/3', kind: 'diagnostic_decision', fileReference: '7716D7EA', initials: 'I. D.', dueDate: '2026-12-07' };
const assign: TaskSummary = { ...task, taskId: 'parcours-7716d7ea/assign_referent/1', kind: 'assign_referent', eligibility: 'to_review' };
const commission = {
  caseId: 'parcours-7716d7ea/commission/1',
  session: 1,
  initials: 'I. D.',
  criterion: 'TEMPS_PARTIEL_COURT',
  rules: CASA_CONFIG.exitCriteria,
  contract: { type: 'CDI', weeklyHours: 15, start: '2026-05-04', end: null },
  deadline: '2026-12-05',
  voted: ['Marie Martin'],
  waiting: ['Marc Petit', 'Maya Durand'],
  outcome: 'open' as const,
};

const voirie = { reference: 'VOIRIE-2026-03', title: 'Réfection de la voirie communautaire', buyer: 'CASA', company: 'Routes du Sud' };

const samples: Record<string, { blocks: KnownBlock[]; modal?: View }> = {
  'tache-nouvelle': openedTaskMessage(assign),
  'tache-rappel': reminderMessage(task),
  'tache-escalade': escalationMessage(task, 'Alice Référente'),
  'tache-traitee': closedTaskMessage(task, { status: 'done', answer: { decision: 'integrate', entryDate: '2026-11-30' }, by: 'Alice Référente', at: new Date('2026-11-28T09:42:00Z') }),
  'commission-vote-ouvert': commissionMessage(commission),
  'commission-resultat': commissionMessage({ ...commission, outcome: 'approved', voted: [], waiting: [], tally: { pour: 2, contre: 1, abstention: 0 } }),
  'marche-heures-a-valider': procurementPromptMessage('validate', { procurement: voirie, month: '2026-10', declared: { C0042: 151.5, C0057: 98 } }, { marcheId: 'm', month: '2026-10' }),
  'marche-relance': procurementPromptMessage('chase', { procurement: voirie, month: '2026-10', requests: 1 }, { marcheId: 'm', month: '2026-10' }),
  'marche-retard': procurementPromptMessage('pace', { procurement: voirie, month: '2026-10', pace: { expected: 820, realised: 610, gap: 210, behind: true } }, { marcheId: 'm', month: '2026-10' }),
  'offre-a-proposer': placementMessage({ placementId: 'p', offerId: 'o', plieCode: 'CASA', status: 'A_PROPOSER', offer: 'Préparateur·rice de commandes chez Entrepôt Azur (CDD, 35 h/semaine, Carros, à partir du lundi 4 janvier 2027)', person: 'dossier 7716D7EA (I. D.)', wish: 'logistique' }),
  accueil: {
    blocks: homeView({
      name: 'Alice Référente',
      coordinator: false,
      tasks: [{ taskId: task.taskId, kind: 'diagnostic_decision', fileReference: '7716D7EA', initials: 'I. D.', dueDate: '2026-12-07', overdue: false }],
      caseload: [
        { participantId: 'a', fileReference: '7716D7EA', initials: 'I. D.', stage: 'diagnostic', nextTask: { kind: 'diagnostic_decision', dueDate: '2026-12-07' }, overdue: false },
        { participantId: 'b', fileReference: '3F2A9C10', initials: 'K. B.', stage: 'followUp', nextTask: { kind: 'follow_up_check', dueDate: '2026-11-20' }, overdue: true },
      ],
      teamOverdue: [],
    }).blocks as KnownBlock[],
  },
};
const modal = formModal(taskForm('diagnostic_decision'), { callbackId: 'task_form', privateMetadata: '{}', subtitle: 'Dossier 7716D7EA' });

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const mrkdwn = (s: string) =>
  esc(s)
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/_([^_\n]+)_/g, '<i>$1</i>')
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/:warning:/g, '⚠️')
    .replace(/\n/g, '<br>');
const textOf = (t: Text | undefined) => (t ? (t.type === 'mrkdwn' ? mrkdwn(t.text) : esc(t.text)) : '');

/** What the drawing reads of a block (Block Kit's types are a union too wide to walk here). */
interface LooseBlock {
  type: string;
  text?: Text;
  label?: Text;
  hint?: Text;
  accessory?: unknown;
  optional?: boolean;
  /** Context elements are texts; action elements are buttons (with a text). */
  elements?: Array<{ type: string; text?: Text | string; style?: string }>;
  element?: { type: string };
}
type Text = { type: string; text: string };

function block(b: LooseBlock): string {
  switch (b.type) {
    case 'header':
      return `<h3>${textOf(b.text)}</h3>`;
    case 'section':
      return `<div class="section"><div>${textOf(b.text)}</div>${b.accessory ? '<span class="overflow">⋮</span>' : ''}</div>`;
    case 'context':
      return `<div class="context">${(b.elements ?? []).map((e) => (typeof e.text === 'string' ? textOf({ type: e.type, text: e.text }) : '')).join(' ')}</div>`;
    case 'divider':
      return '<hr>';
    case 'actions':
      return `<div class="actions">${(b.elements ?? []).map((e) => `<span class="btn ${e.style ?? ''}">${typeof e.text === 'object' ? textOf(e.text) : ''}</span>`).join('')}</div>`;
    case 'input': {
      const kind = b.element?.type ?? '';
      const placeholder = kind.includes('select') ? 'Choisir une option ▾' : kind === 'datepicker' ? 'jj/mm/aaaa 📅' : '';
      return `<div class="input"><label>${textOf(b.label)}${b.optional ? ' <small>(facultatif)</small>' : ''}</label><div class="control">${placeholder}</div>${b.hint ? `<small>${textOf(b.hint)}</small>` : ''}</div>`;
    }
    default:
      return '';
  }
}

const style = `body{font-family:Lato,"Helvetica Neue",Arial,sans-serif;font-size:15px;color:#1d1c1d;margin:0;padding:16px;background:#fff;width:640px}
.msg{display:flex;gap:10px}.avatar{width:36px;height:36px;border-radius:6px;background:#000091;color:#fff;font-weight:bold;display:flex;align-items:center;justify-content:center;font-size:12px}
.name{font-weight:900}.name small{font-weight:normal;color:#616061;margin-left:6px}.section{display:flex;justify-content:space-between;margin:6px 0;line-height:1.45}
.context{color:#616061;font-size:13px;margin:4px 0}.actions{margin:8px 0}.btn{display:inline-block;border:1px solid #ccc;border-radius:4px;padding:4px 12px;margin-right:8px;font-weight:bold;font-size:14px}
.btn.primary{background:#007a5a;color:#fff;border-color:#007a5a}.btn.danger{color:#e01e5a;border-color:#e01e5a}h3{margin:6px 0;font-size:18px}hr{border:none;border-top:1px solid #ddd}
.overflow{border:1px solid #ccc;border-radius:4px;padding:0 8px;height:24px}.modal{border:1px solid #ddd;border-radius:8px;padding:16px;box-shadow:0 4px 12px #0002}.modal h2{margin:0 0 12px;font-size:20px}
.input{margin:12px 0}.input label{font-weight:bold;display:block}.control{border:1px solid #999;border-radius:4px;padding:8px;margin-top:4px;color:#888;min-height:18px}.foot{text-align:right;margin-top:16px}`;

function messageHtml(blocks: KnownBlock[]): string {
  return `<div class="msg"><div class="avatar">PLIE</div><div><div class="name">PLIE<small>APP  10:42</small></div>${blocks.map((b) => block(b as unknown as LooseBlock)).join('')}</div></div>`;
}

function modalHtml(view: View): string {
  const v = view as unknown as { title: Text; close: Text; submit: Text; blocks: LooseBlock[] };
  return `<div class="modal"><h2>${textOf(v.title)}</h2>${v.blocks.map(block).join('')}<div class="foot"><span class="btn">${textOf(v.close)}</span><span class="btn primary">${textOf(v.submit)}</span></div></div>`;
}

const shotsDir = path.join(projectRoot, 'docs', 'screenshots');
const jsonDir = path.join(projectRoot, 'docs', 'slack');
mkdirSync(shotsDir, { recursive: true });
mkdirSync(jsonDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 680, height: 200 } });
const pictures: Array<[string, string, unknown]> = [
  ...Object.entries(samples).map(([name, s]) => [name, messageHtml(s.blocks), s.blocks] as [string, string, unknown]),
  ['modale-diagnostic', modalHtml(modal), modal],
];
for (const [name, body, json] of pictures) {
  writeFileSync(path.join(jsonDir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  await page.setContent(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>${style}</style></head><body>${body}</body></html>`);
  await page.screenshot({ path: path.join(shotsDir, `slack-${name}.png`), fullPage: true });
}
await browser.close();
console.log(`${pictures.length} messages Slack : ${path.relative(projectRoot, jsonDir)}/ et ${path.relative(projectRoot, shotsDir)}/`);
