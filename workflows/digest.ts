/** Once a day (a Temporal Schedule starts it): the digest of open and overdue tasks for staff without Slack. */
import { digestNotices } from './proxies.ts';
import { parisDate } from '../src/domain/dates.ts';

export const DIGEST_WORKFLOW = 'dailyDigestWorkflow';

export async function dailyDigestWorkflow(): Promise<number> {
  return await digestNotices.sendDailyDigests({ day: parisDate(Date.now()) });
}
