import { expect } from 'vitest';

/** Every key of `expected` is in `actual`, recursively; numbers agree to 12 decimal places. */
export function expectSubset(actual: unknown, expected: unknown, where = 'rapport'): void {
  if (typeof expected === 'number') {
    expect(actual, where).toBeCloseTo(expected, 12);
  } else if (expected && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) {
      expectSubset((actual as Record<string, unknown> | undefined)?.[key], value, `${where}.${key}`);
    }
  } else {
    expect(actual, where).toEqual(expected);
  }
}
