import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createPathwayActivities } from './pathway.ts';

export type ActivityDeps = NotificationDeps;

/** All activities, with their dependencies injected (tests pass real local servers). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPathwayActivities(deps.db),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
