/**
 * Activities by family: each workflow reaches only its own (the frozen v1 keeps its own copy).
 * Two kinds of options: database writes, retried until they succeed (they are idempotent), and
 * messages, given up after about forty minutes (10 attempts, 10 s doubling up to 10 min) with the
 * message recorded as not sent, so that a mail or Slack outage never holds a workflow; the sweep
 * of messages (workflows/message-sweep.ts) sends it again once the outage is over.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type {
  CollectiveActivities,
  ProcurementActivities,
  NotificationActivities,
  OfferActivities,
  PathwayActivities,
  RecordFailureActivities,
  RetentionActivities,
  SlackMessageActivities,
} from '../activities/index.ts';
import { RECORD_IMPOSSIBLE } from './best-effort.ts';

/**
 * A database write takes milliseconds, a transition's batch a few more; 20 s leave room for a
 * loaded database, and bound how long a write left by a dead worker waits before its retry.
 */
const RECORD: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/**
 * A message is a few calls to Slack or to the mail server, each bounded (10 s for Slack, about a
 * minute and a half for SMTP: src/email/transport.ts), and Slack's rate limits waited out
 * (Retry-After): five minutes hold them with room to spare, so that an attempt ends, sent or
 * failed, before Temporal gives up on it. While it works and waits it heartbeats: a worker gone is
 * noticed within half a minute, and a live one learns from the heartbeat's answer that its attempt
 * was given up, and stops rather than sending beside its retry.
 */
const NOTICE: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
};

type TaskNotices = Pick<NotificationActivities, 'notifyTask'> & Pick<SlackMessageActivities, 'showTaskOutcome'>;

/** The pathway: its projection into the database, and what it tells staff and the participant. */
export const pathwayRecords = proxyActivities<
  Pick<PathwayActivities, 'recordStage' | 'assessEligibility' | 'openTask' | 'closeTask' | 'recordPathwayFact' | 'recordExit' | 'recordFseDataPoint' | 'commissionRoster' | 'referentStaffId' | 'closeInterruptedCommission'>
>(RECORD);
/**
 * The pathway's writes (workflows/pathway-effects.ts): a write no retry can mend (a row gone, a value
 * refused: type RECORD_IMPOSSIBLE) is not retried; the pathway reports it to the coordination and
 * goes on. Reads it cannot do without (eligibility, the commission's roster) retry until mended.
 */
export const pathwayWrites = proxyActivities<
  Pick<PathwayActivities, 'recordStage' | 'openTask' | 'closeTask' | 'recordPathwayFact' | 'recordExit' | 'recordFseDataPoint' | 'recordTransition' | 'closeInterruptedCommission'>
>({ ...RECORD, retry: { ...RECORD.retry, nonRetryableErrorTypes: [RECORD_IMPOSSIBLE] } });
/** The report of such a write to the coordination: a message like the others. */
export const recordFailureNotices = proxyActivities<RecordFailureActivities>(NOTICE);
export const pathwayNotices = proxyActivities<TaskNotices & Pick<NotificationActivities, 'notifyParticipant' | 'notifyReferentChange' | 'notifyPrescriber'>>(NOTICE);

export const commissionRecords = proxyActivities<
  Pick<PathwayActivities, 'openTask' | 'closeTask' | 'recordCommissionCase' | 'recordCommissionVote' | 'closeCommissionCase'>
>(RECORD);
export const commissionNotices = proxyActivities<TaskNotices & Pick<SlackMessageActivities, 'showCommissionCase'>>(NOTICE);

export const procurementRecords = proxyActivities<Pick<ProcurementActivities, 'marchePersons' | 'saveMarcheHours' | 'validateMarcheHours' | 'closeMarcheRecord'>>(RECORD);
export const procurementNotices = proxyActivities<Pick<ProcurementActivities, 'requestMarcheHours' | 'promptFacilitator' | 'sendMarcheBilan'>>(NOTICE);

export const offerRecords = proxyActivities<Pick<OfferActivities, 'openPlacements' | 'recordPlacement' | 'closeOfferRecord'>>(RECORD);
export const offerNotices = proxyActivities<Pick<OfferActivities, 'promptPlacement'>>(NOTICE);

export const collectiveRecords = proxyActivities<Pick<CollectiveActivities, 'saveInvitations' | 'saveAttendance'>>(RECORD);
export const collectiveNotices = proxyActivities<Pick<CollectiveActivities, 'sendCollectiveEmail' | 'promptAttendance'>>(NOTICE);

// A sign-in link is worth sending only while it is valid: a few attempts within its 15 minutes.
export const signInNotices = proxyActivities<Pick<NotificationActivities, 'sendSignInLink'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});

export const resendNotices = proxyActivities<Pick<NotificationActivities, 'resendMessage'>>(NOTICE);
export const resendMarcheNotices = proxyActivities<Pick<ProcurementActivities, 'resendMarcheMessage'>>(NOTICE);

/** The morning digest: who gets one (the database only), then each person's, on its own. */
export const digestRecords = proxyActivities<Pick<NotificationActivities, 'digestRecipients'>>(RECORD);
export const digestNotices = proxyActivities<Pick<NotificationActivities, 'sendDigest' | 'sendDailyDigests'>>(NOTICE);

/**
 * The sweep of messages: which to send again (the database only), then each once, without
 * retries of its own: the next sweep, a quarter of an hour later, is the retry.
 */
export const sweepRecords = proxyActivities<Pick<NotificationActivities, 'messagesToSweep'>>(RECORD);
export const sweepNotices = proxyActivities<Pick<NotificationActivities, 'resendMessage'> & Pick<ProcurementActivities, 'resendMarcheMessage'>>({
  ...NOTICE,
  retry: { maximumAttempts: 1 },
});

/** A batch of pseudonymisations may take minutes on a first run over years of history. */
export const retention = proxyActivities<RetentionActivities>({ ...RECORD, startToCloseTimeout: '30 minutes' });
