/**
 * The pathway as a pure state machine: `decide(state, event, ctx, now)` gives the next state and
 * the commands to carry out, in order, or a refusal that changes nothing. The workflow
 * (workflows/pathway.ts) feeds it events and carries its commands out; the same function answers
 * the Update validators, so that a request is judged by one rule when it comes and on its turn.
 */
import { answered, checkAnswer } from './answers.ts';
import { checkAction, recorded } from './actions.ts';
import type { Decision, PathwayContext, PathwayEvent } from './commands.ts';
import { commissionDecided, commissionInterrupted, eligibilityRevised, referentAssigned, resume, staffLeft } from './progress.ts';
import type { Refusal } from '../refusals.ts';
import type { PathwayState } from './state.ts';
import { Step } from './step.ts';
import { timePassed } from './timers.ts';

export function decide(state: PathwayState, event: PathwayEvent, ctx: PathwayContext, now: number): Decision {
  const st = new Step(state, ctx, now);
  switch (event.type) {
    case 'started':
      if (event.resume) resume(st, event.resume.referentEmail, event.resume.entryDate);
      else {
        st.enter('orientation');
        st.emit({ type: 'assessEligibility', on: st.today() });
      }
      break;
    case 'eligibilityAssessed':
      if (ctx.policy.autoReferentEmail && event.decision === 'eligible') referentAssigned(st, ctx.policy.autoReferentEmail);
      else st.openTask('assign_referent', { context: { eligibility: event.decision } });
      break;
    case 'eligibilityRevised':
      eligibilityRevised(st, event.decision);
      break;
    case 'answer': {
      const check = checkAnswer(state, event.request, ctx);
      if (!check.ok) return refused(state, check.refusal);
      answered(st, check.task, check.answer, event.request);
      break;
    }
    case 'action': {
      const check = checkAction(state, event.request, ctx, now);
      if (!check.ok) return refused(state, check.refusal);
      recorded(st, check.action, { actor: event.request.actor, channel: event.request.channel });
      break;
    }
    case 'commissionDecided':
      commissionDecided(st, event.result);
      break;
    case 'commissionInterrupted':
      commissionInterrupted(st, event.session);
      break;
    case 'staffLeft':
      if (!st.s.finished) staffLeft(st, event.email, { actor: event.actor, channel: event.channel });
      break;
    case 'tick':
      if (!st.s.finished) timePassed(st);
      // A long history goes on in a new run, never while the commission votes (its result comes to this run).
      if (event.longHistory && !st.s.finished && !st.s.commission?.running) st.emit({ type: 'continueAsNew' });
      break;
  }
  return { refused: null, state: st.s, commands: st.out };
}

const refused = (state: PathwayState, reason: Refusal): Decision => ({ refused: reason, state, commands: [] });

/** Why a request cannot be taken now (null when it can): the validators' and the turn's one rule. */
export function refusalOf(state: PathwayState, event: PathwayEvent, ctx: PathwayContext, now: number): Refusal | null {
  if (event.type === 'answer') {
    const check = checkAnswer(state, event.request, ctx);
    return check.ok ? null : check.refusal;
  }
  if (event.type === 'action') {
    const check = checkAction(state, event.request, ctx, now);
    return check.ok ? null : check.refusal;
  }
  return null;
}
