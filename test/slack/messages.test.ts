/** The Slack messages built from plain rows (pure): order of the caseload, what a post may say. */
import { describe, expect, it } from 'vitest';
import { commissionMessage, criterionLabel } from '../../src/slack/commission-message.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';
import { homeView, sortCaseload, type CaseRow } from '../../src/slack/home.ts';
import { closedTaskMessage, openedTaskMessage, outcomeLabel } from '../../src/slack/task-message.ts';

const row = (fileReference: string, overdue: boolean, due: string | null): CaseRow => ({
  participantId: fileReference,
  fileReference,
  initials: 'A. B.',
  stage: 'active',
  nextTask: due ? { kind: 'log_contact', dueDate: due } : null,
  overdue,
});

describe('Slack messages', () => {
  it('puts overdue pathways first, then by next due date, those without a task last', () => {
    const sorted = sortCaseload([row('C', false, '2026-12-10'), row('D', false, null), row('A', true, '2026-11-20'), row('B', false, '2026-12-01'), row('E', true, '2026-11-10')]);
    expect(sorted.map((r) => r.fileReference)).toEqual(['E', 'A', 'B', 'C', 'D']);
  });

  it('keeps block ids unique in the App Home (Slack refuses duplicates)', () => {
    const tasks = ['t1', 't2'].map((id) => ({ taskId: id, kind: 'log_contact' as const, fileReference: id, initials: 'A. B.', dueDate: '2026-12-01', overdue: false }));
    const view = homeView({ name: 'Alice', coordinator: true, tasks, caseload: [], teamOverdue: tasks });
    const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
    // Each task shows twice: in « Mes tâches » and in the team's late ones.
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it.each([
    ['diagnostic_decision', { decision: 'integrate', entryDate: '2026-12-01' }, 'Diagnostic validé, entrée au PLIE le 01/12/2026'],
    ['diagnostic_decision', { decision: 'reorient', reason: 'x' }, 'Réorientation décidée'],
    ['confirm_exit', { confirm: false, reason: 'x' }, 'Sortie refusée'],
    ['follow_up_check', { inPost: false }, 'Plus en poste : signalé'],
    ['commission_vote', { vote: 'contre' }, 'Vote enregistré'],
  ] as const)('says what %s decided: %o', (kind, answer, label) => {
    expect(outcomeLabel(kind, answer)).toBe(label);
  });

  it('shows a closed task without its buttons, in Paris time', () => {
    const task = { taskId: 'p/log_contact/2', kind: 'log_contact' as const, fileReference: '7716D7EA', initials: 'I. D.', dueDate: '2026-07-01' };
    expect(JSON.stringify(openedTaskMessage(task).blocks)).toContain('task_form');
    const closed = closedTaskMessage(task, { status: 'done', answer: {}, by: 'Alice', at: new Date('2026-07-01T16:05:00Z') });
    expect(closed.text).toContain('✅ Contact noté par Alice le 01/07/2026 à 18h05');
    expect(closed.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows the coordination the messages that did not go out, without any address, and stays within Slack’s 100 blocks', () => {
    const tasks = Array.from({ length: 20 }, (_, i) => ({ taskId: `t${i}`, kind: 'log_contact' as const, fileReference: `F${i}`, initials: 'A. B.', dueDate: '2026-12-01', overdue: true }));
    const caseload = Array.from({ length: 20 }, (_, i) => row(`C${i}`, true, '2026-11-20'));
    const undelivered = Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, label: 'Nouvelle tâche', about: `dossier F${i}`, status: 'échec', next: 'renvoi automatique prévu', decidedOn: '2026-11-30' }));
    const warnings = ['un avertissement', 'un autre'];
    const view = homeView({ name: 'Claire', coordinator: true, tasks, caseload, teamOverdue: tasks, warnings, undelivered: [{ ...undelivered[0]!, about: 'marché <2026-01> & co' }, ...undelivered.slice(1)] });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Messages non envoyés (12)');
    expect(text).toContain('*Nouvelle tâche* · marché &lt;2026-01&gt; &amp; co · le 30/11/2026');
    expect(text).toContain('… et 4 de plus.');
    expect(text).toContain('plie messages renvoyer');
    expect(JSON.stringify(homeView({ name: 'Claire', coordinator: true, tasks: [], caseload: [], teamOverdue: [], undelivered: [] }).blocks)).toContain('Tous les messages sont partis.');
    // Not loaded (a referent's home): not shown.
    expect(JSON.stringify(homeView({ name: 'Rémi', coordinator: false, tasks: [], caseload: [], teamOverdue: [], undelivered }).blocks)).not.toContain('Messages non envoyés');
  });

  it('puts what the PLIE should fix at the top of the coordination’s App Home', () => {
    const warning = 'la commission ad hoc n’a aucun membre (rôle MEMBRE_COMMISSION, ou commission.members de la configuration) : ses cas iront à la coordination.';
    const view = homeView({ name: 'Claire', coordinator: true, tasks: [], caseload: [], teamOverdue: [], warnings: [warning] });
    expect(JSON.stringify(view.blocks[2])).toContain(`:warning: *À régler pour le PLIE* : ${warning}`);
    expect(JSON.stringify(homeView({ name: 'Claire', coordinator: true, tasks: [], caseload: [], teamOverdue: [] }).blocks)).not.toContain('À régler');
  });

  it('shows the coordination the eligibility check’s notices beside its decision', () => {
    const task = { taskId: 'p/assign_referent/1', kind: 'assign_referent' as const, fileReference: '7716D7EA', initials: 'I. D.', dueDate: '2026-07-01' };
    const notice = 'Orientation hors des protocoles configurés (le dernier a pris fin le 31/12/2023) : à signaler à la coordination, qui renseigne l’avenant ou le nouveau protocole.';
    const notes = (summary: Parameters<typeof openedTaskMessage>[0]) =>
      openedTaskMessage(summary).blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));
    expect(notes({ ...task, eligibility: 'eligible', eligibilityNotices: [notice] })).toEqual([`ℹ️ ${notice}`]);
    expect(notes({ ...task, eligibility: 'to_review', eligibilityNotices: [notice] })).toEqual(['Pré-contrôle d’éligibilité : à vérifier.', `ℹ️ ${notice}`]);
    expect(notes({ ...task, eligibility: 'eligible' })).toEqual([]);
  });

  it.each([
    [CASA_CONFIG, 'CONTRAT_AIDE_LONG', 'Contrat aidé d’au moins 12 mois'],
    [CASA_CONFIG, 'TEMPS_PARTIEL_COURT', 'Emploi à temps partiel de moins de 17h30 par semaine, d’au moins 6 mois'],
    [CASA_CONFIG, 'ENTREPRISE_INSERTION_LONG', 'Contrat d’au moins 12 mois en entreprise d’insertion'],
    [OTHER_CONFIG, 'CONTRAT_AIDE_LONG', 'Contrat aidé d’au moins 9 mois'],
    [OTHER_CONFIG, 'TEMPS_PARTIEL_COURT', 'Emploi à temps partiel de moins de 17h30 par semaine, d’au moins 4 mois'],
    [{ ...CASA_CONFIG, exitCriteria: { ...CASA_CONFIG.exitCriteria, fullTimeWeeklyHours: 39 } }, 'TEMPS_PARTIEL_COURT', 'Emploi à temps partiel de moins de 19h30 par semaine, d’au moins 6 mois'],
  ] as const)('words the criterion with the PLIE’s own durations (%#)', (config, criterion, said) => {
    expect(criterionLabel(criterion, config.exitCriteria)).toBe(said);
  });

  it('tells the commission who voted, never how, until the vote closes', () => {
    const open = commissionMessage({
      rules: CASA_CONFIG.exitCriteria,
      caseId: 'c',
      session: 2,
      initials: 'I. D.',
      criterion: 'CONTRAT_AIDE_LONG',
      contract: { type: 'CDDI', weeklyHours: 26, start: '2026-03-02', end: '2026-12-31' },
      deadline: '2026-12-05',
      voted: ['Marie'],
      waiting: ['Marc'],
      outcome: 'open',
      tally: { pour: 1, contre: 0, abstention: 0 },
    });
    const text = JSON.stringify(open.blocks);
    expect(text).toContain('Ont voté : Marie. En attente : Marc.');
    expect(text).not.toContain('Pour : 1');
    expect(open.text).toBe('Commission ad hoc : dossier I. D. (Contrat aidé d’au moins 12 mois)');
    expect(text).toContain('session 2');
    expect(text).not.toContain('la coordination décide');
  });

  it.each([
    ['no_member', 'La commission ad hoc n’a aucun membre : la coordination décide à sa place.'],
    ['adjourned', 'Dossier ajourné deux fois par la commission ad hoc : la coordination décide.'],
  ] as const)('says when the coordination decides in the commission’s place (%s)', (panelWhy, said) => {
    const view = { rules: CASA_CONFIG.exitCriteria, caseId: 'c', session: 3, initials: 'I. D.', criterion: 'TEMPS_PARTIEL_COURT', contract: null, deadline: '2026-12-05', voted: [], waiting: ['Claire'], outcome: 'open' as const, panelWhy };
    expect(JSON.stringify(commissionMessage(view).blocks)).toContain(said);
  });
});
