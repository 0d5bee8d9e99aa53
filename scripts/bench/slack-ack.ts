/**
 * Slack's acknowledgement: signed clicks (the « Désigner… » button of an open task, which opens
 * its form in a modal) sent 10 at a time to the application's web process and to a bare Bolt app
 * whose one listener only acknowledges, in alternate rounds with the same payloads. Measured: the
 * time until the HTTP answer (Slack wants it within 3 s).
 */
import { payloads, postSigned } from '../../test/helpers/slack-requests.ts';
import { pool } from '../pool.ts';
import { latencies, ratio, type Latencies } from './stats.ts';

export interface SlackAckFigures {
  clicks: number;
  concurrency: number;
  app: Latencies;
  bare: Latencies;
  /** App over bare; the goal is ≤ 1.5 for the 99th percentile. */
  p50Ratio: number;
  p99Ratio: number;
}

const ROUND = 50;

export async function benchSlackAck(opts: { appUrl: string; bareUrl: string; secret: string; user: string; taskId: string; clicks: number; concurrency: number }): Promise<SlackAckFigures> {
  const app: number[] = [];
  const bare: number[] = [];
  const click = async (url: string, into: number[]) => {
    const body = new URLSearchParams({ payload: JSON.stringify(payloads.click(opts.user, 'task_form', opts.taskId)) }).toString();
    const t = performance.now();
    // Signed as Slack signs (the HMAC takes microseconds, the same for both).
    const response = await postSigned(url, body, { secret: opts.secret, contentType: 'application/x-www-form-urlencoded' });
    into.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`${url} : HTTP ${response.status}`);
  };
  // A first round of each, not counted: connections opened, code paths compiled.
  await pool(opts.concurrency, opts.concurrency, () => click(opts.appUrl, []));
  await pool(opts.concurrency, opts.concurrency, () => click(opts.bareUrl, []));
  for (let done = 0; done < opts.clicks; done += ROUND) {
    const size = Math.min(ROUND, opts.clicks - done);
    await pool(size, opts.concurrency, () => click(opts.appUrl, app));
    await pool(size, opts.concurrency, () => click(opts.bareUrl, bare));
  }
  const a = latencies(app);
  const b = latencies(bare);
  return { clicks: opts.clicks, concurrency: opts.concurrency, app: a, bare: b, p50Ratio: ratio(a.p50Ms, b.p50Ms), p99Ratio: ratio(a.p99Ms, b.p99Ms) };
}
