/**
 * Plays a job offer's follow-up and a collective action on the simulator's time-skipping server,
 * for `npm run record-history -- relation`: the histories of the offre and collective action
 * workflows, replayed by the replay test. Participants are bare records of a throwaway database.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/client.ts';
import { toDbDate } from '../src/db/dates.ts';
import { createCollectiveAction } from '../src/collective/actions.ts';
import { inviteParticipants, recordCollectiveAttendance, startCollective } from '../src/collective/client.ts';
import { addDays, parisDate, parisInstant } from '../src/domain/dates.ts';
import { registerOffer } from '../src/offers/offers.ts';
import { offerInput, offerState, startOffer } from '../src/offers/placements.ts';
import type { Simulator } from '../src/simulator/simulate.ts';
import { collectiveWorkflowId } from '../workflows/collective-messages.ts';
import { decidePlacementUpdate, offerWorkflowId } from '../workflows/offer-messages.ts';
import { staffRosterOf } from '../src/staff/roster.ts';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';

const DAY = 86_400_000;
const COORDINATOR = 'c1@simulation.invalid';
const REFERENT = 'r1@simulation.invalid';

async function participant(db: Db, plieCode: string, wishes: string[]): Promise<string> {
  const id = randomUUID();
  await db.participant.create({ data: { id, plieCode, firstName: 'Simulation', lastName: id.slice(0, 8), identityKey: id, birthDate: toDbDate('1985-01-01'), email: `${id.slice(0, 8)}@simulation.invalid`, sectorWishes: wishes, activeJobSearch: true, createdBy: 'simulation' } });
  await db.pathway.create({ data: { id: `parcours-${id}`, participantId: id, stage: 'active', referentEmail: REFERENT } });
  return id;
}

export async function playRelation(db: Db, simulator: Simulator): Promise<{ offre: string; collective: string }> {
  const { env, taskQueue } = simulator.server();
  const client = env.client;
  const plieCode = 'CASA';
  const [first, second] = [await participant(db, plieCode, ['logistique']), await participant(db, plieCode, ['préparateur de commandes'])];
  // The staff the workflows are given at their start, as the console and the CLI give them.
  await db.staff.createMany({ data: [{ plieCode, email: COORDINATOR, name: 'Coordination', roles: ['COORDINATEUR'] }, { plieCode, email: REFERENT, name: 'Référente', roles: ['REFERENT'] }], skipDuplicates: true });
  const roster = await staffRosterOf(db, { code: plieCode, clauses: CASA_CONFIG.clauses }, COORDINATOR);

  // The offer: one proposal leads to an interview and a hire, the other is not proposed; a reminder and a follow-up question on the way.
  const offer = await registerOffer(db, plieCode, { company: 'Entrepôt Azur', jobTitle: 'Préparateur de commandes', sector: 'Logistique', contractType: 'CDD', weeklyHours: 35 }, COORDINATOR);
  await startOffer(client, taskQueue, offerInput(offer.id, COORDINATOR, { roster }));
  let state = await offerState(client, offer.id).catch(() => null);
  for (let attempt = 0; !state || Object.keys(state.placements).length < 2; attempt++) {
    if (attempt > 300) throw new Error('les deux mises en relation ne sont pas ouvertes');
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await offerState(client, offer.id).catch(() => null);
  }
  const [a, b] = Object.keys(state.placements) as [string, string];
  const offre = client.workflow.getHandle(offerWorkflowId(offer.id));
  const decide = (placementId: string, decision: 'propose' | 'decline' | 'interview' | 'hired', reason?: string) =>
    offre.executeUpdate(decidePlacementUpdate, { args: [{ placementId, decision, ...(reason ? { reason } : {}), actor: REFERENT, channel: 'simulation' }] });
  await env.sleep(8 * DAY);
  await decide(a, 'propose');
  await decide(b, 'decline', 'Pas disponible en ce moment');
  await env.sleep(22 * DAY);
  await decide(a, 'interview');
  await decide(a, 'hired');
  await offre.result();

  // The collective action: invitations, the reminder, the attendance prompt, then the attendance.
  const day = addDays(parisDate(await env.currentTimeMs()), 10);
  const action = await createCollectiveAction(db, plieCode, { kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de la logistique', date: day, time: '14:00', place: 'PLIE', organizerEmail: REFERENT }, REFERENT);
  await startCollective(client, taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: 120, organizerEmail: REFERENT, coordinatorEmail: COORDINATOR, calendarOffsetDays: 0, roster });
  await inviteParticipants(client, action.id, { participantIds: [first, second], actor: REFERENT, channel: 'simulation' });
  await env.sleep(parisInstant(day, '18:00') - (await env.currentTimeMs()));
  await recordCollectiveAttendance(client, action.id, { present: [first, second], misesEnRelation: [first], hires: [], actor: REFERENT, channel: 'simulation' });
  await client.workflow.getHandle(collectiveWorkflowId(action.id)).result();
  return { offre: offerWorkflowId(offer.id), collective: collectiveWorkflowId(action.id) };
}
