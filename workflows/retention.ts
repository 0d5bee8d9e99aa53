/**
 * Once a day (a Temporal Schedule starts it): the retention of every PLIE, in batches until nothing
 * is left, at the workflow's own time. Its result holds counts only, never a person.
 */
import { retention } from './proxies.ts';
import type { RetentionStep } from '../src/rgpd/retention.ts';

export const RETENTION_WORKFLOW = 'retentionWorkflow';

export async function retentionWorkflow(input: { dryRun?: boolean } = {}): Promise<RetentionStep[]> {
  const at = new Date(Date.now()).toISOString();
  const steps: RetentionStep[] = [];
  for (const plieCode of await retention.retentionPlies()) {
    let step: RetentionStep;
    do {
      step = await retention.applyRetention({ plieCode, at, dryRun: input.dryRun ?? false });
      steps.push(step);
    } while (step.more);
  }
  return steps;
}
