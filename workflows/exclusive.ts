/**
 * One piece of work at a time in a workflow: Updates and the timed work never interleave their
 * activities. `version` counts the pieces done, so that a loop waiting for time wakes up when an
 * Update changed something.
 */
import { condition } from '@temporalio/workflow';

export function createExclusive() {
  let busy = false;
  let version = 0;
  return {
    run: async <T>(work: () => Promise<T>): Promise<T> => {
      // Several waiters are released in the same pass when the work ends: each looks again.
      while (busy) await condition(() => !busy);
      busy = true;
      try {
        return await work();
      } finally {
        busy = false;
        version += 1;
      }
    },
    version: () => version,
  };
}
