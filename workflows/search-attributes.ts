/**
 * Custom search attributes of the pathway workflow, so that the Temporal Web UI can list pathways
 * by stage, referent and lateness. They must be registered on the namespace (the dev server gets
 * them as flags; a cluster through `temporal operator search-attribute create`, see deploy/).
 * The referent is a staff address, never a participant's data.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const STAGE_KEY = defineSearchAttributeKey('PlieStage', SearchAttributeType.KEYWORD);
export const REFERENT_KEY = defineSearchAttributeKey('PlieReferent', SearchAttributeType.KEYWORD);
export const OVERDUE_KEY = defineSearchAttributeKey('PlieOverdue', SearchAttributeType.BOOL);

/** Name and type of each, as the server's registration wants them. */
export const SEARCH_ATTRIBUTE_DEFINITIONS = [
  { name: STAGE_KEY.name, type: 'Keyword' },
  { name: REFERENT_KEY.name, type: 'Keyword' },
  { name: OVERDUE_KEY.name, type: 'Bool' },
] as const;
