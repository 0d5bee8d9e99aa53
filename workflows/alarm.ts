/**
 * Waiting for the next due instant without ever cancelling a timer. `condition(fn, timeout)`
 * cancels its timer when `fn` comes true first; if that timer fired meanwhile, Temporal's
 * time-skipping test server refuses the cancellation and strands the run (sdk-java#3088). Here a
 * timer, once started, is left to fire: a later wake reuses it, an earlier one adds another, and
 * a timer firing for nothing only wakes the loop, which finds nothing due.
 */
import { condition, sleep } from '@temporalio/workflow';

export function createAlarm() {
  let current: { at: number; fired: boolean } | null = null;
  return {
    /** Resolves once `woken()` is true, or the instant `at` (workflow time, ms) has come. */
    async wait(at: number | null, woken: () => boolean): Promise<void> {
      if (at !== null && (current === null || at < current.at)) {
        const alarm = { at, fired: false };
        current = alarm;
        void sleep(Math.max(1, at - Date.now())).then(() => {
          alarm.fired = true;
        });
      }
      const alarm = current;
      await condition(() => woken() || (alarm !== null && alarm.fired));
      // A fired alarm is used up; the next wait starts another for what is then due.
      if (alarm !== null && alarm.fired && current === alarm) current = null;
    },
  };
}
