/**
 * The tests of hostile dates (`npm run test:dates`) only prove something if the faked clock
 * reaches everything that reads the time: this process and the time-skipping server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { timeSkippingExecutable } from '../helpers/settings.ts';

let env: TestWorkflowEnvironment;
const MINUTE = 60_000;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: timeSkippingExecutable(inject('testServerLauncher')) } });
});

afterAll(async () => {
  await env?.teardown();
});

describe('the clock the tests run on', () => {
  it('is the same for this process and the time-skipping server', async () => {
    expect(Math.abs((await env.currentTimeMs()) - Date.now())).toBeLessThan(MINUTE);
  });

  it('is the hostile day asked for, when one is (PLIE_TEST_CLOCK, set by npm run test:dates)', () => {
    // A normal run has no faked clock: the clock is then today's, and this holds trivially.
    const asked = process.env.PLIE_TEST_CLOCK ? Date.parse(process.env.PLIE_TEST_CLOCK) : Date.now();
    const elapsed = Date.now() - asked;
    expect(elapsed).toBeGreaterThanOrEqual(0);
    // The faked clock runs on from the instant asked: a run lasts minutes, not hours.
    expect(elapsed).toBeLessThan(30 * MINUTE);
  });
});
