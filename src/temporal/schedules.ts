/** The Temporal Schedules of the deployment, created by the worker at start if missing. */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { DIGEST_WORKFLOW } from '../../workflows/digest.ts';
import { MESSAGE_SWEEP_WORKFLOW } from '../../workflows/message-sweep.ts';
import { RETENTION_WORKFLOW } from '../../workflows/retention.ts';

export const DIGEST_SCHEDULE_ID = 'plie-recapitulatif-quotidien';

/** The daily digest at 7:30, Paris time, on working days. */
export async function ensureDigestSchedule(client: Client, taskQueue: string, scheduleId = DIGEST_SCHEDULE_ID): Promise<'created' | 'existing'> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 7, minute: 30, dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] }], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: DIGEST_WORKFLOW, workflowId: `${scheduleId}-run`, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'existing';
    throw error;
  }
}

export const RETENTION_SCHEDULE_ID = 'plie-conservation-quotidienne';

/** The retention every night at 3:15, Paris time: pseudonymisations and deletions whose time has come. */
export async function ensureRetentionSchedule(client: Client, taskQueue: string, scheduleId = RETENTION_SCHEDULE_ID): Promise<'created' | 'existing'> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 15 }], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: RETENTION_WORKFLOW, workflowId: `${scheduleId}-run`, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'existing';
    throw error;
  }
}

export const MESSAGE_SWEEP_SCHEDULE_ID = 'plie-renvoi-des-messages';

/**
 * Every quarter of an hour: the messages that did not go out sent again (workflows/message-sweep.ts).
 * A Schedule, rather than a pass at the worker's start: it runs whatever the workers' restarts, one
 * run at a time however many workers there are (an overlapping run is skipped), and shows in
 * Temporal's UI with its runs.
 */
export async function ensureMessageSweepSchedule(client: Client, taskQueue: string, scheduleId = MESSAGE_SWEEP_SCHEDULE_ID): Promise<'created' | 'existing'> {
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '15 minutes' }] },
      action: { type: 'startWorkflow', workflowType: MESSAGE_SWEEP_WORKFLOW, workflowId: `${scheduleId}-run`, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '15 minutes' },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'existing';
    throw error;
  }
}
