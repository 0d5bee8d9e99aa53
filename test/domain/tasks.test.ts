import { describe, expect, it } from 'vitest';
import { checkTaskAnswer, DEFAULT_TASK_TIMINGS, isTaskKind, TASK_KINDS, TASK_TITLES } from '../../src/domain/tasks.ts';

describe('task answers', () => {
  it.each([
    ['assign_referent', { referentEmail: 'ref@plie.fr' }, { referentEmail: 'ref@plie.fr' }],
    ['diagnostic_decision', { decision: 'integrate', entryDate: '02/12/2026' }, { decision: 'integrate', entryDate: '2026-12-02', barriers: [] }],
    ['follow_up_check', { inPost: true, hours: 151 }, { inPost: true, hours: 151 }],
    ['confirm_exit', { confirm: false, reason: 'encore fragile' }, { confirm: false, reason: 'encore fragile' }],
    ['commission_vote', { vote: 'pour' }, { vote: 'pour' }],
    ['parcours_long', { decision: 'exit' }, { decision: 'exit' }],
    ['diagnostic_decision', { decision: 'reorient', reason: '  Mission Locale ' }, { decision: 'reorient', reason: 'Mission Locale' }],
  ] as const)('accepts for %s the answer %j', (kind, answer, expected) => {
    expect(checkTaskAnswer(kind, answer)).toEqual({ ok: true, answer: expected });
  });

  it.each([
    ['assign_referent', { referentEmail: 'ref' }, ['référent·e : adresse email invalide']],
    ['assign_referent', null, ['réponse : un objet { referentEmail } est attendu']],
    ['assign_referent', {}, ['référent·e : adresse email invalide']],
    ['diagnostic_decision', { decision: 'integrate', entryDate: '31/11/2026' }, ['date d’entrée : date invalide, attendu JJ/MM/AAAA']],
    ['diagnostic_decision', { decision: 'reorient', reason: ' ' }, ['motif de réorientation : obligatoire']],
    ['diagnostic_decision', { decision: 'reorient' }, ['motif de réorientation : obligatoire']],
    ['diagnostic_decision', { decision: 'integrate', entryDate: 20261202 }, ['date d’entrée : obligatoire (JJ/MM/AAAA)']],
    ['follow_up_check', { inPost: 'oui' }, ['en poste : oui ou non']],
    ['follow_up_check', { inPost: true, hours: -3 }, ['heures : pas de nombre négatif']],
    ['commission_vote', { vote: 'peut-être' }, ['vote : pour, contre ou abstention']],
    ['proof_request', { received: false }, ['justificatif : seule la réception se déclare']],
    ['parcours_long', { decision: 'continue' }, ['motif de poursuite : obligatoire']],
    ['diagnostic_decision', { decision: 'peut-être' }, ['décision : attendu « integrate » (intégrer) ou « reorient » (réorienter)']],
  ] as const)('refuses for %s the answer %j', (kind, answer, problems) => {
    const check = checkTaskAnswer(kind, answer);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems).toEqual(problems);
  });

  it('has a French title for every kind, and the protocol delays', () => {
    for (const kind of TASK_KINDS) expect(TASK_TITLES[kind]).toMatch(/^[A-ZÉ]/);
    expect(isTaskKind('assign_referent')).toBe(true);
    expect(isTaskKind('autre')).toBe(false);
    expect(DEFAULT_TASK_TIMINGS).toEqual({ reminderAfterDays: 7, escalateAfterDays: 15 });
  });
});
