/**
 * What must hold for a pathway that lives for months: a worker restarted in the middle of the
 * follow-up duplicates nothing; the server's raw history carries no personal data in clear; the
 * search attributes follow the stage.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import {
  answerTaskUpdate,
  PATHWAY_WORKFLOW,
  pathwayWorkflowId,
  recordActionUpdate,
  stateQuery,
  type PathwayState,
} from '../../workflows/pathway-messages.ts';
import { REFERENT_KEY, STAGE_KEY } from '../../workflows/search-attributes.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { encodingOf, payloadsIn } from '../helpers/history-payloads.ts';
import { COORDINATOR, startTimeSkipping, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

let env: TestWorkflowEnvironment;
let closeTemporal: (() => Promise<void>) | undefined;
const taskQueue = uniqueQueue('durability');
const payloadKeys = TEST_PAYLOAD_KEYS;
const DAY = 86_400_000;
const REFERENT = 'referente.suivi@plie.test';
/** What the workflow does by itself (activities, timers) may take seconds on busy machines. */
const WAIT = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  ({ env, close: closeTemporal } = await startTimeSkipping(payloadKeys));
});

afterAll(async () => {
  await closeTemporal?.();
});

/** A person with a name, an address and a birth date on file, and their pathway started. */
async function startPathway(stack: WorkerStack) {
  const suffix = randomBytes(4).toString('hex');
  const person = { firstName: `Bérénice${suffix}`, lastName: `Durandal${suffix}`, email: `berenice.${suffix}@exemple.fr`, birthDate: '1977-04-23' };
  const participantId = randomUUID();
  const workflowId = pathwayWorkflowId(participantId);
  await stack.db.participant.create({
    data: {
      id: participantId,
      firstName: person.firstName,
      lastName: person.lastName,
      identityKey: `test-${participantId}`,
      birthDate: toDbDate(person.birthDate),
      email: person.email,
      commune: 'Biot',
      minimumIncome: 'RSA',
      activeJobSearch: true,
      needsSupport: true,
      ableAndWilling: true,
      createdBy: 'test',
    },
  });
  await stack.db.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
  await stack.db.staff.upsert({ where: { plieCode_email: { plieCode: 'CASA', email: REFERENT } }, create: { plieCode: 'CASA', email: REFERENT, name: 'Référente du suivi', roles: ['REFERENT'] }, update: {} });
  const config = { ...CASA_CONFIG, assignment: { autoReferentEmail: REFERENT } };
  const handle = await env.client.workflow.start(PATHWAY_WORKFLOW, {
    workflowId,
    taskQueue,
    args: [{ participantId, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(config, { coordinatorEmail: COORDINATOR }) }],
  });
  const state = () => handle.query(stateQuery);
  const openTask = async (kind: string) =>
    await vi.waitFor(async () => {
      const task = (await state()).openTasks.find((t) => t.kind === kind);
      expect(task).toBeDefined();
      return task!;
    }, WAIT);
  return { person, participantId, workflowId, handle, state, openTask };
}

async function intoFollowUp(p: Awaited<ReturnType<typeof startPathway>>): Promise<PathwayState> {
  const diagnostic = await p.openTask('diagnostic_decision');
  const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
  await p.handle.executeUpdate(answerTaskUpdate, {
    args: [{ taskId: diagnostic.id, answer: { decision: 'integrate', entryDate: today }, actor: REFERENT, channel: 'cli' }],
  });
  return await p.handle.executeUpdate(recordActionUpdate, {
    args: [{ action: { type: 'contractSigned', contract: { type: 'CDI', weeklyHours: 35, start: today } }, actor: REFERENT, channel: 'cli' }],
  });
}

