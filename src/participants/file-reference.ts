/**
 * A participant is named to staff by their file number: the first eight characters of their id
 * (`fileReference`). Forms accept it as well as the whole id, and searches look for its beginning.
 */
import type { Db } from '../db/client.ts';

/** A file number, or its beginning (one to eight hexadecimal characters). */
export const FILE_REFERENCE = /^[0-9a-f]{1,8}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids that begin with `prefix` (a file number or its beginning), as a range for an indexed query. */
export function fileReferenceRange(prefix: string): { gte: string; lte: string } {
  const start = prefix.toLowerCase();
  return { gte: `${start.padEnd(8, '0')}-0000-0000-0000-000000000000`, lte: `${start.padEnd(8, 'f')}-ffff-ffff-ffff-ffffffffffff` };
}

/**
 * The participant of the PLIE a full id or a file number names: null when none does; a French
 * sentence when the number is ambiguous (two ids that share their first eight characters).
 */
export async function participantByReference(db: Db, plieCode: string, reference: string): Promise<{ id: string } | null | { problem: string }> {
  const written = reference.trim();
  if (!FILE_REFERENCE.test(written) || written.length !== 8) {
    // Anything but an id would make PostgreSQL refuse the query.
    if (!UUID.test(written)) return null;
    return await db.participant.findFirst({ where: { id: written.toLowerCase(), plieCode }, select: { id: true } });
  }
  const found = await db.participant.findMany({ where: { id: fileReferenceRange(written), plieCode }, select: { id: true }, take: 2 });
  if (found.length > 1) return { problem: `plusieurs dossiers portent le numéro ${written.toUpperCase()} : donnez l’identifiant complet` };
  return found[0] ?? null;
}
