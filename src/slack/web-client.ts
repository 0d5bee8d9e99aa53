import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
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
 * the attempt, which Temporal retries after checking whether the post went through.
 */
export function postClient(env: Env): WebClient | undefined {
  if (!env.SLACK_BOT_TOKEN) return undefined;
  const apiUrl = slackApiUrl(env);
  return new WebClient(env.SLACK_BOT_TOKEN, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
}

/** Calls `call`, waiting out rate limits (Retry-After) up to `maxWaits` times; other errors go up. */
export async function withRateLimit<T>(call: () => Promise<T>, maxWaits = 5): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Error) || !isRateLimited(error) || waits >= maxWaits) throw error;
      const seconds = (error as WebAPIRateLimitedError).retryAfter;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, seconds) * 1000));
    }
  }
}

function isRateLimited(error: Error): boolean {
  return (error as Partial<WebAPIRateLimitedError>).code === ErrorCode.RateLimitedError;
}

/** Slack said no for good (channel not found, user deactivated…): retrying would not help. */
export function isPermanentSlackError(error: unknown): boolean {
  const code = (error as Partial<WebAPIPlatformError>).code;
  if (code !== ErrorCode.PlatformError) return false;
  const reason = (error as WebAPIPlatformError).data?.error ?? '';
  return !['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(reason);
}
