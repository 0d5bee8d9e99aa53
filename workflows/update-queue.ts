/**
 * The Updates a workflow's loop handles one at a time, in the order they came. An Update's
 * handler only queues its request and waits for the loop to have handled it: it then returns, or
 * throws the French refusal its turn brought (valid when sent, no longer valid when its turn came).
 * Before a workflow stops, `close` refuses whatever is still queued and all that comes later, so
 * no handler waits for ever and `allHandlersFinished` comes.
 */
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { refusalCodeOf, REFUSAL_CODES, type Refusal, type RefusalCode } from '../src/domain/refusals.ts';

/** Thrown by the loop's handling of a request: refused with this message and code, nothing done. */
export class RefusedOnItsTurn extends Error {
  constructor(
    message: string,
    readonly code: RefusalCode = REFUSAL_CODES.notNow,
  ) {
    super(message);
  }
}

/** An Update's refusal as Temporal carries it: non-retryable, its code as the failure's type. */
export const refused = (r: Refusal) => ApplicationFailure.nonRetryable(r.message, r.code);

export interface UpdateQueue<T> {
  /** For the Update handler: queues the request, resolves once handled, throws its refusal. */
  submit(request: T): Promise<void>;
  /** Requests waiting for their turn. */
  pending(): number;
  /** Whether a waiting request matches (a second answer to the same task…). */
  has(match: (request: T) => boolean): boolean;
  /** Handles the oldest waiting request (its ticket counts requests, from 1); false when none waits. */
  handleNext(handle: (request: T, ticket: number) => Promise<void>): Promise<boolean>;
  /** Refuses every waiting request, and any later one, with this reason. */
  close(reason: string): void;
}

export interface UpdateQueueOptions {
  /**
   * As when each Update did its own work (the marché, offer and collective-action workflows before
   * this queue): the loop waits for each answer to have gone back before it goes on (the order their
   * recorded histories keep), and an activity's refusal fails that request only, not the workflow.
   */
  asHandlers?: boolean;
}

export function createUpdateQueue<T>(options: UpdateQueueOptions = {}): UpdateQueue<T> {
  const waiting: Array<{ ticket: number; request: T }> = [];
  /** Handled tickets whose submitter has not yet seen the outcome. */
  const unseen = new Set<number>();
  /** Handled tickets: null when done, else the refusal. */
  const outcomes = new Map<number, Refusal | null>();
  let tickets = 0;
  let closedWith: Refusal | null = null;

  return {
    async submit(request) {
      if (closedWith !== null) throw refused(closedWith);
      const ticket = ++tickets;
      waiting.push({ ticket, request });
      await condition(() => outcomes.has(ticket));
      unseen.delete(ticket);
      const refusal = outcomes.get(ticket);
      if (refusal) throw refused(refusal);
    },
    pending: () => waiting.length,
    has: (match) => waiting.some((w) => match(w.request)),
    async handleNext(handle) {
      const next = waiting.shift();
      if (!next) return false;
      try {
        await handle(next.request, next.ticket);
        outcomes.set(next.ticket, null);
      } catch (error) {
        if (error instanceof RefusedOnItsTurn) outcomes.set(next.ticket, { code: error.code, message: error.message });
        // A refusal the workflow's own checks raised on its turn (`refuseUnless`), not an activity's failure.
        else if (error instanceof ApplicationFailure && error.nonRetryable) outcomes.set(next.ticket, { code: refusalCodeOf(error.type), message: error.message });
        else if (options.asHandlers && error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
          // What the activity refused (a person unknown to the marché…): said to the person who asked.
          outcomes.set(next.ticket, { code: REFUSAL_CODES.invalid, message: error.cause.message });
        } else throw error;
      }
      if (options.asHandlers) {
        unseen.add(next.ticket);
        await condition(() => !unseen.has(next.ticket));
      }
      return true;
    },
    close(reason) {
      closedWith = { code: REFUSAL_CODES.closed, message: reason };
      for (const w of waiting.splice(0)) outcomes.set(w.ticket, closedWith);
    },
  };
}
