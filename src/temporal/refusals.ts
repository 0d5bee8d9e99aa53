/** A workflow's refusal of an Update, as the French reason it gave (however deep: an activity's refusal sits under its ActivityFailure). */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TaskAnswerRejectedError } from './parcours-client.ts';

export async function refusedInFrench<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    let cause: Error | undefined = error.cause;
    while (cause?.cause instanceof Error) cause = cause.cause;
    throw new TaskAnswerRejectedError(cause?.message ?? error.message);
  }
}
