import { describe, expect, it } from 'vitest';
import { referralOutcome } from '../../src/domain/referral-outcome.ts';

describe('what a prescriber learns of a referral', () => {
  it.each([
    ['orientation', 'oriented'],
    ['diagnostic', 'oriented'],
    ['active', 'integrated'],
    ['followUp', 'integrated'],
    ['exitPending', 'integrated'],
    ['reoriented', 'reoriented'],
    ['exited', 'exited'],
    [null, 'oriented'],
    ['constructor', 'oriented'],
  ])('stage %s → %s', (stage, outcome) => {
    expect(referralOutcome(stage)).toBe(outcome);
  });
});
