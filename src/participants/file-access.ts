/** Who may open a participant's file, read from the projection: the one check of the API and the CLI. */
import type { Db } from '../db/client.ts';
import { mayActOnPathway, type Actor } from '../domain/permissions.ts';
import { currentPathwayId } from './reenter.ts';

/** The referent holding the participant's current pathway, or the coordination (for a file of their PLIE: checked by the caller). */
export async function mayOpenFile(db: Db, participantId: string, who: Actor): Promise<boolean> {
  const pathway = await db.pathway.findUnique({ where: { id: await currentPathwayId(db, participantId) }, select: { referentEmail: true } });
  return mayActOnPathway(who, pathway?.referentEmail ?? null);
}
