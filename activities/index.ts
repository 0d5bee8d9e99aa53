import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import { createProcurementActivities } from './procurement.ts';
import { createOfferActivities } from './offers.ts';
import { createCollectiveActivities } from './collective.ts';
import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createPathwayActivities } from './pathway.ts';
import { createRecordFailureActivities } from './record-failures.ts';
import { createRetentionActivities } from './retention.ts';
import { createSlackMessageActivities } from './slack-messages.ts';

export type ActivityDeps = NotificationDeps;

/** All activities, with their dependencies injected (tests pass real local servers). */
export function createActivities(deps: ActivityDeps) {
  const plieConfig = deps.plieConfig ?? (async () => CASA_CONFIG);
  return {
    ...createPathwayActivities(deps.db, plieConfig),
    ...createNotificationActivities(deps),
    ...createSlackMessageActivities({ ...deps, plieConfig }),
    ...createProcurementActivities({ ...deps, plieConfig }),
    ...createOfferActivities(deps),
    ...createCollectiveActivities(deps),
    ...createRetentionActivities({ ...deps, plieConfig }),
    ...createRecordFailureActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

// The families, for the workflows' proxies (workflows/proxies.ts): each workflow reaches only its own.
export type PathwayActivities = ReturnType<typeof createPathwayActivities>;
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
export type SlackMessageActivities = ReturnType<typeof createSlackMessageActivities>;
export type ProcurementActivities = ReturnType<typeof createProcurementActivities>;
export type OfferActivities = ReturnType<typeof createOfferActivities>;
export type CollectiveActivities = ReturnType<typeof createCollectiveActivities>;
export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
export type RecordFailureActivities = ReturnType<typeof createRecordFailureActivities>;
/** One write of a pathway's transition, as the workflow batches them (`recordTransition`). */
export type { PathwayWrite } from './pathway-writes.ts';
