/**
 * Keeps running pathways in step with the PLIE's coordination: when a coordinator joins or leaves,
 * every pathway of that PLIE still running hears the new list (a signal), so that its validators
 * judge who may act with today's roster, not the one of the day the pathway started.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../db/client.ts';
import { coordinatorsChangedSignal } from '../../workflows/pathway-messages.ts';
import { coordinatorsOf } from './directory.ts';

/** Sends the PLIE's coordinators to its running pathways; returns how many heard it. */
export async function announceCoordinators(db: Db, temporal: Client, plieCode: string): Promise<number> {
  const coordinators = await coordinatorsOf(db, plieCode);
  // A reoriented pathway has ended; an exited one may still wait for its FSE+ questionnaire.
  const pathways = await db.pathway.findMany({ where: { participant: { plieCode }, stage: { not: 'reoriented' } }, select: { id: true } });
  let told = 0;
  for (const { id } of pathways) {
    try {
      await temporal.workflow.getHandle(id).signal(coordinatorsChangedSignal, { coordinators });
      told += 1;
    } catch (error) {
      // Finished since (its questionnaire answered or lapsed): nothing left to judge there.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return told;
}
