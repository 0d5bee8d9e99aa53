/**
 * The pathway (parcours) of one participant, as a thin workflow around the pure state machine of
 * src/domain/pathway/: Updates, timers and the commission's result come in as events, `decide`
 * gives the new state and the commands, and pathway-effects.ts carries them out in order.
 * Updates are handled one at a time (update-queue.ts), judged by the same rule when they come (the
 * validator) and on their turn. Deterministic code only: every effect goes through an activity.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { NOT_OPEN } from '../src/domain/pathway/answers.ts';
import { decide, refusalOf } from '../src/domain/pathway/decide.ts';
import { REFUSAL_CODES, type Refusal } from '../src/domain/refusals.ts';
import type { PathwayContext, PathwayEvent } from '../src/domain/pathway/commands.ts';
import { initialState } from '../src/domain/pathway/state.ts';
import { isOverdue, nextWake } from '../src/domain/pathway/timers.ts';
import { pathwayPolicy, type PathwayPolicy } from '../src/domain/pathway-policy.ts';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import { createAlarm } from './alarm.ts';
import { pathwayWorkflowV1 } from './legacy/pathway-v1.ts';
import { pathwayWorkflowV2 } from './legacy/pathway-v2.ts';
import {
  answerTaskUpdate,
  coordinatorsChangedSignal,
  eligibilityRevisedSignal,
  recordActionUpdate,
  staffLeftSignal,
  stateQuery,
  type ActionRequest,
  type AnswerTaskRequest,
  type CommissionResult,
  type PathwayInput,
  type PathwayState,
} from './pathway-messages.ts';
import { isMessage, isWrite, pathwayEffects, type MessageCommand, type WriteCommand } from './pathway-effects.ts';
import { pathwayRecords } from './proxies.ts';
import { COMMISSION_AFTER_EXIT_PATCH, EXIT_RULES_PATCH, PROOFS_SIX_MONTHS_PATCH, FULL_PATHWAY_PATCH, PAUSE_SILENCES_ALL_PATCH, PRESCRIBER_LOOP_PATCH, MESSAGES_CHAINED_PATCH, REFERENT_STAFF_ID_PATCH, STATE_MACHINE_PATCH, TRANSITION_BATCH_PATCH } from './patches.ts';
import { OVERDUE_KEY, REFERENT_KEY, STAGE_KEY } from './search-attributes.ts';
import { createUpdateQueue, RefusedOnItsTurn, refused } from './update-queue.ts';

export async function parcoursWorkflow(input: PathwayInput): Promise<PathwayState> {
  if (!patched(FULL_PATHWAY_PATCH)) return await pathwayWorkflowV1(input);
  if (!patched(STATE_MACHINE_PATCH)) return await pathwayWorkflowV2(input);
  return await runPathway(input);
}

/** An answer or an action, queued for the loop. */
type PathwayRequest = { answer: AnswerTaskRequest } | { action: ActionRequest };
type EligibilityRevised = 'eligible' | 'not_eligible' | 'to_review';

const eventOf = (request: PathwayRequest): PathwayEvent =>
  'answer' in request ? { type: 'answer', request: request.answer } : { type: 'action', request: request.action };

