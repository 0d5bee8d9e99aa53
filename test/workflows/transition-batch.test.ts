/**
 * A pathway's transition records its writes in one activity and one transaction, and sends its
 * messages once the Update that caused it has its answer (patch `transition-batched`): read from
 * the workflow's own history on the dev server, with the real worker, PostgreSQL and SMTP.
 */
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** The activity types scheduled in `events`, in order. */
const scheduled = (events: Event[]) => events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name ?? '?'] : []));

/**
 * The n-th (from 0) Update: the activities its handling waited for (scheduled after it was
 * accepted, ended before its answer), and the types scheduled from its acceptance on, with
 * whether each ended after the answer.
 */
function aroundUpdate(events: Event[], n: number) {
  const accepted = events.flatMap((e) => (e.workflowExecutionUpdateAcceptedEventAttributes ? [Number(e.eventId)] : []))[n];
  const completed = events.flatMap((e) => (e.workflowExecutionUpdateCompletedEventAttributes ? [Number(e.eventId)] : []))[n];
  expect(accepted).toBeDefined();
  expect(completed).toBeGreaterThan(accepted!);
  const types = new Map(events.map((e) => [Number(e.eventId), e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?']));
  const endOf = new Map(
    events.flatMap((e) => {
      const id = e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId;
      return id === undefined || id === null ? [] : [[Number(id), Number(e.eventId)] as const];
    }),
  );
  const since = events.filter((e) => Number(e.eventId) > accepted! && e.activityTaskScheduledEventAttributes);
  return {
    waitedFor: since.filter((e) => (endOf.get(Number(e.eventId)) ?? Infinity) < completed!).map((e) => types.get(Number(e.eventId))!),
    scheduledSince: scheduled(since),
    endedAfterAnswer: since.filter((e) => (endOf.get(Number(e.eventId)) ?? Infinity) > completed!).map((e) => types.get(Number(e.eventId))!),
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
