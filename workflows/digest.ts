/**
 * Once a day (a Temporal Schedule starts it): the digest of open and overdue tasks for staff
 * without Slack. Who gets one is read first; then each person's digest is an activity of its own,
 * under its own key (PLIE, address, day): a retry, or a second run the same day, never sends one
 * twice, and one person's failure holds no one else's.
 */
import { patched } from '@temporalio/workflow';
import { deliver } from './best-effort.ts';
import { digestNotices, digestRecords } from './proxies.ts';
import { parisDate } from '../src/domain/dates.ts';

export const DIGEST_WORKFLOW = 'dailyDigestWorkflow';

/**
 * Patch id (see workflows/patches.ts and the README « Faire évoluer »): from this patch on, the
 * digest lists its recipients, then sends each one's digest by an activity of its own; a run begun
 * before it (a digest still retrying at the deployment) replays its single activity for everyone.
 */
export const DIGEST_PER_RECIPIENT_PATCH = 'digest-per-recipient';

/** Digests sent side by side: enough to be quick, few enough for the mail server's pool. */
const AT_ONCE = 5;

/** How many digests went. */
export async function dailyDigestWorkflow(): Promise<number> {
  const day = parisDate(Date.now());
  if (!patched(DIGEST_PER_RECIPIENT_PATCH)) return await digestNotices.sendDailyDigests({ day });
  const recipients = await digestRecords.digestRecipients({ day });
  let sent = 0;
  for (let i = 0; i < recipients.length; i += AT_ONCE) {
    await Promise.all(
      recipients.slice(i, i + AT_ONCE).map(async (staffId) => {
        // Not sent after its retries: recorded as failed by its activity, and shown to the coordination.
        await deliver(async () => {
          if (await digestNotices.sendDigest({ staffId, day })) sent += 1;
        }, { staffId });
      }),
    );
  }
  return sent;
}
