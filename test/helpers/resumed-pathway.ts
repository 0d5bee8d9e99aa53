/**
 * A participant whose pathway is taken up under way (active, with a referent, entered 60 days ago),
 * as an import resumes one: the pathway row, then its workflow on the test worker's queue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { expect, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { PATHWAY_WORKFLOW, pathwayWorkflowId, recordActionUpdate, stateQuery } from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from './plie-configs.ts';
import { COORDINATOR, type WorkerStack } from './worker.ts';

export async function startResumedPathway(
  t: { stack: WorkerStack; client: Client; taskQueue: string },
  person: { referent: string; firstName: string; lastName: string; birthDate: string; withEmail?: boolean },
) {
  const participantId = randomUUID();
  // Names of their own, so that a test can check they never appear where they must not.
  const suffix = randomBytes(4).toString('hex');
  const email = person.withEmail ? `${person.firstName.toLowerCase()}.${suffix}@exemple.test` : null;
  await t.stack.db.participant.create({
    data: { id: participantId, firstName: `${person.firstName}${suffix}`, lastName: `${person.lastName}${suffix}`, identityKey: `test-${participantId}`, birthDate: toDbDate(person.birthDate), commune: 'Biot', createdBy: 'test', email },
  });
  const workflowId = pathwayWorkflowId(participantId);
  await t.stack.db.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
  const today = parisDate(Date.now());
  const handle = await t.client.workflow.start(PATHWAY_WORKFLOW, {
    workflowId,
    taskQueue: t.taskQueue,
    args: [{ participantId, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(CASA_CONFIG, { coordinatorEmail: COORDINATOR }), resume: { stage: 'active', referentEmail: person.referent, entryDate: addDays(today, -60) } }],
  });
  // The referent acts once the workflow has taken the pathway up where it stands.
  await vi.waitFor(async () => expect((await handle.query(stateQuery)).referentEmail).toBe(person.referent), { timeout: 30_000, interval: 100 });
  const act = (action: unknown) => handle.executeUpdate(recordActionUpdate, { args: [{ action, actor: person.referent, channel: 'cli' }] });
  return { participantId, workflowId, handle, act, today, suffix, email };
}
