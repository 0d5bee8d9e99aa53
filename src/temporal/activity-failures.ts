/**
 * Every activity's error leaves the worker without personal data: the failure Temporal keeps (and
 * the worker's own log of it) says what went wrong, never with the values of a database query or
 * an address quoted by a server. Failures are encrypted too (failure-converter.ts); this is for
 * whoever reads them decrypted, and for the logs.
 *
 * A database error that no retry can mend (a row that is not there, a value the schema refuses)
 * leaves as a failure of type {@link RECORD_IMPOSSIBLE}: the pathway's writes do not retry it
 * (their retry policy), report it to the coordination and go on, instead of retrying for ever and
 * holding everything behind it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withoutPersonalDataInError } from '../privacy/scrub.ts';
import { RECORD_IMPOSSIBLE } from '../../workflows/best-effort.ts';

export { RECORD_IMPOSSIBLE };

/**
 * Prisma's codes for what the same query will meet again: P2025 a row the write needs is missing,
 * P2003 a reference to a missing row, P2000/P2006/P2011/P2012/P2019/P2020/P2023 a value the
 * column refuses. Not P2002 (a unique key taken): a concurrent idempotent write ends that way, and
 * its retry finds the row. Connection and timeout errors (P1xxx, P2024, P2028, P2034) pass.
 */
const PERMANENT_CODES = new Set(['P2000', 'P2003', 'P2006', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2025']);

/** Whether a database error will happen again on every retry. */
export function isPermanentDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A query the client itself refuses (a missing argument, a wrong type) never becomes valid.
  if (error.name === 'PrismaClientValidationError') return true;
  const { code } = error as Error & { code?: unknown };
  return error.name === 'PrismaClientKnownRequestError' && typeof code === 'string' && PERMANENT_CODES.has(code);
}

export const cleanActivityFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        const clean = withoutPersonalDataInError(error);
        // Typed, still retryable: only the callers that report it and go on make it final, by
        // their retry policy (workflows/pathway-effects.ts); the others (a pathway of a frozen
        // version, the marché, offer, collective action, retention) retry until it is mended.
        if (isPermanentDatabaseError(clean)) throw ApplicationFailure.retryable((clean as Error).message, RECORD_IMPOSSIBLE);
        throw clean;
      }
    },
  },
});
