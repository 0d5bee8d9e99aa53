/** The faults a run injected, when (wall clock), and their counts for the report. */
import type { FakeSlackApi, Failure } from '../../test/helpers/slack-api.ts';
import type { Rng } from './rng.ts';
import type { UnexpectedExit } from './workers.ts';

/** The Slack methods the worker calls to post, find its copy, and update a message. */
const SLACK_METHODS = ['chat.postMessage', 'conversations.open', 'conversations.history', 'conversations.replies', 'chat.update'] as const;

export class FaultLog {
  private readonly outages: Array<{ kind: 'smtp' | 'postgres'; from: number; to: number | null; workflowMs: number | null }> = [];
  private readonly slackQueued: Record<Failure['kind'], number> = { ratelimit: 0, down: 0, lost: 0 };
  private storms = 0;
  private slack: FakeSlackApi | null = null;
  private kills = { count: 0, restartMs: [] as number[], unexpected: [] as UnexpectedExit[] };
  private webKills = { count: 0, restartMs: [] as number[] };
  private schedules = { asked: [] as string[], sweepsPlayed: 0 };
  readonly notes: string[] = [];

  outage(kind: 'smtp' | 'postgres', phase: 'stop' | 'start', workflowMs?: number): void {
    if (phase === 'stop') {
      this.outages.push({ kind, from: Date.now(), to: null, workflowMs: null });
      return;
    }
    const open = this.outages.findLast((o) => o.kind === kind && o.to === null);
    if (open) {
      open.to = Date.now();
      open.workflowMs = workflowMs ?? null;
    }
  }

  /** Queues `size` failures on the methods the worker calls: 429 (Retry-After 1 s), 503, and a few answers lost after Slack acted. */
  slackStorm(slack: FakeSlackApi, rng: Rng, size: number): void {
    this.slack = slack;
    this.storms += 1;
    for (let i = 0; i < size; i++) {
      const roll = rng.next();
      const failure: Failure = roll < 0.45 ? { kind: 'ratelimit', retryAfter: 1 } : roll < 0.9 ? { kind: 'down' } : { kind: 'lost' };
      slack.failNext(rng.pick(SLACK_METHODS), failure);
      this.slackQueued[failure.kind] += 1;
    }
  }

  note(text: string): void {
    this.notes.push(text);
  }

  setKills(count: number, restartMs: number[], unexpected: UnexpectedExit[]): void {
    this.kills = { count, restartMs, unexpected };
  }

  setWebKills(count: number, restartMs: number[]): void {
    this.webKills = { count, restartMs };
  }

  setSchedules(asked: string[], sweepsPlayed: number): void {
    this.schedules = { asked, sweepsPlayed };
  }


  /** When the last outage ended (wall clock), 0 before any. */
  lastOutageEnd(): number {
    return Math.max(0, ...this.outages.map((o) => o.to ?? Date.now()));
  }

  /** Wall-clock windows during which a copy of an email may be sent again for a fault's sake (outages). */
  windows(): Array<{ kind: string; from: number; to: number }> {
    return this.outages.map((o) => ({ kind: o.kind, from: o.from, to: o.to ?? Date.now() }));
  }

  summary() {
    // The fake API keeps its queue private; what is left of it was never met by a call.
    const left = (this.slack as unknown as { failures?: unknown[] } | null)?.failures?.length ?? 0;
    const queued = this.slackQueued.ratelimit + this.slackQueued.down + this.slackQueued.lost;
    return {
      workerKills: this.kills.count,
      workerRestartMedianMs: median(this.kills.restartMs),
      workerRestartMaxMs: this.kills.restartMs.length ? Math.max(...this.kills.restartMs) : null,
      webKills: this.webKills.count,
      webRestartMedianMs: median(this.webKills.restartMs),
      workerUnexpectedExits: this.kills.unexpected.map((u) => ({ worker: u.worker, code: u.code, signal: u.signal, tail: u.tail.slice(-5) })),
      postgresOutages: this.outages.filter((o) => o.kind === 'postgres').map((o) => ({ seconds: o.to ? (o.to - o.from) / 1000 : null })),
      smtpOutages: this.outages.filter((o) => o.kind === 'smtp').map((o) => ({ seconds: o.to ? (o.to - o.from) / 1000 : null, workflowMinutes: o.workflowMs === null ? null : Math.round(o.workflowMs / 60_000) })),
      slackStorms: this.storms,
      slackFailuresQueued: { ...this.slackQueued, total: queued },
      slackFailuresMet: queued - left,
      schedulesAskedByWorker: this.schedules.asked,
      sweepsPlayed: this.schedules.sweepsPlayed,
      notes: this.notes,
    };
  }
}

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
}
