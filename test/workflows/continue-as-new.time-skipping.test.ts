/**
 * A marché, a job offer and a collective action whose history passes its bound go on in a new run
 * (continue-as-new) with their whole state, on the time-skipping server with the real worker,
 * PostgreSQL and SMTP: with a bound small enough to continue after nearly every step, each goes on
 * to its normal end with every question, reminder and record once, at the time it was due, and the
 * roster heard before a new run still judging after it. Every run's history replays on the bundle.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createCollectiveAction } from '../../src/collective/actions.ts';
import { inviteParticipants, recordCollectiveAttendance, startCollective } from '../../src/collective/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { addDays, addDaysToInstant, addMonths, parisDate, parisInstant } from '../../src/domain/dates.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { clauseMonths, hoursRequestDay, monthLabel } from '../../src/domain/procurement.ts';
import { registerOffer } from '../../src/offers/offers.ts';
import { offerInput, offerState, startOffer } from '../../src/offers/placements.ts';
import { recordHire } from '../../src/procurement/hire.ts';
import { proposeCandidate, registerProcurement } from '../../src/procurement/register.ts';
import { procurementInput } from '../../src/procurement/start.ts';
import { announceRoster, staffRosterOf } from '../../src/staff/roster.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { chaseCompany, declareHours, reviewHours, startProcurement } from '../../src/temporal/procurement-client.ts';
import { refusedInFrench } from '../../src/temporal/refusals.ts';
import { collectiveWorkflowId, type CollectiveState } from '../../workflows/collective-messages.ts';
import { decidePlacementUpdate, offerWorkflowId, type OfferState } from '../../workflows/offer-messages.ts';
import { procurementWorkflowId, type ProcurementState } from '../../workflows/procurement-messages.ts';
import { found } from '../helpers/found.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { startTimeSkipping, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

const run = randomBytes(3).toString('hex');
const taskQueue = uniqueQueue('continue-as-new');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A run continues at its first pause past 12 events: after nearly every step (a fresh run's first pause is at 3 to 5). */
const BOUND = 12;
/** Workflow time of a message against its due instant: the timer fires at it, the activity takes its time from the same task. */
const ON_TIME_MS = 60_000;

let env: TestWorkflowEnvironment;
let stack: WorkerStack;
let closeTemporal: () => Promise<void>;

beforeAll(async () => {
  ({ env, close: closeTemporal } = await startTimeSkipping(TEST_PAYLOAD_KEYS));
  stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys: TEST_PAYLOAD_KEYS });
});

afterAll(async () => {
  await stack?.stop();
  await closeTemporal?.();
});

interface Run {
  runId: string;
  status: string;
  startedAt: number;
  history: temporal.api.history.v1.IHistory;
}