describe('a pathway over months (time-skipping)', { timeout: 240_000 }, () => {
  it('a worker that rebuilds the pathway from its history at every step (as after a restart) duplicates no task and no message', async () => {
    // No workflow kept in cache: each timer, answer or activity result is handled by replaying the
    // whole history first, exactly what a worker restarted in the middle of the follow-up does.
    const stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys, maxCachedWorkflows: 0 });
    try {
      const p = await startPathway(stack);
      expect((await intoFollowUp(p)).stage).toBe('followUp');
      await env.sleep(45 * DAY);
      const check = await p.openTask('follow_up_check');
      await p.handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: check.id, answer: { inPost: true, hours: 151 }, actor: REFERENT, channel: 'cli' }] });
      await env.sleep(150 * DAY);
      expect((await p.state()).stage).toBe('exitPending');
      await vi.waitFor(async () => {
        const sent = await stack.db.message.count({ where: { pathwayId: p.workflowId, status: 'sent' } });
        expect(stack.inbox.messages.length).toBe(sent);
      }, WAIT);

      const tasks = await stack.db.task.findMany({ where: { pathwayId: p.workflowId }, orderBy: { openedAt: 'asc' } });
      // One monthly check per month of the follow-up until the exit is due, then its confirmation.
      expect(tasks.filter((t) => t.kind === 'follow_up_check')).toHaveLength(5);
      expect(tasks.filter((t) => t.kind === 'confirm_exit')).toHaveLength(1);
      // The contract at the follow-up's opening, the pay slips of its six months when the exit is due: once each.
      expect(tasks.filter((t) => t.kind === 'proof_request').map((t) => t.proofKind)).toEqual(['contrat', 'bulletins_salaire']);
      // Every email arrived once: no two with the same Message-ID.
      const ids = stack.inbox.messages.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      const audit = await stack.db.auditEvent.groupBy({ by: ['action'], where: { entityId: p.workflowId, action: 'pathway.stage' }, _count: true });
      expect(audit).toEqual([{ action: 'pathway.stage', _count: 5 }]);
    } finally {
      await stack.stop();
    }
  });

  it('keeps no name, email or birth date in clear in the server’s history, and lists pathways by stage and referent', async () => {
    const stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys });
    try {
      const p = await startPathway(stack);
      await intoFollowUp(p);
      await env.sleep(40 * DAY);
      await vi.waitFor(async () => expect((await p.state()).openTasks.some((t) => t.kind === 'follow_up_check')).toBe(true), WAIT);

      const { history } = await env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId: p.workflowId },
      });
      // Search attributes are indexed by the server, so never encrypted: they hold ids only
      // (checked below on the raw history). Patch markers hold the SDK's patch ids.
      const payloads = payloadsIn(history, ['searchAttributes', 'markerRecordedEventAttributes']);
      expect(payloads.length).toBeGreaterThan(20);
      const raw = payloads.map((x) => Buffer.from(x.data ?? []).toString('utf8')).join('\n');
      for (const secret of [p.person.firstName, p.person.lastName, p.person.email, p.person.birthDate, '23/04/1977', REFERENT, 'CDI']) {
        expect(raw).not.toContain(secret);
      }
      // Every payload is encrypted (the referent's address and the contract are there, once decrypted).
      const encodings = new Set(payloads.map(encodingOf));
      expect([...encodings]).toEqual(['binary/encrypted']);
      const decoded = JSON.stringify(await p.handle.query(stateQuery));
      expect(decoded).toContain(REFERENT);
      expect(decoded).toContain('CDI');

      const description = await p.handle.describe();
      expect(description.typedSearchAttributes.get(STAGE_KEY)).toBe('followUp');
      // The referent by their staff id: not even the staff's address lies in clear in the store.
      const referent = await stack.db.staff.findFirstOrThrow({ where: { plieCode: 'CASA', email: REFERENT } });
      expect(description.typedSearchAttributes.get(REFERENT_KEY)).toBe(referent.id);
      const rawHistory = Buffer.from(proto.temporal.api.history.v1.History.encode(history!).finish()).toString('utf8');
      expect(rawHistory).toContain(referent.id);
      expect(rawHistory).not.toContain(REFERENT);
    } finally {
      await stack.stop();
    }
  });
});
