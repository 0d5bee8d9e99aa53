/**
 * The pathway workflow on Temporal's time-skipping test server: days pass in milliseconds,
 * with the real worker, real activities, the real database and a real SMTP server.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { addDaysToInstant } from '../../src/domain/dates.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { createLogger } from '../../src/logging.ts';
import { createParticipant, DuplicateParticipantError, PathwayNotStartedError } from '../../src/participants/create.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { announceCoordinators, announceDeparture } from '../../src/staff/roster.ts';
import { deactivateStaff } from '../../src/staff/register.ts';
import {
  answerTask,
  PathwayAlreadyStartedError,
  pathwayState,
  startPathway,
  TaskAnswerRejectedError,
} from '../../src/temporal/pathway-client.ts';
import type { PathwayState } from '../../workflows/pathway-messages.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import type { ReceivedMail, TestInbox } from '../helpers/smtp.ts';
import { COORDINATOR, startTimeSkipping, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

let env: TestWorkflowEnvironment;
let closeTemporal: (() => Promise<void>) | undefined;
let stack: WorkerStack;
let db: Db;
let inbox: TestInbox;
const taskQueue = uniqueQueue('time-skipping');
const hours = (n: number) => n * 3_600_000;
const days = (n: number) => n * 24 * hours(1);
const payloadKeys = TEST_PAYLOAD_KEYS;

beforeAll(async () => {
  ({ env, close: closeTemporal } = await startTimeSkipping(payloadKeys));
  stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys });
  ({ db, inbox } = stack);
});

afterAll(async () => {
  await stack?.stop();
  await closeTemporal?.();
});

const deps = () => ({
  plieCode: 'CASA',
  db,
  temporal: env.client,
  taskQueue,
  coordinatorEmail: COORDINATOR,
  timings: DEFAULT_TASK_TIMINGS,
  logger: createLogger('silent'),
});

/** The open tasks, once the workflow has opened one (it checks eligibility first). */
async function openTasksOf(participantId: string) {
  return await vi.waitFor(async () => {
    const { openTasks } = await pathwayState(env.client, participantId);
    expect(openTasks.length).toBeGreaterThan(0);
    return openTasks;
  }, { timeout: 60_000, interval: 100 });
}

async function newParticipant() {
  const suffix = randomBytes(4).toString('hex');
  const created = await createParticipant(
    deps(),
    { firstName: `Nadia${suffix}`, lastName: `Martin${suffix}`, birthDate: '14/07/1979' },
    { actor: 'coordination@plie.test', channel: 'cli' },
  );
  const ref = fileReference(created.participantId);
  const about = (subject: string, to: string) => (m: ReceivedMail) =>
    m.subject.includes(subject) && m.to.includes(to) && m.text.includes(ref);
  return { ...created, ref, about };
}

