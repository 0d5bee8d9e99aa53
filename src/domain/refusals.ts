/**
 * Why a workflow refuses a request, as a code for programs (the HTTP status, a test) and a French
 * sentence for the person. Channels choose by code, never by matching the sentence.
 */

export const REFUSAL_CODES = {
  /** The task was answered already, lapsed, or never existed. */
  taskNotOpen: 'task_not_open',
  /** This person may not do this (not their pathway, not their vote…). */
  notAllowed: 'not_allowed',
  /** The answer or action does not say what is expected. */
  invalid: 'invalid',
  /** Valid, but not at this point (stage, facts, dates). */
  notNow: 'not_now',
  /** The workflow has ended or stops taking requests. */
  closed: 'closed',
} as const;

export type RefusalCode = (typeof REFUSAL_CODES)[keyof typeof REFUSAL_CODES];

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export const refusal = (code: RefusalCode, message: string): Refusal => ({ code, message });

export const isRefusalCode = (value: unknown): value is RefusalCode => (Object.values(REFUSAL_CODES) as unknown[]).includes(value);

/** The code a failure's type carries; « not now » for a refusal that carries none. */
export const refusalCodeOf = (type: unknown): RefusalCode => (isRefusalCode(type) ? type : REFUSAL_CODES.notNow);
