/** Activity options shared by the workflows (the frozen v1 keeps its own copy). */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

/** Database writes: retried until they succeed (they are idempotent). */
export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Emails are retried for about forty minutes (10 attempts, 10 s doubling up to 10 min), then
 * given up, the message staying recorded as not sent: a mail outage must not hold the pathway.
 */
export const notices = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});
