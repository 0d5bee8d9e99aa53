import type { Payload } from '@temporalio/common';

/** Every payload in a history as the server keeps it (an object with metadata and data bytes), but below the keys `skip` names. */
export function payloadsIn(value: unknown, skip: readonly string[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return [];
  const record = value as Record<string, unknown>;
  const own = record.metadata && record.data instanceof Uint8Array ? [record as Payload] : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => (skip.includes(key) ? [] : payloadsIn(child, skip)))];
}

/** Its encoding, as the payload's metadata names it. */
export const encodingOf = (payload: Payload): string => Buffer.from(payload.metadata?.encoding ?? []).toString('utf8');
