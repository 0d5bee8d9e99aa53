/** A workflow's refusal of an Update, as the French reason it gave, for the person who acted. */
import { WorkflowUpdateFailedError } from '@temporalio/client';

/** The workflow could not take this request (closed, unknown, or invalid): the message is for people. */
export class TaskAnswerRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskAnswerRejectedError';
  }
}

/** Runs an Update; its refusal becomes a TaskAnswerRejectedError with the reason, however deep (an activity's refusal sits under its ActivityFailure). */
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
