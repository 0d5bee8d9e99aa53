/**
 * Every activity's error leaves the worker without personal data: the failure Temporal keeps (and
 * the worker's own log of it) says what went wrong, never with the values of a database query or
 * an address quoted by a server. Failures are encrypted too (failure-converter.ts); this is for
 * whoever reads them decrypted, and for the logs.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withoutPersonalDataInError } from '../privacy/scrub.ts';

export const cleanActivityFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        throw withoutPersonalDataInError(error);
      }
    },
  },
});
