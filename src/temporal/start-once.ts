/** Starts a workflow whose id is its subject's (a marché, an offer, an action): a second start is a no-op. */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';

export async function startOnce(client: Client, workflowType: string, opts: { workflowId: string; taskQueue: string; args: unknown[] }): Promise<string> {
  try {
    await client.workflow.start(workflowType, { ...opts, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return opts.workflowId;
}
