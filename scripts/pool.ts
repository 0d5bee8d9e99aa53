/** Runs `work` for each index from 0 to `count` − 1, `concurrency` at a time (the harnesses' load). */
export async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Runs `work` on each item, `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  await pool(items.length, limit, (i) => work(items[i]!));
}
