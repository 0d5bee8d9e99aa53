import { describe, expect, it } from 'vitest';
import { resendPlan } from '../../src/email/resend-plan.ts';

const pathwayId = 'parcours-1';
const MARCHE = '0b7f3c2e-5a1d-4c8e-9f00-1234567890ab';
const base = { recipient: 'nadia@exemple.fr', pathwayId, status: 'refused' };

describe('which delivery a message that did not go out was', () => {
  it.each([
    ['a participant’s convocation', { ...base, idempotencyKey: 'parcours-1/convocation', template: 'convocation' }, { kind: 'participant', template: 'convocation', key: 'parcours-1/convocation', pathwayId }],
    ['a participant’s reminder, held for want of an address', { ...base, status: 'no_address', recipient: 'participant', idempotencyKey: 'parcours-1/proof_request/2/reminder/1', template: 'proof_request.relance' }, { kind: 'participant', template: 'proof_request.relance', key: 'parcours-1/proof_request/2/reminder/1', pathwayId }],
    ['a task opened, to staff', { ...base, recipient: 'ref@plie.test', status: 'failed', idempotencyKey: 'parcours-1/log_contact/3/opened', template: 'task.opened' }, { kind: 'task', taskId: 'parcours-1/log_contact/3', notice: 'opened', to: 'ref@plie.test' }],
    ['the prescriber’s word of a reorientation', { ...base, recipient: 'julie@france-travail.test', idempotencyKey: 'parcours-1/prescripteur/reorientation', template: 'prescriber.reorientation' }, { kind: 'prescriber', event: 'reorientation', key: 'parcours-1/prescripteur/reorientation', pathwayId }],
    ['a task’s second reminder', { ...base, recipient: 'ref@plie.test', idempotencyKey: 'parcours-1/log_contact/3/reminder/2', template: 'task.reminder' }, { kind: 'task', taskId: 'parcours-1/log_contact/3', notice: 'reminder', sequence: 2, to: 'ref@plie.test' }],
    ['a marché’s request to the company', { ...base, pathwayId: null, recipient: 'rh@entreprise.test', idempotencyKey: `marche/${MARCHE}/2026-11/request/2`, template: 'marche.heures.chase' }, { kind: 'marche', email: 'request', marcheId: MARCHE, month: '2026-11', request: 'chase', key: `marche/${MARCHE}/2026-11/request/2` }],
    ['a prompt to the facilitator', { ...base, pathwayId: null, recipient: 'fac@plie.test', idempotencyKey: `marche/${MARCHE}/2026-11/validate/1`, template: 'marche.validate' }, { kind: 'marche', email: 'prompt', marcheId: MARCHE, month: '2026-11', prompt: 'validate', key: `marche/${MARCHE}/2026-11/validate/1`, to: 'fac@plie.test' }],
    ['a marché’s bilan', { ...base, pathwayId: null, recipient: 'fac@plie.test', idempotencyKey: `marche/${MARCHE}/bilan`, template: 'marche.bilan' }, { kind: 'marche', email: 'bilan', marcheId: MARCHE, key: `marche/${MARCHE}/bilan`, to: 'fac@plie.test' }],
  ])('%s', (_, message, plan) => {
    expect(resendPlan(message)).toEqual(plan);
  });

  it.each([
    ['sent already', { ...base, status: 'sent', idempotencyKey: 'parcours-1/convocation', template: 'convocation' }],
    ['still being retried', { ...base, status: 'pending', idempotencyKey: 'parcours-1/convocation', template: 'convocation' }],
    ['a digest, with no pathway', { ...base, pathwayId: null, idempotencyKey: 'digest/CASA/a/2026-12-01', template: 'digest' }],
    ['a referent’s change notice', { ...base, idempotencyKey: 'parcours-1/referent/x', template: 'referent.to' }],
    ['a task notice whose key does not say which', { ...base, idempotencyKey: 'parcours-1/log_contact/3/opened', template: 'task.reminder' }],
    ['a correction asked of the company (its comment is the workflow’s)', { ...base, pathwayId: null, idempotencyKey: `marche/${MARCHE}/2026-11/request/3`, template: 'marche.heures.correction' }],
    ['the bilan’s word in Slack', { ...base, pathwayId: null, idempotencyKey: `marche/${MARCHE}/bilan/slack`, template: 'marche.bilan' }],
    ['a marché key whose template says otherwise', { ...base, pathwayId: null, idempotencyKey: `marche/${MARCHE}/2026-11/pace/1`, template: 'marche.validate' }],
  ])('not from here: %s', (_, message) => {
    expect(resendPlan(message)).toBeNull();
  });
});
