/**
 * Failures (an activity's error message and stack) go through the payload codec too, encrypted like
 * any payload: an SMTP refusal that quotes an address must not lie in clear in Temporal's histories.
 * Loaded by path (`failureConverterPath`) in the workflow bundle, the worker and the clients alike.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
