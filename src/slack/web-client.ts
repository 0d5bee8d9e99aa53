import { Context } from '@temporalio/activity';
import { ErrorCode, WebClient, type FetchFunction, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { slackApiUrl, type Env } from '../config/env.ts';

/**
 * The Web API client of the processes that talk to Slack. Interactions (acked already) may wait
 * a little for Slack: a few retries, honouring Retry-After. Activities post with `postClient`.
 */
export function slackClient(env: Env): WebClient | undefined {
  if (!env.SLACK_BOT_TOKEN) return undefined;
  const apiUrl = slackApiUrl(env);
  return new WebClient(env.SLACK_BOT_TOKEN, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 4, factor: 2, minTimeout: 500, maxTimeout: 8_000 },
    timeout: 10_000,
  });
}

/**
 * For activities: no retry inside the client (a post retried blindly could appear twice); a
 * rate limit is reported as such so the caller waits for Retry-After, and anything else fails
 * the attempt, which Temporal retries after checking whether the post went through. A request
 * made by an activity attempt that Temporal has cancelled (timed out, its workflow gone) is
 * aborted: the retry may already be running, and two attempts must not post side by side.
 */
export function postClient(env: Env): WebClient | undefined {
  if (!env.SLACK_BOT_TOKEN) return undefined;
  const apiUrl = slackApiUrl(env);
  return new WebClient(env.SLACK_BOT_TOKEN, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    fetch: abortedWithAttempt,
  });
}

/** The client's fetch, aborted with its own timeout or with the cancellation of the activity attempt that makes it. */
const abortedWithAttempt: FetchFunction = async (url, init) => {
  const attempt = currentAttempt()?.cancellationSignal;
  const own = init?.signal ?? undefined;
  const signal = attempt && own ? AbortSignal.any([own, attempt]) : (attempt ?? own);
  return await fetch(url, { ...init, ...(signal ? { signal } : {}) });
};

/**
 * The activity attempt running this code, if any (the bot's listeners and the tests also call
 * Slack outside any activity). Its context follows the call through promises.
 */
export function currentAttempt(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** While working or waiting, an activity says it is alive this often (Temporal throttles what it sends). */
export const HEARTBEAT_EVERY_MS = 5_000;

/** Tells Temporal the attempt is alive, when its activity was given a heartbeat timeout. */
export function heartbeat(attempt: Context | undefined = currentAttempt()): void {
  if (attempt?.info.heartbeatTimeoutMs) attempt.heartbeat();
}

/**
 * Runs `work` while heartbeating every few seconds (when the activity has a heartbeat timeout),
 * even during a slow send: the heartbeat's answer is how a live worker learns that Temporal gave
 * up on this attempt, and its cancellation then stops the work's next step.
 */
export async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const attempt = currentAttempt();
  if (!attempt?.info.heartbeatTimeoutMs) return await work();
  heartbeat(attempt);
  const timer = setInterval(() => heartbeat(attempt), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Calls `call`, waiting out rate limits (Retry-After) up to `maxWaits` times; other errors go up.
 * In an activity the wait heartbeats, and ends with a CancelledFailure when the attempt is
 * cancelled: a timed-out attempt does not post after its retry has begun.
 */
export async function withRateLimit<T>(call: () => Promise<T>, maxWaits = 5): Promise<T> {
  for (let waits = 0; ; waits++) {
    currentAttempt()?.cancellationSignal.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Error) || !isRateLimited(error) || waits >= maxWaits) throw error;
      const seconds = (error as WebAPIRateLimitedError).retryAfter;
      await waitOut(Math.max(1, seconds) * 1000);
    }
  }
}

/** Sleeps `ms`; inside an activity, heartbeating and stopping at its cancellation. */
async function waitOut(ms: number): Promise<void> {
  const attempt = currentAttempt();
  if (!attempt) return await new Promise((resolve) => setTimeout(resolve, ms));
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    heartbeat(attempt);
    await attempt.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
}

function isRateLimited(error: Error): boolean {
  return (error as Partial<WebAPIRateLimitedError>).code === ErrorCode.RateLimitedError;
}

/** Slack's error code when Slack answered with one (`account_inactive`, `invalid_auth`…), else null. */
export function slackErrorCode(error: unknown): string | null {
  if ((error as Partial<WebAPIPlatformError>).code !== ErrorCode.PlatformError) return null;
  return (error as WebAPIPlatformError).data?.error ?? '';
}

/**
 * Slack said no for good (channel not found, user deactivated, token revoked…): retrying would
 * not help. A member of staff is then written to by email instead.
 */
export function isPermanentSlackError(error: unknown): boolean {
  const reason = slackErrorCode(error);
  if (reason === null) return false;
  return !['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(reason);
}
