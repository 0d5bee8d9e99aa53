import { createHash } from 'node:crypto';

/**
 * A UUID derived from a business key (name-based, like UUID v5): an activity retried with the
 * same key writes the same row instead of a second one.
 */
export function uuidFromKey(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
