/**
 * A commission vote terminated by an operator (a stuck vote, a mistaken start): the pathway hears
 * of it, closes the interrupted case and gives the case to the coordination, which decides it.
 * Before, the child's failure was an unhandled rejection that failed every workflow task of the
 * pathway, which then never moved again. On the dev server: the time-skipping server does not tell
 * a parent that its child was terminated.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { addMonths, parisDate } from '../../src/domain/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import {
  answerTaskUpdate,
  castVoteUpdate,
  commissionWorkflowId,
  PATHWAY_WORKFLOW,
  pathwayWorkflowId,
  recordActionUpdate,
  stateQuery,
} from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { COORDINATOR, startWorkerAndClient } from '../helpers/worker.ts';

let t: Awaited<ReturnType<typeof startWorkerAndClient>>;
const REFERENT = 'referente.commission@plie.test';
const WAIT = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  t = await startWorkerAndClient('commission-interrupted');
});

afterAll(async () => {
  await t?.stop();
});

describe('a commission vote terminated by an operator', { timeout: 120_000 }, () => {
  it('closes the interrupted case, gives the case to the coordination, and the pathway goes on to its exit', async () => {
    const { stack, client, taskQueue } = t;
    const suffix = randomBytes(4).toString('hex');
    const plieCode = `VOTE${suffix.toUpperCase()}`;
    const participantId = randomUUID();
    const workflowId = pathwayWorkflowId(participantId);
    await stack.db.participant.create({
      data: { id: participantId, plieCode, firstName: `Inès${suffix}`, lastName: `Vidal${suffix}`, identityKey: `test-${participantId}`, birthDate: toDbDate('1975-02-11'), commune: 'Vallauris', minimumIncome: 'RSA', activeJobSearch: true, needsSupport: true, ableAndWilling: true, createdBy: 'test' },
    });
    await stack.db.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
    await stack.db.staff.create({ data: { plieCode, email: REFERENT, name: 'Référente', roles: ['REFERENT'] } });
    // A PLIE of the test's own: its coordination is the configured address alone (no other test's coordinators).
    const config = { ...CASA_CONFIG, code: plieCode, assignment: { autoReferentEmail: REFERENT } };
    const handle = await client.workflow.start(PATHWAY_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ participantId, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(config, { coordinatorEmail: COORDINATOR }) }],
    });
    const state = () => handle.query(stateQuery);
    const diagnostic = await vi.waitFor(async () => {
      const task = (await state()).openTasks.find((task) => task.kind === 'diagnostic_decision');
      expect(task).toBeDefined();
      return task!;
    }, WAIT);
    // Entered seven months ago; a part-time job under 17h30 a week held for six months since: the
    // exit is due now, and the commission ad hoc decides it.
    const today = parisDate(Date.now());
    const entry = addMonths(today, -7);
    await handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: diagnostic.id, answer: { decision: 'integrate', entryDate: entry }, actor: REFERENT, channel: 'cli' }] });
    await handle.executeUpdate(recordActionUpdate, {
      args: [{ action: { type: 'contractSigned', contract: { type: 'CDD', aided: true, marketSector: true, weeklyHours: 15, start: entry, end: addMonths(today, 1) } }, actor: REFERENT, channel: 'cli' }],
    });
    const firstCase = commissionWorkflowId(workflowId, 1);
    // The members of the day sit (the roster's); every vote task is open once the case is posted.
    await vi.waitFor(async () => {
      const { events } = await client.workflow.getHandle(firstCase).fetchHistory();
      expect(events?.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'showCommissionCase')).toBe(true);
    }, WAIT);
    const seats = await stack.db.task.count({ where: { commissionCaseId: firstCase, status: 'open' } });
    expect(seats).toBeGreaterThan(0);

    await client.workflow.getHandle(firstCase).terminate('vote bloqué');

    const secondCase = commissionWorkflowId(workflowId, 2);
    const vote = await vi.waitFor(async () => {
      const task = await stack.db.task.findFirst({ where: { commissionCaseId: secondCase, status: 'open' } });
      expect(task).not.toBeNull();
      return task!;
    }, WAIT);
    expect(vote.assigneeEmail).toBe(COORDINATOR);
    expect(await stack.db.commissionCase.findUniqueOrThrow({ where: { id: secondCase } })).toMatchObject({ panel: 'coordination', panelWhy: 'interrupted', outcome: 'OUVERT' });
    // The interrupted case is closed as such, and its members' vote tasks with it.
    expect(await stack.db.commissionCase.findUniqueOrThrow({ where: { id: firstCase } })).toMatchObject({ outcome: 'interrupted' });
    expect((await stack.db.task.findMany({ where: { commissionCaseId: firstCase } })).map((task) => task.status)).toEqual(Array(seats).fill('cancelled'));
    expect(await stack.db.auditEvent.count({ where: { entityId: firstCase, action: 'commission.interrupted' } })).toBe(1);

    await client.workflow.getHandle(secondCase).executeUpdate(castVoteUpdate, { args: [{ actor: COORDINATOR, vote: { vote: 'pour' }, channel: 'cli' }] });
    await vi.waitFor(async () => expect((await state()).exit).toMatchObject({ type: 'POSITIVE', reason: 'commission ad hoc' }), WAIT);
    expect((await state()).commission).toMatchObject({ session: 2, outcome: 'approved' });
  });
});
