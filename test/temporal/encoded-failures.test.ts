/**
 * A failure's message and stack are encrypted in Temporal's history like any payload: read raw from
 * the server, the history does not hold the error's text; read through the data converter, it does.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { RESEND_MARCHE_WORKFLOW } from '../../workflows/resend.ts';
import { startWorkerAndClient } from '../helpers/worker.ts';

const run = randomBytes(4).toString('hex');
let running: Awaited<ReturnType<typeof startWorkerAndClient>>;

beforeAll(async () => {
  running = await startWorkerAndClient('failures');
});

afterAll(async () => {
  await running?.stop();
});

describe('failures in Temporal’s histories', () => {
  it('are encrypted: the raw history does not hold the error’s text, the decoded failure does', async () => {
    const { stack, client, taskQueue } = running;
    const { db } = stack;
    // A marché without a contact: asking its company again fails, naming the marché.
    const reference = `SECRET-${run}`;
    const marche = await db.procurement.create({ data: { plieCode: 'CASA', externalId: reference, buyer: 'Ville', title: 'Voirie', sector: 'BTP', plannedHours: 100, start: toDbDate('2026-01-01') } });
    const message = await db.message.create({ data: { idempotencyKey: `marche/${marche.id}/2026-01/request/1`, channel: 'email', template: 'marche.heures.request', recipient: `rh-${run}@entreprise.test`, status: 'refused' } });
    const workflowId = `renvoi-echec-${run}`;
    const handle = await client.workflow.start(RESEND_MARCHE_WORKFLOW, { workflowId, taskQueue, args: [{ messageId: message.id }] });

    const failure = await handle.result().then(
      () => expect.fail('the resend should fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    // The workflow failed of its activity's failure, whose text the client reads once decoded.
    const activityFailure = (failure as WorkflowFailedError).cause?.cause as Error | undefined;
    expect(activityFailure?.message).toContain(`le marché ${reference} n’a pas de contact`);

    const raw = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const bytes = Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(raw).finish());
    expect(raw.history!.events!.some((e) => e.activityTaskFailedEventAttributes?.failure?.message === 'Encoded failure')).toBe(true);
    expect(bytes.includes(Buffer.from(reference))).toBe(false);
    expect(bytes.includes(Buffer.from('pas de contact'))).toBe(false);
  });
});
