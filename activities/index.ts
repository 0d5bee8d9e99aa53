import { CASA_CONFIG, type PlieConfig } from '../src/domain/plie-config.ts';
import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createPathwayActivities } from './pathway.ts';

export interface ActivityDeps extends NotificationDeps {
  /** The configuration of a PLIE by code (eligibility rules); the CASA protocol by default. */
  plieConfig?: (code: string) => Promise<PlieConfig>;
}

/** All activities, with their dependencies injected (tests pass real local servers). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPathwayActivities(deps.db, deps.plieConfig ?? (async () => CASA_CONFIG)),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
