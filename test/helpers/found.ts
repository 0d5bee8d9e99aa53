import { vi } from 'vitest';

/** Waits until `get` finds something (undefined: not yet), then returns it. */
export const found = <T>(get: () => T | undefined | Promise<T | undefined>, timeout = 30_000) =>
  vi.waitFor(
    async () => {
      const value = await get();
      if (value === undefined) throw new Error('pas encore');
      return value;
    },
    { timeout, interval: 100 },
  );
