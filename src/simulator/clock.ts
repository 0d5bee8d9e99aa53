/** The simulated calendar on the time-skipping server: scenario days, their instants, and sleeping to them. */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, daysBetween, parisDate, type CalendarDate } from '../domain/dates.ts';

const DAY_MS = 86_400_000;
const EVENT_SHIFT_MS = 10_000;

export async function simulationClock(env: TestWorkflowEnvironment, start: CalendarDate) {
  // Day 0 at noon in Paris (11:00 UTC): whatever the time of day, daylight saving never moves a
  // simulated day to the next calendar day.
  const now = await env.currentTimeMs();
  let day0 = Math.floor(now / DAY_MS) * DAY_MS + 11 * 3_600_000;
  while (day0 <= now) day0 += DAY_MS;
  /** Days the scenario's calendar is ahead of the server's clock. */
  const offset = daysBetween(parisDate(day0), start);
  return {
    day0,
    offset,
    /** A day given as a number of days from `start`, a calendar date, or else the fallback day. */
    dateOf: (value: unknown, fallbackDay: number): CalendarDate =>
      typeof value === 'number' ? addDays(start, value) : typeof value === 'string' ? value : addDays(start, fallbackDay),
    /**
     * Events of day N are played at noon minus N × 10 s: a timer set N days earlier for the same
     * day (a reminder, a prompt) always comes after the events of that day, so that an answer on the
     * due day is on time, whatever the few milliseconds the server took in between. At most
     * 10 hours early: still the same calendar day.
     */
    instantOfDay: (day: number) => day0 + day * DAY_MS - day * EVENT_SHIFT_MS,
    sleepUntil: async (target: number): Promise<void> => {
      const current = await env.currentTimeMs();
      if (target > current) await env.sleep(target - current);
    },
  };
}

/** Waits (30 s at most) until the workflows `ids()` names have no activity or workflow task in flight. */
export async function settle(client: Client, ids: () => Promise<string[]>): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const busy = await Promise.all(
      (await ids()).map(async (id) => {
        const description = await client.workflow.getHandle(id).describe();
        return (description.raw.pendingActivities?.length ?? 0) > 0 || description.raw.pendingWorkflowTask != null;
      }),
    );
    if (!busy.some(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