async function runPathway(input: PathwayInput): Promise<PathwayState> {
  const pathwayId = workflowInfo().workflowId;
  const policy: PathwayPolicy = input.policy ?? pathwayPolicy(CASA_CONFIG, { coordinatorEmail: input.coordinatorEmail });
  let state: PathwayState = input.carried ?? initialState(input.participantId);
  // Who may act: the configured coordination address and the coordinators of the PLIE, kept current by a signal.
  let coordinators = input.coordinators ?? [];
  // Asked once, before any command: a run begun before a patch keeps doing as it did then.
  const legacy = {
    pause: !patched(PAUSE_SILENCES_ALL_PATCH),
    noPrescriberNotice: !patched(PRESCRIBER_LOOP_PATCH),
    commissionAfterExit: !patched(COMMISSION_AFTER_EXIT_PATCH),
    firstExitRules: !patched(EXIT_RULES_PATCH),
    contractProofOnly: !patched(PROOFS_SIX_MONTHS_PATCH),
  };
  const referentByStaffId = patched(REFERENT_STAFF_ID_PATCH);
  const ctx = (): PathwayContext => ({ pathwayId, policy, roster: { coordinators: [policy.coordinatorEmail, ...coordinators] }, legacy });

  const updates = createUpdateQueue<PathwayRequest>();
  const alarm = createAlarm();
  let commissionResult: CommissionResult | null = null;
  let commissionInterrupted: number | null = null;
  // A transition's writes in one activity, its messages once the Update has its answer (asked once, as above).
  const batched = patched(TRANSITION_BATCH_PATCH);
  const effects = pathwayEffects({ pathwayId, participantId: input.participantId }, policy, (end) => {
    if ('result' in end) commissionResult = end.result;
    else commissionInterrupted = end.interrupted;
  });
  /** Messages of the transitions carried out, not sent yet (see `sendMessages`). */
  const outbox: MessageCommand[] = [];
  // Messages chained after those before them rather than holding the next request (asked once, as above).
  const chained = patched(MESSAGES_CHAINED_PATCH);
  /** The messages under way (chained): each transition's go once those of the one before have gone. */
  let sending: Promise<void> = Promise.resolve();

  /**
   * Feeds one event to the state machine and carries its commands out, in order. Batched: the
   * writes up to the next command that needs their result (eligibility, the commission…) go
   * together, and the messages wait in the outbox, to be sent once the Update has its answer.
   */
  async function apply(event: PathwayEvent): Promise<Refusal | null> {
    const decision = decide(state, event, ctx(), Date.now());
    if (decision.refused !== null) return decision.refused;
    state = decision.state;
    let writes: WriteCommand[] = [];
    const flush = async () => {
      const batch = writes;
      writes = [];
      await effects.recordTogether(batch);
    };
    for (const command of decision.commands) {
      if (batched && isWrite(command)) {
        writes.push(command);
        continue;
      }
      if (batched && isMessage(command)) {
        outbox.push(command);
        continue;
      }
      // (Guarded, so that a run from before the patch awaits exactly what it awaited then.)
      if (writes.length > 0) await flush();
      if (command.type === 'continueAsNew') {
        if (outbox.length > 0) await sendMessages();
        if (chained) await sending;
        await continueIfIdle();
        continue;
      }
      const next = await effects.carryOut(command);
      if (next) await apply(next);
    }
    if (writes.length > 0) await flush();
    return null;
  }

  /**
   * Sends what the outbox holds, all at once: each message stands alone (best-effort, its own
   * key), and they were decided after the writes they speak of were recorded. Chained, they go
   * once the messages before them have gone, and this returns at once: the next request is taken
   * meanwhile (`sending` is awaited before a new run and at the end).
   */
  async function sendMessages(): Promise<void> {
    const messages = outbox.splice(0);
    const sendAll = async () => {
      await Promise.all(messages.map(async (message) => await effects.carryOut(message)));
    };
    if (!chained) return await sendAll();
    const before = sending;
    sending = before.then(sendAll);
  }

  /** A new run with the state, once no Update waits or runs (they would be lost with this run). */
  async function continueIfIdle(): Promise<void> {
    await syncSearchAttributes();
    if (updates.pending() > 0 || leavers.length > 0) return;
    await condition(allHandlersFinished);
    if (updates.pending() > 0) return;
    await continueAsNew<typeof parcoursWorkflow>({ ...input, policy, coordinators, carried: state, resume: undefined });
  }

  // --- Handlers: judged when they come, queued, and answered once the workflow has acted (database included). ---
  setHandler(stateQuery, () => state);
  setHandler(coordinatorsChangedSignal, (change) => {
    coordinators = change.coordinators;
  });
  // Taken in the loop, in its turn with the answers and actions.
  let revisedEligibility: EligibilityRevised | null = null;
  setHandler(eligibilityRevisedSignal, (revision) => {
    revisedEligibility = revision.decision;
  });
  // Staff deactivated since the last turn, taken in the loop in the order they came.
  const leavers: Array<{ email: string; actor: string; channel: string }> = [];
  setHandler(staffLeftSignal, (leaver) => {
    leavers.push(leaver);
  });
  const enqueue = async (request: PathwayRequest): Promise<PathwayState> => {
    await updates.submit(request);
    return state;
  };
  const validate = (request: PathwayRequest) => {
    // A second answer to a task whose first answer waits for its turn would find it closed.
    if ('answer' in request && updates.has((r) => 'answer' in r && r.answer.taskId === request.answer.taskId)) {
      throw refused({ code: REFUSAL_CODES.taskNotOpen, message: NOT_OPEN });
    }
    const refusal = refusalOf(state, eventOf(request), ctx(), Date.now());
    if (refusal) throw refused(refusal);
  };
  setHandler(answerTaskUpdate, (request) => enqueue({ answer: request }), { validator: (request: AnswerTaskRequest) => validate({ answer: request }) });
  setHandler(recordActionUpdate, (request) => enqueue({ action: request }), { validator: (request: ActionRequest) => validate({ action: request }) });

  /** Keeps the search attributes in step with the state (upserted only when they change). */
  let searchAttributes = '';
  let referentId: { email: string | null; id: string | null } = { email: null, id: null };
  async function syncSearchAttributes(): Promise<void> {
    const overdue = isOverdue(state);
    const key = JSON.stringify([state.stage, state.referentEmail, overdue]);
    if (key === searchAttributes) return;
    searchAttributes = key;
    // The referent by their staff id (asked once per change of referent); their address before the patch.
    if (referentByStaffId && referentId.email !== state.referentEmail) {
      const email = state.referentEmail;
      referentId = { email, id: email ? await pathwayRecords.referentStaffId({ participantId: input.participantId, email }) : null };
    }
    upsertSearchAttributes([
      { key: STAGE_KEY, value: state.stage },
      { key: REFERENT_KEY, value: (referentByStaffId ? referentId.id : state.referentEmail) ?? null },
      { key: OVERDUE_KEY, value: overdue },
    ]);
  }

  // --- Start, then the loop ---
  if (input.carried) state = { ...state, runs: state.runs + 1 };
  else await apply({ type: 'started', ...(input.resume ? { resume: input.resume } : {}) });
  if (outbox.length > 0) await sendMessages();

  // Each request on its turn: refused with its reason if an earlier one made it pointless.
  const handle = async (request: PathwayRequest) => {
    const refusal = await apply(eventOf(request));
    if (refusal) throw new RefusedOnItsTurn(refusal.message, refusal.code);
  };
  for (;;) {
    while (await updates.handleNext(handle)) {
      // The Update has its answer; then what it decided to tell.
      if (outbox.length > 0) await sendMessages();
      if (state.finished) break;
    }
    if (revisedEligibility) {
      const decision: EligibilityRevised = revisedEligibility;
      revisedEligibility = null;
      await apply({ type: 'eligibilityRevised', decision });
    }
    for (let leaver = leavers.shift(); leaver; leaver = leavers.shift()) {
      await apply({ type: 'staffLeft', ...leaver });
    }
    if (commissionResult) {
      const result: CommissionResult = commissionResult;
      commissionResult = null;
      await apply({ type: 'commissionDecided', result });
    }
    if (commissionInterrupted !== null) {
      const session: number = commissionInterrupted;
      commissionInterrupted = null;
      await apply({ type: 'commissionInterrupted', session });
    }
    const info = workflowInfo();
    await apply({ type: 'tick', longHistory: info.continueAsNewSuggested || info.historyLength > policy.maxHistoryEvents });
    if (outbox.length > 0) await sendMessages();
    await syncSearchAttributes();
    if (state.finished && updates.pending() === 0) break;
    await alarm.wait(nextWake(state), () => updates.pending() > 0 || commissionResult !== null || commissionInterrupted !== null || revisedEligibility !== null || leavers.length > 0);
  }
  // Anything that came after the end is refused; pending Updates return before the workflow completes.
  updates.close('Ce parcours est terminé : plus rien n’y est enregistré.');
  await condition(allHandlersFinished);
  if (chained) await sending;
  return state;
}
