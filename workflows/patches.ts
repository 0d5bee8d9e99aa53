/** Patch ids (see README « Faire évoluer »): each marks where a change of the workflows' commands begins. */
import { addDaysToInstant } from '../src/domain/dates.ts';
import { nextDailyInstantAfter } from '../src/domain/schedules.ts';

/** Pathways started before this patch run the frozen first version. */
export const FULL_PATHWAY_PATCH = 'full-pathway';

/**
 * From this patch on: closed tasks' Slack messages show their outcome, the commission posts its
 * case, appointments are sent with their invitation and reminder, and participants get their
 * monthly check-in during the follow-up.
 */
export const CHANNELS_PATCH = 'channels';

/**
 * From this patch on, a date that repeats is computed from its schedule's origin (the n-th monthly
 * check is the follow-up's start plus n months, never the previous check plus one), no monthly
 * check falls on the day the exit is due, and a deadline « in N days » keeps its Paris time of day
 * across a change of summer or winter time. Pathway, commission, marché, offer and collective
 * action workflows alike.
 */
export const SCHEDULES_FROM_ORIGIN_PATCH = 'schedules-from-origin';

const DAY_MS = 86_400_000;

/**
 * An instant `days` days after another (before it, if negative), as each side of
 * SCHEDULES_FROM_ORIGIN_PATCH computes it: on the calendar at the same Paris hour from the patch
 * on, in 24-hour days before it (kept so that older histories replay).
 */
export function daysAfter(fromOrigin: boolean, instant: number, days: number): number {
  return fromOrigin ? addDaysToInstant(instant, days) : instant + days * DAY_MS;
}

/** The next instant of a schedule every `everyDays` days: from its origin after the patch, from now before it. */
export function nextEvery(fromOrigin: boolean, origin: number, now: number, everyDays: number): number {
  return fromOrigin ? nextDailyInstantAfter(origin, now, everyDays) : now + everyDays * DAY_MS;
}

/**
 * From this patch on, the pathway is the pure state machine of src/domain/pathway/ behind a thin
 * workflow; pathways started before it run the frozen closure (workflows/legacy/pathway-v2.ts)
 * until their next continue-as-new.
 */
export const STATE_MACHINE_PATCH = 'pathway-state-machine';

/**
 * From this patch on, a pause of reminders silences everything about the person until its end
 * (staff reminders and escalations, the no-contact prompt, appointment reminders, the monthly
 * word); pathways begun before it hold back only the participant's task reminders, as then.
 */
export const PAUSE_SILENCES_ALL_PATCH = 'pause-silences-all';

/**
 * From this patch on, the prescriber of record hears of the exit and of a reorientation (the
 * PLIE's configuration says whether, and where); pathways begun before it say nothing, as then.
 */
export const PRESCRIBER_LOOP_PATCH = 'prescriber-loop';

/**
 * From this patch on, a commission's result that comes after the pathway has ended (an abandonment
 * confirmed while the members voted) is recorded and changes nothing: the exit stands.
 */
export const COMMISSION_AFTER_EXIT_PATCH = 'commission-after-exit';

/**
 * From this patch on, the exit rules read as the protocole d'accord writes them (article 5): the
 * 910 hours count the ordinary labour market only (not insertion contracts nor non-market aided
 * ones), and a part-time job under 17h30 of any kind goes to the commission; pathways begun before
 * it keep the first reading until their next run.
 */
export const EXIT_RULES_PATCH = 'exit-rules-protocol';

/**
 * From this patch on, a commission session takes its members from the PLIE's roster of the day
 * (role MEMBRE_COMMISSION, and the configuration's list), not from the copy made when the pathway
 * started; with no member, or after two adjournments of the same case, the coordination decides.
 */
export const COMMISSION_ROSTER_PATCH = 'commission-roster';

/**
 * From this patch on, an employment exit asks for the pay slips of its six months besides the
 * contract (its proofs are complete only with both), and a referent may declare a positive exit
 * without proofs; pathways begun before it ask for the contract alone until their next run.
 */
export const PROOFS_SIX_MONTHS_PATCH = 'proofs-six-months';

/**
 * From this patch on, the pathway's `PlieReferent` search attribute holds the referent's staff id,
 * never their address: search attributes are not encrypted, and lie in clear in Temporal's store.
 */
export const REFERENT_STAFF_ID_PATCH = 'referent-staff-id';

/**
 * From this patch on, a commission vote that ends without a result (terminated by an operator,
 * failed) closes its case as interrupted and hands the case to the coordination; before it, the
 * child's failure was an unhandled rejection that failed every workflow task of the pathway.
 */
export const COMMISSION_INTERRUPTED_PATCH = 'commission-interrupted';

/**
 * From this patch on, a pathway's transition records its writes (stage, tasks, facts…) in one
 * activity and one transaction, and sends its messages once the Update that caused it has its
 * answer, all at once; before it, each write and each message was an activity of its own, one
 * after the other, and the Update answered after the last.
 */
export const TRANSITION_BATCH_PATCH = 'transition-batched';

/**
 * From this patch on, a transition's messages no longer hold the pathway's next request: they go
 * once the Update has its answer, after the messages of the transition before (so a task's outcome
 * is never shown before the notice of its opening), while the next Update is already taken; before
 * it, the next request waited until they were sent.
 */
export const MESSAGES_CHAINED_PATCH = 'messages-chained';

/**
 * From these patches on, a marché, a job offer and a collective action go on in a new run
 * (continue-as-new) carrying their whole state, once their history passes its bound (see
 * `historyIsLong`). Asked only when the bound is passed: a run begun before them replays as it went,
 * and continues at its first pause after the deployment if its history is past the bound by then.
 */
export const MARCHE_CONTINUE_AS_NEW_PATCH = 'marche-continue-as-new';
export const OFFER_CONTINUE_AS_NEW_PATCH = 'offre-continue-as-new';
export const COLLECTIVE_CONTINUE_AS_NEW_PATCH = 'collective-continue-as-new';

/** The history length past which a marché, an offer or a collective action continues as new, unless its input says otherwise. */
export const DEFAULT_MAX_HISTORY_EVENTS = 1_000;
/** A new run's first few events (started, its first task) must stay under the bound, or every run would continue at once. */
const MIN_HISTORY_EVENTS = 10;

/** Whether a run's history (its `workflowInfo()`) is long enough to go on in a new one: past the bound, or as the server suggests. */
export function historyIsLong(info: { historyLength: number; continueAsNewSuggested: boolean }, maxEvents: number = DEFAULT_MAX_HISTORY_EVENTS): boolean {
  return info.continueAsNewSuggested || info.historyLength > Math.max(maxEvents, MIN_HISTORY_EVENTS);
}
