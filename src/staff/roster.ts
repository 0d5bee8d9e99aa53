/**
 * Keeps running pathways in step with the PLIE's staff: when a coordinator joins or leaves, every
 * pathway of that PLIE still running hears the new list (a signal), so that its validators judge
 * who may act with today's roster, not the one of the day the pathway started; when anyone is
 * deactivated, the pathways they held come back to the coordination. Its offers, marchés and
 * collective actions hear the whole roster at each change; a commission vote, who left it.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Db } from '../db/client.ts';
import { coordinatorsChangedSignal, staffLeftSignal } from '../../workflows/pathway-messages.ts';
import { commissionMemberLeftSignal, staffRosterSignal } from '../../workflows/roster-messages.ts';
import { offerWorkflowId } from '../../workflows/offer-messages.ts';
import { procurementWorkflowId } from '../../workflows/procurement-messages.ts';
import { collectiveWorkflowId } from '../../workflows/collective-messages.ts';
import type { Channel } from '../domain/pathway/state.ts';
import { mayDo } from '../domain/permissions.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { StaffRoster } from '../domain/staff-roster.ts';
import { ErasedDataError } from '../temporal/data-keys.ts';
import { coordinatorsOf } from './directory.ts';

/** Sends the PLIE's coordinators to its running pathways; returns how many heard it. */
export async function announceCoordinators(db: Db, temporal: Client, plieCode: string): Promise<number> {
  const coordinators = await coordinatorsOf(db, plieCode);
  // A reoriented pathway has ended; an exited one may still wait for its FSE+ questionnaire.
  // An erased person's pathway is closed, and its key destroyed: nothing to tell it.
  const pathways = await db.pathway.findMany({ where: { participant: { plieCode, erasedAt: null }, stage: { not: 'reoriented' } }, select: { id: true } });
  return await signalEach(pathways, (id) => temporal.workflow.getHandle(id).signal(coordinatorsChangedSignal, { coordinators }));
}

/**
 * Tells the running pathways a deactivated member of staff held, or had an open task on, that
 * they left: each gives what was theirs to the coordination. Returns how many heard it.
 */
export async function announceDeparture(db: Db, temporal: Client, plieCode: string, email: string, by: { actor: string; channel: Channel }): Promise<number> {
  const theirs = { equals: email.trim(), mode: 'insensitive' as const };
  const pathways = await db.pathway.findMany({
    where: { participant: { plieCode, erasedAt: null }, stage: { not: 'reoriented' }, OR: [{ referentEmail: theirs }, { tasks: { some: { status: 'open', assigneeEmail: theirs } } }] },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const told = await signalEach(pathways, (id) => temporal.workflow.getHandle(id).signal(staffLeftSignal, { email: email.trim().toLowerCase(), ...by }));
  // Her seat in the commission votes still open is vacant (a vote she cast stays).
  const votes = await db.task.findMany({ where: { kind: 'commission_vote', status: 'open', assigneeEmail: theirs, pathway: { participant: { plieCode } } }, select: { commissionCaseId: true } });
  const cases = [...new Set(votes.flatMap((v) => (v.commissionCaseId ? [v.commissionCaseId] : [])))].map((id) => ({ id }));
  await signalEach(cases, (id) => temporal.workflow.getHandle(id).signal(commissionMemberLeftSignal, { email: email.trim().toLowerCase() }));
  return told;
}

/** The PLIE's staff as its running workflows judge with (see workflows/roster-messages.ts). */
export async function staffRosterOf(db: Db, plie: Pick<PlieConfig, 'code' | 'clauses'>, coordination: string): Promise<StaffRoster> {
  const staff = await db.staff.findMany({ where: { plieCode: plie.code }, select: { email: true, roles: true, active: true }, orderBy: { email: 'asc' } });
  const low = (email: string) => email.trim().toLowerCase();
  const active = staff.filter((s) => s.active);
  return {
    coordination: low(coordination),
    coordinators: active.filter((s) => s.roles.includes('COORDINATEUR')).map((s) => low(s.email)),
    facilitators: [...new Set([...active.filter((s) => s.roles.includes('FACILITATEUR')).map((s) => low(s.email)), ...plie.clauses.facilitators.map(low)])],
    followers: active.filter((s) => mayDo(s, 'followMarches')).map((s) => low(s.email)),
    departed: staff.filter((s) => !s.active).map((s) => low(s.email)),
  };
}

/**
 * Sends the roster to the PLIE's offers, marchés and collective actions that may still be running
 * (the records say which; one that has finished since is passed over). Returns how many heard it.
 */
export async function announceRoster(db: Db, temporal: Client, plie: Pick<PlieConfig, 'code' | 'clauses'>, coordination: string): Promise<number> {
  const roster = await staffRosterOf(db, plie, coordination);
  const offers = await db.jobOffer.findMany({ where: { plieCode: plie.code, status: { not: 'CLOSE' } }, select: { id: true } });
  const marches = await db.procurement.findMany({ where: { plieCode: plie.code, status: { not: 'CLOS' } }, select: { id: true } });
  const attended = await db.auditEvent.findMany({ where: { action: 'collective.attendance', entityType: 'collective_action' }, select: { entityId: true } });
  const actions = await db.collectiveAction.findMany({ where: { plieCode: plie.code, id: { notIn: attended.map((a) => a.entityId) } }, select: { id: true } });
  const ids = [...offers.map((o) => offerWorkflowId(o.id)), ...marches.map((m) => procurementWorkflowId(m.id)), ...actions.map((a) => collectiveWorkflowId(a.id))];
  return await signalEach(
    ids.map((id) => ({ id })),
    (id) => temporal.workflow.getHandle(id).signal(staffRosterSignal, roster),
  );
}

async function signalEach(pathways: Array<{ id: string }>, signal: (id: string) => Promise<void>): Promise<number> {
  let told = 0;
  for (const { id } of pathways) {
    try {
      await signal(id);
      told += 1;
    } catch (error) {
      // Finished since (its questionnaire answered or lapsed), or its person erased: nothing left to judge there.
      if (!(error instanceof WorkflowNotFoundError) && !(error instanceof ErasedDataError)) throw error;
    }
  }
  return told;
}
