/** Patch ids (see README « Faire évoluer »): each marks where a change of the workflows' commands begins. */

/** Pathways started before this patch run the frozen first version. */
export const FULL_PATHWAY_PATCH = 'full-pathway';

/**
 * From this patch on: closed tasks' Slack messages show their outcome, the commission posts its
 * case, appointments are sent with their invitation and reminder, and participants get their
 * monthly check-in during the follow-up.
 */
export const CHANNELS_PATCH = 'channels';

/**
 * From this patch on, a date that repeats is computed from its schedule's origin (the n-th monthly
 * check is the follow-up's start plus n months, never the previous check plus one), no monthly
 * check falls on the day the exit is due, and a deadline « in N days » keeps its Paris time of day
 * across a change of summer or winter time. Pathway, commission, marché, offer and collective
 * action workflows alike.
 */
export const SCHEDULES_FROM_ORIGIN_PATCH = 'schedules-from-origin';
