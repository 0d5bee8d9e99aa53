/** Figures of a benchmark: percentiles, ratios, and a pool of concurrent callers. */

export interface Latencies {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function latencies(values: number[]): Latencies {
  const round = (v: number) => Math.round(v * 10) / 10;
  return { count: values.length, p50Ms: round(percentile(values, 50)), p99Ms: round(percentile(values, 99)) };
}

/** `value / baseline`, two decimals. */
export function ratio(value: number, baseline: number): number {
  return Math.round((value / baseline) * 100) / 100;
}

/** Milliseconds `call` took. */
export async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await call();
  return { ms: performance.now() - t, value };
}
