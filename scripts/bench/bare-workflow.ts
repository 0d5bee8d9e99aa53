/**
 * The bare baseline of a pathway: a workflow that takes Updates, each running one no-op activity,
 * and otherwise waits (as a pathway waits on its timers).
 */
import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop: () => Promise<void> }>({ startToCloseTimeout: '1 minute' });

export const stepUpdate = defineUpdate<number, [string]>('step');

export async function bareUpdates(updates: number): Promise<number> {
  let done = 0;
  setHandler(stepUpdate, async () => {
    await noop();
    return ++done;
  });
  // A year at most, as an idle pathway waits for its next timer.
  await condition(() => done >= updates, '365 days');
  return done;
}

/** The bare baseline of the simulator: a workflow that lets `days` days pass, one at a time. */
export async function bareDays(days: number): Promise<number> {
  for (let d = 0; d < days; d++) await sleep('1 day');
  return days;
}