describe('parcours workflow (time-skipping)', () => {
  it('reminds the assignee after 7 days and escalates to the coordinator after 15, once each', async () => {
    const p = await newParticipant();
    await inbox.waitFor(p.about('Nouvelle tâche', COORDINATOR));
    const [task] = await openTasksOf(p.participantId);
    expect(task).toMatchObject({ kind: 'assign_referent', assigneeEmail: COORDINATOR, reminded: false });

    // Seven days later at the same Paris time: 7 × 24 h, or an hour less or more across a clock change.
    const opened = Date.parse(task!.openedAt);
    const remindAt = addDaysToInstant(opened, 7);
    expect(task!.nextReminderAt).toBe(remindAt);
    await env.sleep(remindAt - (await env.currentTimeMs()) - hours(1));
    expect((await pathwayState(env.client, p.participantId)).openTasks[0]?.reminded).toBe(false);
    expect(inbox.count(p.about('Rappel', COORDINATOR))).toBe(0);

    await env.sleep('1 hour');
    const reminder = await inbox.waitFor(p.about('Rappel', COORDINATOR));
    expect(reminder.text).toContain('Désigner le ou la référent·e');
    expect(reminder.html).toContain('<p>');
    await vi.waitFor(async () => {
      expect((await db.task.findUniqueOrThrow({ where: { id: task!.id } })).remindedAt).not.toBeNull();
    });

    await env.sleep(addDaysToInstant(opened, 15) - (await env.currentTimeMs()) - hours(1));
    expect(inbox.count(p.about('en retard', COORDINATOR))).toBe(0);
    await env.sleep('1 hour');
    const escalation = await inbox.waitFor(p.about('en retard', COORDINATOR));
    expect(escalation.text).toContain(`confiée à ${COORDINATOR}`);
    await vi.waitFor(async () => {
      expect((await db.task.findUniqueOrThrow({ where: { id: task!.id } })).escalatedAt).not.toBeNull();
    });
    const state = await pathwayState(env.client, p.participantId);
    expect(state.openTasks[0]).toMatchObject({ reminded: true, escalated: true });

    const after = await answerTask(env.client, p.participantId, {
      taskId: task!.id,
      answer: { referentEmail: 'referente@plie.test' },
      actor: COORDINATOR,
      channel: 'cli',
    });
    expect(after.stage).toBe('diagnostic');
    expect(after.openTasks).toHaveLength(1);
    expect(after.openTasks[0]).toMatchObject({ kind: 'diagnostic_decision', assigneeEmail: 'referente@plie.test' });
    await inbox.waitFor(p.about('Nouvelle tâche', 'referente@plie.test'));

    // One message per task and notice, whatever retries happened.
    expect(inbox.count(p.about('Rappel', COORDINATOR))).toBe(1);
    expect(inbox.count(p.about('en retard', COORDINATOR))).toBe(1);
    const messages = await db.message.findMany({ where: { idempotencyKey: { startsWith: task!.id } } });
    expect(messages.map((m) => [m.template, m.status]).sort()).toEqual([
      ['task.escalation', 'sent'],
      ['task.opened', 'sent'],
      ['task.reminder', 'sent'],
    ]);
  });

  it('stops chasing a task once answered', async () => {
    const p = await newParticipant();
    const [task] = await openTasksOf(p.participantId);
    await env.sleep('3 days');
    await answerTask(env.client, p.participantId, {
      taskId: task!.id,
      answer: { referentEmail: 'ref2@plie.test' },
      actor: COORDINATOR,
      channel: 'http',
    });
    await env.sleep('10 days');
    // The referent's own task (opened on day 3) is reminded on day 10; the answered one never is.
    await inbox.waitFor(p.about('Rappel', 'ref2@plie.test'));
    expect(inbox.count(p.about('Rappel', COORDINATOR))).toBe(0);
    const row = await db.task.findUniqueOrThrow({ where: { id: task!.id } });
    expect(row).toMatchObject({ status: 'done', answeredBy: COORDINATOR, channel: 'http', remindedAt: null });
  });

  it('takes the answer of a second coordinator of the PLIE (the coordination is a list, not one address)', async () => {
    const second = `coordination.adjointe.${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CASA', email: second, name: 'Coordination adjointe', roles: ['COORDINATEUR'] } });
    const p = await newParticipant();
    const [task] = await openTasksOf(p.participantId);
    expect(task).toMatchObject({ kind: 'assign_referent', assigneeEmail: COORDINATOR });
    const after = await answerTask(env.client, p.participantId, { taskId: task!.id, answer: { referentEmail: 'referente@plie.test' }, actor: second, channel: 'slack' });
    expect(after).toMatchObject({ stage: 'diagnostic', referentEmail: 'referente@plie.test' });
    expect(await db.task.findUniqueOrThrow({ where: { id: task!.id } })).toMatchObject({ status: 'done', answeredBy: second });
    // A referent is not the coordination: the diagnostic is the referent's, not theirs.
    const [diagnostic] = after.openTasks;
    await expect(
      answerTask(env.client, p.participantId, { taskId: diagnostic!.id, answer: { decision: 'reorient', reason: 'autre dispositif' }, actor: 'referent.voisin@plie.test', channel: 'slack' }),
    ).rejects.toThrow('Cette tâche revient à la personne qui en est chargée, ou à la coordination.');
  });

  it('hears of a coordinator who joins after the pathway started, and of one who leaves', async () => {
    const late = `coordination.arrivee.${randomBytes(3).toString('hex')}@plie.test`;
    const p = await newParticipant();
    const [task] = await openTasksOf(p.participantId);
    const answerAs = (actor: string) =>
      answerTask(env.client, p.participantId, { taskId: task!.id, answer: { referentEmail: 'referente@plie.test' }, actor, channel: 'slack' });
    await expect(answerAs(late)).rejects.toThrow('Cette tâche revient à la personne qui en est chargée, ou à la coordination.');
    const staff = await db.staff.create({ data: { plieCode: 'CASA', email: late, name: 'Coordination arrivée', roles: ['COORDINATEUR'] } });
    expect(await announceCoordinators(db, env.client, 'CASA')).toBeGreaterThan(0);
    // Gone again before answering: the pathway hears that too.
    await db.staff.update({ where: { id: staff.id }, data: { active: false } });
    await announceCoordinators(db, env.client, 'CASA');
    await expect(answerAs(late)).rejects.toThrow('Cette tâche revient');
    await db.staff.update({ where: { id: staff.id }, data: { active: true } });
    await announceCoordinators(db, env.client, 'CASA');
    expect(await answerAs(late)).toMatchObject({ stage: 'diagnostic', referentEmail: 'referente@plie.test' });
  });

  it('a coordinator deactivated mid-pathway can no longer act, and the pathway and tasks she held come back to the coordination', async () => {
    const leaving = `coordination.depart.${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CASA', email: leaving, name: 'Coordination partante', roles: ['COORDINATEUR', 'REFERENT'] } });
    await announceCoordinators(db, env.client, 'CASA');
    const p = await newParticipant();
    const [designation] = await openTasksOf(p.participantId);
    const held = await answerTask(env.client, p.participantId, { taskId: designation!.id, answer: { referentEmail: leaving }, actor: COORDINATOR, channel: 'cli' });
    const [diagnostic] = held.openTasks;
    expect(diagnostic).toMatchObject({ kind: 'diagnostic_decision', assigneeEmail: leaving });

    const done = await deactivateStaff(db, 'CASA', leaving, COORDINATOR, new Date(await env.currentTimeMs()));
    expect(done.pathwaysHeld.map((x) => x.id)).toContain(p.workflowId);
    await announceCoordinators(db, env.client, 'CASA');
    expect(await announceDeparture(db, env.client, 'CASA', leaving, { actor: COORDINATOR, channel: 'cli' })).toBeGreaterThan(0);

    // The task is the coordination's now, in the workflow and in the database; the coordination is told, she is not.
    await vi.waitFor(async () => {
      expect(await db.task.findUniqueOrThrow({ where: { id: diagnostic!.id } })).toMatchObject({ status: 'open', assigneeEmail: COORDINATOR });
    }, { timeout: 30_000, interval: 100 });
    expect(await pathwayState(env.client, p.participantId)).toMatchObject({ referentEmail: COORDINATOR, openTasks: [{ id: diagnostic!.id, assigneeEmail: COORDINATOR }] });
    expect(await db.pathway.findUniqueOrThrow({ where: { id: p.workflowId } })).toMatchObject({ referentEmail: COORDINATOR });
    await inbox.waitFor(p.about('vous est confié', COORDINATOR));
    // Neither as the referent she was nor as a coordinator: refused by the workflow itself, whatever the channel.
    await expect(answerTask(env.client, p.participantId, { taskId: diagnostic!.id, answer: { decision: 'reorient', reason: 'autre dispositif' }, actor: leaving, channel: 'http' })).rejects.toThrow('Cette tâche revient');
    expect(inbox.count((m) => m.to.includes(leaving) && m.subject.includes('confié'))).toBe(0);
  });

  it('refuses bad answers in the validator, leaving the task open', async () => {
    const p = await newParticipant();
    const [task] = await openTasksOf(p.participantId);
    const attempt = (taskId: string, answer: unknown) =>
      answerTask(env.client, p.participantId, { taskId, answer, actor: COORDINATOR, channel: 'cli' });

    await expect(attempt(task!.id, { referentEmail: 'pas-une-adresse' })).rejects.toThrow(
      'Réponse invalide : référent·e : adresse email invalide',
    );
    await expect(attempt(task!.id, { decision: 'integrate' })).rejects.toBeInstanceOf(TaskAnswerRejectedError);
    await expect(attempt(`${task!.id}-inconnue`, { referentEmail: 'a@b.fr' })).rejects.toThrow(
      'Cette tâche n’est plus ouverte',
    );
    await expect(
      answerTask(env.client, p.participantId, {
        taskId: task!.id,
        answer: { referentEmail: 'a@b.fr' },
        actor: 'quelquun@ailleurs.fr',
        channel: 'http',
      }),
    ).rejects.toThrow('Cette tâche revient à la personne qui en est chargée, ou à la coordination.');
    await expect(attempt(task!.id, { decision: 'reorient' })).rejects.toThrow('référent·e : adresse email invalide');
    const state = await pathwayState(env.client, p.participantId);
    expect(state.stage).toBe('orientation');
    expect(state.openTasks.map((t) => t.id)).toEqual([task!.id]);
  });

  it('integrates on a positive diagnostic, or ends the pathway on a reorientation', async () => {
    const integrated = await newParticipant();
    const reoriented = await newParticipant();
    for (const p of [integrated, reoriented]) {
      const [task] = await openTasksOf(p.participantId);
      await answerTask(env.client, p.participantId, {
        taskId: task!.id,
        answer: { referentEmail: 'ref3@plie.test' },
        actor: COORDINATOR,
        channel: 'cli',
      });
    }
    const decide = async (participantId: string, answer: unknown) => {
      const [task] = (await pathwayState(env.client, participantId)).openTasks;
      return await answerTask(env.client, participantId, { taskId: task!.id, answer, actor: 'ref3@plie.test', channel: 'slack' });
    };
    const active = await decide(integrated.participantId, { decision: 'integrate', entryDate: '02/12/2026' });
    expect(active).toMatchObject({ stage: 'active', entryDate: '2026-12-02', openTasks: [] });
    const pathway = await db.pathway.findUniqueOrThrow({ where: { id: integrated.workflowId } });
    expect(pathway.stage).toBe('active');
    expect(pathway.entryDate?.toISOString().slice(0, 10)).toBe('2026-12-02');

    const exited = await decide(reoriented.participantId, { decision: 'reorient', reason: 'Orientation vers la Mission Locale' });
    expect(exited.stage).toBe('reoriented');
    const result = (await env.client.workflow.getHandle(reoriented.workflowId).result()) as PathwayState;
    expect(result.stage).toBe('reoriented');
    expect((await db.pathway.findUniqueOrThrow({ where: { id: reoriented.workflowId } })).stage).toBe('reoriented');
    const audit = await db.auditEvent.findMany({
      where: { entityId: reoriented.workflowId, action: 'pathway.stage' },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.details)).toEqual([{ stage: 'orientation' }, { stage: 'diagnostic' }, { stage: 'reoriented' }]);
  });

  it('goes on when a staff address is refused by the mail server', async () => {
    inbox.rejected.add('depart@plie.test');
    const p = await newParticipant();
    const [task] = await openTasksOf(p.participantId);
    const after = await answerTask(env.client, p.participantId, {
      taskId: task!.id,
      answer: { referentEmail: 'depart@plie.test' },
      actor: COORDINATOR,
      channel: 'cli',
    });
    const [diagnostic] = after.openTasks;
    await vi.waitFor(async () => {
      const message = await db.message.findUnique({ where: { idempotencyKey: `${diagnostic!.id}/opened` } });
      expect(message?.status).toBe('refused');
    });
    // Still waiting for the referent, and still chasing: the escalation reaches the coordinator.
    await env.sleep(days(15));
    await inbox.waitFor(p.about('en retard', COORDINATOR));
    const state = await pathwayState(env.client, p.participantId);
    expect(state).toMatchObject({ stage: 'diagnostic', openTasks: [{ id: diagnostic!.id, escalated: true }] });
  });

  it('keeps the record when the pathway cannot start, and starts it when the request is repeated', async () => {
    const suffix = randomBytes(4).toString('hex');
    const person = { firstName: `Rayan${suffix}`, lastName: `Reprise${suffix}`, birthDate: '09/10/1975' };
    const closed = await Connection.connect({ address: env.address });
    await closed.close();
    const down = new Client({ connection: closed, dataConverter: dataConverter(payloadKeys, db) });
    const failed = createParticipant({ ...deps(), temporal: down }, person, { actor: COORDINATOR, channel: 'http' });
    await expect(failed).rejects.toBeInstanceOf(PathwayNotStartedError);
    const { participantId } = (await failed.catch((e: PathwayNotStartedError) => e)) as PathwayNotStartedError;
    expect(await db.pathway.findUniqueOrThrow({ where: { id: `parcours-${participantId}` } })).toMatchObject({ stage: 'orientation' });

    const again = await createParticipant(deps(), person, { actor: COORDINATOR, channel: 'http' });
    expect(again.participantId).toBe(participantId);
    expect(await openTasksOf(participantId)).toHaveLength(1);
    expect(await db.participant.count({ where: { lastName: person.lastName } })).toBe(1);
    await expect(createParticipant(deps(), person, { actor: COORDINATOR, channel: 'http' })).rejects.toBeInstanceOf(
      DuplicateParticipantError,
    );
  });

  it('refuses a second creation of the same person and a second start of the same pathway', async () => {
    const p = await newParticipant();
    const row = await db.participant.findUniqueOrThrow({ where: { id: p.participantId } });
    await expect(
      createParticipant(
        deps(),
        { firstName: row.firstName.toUpperCase(), lastName: ` ${row.lastName} `, birthDate: '1979-07-14' },
        { actor: 'x@plie.test', channel: 'http' },
      ),
    ).rejects.toBeInstanceOf(DuplicateParticipantError);
    await expect(
      startPathway(env.client, taskQueue, {
        participantId: p.participantId,
        coordinatorEmail: COORDINATOR,
        timings: DEFAULT_TASK_TIMINGS,
      }),
    ).rejects.toBeInstanceOf(PathwayAlreadyStartedError);
    expect(await db.participant.count({ where: { plieCode: row.plieCode, identityKey: row.identityKey } })).toBe(1);
  });
});
