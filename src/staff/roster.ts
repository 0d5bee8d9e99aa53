/**
 * Keeps running pathways in step with the PLIE's staff: when a coordinator joins or leaves, every
 * pathway of that PLIE still running hears the new list (a signal), so that its validators judge
 * who may act with today's roster, not the one of the day the pathway started; when anyone is
 * deactivated, the pathways they held come back to the coordination.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../db/client.ts';
import { coordinatorsChangedSignal, staffLeftSignal } from '../../workflows/pathway-messages.ts';
import type { Channel } from '../domain/pathway/state.ts';
import { coordinatorsOf } from './directory.ts';

/** Sends the PLIE's coordinators to its running pathways; returns how many heard it. */
export async function announceCoordinators(db: Db, temporal: Client, plieCode: string): Promise<number> {
  const coordinators = await coordinatorsOf(db, plieCode);
  // A reoriented pathway has ended; an exited one may still wait for its FSE+ questionnaire.
  const pathways = await db.pathway.findMany({ where: { participant: { plieCode }, stage: { not: 'reoriented' } }, select: { id: true } });
  return await signalEach(pathways, (id) => temporal.workflow.getHandle(id).signal(coordinatorsChangedSignal, { coordinators }));
}

/**
 * Tells the running pathways a deactivated member of staff held, or had an open task on, that
 * they left: each gives what was theirs to the coordination. Returns how many heard it.
 */
export async function announceDeparture(db: Db, temporal: Client, plieCode: string, email: string, by: { actor: string; channel: Channel }): Promise<number> {
  const theirs = { equals: email.trim(), mode: 'insensitive' as const };
  const pathways = await db.pathway.findMany({
    where: { participant: { plieCode }, stage: { not: 'reoriented' }, OR: [{ referentEmail: theirs }, { tasks: { some: { status: 'open', assigneeEmail: theirs } } }] },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return await signalEach(pathways, (id) => temporal.workflow.getHandle(id).signal(staffLeftSignal, { email: email.trim().toLowerCase(), ...by }));
}

async function signalEach(pathways: Array<{ id: string }>, signal: (id: string) => Promise<void>): Promise<number> {
  let told = 0;
  for (const { id } of pathways) {
    try {
      await signal(id);
      told += 1;
    } catch (error) {
      // Finished since (its questionnaire answered or lapsed): nothing left to judge there.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return told;
}
