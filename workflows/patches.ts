/** Patch ids (see README « Faire évoluer »): each marks where a change of the workflows' commands begins. */

/** Pathways started before this patch run the frozen first version. */
export const FULL_PATHWAY_PATCH = 'full-pathway';

/**
 * From this patch on: closed tasks' Slack messages show their outcome, the commission posts its
 * case, appointments are sent with their invitation and reminder, and participants get their
 * monthly check-in during the follow-up.
 */
export const CHANNELS_PATCH = 'channels';
