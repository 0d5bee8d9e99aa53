/** What workflows do around their activities that may fail for good. Deterministic helpers. */
import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { refused } from './update-queue.ts';
import { REFUSAL_CODES, type RefusalCode } from '../src/domain/refusals.ts';

/** A message that cannot be delivered (address refused…) is recorded by its activity; it never stops a workflow. */
export async function deliver(send: () => Promise<unknown>, what: Record<string, unknown> = {}): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('message not delivered', what);
  }
}

/** The failure type of a database write no retry can mend (given by src/temporal/activity-failures.ts). */
export const RECORD_IMPOSSIBLE = 'EnregistrementImpossible';

/** The reason of a database write that will never succeed (its activity said so), else null. */
export function impossibleRecord(error: unknown): string | null {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return null;
  return error.cause.type === RECORD_IMPOSSIBLE ? error.cause.message : null;
}

/** Refuses an Update with its French reason and code (in the validator, and again when its turn comes). */
export function refuseUnless(ok: boolean, reason: string, code: RefusalCode = REFUSAL_CODES.notNow): void {
  if (!ok) throw refused({ code, message: reason });
}
