/**
 * A pathway's transition records its writes in one activity and one transaction, and sends its
 * messages once the Update that caused it has its answer (patch `transition-batched`), after those
 * of the transition before, without holding the next request (patch `messages-chained`): read from
 * the workflow's own history on the dev server, with the real worker, PostgreSQL and SMTP.
 */
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { startResumedPathway } from '../helpers/resumed-pathway.ts';
import { COORDINATOR, startWorkerAndClient } from '../helpers/worker.ts';

let t: Awaited<ReturnType<typeof startWorkerAndClient>>;
const REFERENT = 'referente.lot@plie.test';

beforeAll(async () => {
  t = await startWorkerAndClient('transition-batch');
});

afterAll(async () => {
  await t?.stop();
});

type Event = temporal.api.history.v1.IHistoryEvent;

/** The activities of `events`, in order, from their scheduling to their end (Infinity: not ended). */
function activities(events: Event[]) {
  const endOf = new Map(
    events.flatMap((e) => {
      const id = e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId;
      return id === undefined || id === null ? [] : [[Number(id), Number(e.eventId)] as const];
    }),
  );
  return events.flatMap((e) => {
    const id = Number(e.eventId);
    const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return type ? [{ at: id, type, end: endOf.get(id) ?? Infinity }] : [];
  });
}

/**
 * The n-th (from 0) Update: the activities its handling waited for (begun after it was accepted,
 * ended before its answer), and the types begun from its acceptance on, with whether each ended
 * after the answer.
 */
function aroundUpdate(events: Event[], n: number) {
  const accepted = events.flatMap((e) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [Number(e.eventId)] : []))[n];
  const completed = events.flatMap((e) => (e.workflowExecutionUpdateCompletedEventAttributes ? [Number(e.eventId)] : []))[n];
  expect(accepted).toBeDefined();
  expect(completed).toBeGreaterThan(accepted!);
  const since = activities(events).filter((a) => a.at > accepted!);
  return {
    waitedFor: since.filter((a) => a.end < completed!).map((a) => a.type),
    scheduledSince: since.map((a) => a.type),
    endedAfterAnswer: since.filter((a) => a.end > completed!).map((a) => a.type),
  };
}

const startActivePathway = () => startResumedPathway(t, { referent: REFERENT, firstName: 'Inès', lastName: 'Moreau', birthDate: '1987-11-04', withEmail: true });