/** The runs of a workflow, first to last: each new run names the one it continues. */
async function runsOf(workflowId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | undefined = (await env.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const handle = env.client.workflow.getHandle(workflowId, runId);
    const history: temporal.api.history.v1.IHistory = await handle.fetchHistory();
    const started = history.events?.[0];
    const time = started?.eventTime;
    runs.unshift({ runId, status: (await handle.describe()).status.name, startedAt: Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6), history });
    runId = started?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/** How many times each activity was scheduled, over all the runs (a retry is the same scheduling). */
function activitiesOf(runs: Run[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of runs) {
    for (const e of r.history.events ?? []) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

/** Every run continued as new but the last, which ended; each replays on the current bundle. */
async function expectContinuedThenCompleted(workflowId: string): Promise<Run[]> {
  const runs = await runsOf(workflowId);
  const first = runs[0]!.runId;
  expect(runs[0]!.history.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId).toBe(first);
  expect((await env.client.workflow.getHandle(workflowId).describe()).runId).not.toBe(first);
  expect((await env.client.workflow.getHandle(workflowId, first).describe()).status.name).toBe('CONTINUED_AS_NEW');
  expect(runs.length).toBeGreaterThanOrEqual(3);
  expect(runs.map((r) => r.status)).toEqual([...runs.slice(1).map(() => 'CONTINUED_AS_NEW'), 'COMPLETED']);
  for (const r of runs) {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: dataConverter(TEST_PAYLOAD_KEYS, stack.db) }, r.history, workflowId);
  }
  return runs;
}

/** Whether a new run began between two instants (what was due after them came through it). */
const runBetween = (runs: Run[], from: number, to: number) => runs.slice(1).some((r) => r.startedAt > from && r.startedAt < to);

const sleepUntil = async (instant: number) => {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
};
/**
 * Until the workflow's current run is at rest (its last task completed, no activity in flight):
 * what the test sends next then reaches a run waiting for it, never one whose task is continuing it
 * as new. Read from the history: the time-skipping server's `describe` reports no workflow task.
 */
const atRest = (workflowId: string) =>
  vi.waitFor(
    async () => {
      const description = await env.client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.raw.pendingActivities ?? []).toHaveLength(0);
      const events = (await env.client.workflow.getHandle(workflowId, description.runId).fetchHistory()).events ?? [];
      const lastTask = events.findLast((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes);
      expect(lastTask?.workflowTaskCompletedEventAttributes).toBeTruthy();
    },
    { timeout: 30_000, interval: 50 },
  );

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The messages whose key starts so, in the order of their keys (as `Array.prototype.sort` has them, whatever the database's collation). */
async function messagesOf(prefix: string) {
  return (await stack.db.message.findMany({ where: { idempotencyKey: { startsWith: prefix } } })).sort((a, b) => byCodeUnits(a.idempotencyKey, b.idempotencyKey));
}
const timeOf = (m: { decidedAt: Date | null } | undefined) => m!.decidedAt!.getTime();

describe('continue-as-new of the marché, offer and collective-action workflows (time-skipping)', { timeout: 240_000 }, () => {
  it('a marché continues as new past its bound and goes on to its bilan: each request, chaser and prompt once, on time', async () => {
    const { db, inbox } = stack;
    const plieCode = `MCN${run.toUpperCase()}`;
    const facilitator = `facilitation-${run}@plie.test`;
    const coordinator = `coordination-marche-${run}@plie.test`;
    const contact = `rh-${run}@routes.test`;
    await db.staff.create({ data: { plieCode, email: facilitator, name: 'Fanny Facilitatrice', roles: ['FACILITATEUR'] } });
    const clauses = { ...CASA_CONFIG.clauses, facilitators: [facilitator] };
    const start = addMonths(`${parisDate(await env.currentTimeMs()).slice(0, 7)}-01`, 1);
    const end = addDays(addMonths(start, 3), -1);
    const months = clauseMonths(start, end) as [string, string, string];
    const procurement = await registerProcurement(
      db,
      plieCode,
      { reference: `LONG-${run}`, buyer: 'Ville', title: 'Entretien de la voirie', company: 'Routes du Sud', contactName: 'Service RH', contactEmail: contact, sector: 'BTP', clauseHours: 300, start, end },
      facilitator,
    );
    await proposeCandidate(db, clauses, procurement.id, { personId: 'C1', birthDate: '1970-02-01', jobSeekerMonths: 20 }, facilitator);
    await recordHire({ db, temporal: env.client }, procurement.id, { personId: 'C1', contract: { type: 'CDD', start, end, weeklyHours: 35 } }, facilitator);
    const workflowId = procurementWorkflowId(procurement.id);
    await startProcurement(env.client, taskQueue, { ...procurementInput(procurement, { clauses }, coordinator), maxHistoryEvents: BOUND });

    const requestAt = (month: string) => parisInstant(hoursRequestDay(month), '08:30');
    const mailTo = (to: string, subject: string) => inbox.waitFor((m) => m.to.includes(to) && m.subject.startsWith(subject));
    const declare = async (month: string) => {
      await atRest(workflowId);
      await declareHours(env.client, procurement.id, { month, hours: { C1: 120 }, actor: contact, channel: 'email' });
    };
    const validate = async (month: string) => {
      await atRest(workflowId);
      await reviewHours(env.client, procurement.id, { month, decision: 'validate', actor: facilitator, channel: 'cli' });
    };

    // Month 1: asked, declared by the company, validated.
    await sleepUntil(requestAt(months[0]) + HOUR);
    await mailTo(contact, `Heures d’insertion de ${monthLabel(months[0])}`);
    await declare(months[0]);
    await validate(months[0]);
    // Month 2: nothing comes; the facilitator is prompted to chase after the delay, chases, then it is declared and validated.
    await sleepUntil(requestAt(months[1]) + HOUR);
    await mailTo(contact, `Heures d’insertion de ${monthLabel(months[1])}`);
    await sleepUntil(addDaysToInstant(requestAt(months[1]), clauses.chaseAfterDays) + HOUR);
    await found(async () => (await db.message.findUnique({ where: { idempotencyKey: `marche/${procurement.id}/${months[1]}/chase/1` } })) ?? undefined);
    await atRest(workflowId);
    await chaseCompany(env.client, procurement.id, { month: months[1], actor: facilitator, channel: 'cli' });
    await mailTo(contact, `Rappel : heures d’insertion de ${monthLabel(months[1])}`);
    await declare(months[1]);
    await validate(months[1]);
    // Month 3, asked once the period is over: validated, it closes the marché with its bilan.
    await sleepUntil(requestAt(months[2]) + HOUR);
    await mailTo(contact, `Heures d’insertion de ${monthLabel(months[2])}`);
    await declare(months[2]);
    await validate(months[2]);
    const result = (await env.client.workflow.getHandle(workflowId).result()) as ProcurementState;
    expect(result).toMatchObject({ closed: true, sequence: 3, alerts: [] });
    expect(Object.values(result.months).map((m) => [m.status, m.requests])).toEqual([['validated', 1], ['validated', 2], ['validated', 1]]);

    const runs = await expectContinuedThenCompleted(workflowId);
    // Each message once: three requests and a chaser to the company; three prompts to validate, one to chase, and the bilan.
    const messages = await messagesOf(`marche/${procurement.id}/`);
    const key = (what: string) => `marche/${procurement.id}/${what}`;
    expect(messages.map((m) => m.idempotencyKey).sort()).toEqual(
      [`${months[0]}/request/1`, `${months[0]}/validate/1`, `${months[1]}/request/1`, `${months[1]}/chase/1`, `${months[1]}/request/2`, `${months[1]}/validate/2`, `${months[2]}/request/1`, `${months[2]}/validate/3`, 'bilan'].map(key).sort(),
    );
    expect(inbox.count((m) => m.to.includes(contact) && m.text.includes(`LONG-${run}`))).toBe(4);
    expect(inbox.count((m) => m.to.includes(facilitator) && m.text.includes(`LONG-${run}`))).toBe(5);
    expect(activitiesOf(runs)).toEqual({ marchePersons: 3, requestMarcheHours: 4, saveMarcheHours: 3, promptFacilitator: 4, validateMarcheHours: 3, closeMarcheRecord: 1, sendMarcheBilan: 1 });
    // On time though new runs came between: each request on its morning, the chase prompt when the delay was over.
    const byKey = (what: string) => messages.find((m) => m.idempotencyKey === key(what));
    for (const month of months) expect(Math.abs(timeOf(byKey(`${month}/request/1`)) - requestAt(month))).toBeLessThan(ON_TIME_MS);
    const chaseDue = addDaysToInstant(timeOf(byKey(`${months[1]}/request/1`)), clauses.chaseAfterDays);
    expect(Math.abs(timeOf(byKey(`${months[1]}/chase/1`)) - chaseDue)).toBeLessThan(ON_TIME_MS);
    expect(runBetween(runs, timeOf(byKey(`${months[1]}/request/1`)), chaseDue)).toBe(true);
    // The records: each month's hours once, validated; the marché closed once.
    expect(await db.hoursDeclaration.findMany({ where: { procurementId: procurement.id }, select: { month: true, status: true, hours: true }, orderBy: { month: 'asc' } })).toEqual(months.map((month) => ({ month, status: 'VALIDEE', hours: 120 })));
    expect((await db.procurement.findUniqueOrThrow({ where: { id: procurement.id } })).status).toBe('CLOS');
    expect(await db.auditEvent.count({ where: { entityId: procurement.id, action: 'marche.close' } })).toBe(1);
  });

  it('an offer continues as new past its bound: the reminder and the follow-up come once, on time, and the roster heard before still judges', async () => {
    const { db, inbox } = stack;
    const plieCode = `OCN${run.toUpperCase()}`;
    const coordinator = `coordination-offre-${run}@plie.test`;
    const [alice, bruno, nadia] = ['alice', 'bruno', 'nadia'].map((who) => `${who}-${run}@plie.test`) as [string, string, string];
    await db.staff.createMany({
      data: [
        { plieCode, email: coordinator, name: 'Coordination', roles: ['COORDINATEUR'] },
        { plieCode, email: alice, name: 'Alice Référente', roles: ['REFERENT'] },
        { plieCode, email: bruno, name: 'Bruno Référent', roles: ['REFERENT'] },
      ],
    });
    const participant = async (referent: string, wishes: string[]) => {
      const id = randomUUID();
      await db.participant.create({ data: { id, plieCode, firstName: 'Samir', lastName: `Suite${run}`, identityKey: `suite-${id}`, birthDate: toDbDate('1985-01-01'), sectorWishes: wishes, activeJobSearch: true, createdBy: 'test' } });
      await db.pathway.create({ data: { id: `parcours-${id}`, participantId: id, stage: 'active', referentEmail: referent } });
      return id;
    };
    const [first, second] = [await participant(alice, ['logistique']), await participant(bruno, ['préparateur de commandes'])];
    const offer = await registerOffer(db, plieCode, { company: 'Entrepôt Azur', jobTitle: 'Préparateur de commandes', sector: 'Logistique', contractType: 'CDD', weeklyHours: 35 }, coordinator);
    const workflowId = offerWorkflowId(offer.id);
    const roster = await staffRosterOf(db, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator);
    await startOffer(env.client, taskQueue, { ...offerInput(offer.id, coordinator, { roster }), maxHistoryEvents: BOUND });
    const state = await found(async () => {
      const s = await offerState(env.client, offer.id).catch(() => undefined);
      return s && Object.keys(s.placements).length === 2 ? s : undefined;
    });
    const placementOf = (participantId: string) => Object.entries(state.placements).find(([, p]) => p.participantId === participantId)![0];
    const [a, b] = [placementOf(first), placementOf(second)];
    const key = (what: string) => `offre/${offer.id}/${what}`;
    const asked = await found(async () => {
      const both = await messagesOf(key(''));
      return both.length === 2 ? both : undefined;
    });
    const askedAt = timeOf(asked[0]);
    const decide = async (placementId: string, decision: 'propose' | 'decline' | 'interview' | 'hired', actor: string) => {
      await atRest(workflowId);
      return await refusedInFrench(() => env.client.workflow.getHandle(workflowId).executeUpdate(decidePlacementUpdate, { args: [{ placementId, decision, ...(decision === 'decline' ? { reason: 'Pas disponible' } : {}), actor, channel: 'cli' }] }));
    };

    // Bruno leaves, Nadia joins the coordination: heard by the run of the day, carried by the next ones.
    await db.staff.create({ data: { plieCode, email: nadia, name: 'Nadia Coordination', roles: ['COORDINATEUR'] } });
    await db.staff.update({ where: { plieCode_email: { plieCode, email: bruno } }, data: { active: false } });
    await atRest(workflowId);
    expect(await announceRoster(db, env.client, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator)).toBe(1);
    await found(async () => ((await offerState(env.client, offer.id)).placements[b]?.referentEmail === coordinator ? true : undefined));

    // A day later Alice proposes hers; a week after the first question, Bruno's comes again, to the coordination now.
    await sleepUntil(askedAt + DAY);
    await decide(a, 'propose', alice);
    const proposedAt = (await db.placement.findUniqueOrThrow({ where: { id: a } })).updatedAt!.getTime();
    await sleepUntil(addDaysToInstant(askedAt, 7) + HOUR);
    const again = await found(async () => (await db.message.findUnique({ where: { idempotencyKey: key(`${b}/A_PROPOSER/2`) } })) ?? undefined);
    expect(again.recipient).toBe(coordinator);
    await expect(decide(b, 'decline', bruno)).rejects.toThrow('Seul·e le ou la référent·e de la personne, ou la coordination, décide de cette mise en relation.');
    await decide(b, 'decline', nadia);
    // Three weeks after the proposal, Alice is asked what came of it: an interview, then the hire, which ends the offer.
    await sleepUntil(addDaysToInstant(proposedAt, 21) + HOUR);
    await found(async () => (await db.message.findUnique({ where: { idempotencyKey: key(`${a}/PROPOSEE/1`) } })) ?? undefined);
    await decide(a, 'interview', alice);
    await decide(a, 'hired', alice);
    const result = (await env.client.workflow.getHandle(workflowId).result()) as OfferState;
    expect(Object.fromEntries(Object.entries(result.placements).map(([id, p]) => [id, p.status]))).toEqual({ [a]: 'EMBAUCHE', [b]: 'NON_PROPOSEE' });

    const runs = await expectContinuedThenCompleted(workflowId);
    // Each question once: the two proposals, Bruno's asked again (to the coordination), Alice's outcome.
    const messages = await messagesOf(key(''));
    expect(messages.map((m) => [m.idempotencyKey, m.recipient])).toEqual(
      [
        [key(`${a}/A_PROPOSER/1`), alice],
        [key(`${a}/PROPOSEE/1`), alice],
        [key(`${b}/A_PROPOSER/1`), bruno],
        [key(`${b}/A_PROPOSER/2`), coordinator],
      ].sort(([x], [y]) => byCodeUnits(x!, y!)),
    );
    expect(inbox.count((m) => [alice, bruno, coordinator].some((to) => m.to.includes(to)) && m.text.includes('Préparateur de commandes'))).toBe(4);
    // Opened and first asked by the first run only; never asked again by a new one.
    expect(activitiesOf(runs)).toEqual({ openPlacements: 1, promptPlacement: 4, recordPlacement: 4, closeOfferRecord: 1 });
    expect(activitiesOf(runs.slice(1)).openPlacements).toBeUndefined();
    const byKey = (what: string) => messages.find((m) => m.idempotencyKey === key(what));
    expect(Math.abs(timeOf(byKey(`${b}/A_PROPOSER/2`)) - addDaysToInstant(timeOf(byKey(`${b}/A_PROPOSER/1`)), 7))).toBeLessThan(ON_TIME_MS);
    expect(Math.abs(timeOf(byKey(`${a}/PROPOSEE/1`)) - addDaysToInstant(proposedAt, 21))).toBeLessThan(ON_TIME_MS);
    expect(runBetween(runs, timeOf(byKey(`${b}/A_PROPOSER/1`)), timeOf(byKey(`${b}/A_PROPOSER/2`)))).toBe(true);
    expect(runBetween(runs, proposedAt, timeOf(byKey(`${a}/PROPOSEE/1`)))).toBe(true);
    // The records: two placements, each decision once, the offer filled and its follow-up closed once.
    expect(await db.placement.count({ where: { offerId: offer.id } })).toBe(2);
    expect(await db.auditEvent.count({ where: { entityId: { in: [a, b] }, action: { startsWith: 'placement.' }, NOT: { action: 'placement.prompt' } } })).toBe(4);
    expect(await db.auditEvent.count({ where: { entityId: offer.id, action: 'offer.close' } })).toBe(1);
    expect((await db.jobOffer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('POURVUE');
  });

  it('a collective action continues as new past its bound: invitations once, the reminder and both attendance questions on time, to the organiser of the day', async () => {
    const { db, inbox } = stack;
    const plieCode = `ACN${run.toUpperCase()}`;
    const coordinator = `coordination-action-${run}@plie.test`;
    const organizer = `organisatrice-${run}@plie.test`;
    await db.staff.createMany({ data: [{ plieCode, email: organizer, name: 'Rania Relation', roles: ['REFERENT'] }] });
    const participant = async (firstName: string) => {
      const id = randomUUID();
      await db.participant.create({ data: { id, plieCode, firstName, lastName: `Suite${run}`, identityKey: `atelier-suite-${id}`, birthDate: toDbDate('1990-01-01'), email: `${firstName.toLowerCase()}-${run}@exemple.test`, createdBy: 'test' } });
      return id;
    };
    const [ana, ben, chloe] = [await participant('Ana'), await participant('Ben'), await participant('Chloe')];
    const day = addDays(parisDate(await env.currentTimeMs()), 10);
    const title = `Les métiers de la logistique ${run}`;
    const action = await createCollectiveAction(db, plieCode, { kind: 'ATELIER_DECOUVERTE', title, date: day, time: '14:00', durationMinutes: 120, place: 'PLIE', organizerEmail: organizer }, organizer);
    const workflowId = collectiveWorkflowId(action.id);
    const roster = await staffRosterOf(db, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator);
    await startCollective(env.client, taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: 120, organizerEmail: organizer, coordinatorEmail: coordinator, calendarOffsetDays: 0, roster, maxHistoryEvents: BOUND });
    const invite = async (participantIds: string[]) => {
      await atRest(workflowId);
      return await inviteParticipants(env.client, action.id, { participantIds, actor: organizer, channel: 'cli' });
    };

    // Invited in two goes: the second, in a new run, sends only to the one not yet invited.
    await invite([ana, ben]);
    expect((await invite([ana, chloe])).invited).toEqual([ana, ben, chloe]);
    // The organiser leaves: her questions go to the coordination, in this run and the next ones.
    await db.staff.update({ where: { plieCode_email: { plieCode, email: organizer } }, data: { active: false } });
    await atRest(workflowId);
    expect(await announceRoster(db, env.client, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator)).toBe(1);

    // Two days before, the reminder; once over, the attendance question, and a week later again.
    const startsAt = action.at.getTime();
    const endsAt = startsAt + 120 * 60_000;
    await sleepUntil(addDaysToInstant(startsAt, -2) + HOUR);
    await sleepUntil(endsAt + HOUR);
    await sleepUntil(addDaysToInstant(endsAt, 7) + HOUR);
    const key = (what: string) => `collective/${action.id}/${what}`;
    await found(async () => (await db.message.findUnique({ where: { idempotencyKey: key('presence/2') } })) ?? undefined);
    await atRest(workflowId);
    await expect(recordCollectiveAttendance(env.client, action.id, { present: [ana], misesEnRelation: [], hires: [], actor: organizer, channel: 'cli' })).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, saisit la présence.');
    await recordCollectiveAttendance(env.client, action.id, { present: [ana, ben], misesEnRelation: [ana], hires: [], actor: coordinator, channel: 'cli' });
    const result = (await env.client.workflow.getHandle(workflowId).result()) as CollectiveState;
    expect(result).toMatchObject({ invited: [ana, ben, chloe], reminded: true, attendancePrompts: 2, figures: { invited: 3, present: 2, misesEnRelation: 1, hires: 0 } });

    const runs = await expectContinuedThenCompleted(workflowId);
    // Each message once: an invitation and a reminder to each, two questions to the coordination.
    const messages = await messagesOf(key(''));
    expect(messages.map((m) => m.idempotencyKey)).toEqual([...[ana, ben, chloe].flatMap((id) => [key(`${id}/invitation`), key(`${id}/rappel`)]), key('presence/1'), key('presence/2')].sort());
    expect(messages.filter((m) => m.idempotencyKey.includes('/presence/')).map((m) => m.recipient)).toEqual([coordinator, coordinator]);
    for (const name of ['ana', 'ben', 'chloe']) expect(inbox.count((m) => m.to.includes(`${name}-${run}@exemple.test`) && m.subject.includes(title))).toBe(2);
    expect(inbox.count((m) => m.to.includes(coordinator) && m.text.includes(title))).toBe(2);
    expect(activitiesOf(runs)).toEqual({ saveInvitations: 2, sendCollectiveEmail: 6, promptAttendance: 2, saveAttendance: 1 });
    // On time though new runs came between.
    const byKey = (what: string) => messages.find((m) => m.idempotencyKey === key(what));
    for (const id of [ana, ben, chloe]) expect(Math.abs(timeOf(byKey(`${id}/rappel`)) - addDaysToInstant(startsAt, -2))).toBeLessThan(ON_TIME_MS);
    expect(Math.abs(timeOf(byKey('presence/1')) - endsAt)).toBeLessThan(ON_TIME_MS);
    expect(Math.abs(timeOf(byKey('presence/2')) - addDaysToInstant(endsAt, 7))).toBeLessThan(ON_TIME_MS);
    expect(runBetween(runs, timeOf(byKey(`${ana}/invitation`)), addDaysToInstant(startsAt, -2))).toBe(true);
    expect(runBetween(runs, timeOf(byKey('presence/1')), timeOf(byKey('presence/2')))).toBe(true);
    // The records: three invitations, the attendance once.
    expect(await db.collectiveInvitation.count({ where: { actionId: action.id } })).toBe(3);
    expect(await db.auditEvent.count({ where: { entityId: action.id, action: 'collective.attendance' } })).toBe(1);
  });
});
