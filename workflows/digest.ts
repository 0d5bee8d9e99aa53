/** Once a day (a Temporal Schedule starts it): the digest of open and overdue tasks for staff without Slack. */
import { notices } from './proxies.ts';
import { parisDate } from '../src/domain/dates.ts';

export const DIGEST_WORKFLOW = 'dailyDigestWorkflow';

export async function dailyDigestWorkflow(): Promise<number> {
  return await notices.sendDailyDigests({ day: parisDate(Date.now()) });
}
