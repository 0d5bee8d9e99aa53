/** A workflow's refusal of an Update, as its code and the French reason it gave, for the person who acted. */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { refusalCodeOf, REFUSAL_CODES, type RefusalCode } from '../domain/refusals.ts';

/** The workflow could not take this request: `code` for programs, the message for people. */
export class TaskAnswerRejectedError extends Error {
  constructor(
    message: string,
    readonly code: RefusalCode = REFUSAL_CODES.notNow,
  ) {
    super(message);
    this.name = 'TaskAnswerRejectedError';
  }
}

/** Runs an Update; its refusal becomes a TaskAnswerRejectedError with the code and reason, however deep (an activity's refusal sits under its ActivityFailure). */
export async function refusedInFrench<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    let cause: Error | undefined = error.cause;
    while (cause?.cause instanceof Error) cause = cause.cause;
    const type = cause instanceof ApplicationFailure ? cause.type : null;
    throw new TaskAnswerRejectedError(cause?.message ?? error.message, refusalCodeOf(type));
  }
}
