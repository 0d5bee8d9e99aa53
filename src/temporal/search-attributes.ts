import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/search-attributes.ts';

const { IndexedValueType } = proto.temporal.api.enums.v1;
/** gRPC status code of a registration already made. */
const ALREADY_EXISTS = 6;
const TYPES = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL } as const;

/**
 * Registers the pathway's search attributes on a namespace (test server, simulator; a cluster
 * does it once with `temporal operator search-attribute create`). Registering twice is harmless.
 */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_DEFINITIONS.map((d) => [d.name, TYPES[d.type]])),
    });
  } catch (error) {
    if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
  }
}