describe('a transition of the pathway', { timeout: 120_000 }, () => {
  it('records its writes in one activity and one transaction, and sends its messages once the Update has its answer', async () => {
    const { stack } = t;
    const { participantId, workflowId, handle, act, today, email } = await startActivePathway();
    // A CDI signed: the contract, the follow-up (stage) and its proof request, with their notices.
    const state = await act({ type: 'contractSigned', contract: { type: 'CDI', start: addDays(today, -3), weeklyHours: 35 } });
    expect(state.stage).toBe('followUp');
    const proof = state.openTasks.find((task) => task.kind === 'proof_request');
    expect(proof).toBeDefined();

    const update = aroundUpdate((await handle.fetchHistory()).events ?? [], 0);
    // The answer waited for one activity: the writes, together. The messages were scheduled with
    // the answer at the earliest, and ended after it.
    expect(update.waitedFor).toEqual(['recordTransition']);
    const messages = update.scheduledSince.filter((type) => type !== 'recordTransition');
    expect(messages.length).toBeGreaterThan(0);
    expect(update.endedAfterAnswer).toEqual(messages);
    // The participant's word about the proof to send among them, and no write alone.
    const after = update.scheduledSince;
    expect(after).toContain('notifyParticipant');
    expect(after.filter((type) => ['recordStage', 'openTask', 'closeTask', 'recordPathwayFact', 'recordExit', 'recordFseDataPoint'].includes(type))).toEqual([]);
    expect(after.filter((type) => type === 'recordTransition')).toHaveLength(1);

    // Everything the transition decided is in the database, as the workflow holds it.
    const pathway = await stack.db.pathway.findUniqueOrThrow({ where: { id: workflowId } });
    expect(pathway.stage).toBe('followUp');
    expect(await stack.db.workContract.count({ where: { participantId } })).toBe(1);
    expect(await stack.db.task.findUnique({ where: { id: proof!.id } })).toMatchObject({ kind: 'proof_request', status: 'open' });
    expect(await stack.db.auditEvent.count({ where: { entityId: workflowId, action: 'pathway.contract' } })).toBe(1);
    // That word reaches the participant.
    await stack.inbox.waitFor((m) => m.to.includes(email!));
  });

  it('takes the next request while the messages of the one before are still going, and sends its own after them', async () => {
    const { stack } = t;
    const { workflowId, handle, act, today, email } = await startActivePathway();
    // The participant's mail waits at the mail server: the first transition's message is under way.
    stack.inbox.held.add(email!);
    await act({ type: 'contractSigned', contract: { type: 'CDI', start: addDays(today, -3), weeklyHours: 35 } });
    await vi.waitFor(() => expect(stack.inbox.holdingCount).toBe(1), { timeout: 30_000, interval: 50 });
    // The next request is taken and answered meanwhile (before the patch, it waited for that mail).
    const scheduled = await act({ type: 'appointmentScheduled', date: addDays(today, 7), time: '10:00', place: 'Agence de Biot', durationMinutes: 60 });
    expect(scheduled.appointments).toHaveLength(1);
    expect(stack.inbox.count((m) => m.to.includes(email!))).toBe(0);
    const events = (await handle.fetchHistory()).events ?? [];
    const first = aroundUpdate(events, 0);
    const second = aroundUpdate(events, 1);
    // It waited for its write only (the appointment); its own message waits for those of the
    // first transition: none is scheduled yet.
    expect(second.waitedFor).toEqual(['recordPathwayFact']);
    expect(second.scheduledSince).toEqual(['recordPathwayFact']);
    expect(first.scheduledSince.filter((type) => type === 'notifyParticipant')).toHaveLength(1);
    expect(activities(events).find((a) => a.type === 'notifyParticipant')!.end).toBe(Infinity);

    // The mail goes; then the second transition's (the invitation), after the first's.
    stack.inbox.release();
    await vi.waitFor(() => expect(stack.inbox.count((m) => m.to.includes(email!))).toBe(2), { timeout: 30_000, interval: 50 });
    const [firstMail, invitation] = stack.inbox.messages.filter((m) => m.to.includes(email!));
    expect(firstMail!.subject).not.toBe(invitation!.subject);
    expect(invitation!.text).toContain('Agence de Biot');
    const done = await vi.waitFor(
      async () => {
        const all = activities((await handle.fetchHistory()).events ?? []);
        const accepted = all.filter((a) => a.type === 'recordPathwayFact').at(-1)!.at;
        const later = all.filter((a) => a.at > accepted);
        expect(later.length).toBeGreaterThan(0);
        expect(later.every((a) => a.end !== Infinity)).toBe(true);
        return { before: all.filter((a) => a.at < accepted), later };
      },
      { timeout: 30_000, interval: 100 },
    );
    const lastEndBefore = Math.max(...done.before.map((a) => a.end));
    expect(Math.min(...done.later.map((a) => a.at))).toBeGreaterThan(lastEndBefore);
    expect((await stack.db.pathway.findUniqueOrThrow({ where: { id: workflowId } })).stage).toBe('followUp');
  });

  it('when one write of the batch can never be recorded, records the others each on its own and reports that one', async () => {
    const { stack } = t;
    const { participantId, workflowId, handle, act, today, suffix } = await startActivePathway();
    await act({ type: 'contractSigned', contract: { type: 'CDI', start: addDays(today, -3), weeklyHours: 35 } });
    const contract = await stack.db.workContract.findFirstOrThrow({ where: { participantId } });
    expect((await stack.db.pathway.findUniqueOrThrow({ where: { id: workflowId } })).stage).toBe('followUp');
    // The contract's row is gone: its end cannot be recorded, the return to the active pathway can.
    await stack.db.workContract.delete({ where: { id: contract.id } });

    const ended = await act({ type: 'contractEnded', date: today, reason: 'demission' });
    expect(ended.stage).toBe('active');
    const during = aroundUpdate((await handle.fetchHistory()).events ?? [], 1).waitedFor;
    expect(during[0]).toBe('recordTransition');
    expect(during).toContain('recordPathwayFact');
    expect(during).toContain('recordStage');
    expect((await stack.db.pathway.findUniqueOrThrow({ where: { id: workflowId } })).stage).toBe('active');
    const mail = await stack.inbox.waitFor((m) => m.to.includes(COORDINATOR) && m.subject === `Dossier ${fileReference(participantId)} : un enregistrement n’a pas pu être fait`);
    expect(mail.text).toContain('erreur P2025');
    expect(mail.text).not.toContain(suffix);
    expect(await stack.db.auditEvent.count({ where: { entityId: workflowId, action: 'pathway.record.failed' } })).toBe(1);
  });
});
