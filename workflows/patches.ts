/** Patch ids (see README « Faire évoluer »): each marks where a change of the workflows' commands begins. */

/** Pathways started before this patch run the frozen first version. */
export const FULL_PATHWAY_PATCH = 'full-pathway';

/** From this patch on, closed tasks' Slack messages show their outcome and the commission posts its case. */
export const SLACK_MESSAGES_PATCH = 'slack-messages';
