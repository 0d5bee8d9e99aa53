/** What the chaos worker prints on stdout for the harness (whatever its LOG_LEVEL). */
export const READY_MARKER = 'CHAOS_WORKER_READY';
export const STANDBY_MARKER = 'CHAOS_WORKER_STANDBY';
/** Followed by JSON: a Schedule the worker asked for (the time-skipping server has none). */
export const SCHEDULE_MARKER = 'CHAOS_SCHEDULE';
