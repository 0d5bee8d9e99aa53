/**
 * The pathway's state machine without Temporal: each transition in a table, then properties over
 * random sequences of answers, actions, time passing and commission results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addDaysToInstant, addMonths, parisDate, parisInstant, type CalendarDate } from '../../src/domain/dates.ts';
import type { PathwayCommand, PathwayContext, PathwayEvent } from '../../src/domain/pathway/commands.ts';
import { decide } from '../../src/domain/pathway/decide.ts';
import { initialState, type OpenTask, type PathwayState } from '../../src/domain/pathway/state.ts';
import { nextWake } from '../../src/domain/pathway/timers.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import type { Stage } from '../../src/domain/tasks.ts';

const COORDINATOR = 'coordination@plie.test';
const SECOND_COORDINATOR = 'seconde.coordinatrice@plie.test';
const REFERENT = 'referente@plie.test';
const OTHER_REFERENT = 'autre.referente@plie.test';
const DAY = 86_400_000;
/** A fixed instant (a Monday, 9:00 in Paris): nothing here depends on the day the tests run. */
const T0 = Date.UTC(2027, 0, 4, 8, 0);

const ctx = (overrides: Partial<PathwayContext['policy']> = {}): PathwayContext => ({
  pathwayId: 'parcours-p1',
  policy: { ...pathwayPolicy(CASA_CONFIG, { coordinatorEmail: COORDINATOR }), ...overrides },
  roster: { coordinators: [COORDINATOR, SECOND_COORDINATOR] },
});

/** Runs events from a fresh pathway, feeding back the eligibility the commands ask for. */
function run(events: PathwayEvent[], opts: { now?: number; eligibility?: 'eligible' | 'not_eligible' | 'to_review'; context?: PathwayContext } = {}) {
  const c = opts.context ?? ctx();
  let state = initialState('p1');
  const commands: PathwayCommand[] = [];
  const feed = (event: PathwayEvent, now: number): ReturnType<typeof decide> => {
    const decision = decide(state, event, c, now);
    state = decision.state;
    commands.push(...decision.commands);
    if (decision.commands.some((x) => x.type === 'assessEligibility')) feed({ type: 'eligibilityAssessed', decision: opts.eligibility ?? 'eligible' }, now);
    return decision;
  };
  for (const event of [{ type: 'started' } as PathwayEvent, ...events]) feed(event, opts.now ?? T0);
  return { state, commands };
}

const taskOf = (state: PathwayState, kind: OpenTask['kind']) => state.openTasks.find((t) => t.kind === kind)!;
const answer = (state: PathwayState, kind: OpenTask['kind'], value: unknown, actor = COORDINATOR): PathwayEvent => ({
  type: 'answer',
  request: { taskId: taskOf(state, kind).id, answer: value, actor, channel: 'cli' },
});
const action = (value: unknown, actor = REFERENT): PathwayEvent => ({ type: 'action', request: { action: value, actor, channel: 'cli' } });
const today = parisDate(T0);

/** One accepted transition. */
function accepted(state: PathwayState, event: PathwayEvent, now = T0) {
  const decision = decide(state, event, ctx(), now);
  expect(decision.refused).toBeNull();
  return decision;
}

/** A pathway at its diagnostic (referent assigned). */
function atDiagnostic(): PathwayState {
  const { state } = run([]);
  return accepted(state, answer(state, 'assign_referent', { referentEmail: REFERENT })).state;
}

/** A pathway in the active stage (integrated today), with the commands of its integration. */
function active() {
  const state = atDiagnostic();
  return accepted(state, answer(state, 'diagnostic_decision', { decision: 'integrate', entryDate: today }, REFERENT));
}

describe('pathway state machine: transitions', () => {
  it('starts in orientation and asks for the eligibility', () => {
    const decision = decide(initialState('p1'), { type: 'started' }, ctx(), T0);
    expect(decision.state.stage).toBe('orientation');
    expect(decision.commands).toEqual([
      { type: 'recordStage', stage: 'orientation', referentEmail: null, entryDate: null },
      { type: 'assessEligibility', on: today },
    ]);
  });

  it.each([
    ['eligible', null, 'orientation', 'assign_referent'],
    ['to_review', null, 'orientation', 'assign_referent'],
    ['not_eligible', null, 'orientation', 'assign_referent'],
    ['eligible', REFERENT, 'diagnostic', 'diagnostic_decision'],
    ['to_review', REFERENT, 'orientation', 'assign_referent'],
  ] as const)('eligibility %s, automatic referent %s → %s with a task %s', (eligibility, autoReferentEmail, stage, kind) => {
    const { state, commands } = run([], { eligibility, context: ctx({ autoReferentEmail }) });
    expect(state.stage).toBe(stage);
    expect(state.openTasks.map((t) => t.kind)).toEqual([kind]);
    expect(commands.filter((c) => c.type === 'notifyStaff').map((c) => (c as { to: string }).to)).toEqual([stage === 'diagnostic' ? REFERENT : COORDINATOR]);
    if (stage === 'diagnostic') expect(commands).toContainEqual({ type: 'emailParticipant', template: 'convocation', key: 'parcours-p1/convocation' });
  });

  it.each([
    [COORDINATOR, { referentEmail: REFERENT }, 'eligible', null, null],
    [SECOND_COORDINATOR, { referentEmail: REFERENT }, 'eligible', null, null],
    [REFERENT, { referentEmail: REFERENT }, 'eligible', 'not_allowed', 'Cette tâche revient à la personne qui en est chargée, ou à la coordination.'],
    [COORDINATOR, { referentEmail: 'pas-une-adresse' }, 'eligible', 'invalid', 'Réponse invalide'],
    [COORDINATOR, { referentEmail: REFERENT }, 'not_eligible', 'invalid', 'une justification est nécessaire'],
    [COORDINATOR, { referentEmail: REFERENT, eligibilityJustification: 'Situation vue avec la prescriptrice' }, 'not_eligible', null, null],
  ] as const)('assigning the referent as %s with %j (%s): refused %s', (actor, value, eligibility, code, refusal) => {
    const { state } = run([], { eligibility });
    const decision = decide(state, answer(state, 'assign_referent', value, actor), ctx(), T0);
    if (code === null) {
      expect(decision.refused).toBeNull();
      expect(decision.state.stage).toBe('diagnostic');
      expect(decision.state.referentEmail).toBe(REFERENT);
    } else {
      expect(decision.refused?.code).toBe(code);
      expect(decision.refused?.message).toContain(refusal);
      // A refusal changes nothing.
      expect(decision.state).toBe(state);
      expect(decision.commands).toEqual([]);
    }
  });

  it.each([
    // assessed at orientation, revised by a rectification, automatic referent → stage, tasks, justification still needed
    ['not_eligible', 'eligible', null, 'orientation', ['assign_referent'], false],
    ['eligible', 'not_eligible', null, 'orientation', ['assign_referent'], true],
    ['to_review', 'to_review', null, 'orientation', ['assign_referent'], false],
    ['to_review', 'eligible', REFERENT, 'diagnostic', ['diagnostic_decision'], null],
    ['to_review', 'not_eligible', REFERENT, 'orientation', ['assign_referent'], true],
  ] as const)('assessed %s then revised %s (automatic referent %s) → %s, tasks %j, justification needed: %s', (first, revised, autoReferentEmail, stage, kinds, justification) => {
    const context = ctx({ autoReferentEmail });
    const { state } = run([], { eligibility: first, context });
    const decision = decide(state, { type: 'eligibilityRevised', decision: revised }, context, T0);
    expect(decision.refused).toBeNull();
    expect(decision.state.stage).toBe(stage);
    expect(decision.state.openTasks.map((t) => t.kind)).toEqual(kinds);
    if (stage === 'diagnostic') {
      // Designated at once, as if eligible from the start: the assignment task is closed, the person convened.
      expect(decision.commands).toContainEqual(expect.objectContaining({ type: 'recordTaskClosed', status: 'cancelled' }));
      expect(decision.commands).toContainEqual({ type: 'emailParticipant', template: 'convocation', key: 'parcours-p1/convocation' });
      return;
    }
    const without = decide(decision.state, answer(decision.state, 'assign_referent', { referentEmail: REFERENT }), context, T0);
    expect(without.refused?.code ?? null).toBe(justification ? 'invalid' : null);
  });

  it('a revised eligibility once the referent is designated changes nothing', () => {
    const state = atDiagnostic();
    const decision = decide(state, { type: 'eligibilityRevised', decision: 'not_eligible' }, ctx({ autoReferentEmail: OTHER_REFERENT }), T0);
    expect(decision.state).toEqual(state);
    expect(decision.commands).toEqual([]);
  });

  it('integrating opens the active pathway: entry data point, welcome email, no-contact and parcours-long dates', () => {
    const { state, commands } = active();
    expect(state.stage).toBe('active');
    expect(state.entryDate).toBe(today);
    expect(commands).toContainEqual({ type: 'recordFseDataPoint', moment: 'ENTREE', on: today, labourMarketStatus: null });
    expect(commands).toContainEqual({ type: 'emailParticipant', template: 'entree', key: 'parcours-p1/entree' });
    expect(parisDate(state.timers.contactPrompt!)).toBe(addDays(today, 30));
    expect(parisDate(state.timers.parcoursLong!)).toBe('2029-01-04');
  });

  it('a reorientation ends the pathway', () => {
    const diagnostic = atDiagnostic();
    const { state } = accepted(diagnostic, answer(diagnostic, 'diagnostic_decision', { decision: 'reorient', reason: 'Relève du CCAS' }, REFERENT));
    expect(state.stage).toBe('reoriented');
    expect(state.finished).toBe(true);
  });

  it.each([
    ['the same placement twice: refused', 'placement/p1', 'placement/p1', 'Action refusée : cette embauche est déjà enregistrée sur le parcours'],
    ['two placements: both recorded', 'placement/p1', 'placement/p2', null],
    ['no source (a contract the referent records): both recorded', undefined, undefined, null],
  ] as const)('a hire from a decision is recorded once: %s', (_label, first, second, refusal) => {
    const { state } = active();
    const contract = (source: string | undefined) => action({ type: 'contractSigned', contract: { type: 'CDD', start: today, end: addDays(today, 90), weeklyHours: 35, ...(source ? { source } : {}) } });
    const once = decide(state, contract(first), ctx(), T0);
    expect(once.refused).toBeNull();
    expect(decide(once.state, contract(second), ctx(), T0).refused?.message ?? null).toBe(refusal);
  });

  it('a CDI opens the follow-up and asks for its proof; its monthly check comes a month later', () => {
    const { state } = active();
    const decision = decide(state, action({ type: 'contractSigned', contract: { type: 'CDI', start: today, weeklyHours: 35 } }), ctx(), T0);
    expect(decision.refused).toBeNull();
    expect(decision.state.stage).toBe('followUp');
    expect(decision.state.openTasks.map((t) => t.kind)).toEqual(['proof_request']);
    expect(parisDate(decision.state.timers.followUpCheck!)).toBe('2027-02-04');
    expect(decision.commands.map((c) => c.type)).toEqual(
      expect.arrayContaining(['recordFact', 'recordStage', 'recordTaskOpened', 'emailParticipant']),
    );
  });

  it.each([
    [{ type: 'contractEnded', date: today, reason: 'demission' }, 'aucun contrat en cours'],
    [{ type: 'stepDone', stepType: 'PROJET_PRO', date: today }, 'aucune étape de ce type n’est en cours'],
    [{ type: 'qualificationObtained', date: today }, 'aucune formation qualifiante en cours'],
    [{ type: 'remindersPaused', until: today, reason: 'Hospitalisation' }, 'la date de fin de pause doit être à venir'],
    [{ type: 'appointmentMissed', date: today }, null],
  ])('action %j in the active stage: refused %s', (value, refusal) => {
    const decision = decide(active().state, action(value), ctx(), T0);
    if (refusal) expect(decision.refused).toEqual({ code: 'not_now', message: `Action refusée : ${refusal}` });
    else expect(decision.refused).toBeNull();
  });

  it('only the referent, the coordination, or a facilitator for a contract, may record an action', () => {
    const { state } = active();
    const contract = { type: 'contractSigned', contract: { type: 'CDD', start: today, end: addDays(today, 90), weeklyHours: 20 } };
    const facilitator = CASA_CONFIG.clauses.facilitators[0];
    expect(decide(state, action({ type: 'contactLogged', date: today, mode: 'telephone' }, 'autre@plie.test'), ctx(), T0).refused).toMatchObject({ code: 'not_allowed', message: expect.stringContaining('Seul·e') as string });
    expect(decide(state, action({ type: 'contactLogged', date: today, mode: 'telephone' }, SECOND_COORDINATOR), ctx(), T0).refused).toBeNull();
    if (facilitator) {
      expect(decide(state, action(contract, facilitator), ctx({ facilitatorEmails: [facilitator] }), T0).refused).toBeNull();
      expect(decide(state, action({ type: 'contactLogged', date: today, mode: 'telephone' }, facilitator), ctx({ facilitatorEmails: [facilitator] }), T0).refused?.code).toBe('not_allowed');
    }
  });

  it('the coordination entrusts the pathway to another referent: the referent’s tasks follow, both are told; no one else may', () => {
    const state = atDiagnostic();
    const diagnostic = taskOf(state, 'diagnostic_decision');
    const change = (actor: string, referentEmail = OTHER_REFERENT) => decide(state, action({ type: 'referentChanged', referentEmail, reason: 'Congé' }, actor), ctx(), T0);
    expect(change(REFERENT).refused).toEqual({ code: 'not_allowed', message: 'Seule la coordination peut confier ce parcours à un·e autre référent·e.' });
    expect(change(COORDINATOR, REFERENT.toUpperCase()).refused).toEqual({ code: 'not_now', message: 'Action refusée : cette personne est déjà la ou le référent·e de ce parcours' });
    expect(change(COORDINATOR, 'pas-une-adresse').refused?.code).toBe('invalid');
    const changed = change(SECOND_COORDINATOR, ' Autre.Referente@plie.test ');
    expect(changed.refused).toBeNull();
    expect(changed.state.referentEmail).toBe(OTHER_REFERENT);
    expect(changed.state.openTasks).toEqual([{ ...diagnostic, assigneeEmail: OTHER_REFERENT }]);
    expect(changed.commands).toEqual([
      { type: 'recordFact', key: 'parcours-p1/fact/3', fact: { kind: 'referentChanged', from: REFERENT, to: OTHER_REFERENT, on: today, reason: 'Congé' }, actor: SECOND_COORDINATOR, channel: 'cli' },
      { type: 'notifyReferentChange', key: 'parcours-p1/referent/4', from: REFERENT, to: OTHER_REFERENT, taskIds: [diagnostic.id] },
    ]);
    // The previous referent no longer answers; the new one does.
    const integrate = { decision: 'integrate', entryDate: today, barriers: ['MOBILITE'] };
    expect(decide(changed.state, answer(changed.state, 'diagnostic_decision', integrate, REFERENT), ctx(), T0).refused?.code).toBe('not_allowed');
    expect(decide(changed.state, answer(changed.state, 'diagnostic_decision', integrate, OTHER_REFERENT), ctx(), T0).refused).toBeNull();
    // Not before a referent is designated (the coordination designates one), nor after the exit.
    const { state: oriented } = run([]);
    expect(decide(oriented, action({ type: 'referentChanged', referentEmail: OTHER_REFERENT }, COORDINATOR), ctx(), T0).refused?.code).toBe('not_now');
  });

  it('a referent who left the PLIE: the pathway and her tasks come back to the coordination, she can no longer act, the coordination entrusts it again', () => {
    const state = atDiagnostic();
    const diagnostic = taskOf(state, 'diagnostic_decision');
    const left = accepted(state, { type: 'staffLeft', email: ' Referente@PLIE.test ', actor: COORDINATOR, channel: 'cli' });
    expect(left.state.referentEmail).toBe(COORDINATOR);
    expect(left.state.openTasks).toEqual([{ ...diagnostic, assigneeEmail: COORDINATOR }]);
    expect(left.commands).toEqual([
      { type: 'recordFact', key: 'parcours-p1/fact/3', fact: { kind: 'referentChanged', from: REFERENT, to: COORDINATOR, on: today, reason: 'départ de la ou du référent·e' }, actor: COORDINATOR, channel: 'cli' },
      { type: 'notifyReferentChange', key: 'parcours-p1/referent/4', from: REFERENT, to: COORDINATOR, taskIds: [diagnostic.id] },
    ]);
    const integrate = { decision: 'integrate', entryDate: today };
    expect(decide(left.state, answer(left.state, 'diagnostic_decision', integrate, REFERENT), ctx(), T0).refused?.code).toBe('not_allowed');
    expect(decide(left.state, action({ type: 'contactLogged', date: today, mode: 'telephone' }, REFERENT), ctx(), T0).refused?.code).toBe('not_allowed');
    const entrusted = accepted(left.state, action({ type: 'referentChanged', referentEmail: OTHER_REFERENT }, SECOND_COORDINATOR));
    expect(entrusted.state.openTasks).toEqual([{ ...diagnostic, assigneeEmail: OTHER_REFERENT }]);
    // Someone who held nothing here changes nothing.
    expect(accepted(state, { type: 'staffLeft', email: OTHER_REFERENT, actor: COORDINATOR, channel: 'cli' })).toMatchObject({ state, commands: [] });
  });

  it.each([
    ['lifts a barrier of the diagnostic', { type: 'barrierLifted', category: 'MOBILITE', date: today }, null],
    ['refuses to lift a barrier never raised', { type: 'barrierLifted', category: 'SANTE', date: today }, 'aucun frein de ce type n’est ouvert à cette date'],
    ['refuses to lift a barrier before it was raised', { type: 'barrierLifted', category: 'MOBILITE', date: addDays(today, -1) }, 'aucun frein de ce type n’est ouvert à cette date'],
    ['refuses a lifting to come', { type: 'barrierLifted', category: 'MOBILITE', date: addDays(today, 1) }, 'la date de levée ne peut pas être à venir'],
    ['raises a new barrier', { type: 'barrierRaised', category: 'LOGEMENT', date: today }, null],
    ['refuses to raise a barrier still open', { type: 'barrierRaised', category: 'MOBILITE', date: today }, 'ce frein est déjà relevé et non levé'],
  ])('barriers during the pathway: %s', (_name, value, refusal) => {
    const state = atDiagnostic();
    const integrated = accepted(state, answer(state, 'diagnostic_decision', { decision: 'integrate', entryDate: today, barriers: ['MOBILITE', 'MOBILITE'] }, REFERENT)).state;
    expect(integrated.barriers).toEqual([{ category: 'MOBILITE', since: today, liftedOn: null }]);
    const decision = decide(integrated, action(value), ctx(), T0);
    if (refusal) return expect(decision.refused).toEqual({ code: 'not_now', message: `Action refusée : ${refusal}` });
    expect(decision.commands).toEqual([{ type: 'recordFact', key: expect.any(String) as string, fact: { kind: value.type, category: value.category, on: value.date }, actor: REFERENT, channel: 'cli' }]);
    // Once lifted, the same barrier may be found again later.
    if (value.type === 'barrierLifted') expect(decide(decision.state, action({ type: 'barrierRaised', category: 'MOBILITE', date: today }), ctx(), T0).refused).toBeNull();
  });

  it('an imported pathway, whose barriers the workflow does not know, leaves the lifting to the record', () => {
    const resumed = decide(initialState('p1'), { type: 'started', resume: { referentEmail: REFERENT, entryDate: addDays(today, -400) } }, ctx(), T0).state;
    expect(resumed.barriers).toBeUndefined();
    expect(decide(resumed, action({ type: 'barrierLifted', category: 'SANTE', date: today }), ctx(), T0).refused).toBeNull();
  });

  describe('an appointment moved or cancelled', () => {
    const tick = (state: PathwayState, now: number) => decide(state, { type: 'tick', longHistory: false }, ctx(), now);
    const scheduled = () => accepted(active().state, action({ type: 'appointmentScheduled', date: addDays(today, 10), time: '10:00', place: 'Antenne' })).state;
    const from = new Date(parisInstant(addDays(today, 10), '10:00')).toISOString();

    it('moves it: the reminder follows, and a new version of the invitation goes to the person', () => {
      const before = scheduled();
      const id = before.appointments![0]!.id;
      const moved = accepted(before, action({ type: 'appointmentMoved', from, date: addDays(today, 12), time: '14:30', place: 'Antenne de Valbonne', durationMinutes: 45 }));
      expect(moved.state.appointments).toEqual([{ id, at: parisInstant(addDays(today, 12), '14:30'), remindAt: addDaysToInstant(parisInstant(addDays(today, 12), '14:30'), -2), sequence: 1 }]);
      expect(moved.commands.filter((c) => c.type === 'recordFact').map((c) => (c as { fact: unknown }).fact)).toEqual([
        { kind: 'appointmentMoved', appointmentId: id, at: new Date(parisInstant(addDays(today, 12), '14:30')).toISOString(), place: 'Antenne de Valbonne', durationMinutes: 45, sequence: 1 },
      ]);
      expect(moved.commands.filter((c) => c.type === 'emailParticipant')).toEqual([{ type: 'emailParticipant', template: 'rendez_vous.deplace', key: `${id}/deplacement/1` }]);
      // Moved again: the next version.
      const again = accepted(moved.state, action({ type: 'appointmentMoved', from: new Date(parisInstant(addDays(today, 12), '14:30')).toISOString(), date: addDays(today, 13), time: '09:00', place: 'Antenne' }));
      expect(again.commands.filter((c) => c.type === 'emailParticipant').map((c) => (c as { key: string }).key)).toEqual([`${id}/deplacement/2`]);
      // No reminder at the old time; one at the new, under a key of its own (the first may have gone).
      expect(tick(again.state, addDaysToInstant(parisInstant(addDays(today, 10), '10:00'), -2)).commands.filter((c) => c.type === 'emailParticipant')).toEqual([]);
      expect(tick(again.state, again.state.appointments![0]!.remindAt!).commands.filter((c) => c.type === 'emailParticipant')).toEqual([{ type: 'emailParticipant', template: 'rendez_vous.rappel', key: `${id}/rappel/2` }]);
    });

    it('cancels it: no reminder, the invitation withdrawn', () => {
      const before = scheduled();
      const id = before.appointments![0]!.id;
      const cancelled = accepted(before, action({ type: 'appointmentCancelled', from }));
      expect(cancelled.state.appointments).toEqual([]);
      expect(cancelled.commands.filter((c) => c.type === 'emailParticipant')).toEqual([{ type: 'emailParticipant', template: 'rendez_vous.annulation', key: `${id}/annulation/1` }]);
      expect(tick(cancelled.state, before.appointments![0]!.remindAt!).commands.filter((c) => c.type === 'emailParticipant')).toEqual([]);
    });

    it.each([
      ['an appointment that does not exist', { type: 'appointmentCancelled', from: new Date(T0 + 3 * DAY).toISOString() }, T0, 'ce rendez-vous est passé ou n’existe pas'],
      ['an appointment already past', { type: 'appointmentCancelled', from }, parisInstant(addDays(today, 10), '10:00'), 'ce rendez-vous est passé ou n’existe pas'],
      ['a move to a past day', { type: 'appointmentMoved', from, date: addDays(today, -1), time: '10:00', place: 'Antenne' }, T0, 'la nouvelle date doit être à venir'],
      ['a move without its place', { type: 'appointmentMoved', from, date: addDays(today, 3), time: '10:00' }, T0, 'lieu : obligatoire'],
    ])('refuses %s', (_name, value, now, message) => {
      const decision = decide(scheduled(), action(value), ctx(), now);
      expect(decision.refused?.message).toContain(message);
    });
  });

  describe('a pause of reminders silences everything about the person until its end', () => {
    const tick = (state: PathwayState, now: number, c = ctx()) => decide(state, { type: 'tick', longHistory: false }, c, now);
    const reminders = (commands: PathwayCommand[]) =>
      commands.filter((c) => (c.type === 'notifyStaff' && c.notice !== 'opened') || (c.type === 'emailParticipant' && /rappel|relance|suivi_mensuel/.test(c.template)));
    const paused = (state: PathwayState, days: number) => accepted(state, action({ type: 'remindersPaused', until: addDays(today, days), reason: 'Hospitalisation' })).state;

    it.each([
      ['the referent’s reminder and the escalation wait for the end of the pause', false, 0],
      ['a pathway begun before the rule still reminds staff during the pause', true, 2],
    ])('%s', (_name, legacyPause, during) => {
      const c = legacyPause ? { ...ctx(), legacy: { pause: true } } : ctx();
      const state = paused(atDiagnostic(), 20);
      // Reminder on day 7, escalation on day 15: both inside the pause.
      const day7 = tick(state, T0 + 7 * DAY, c);
      const day15 = tick(day7.state, T0 + 15 * DAY, c);
      expect(reminders([...day7.commands, ...day15.commands])).toHaveLength(during);
      if (legacyPause) return;
      const end = tick(day15.state, nextWake(day15.state)!, c);
      expect(nextWake(day15.state)).toBe(T0 + 20 * DAY);
      expect(end.commands.filter((x) => x.type === 'notifyStaff').map((x) => (x as { notice: string }).notice).sort()).toEqual(['escalation', 'reminder']);
    });

    it('no appointment reminder, no no-contact prompt during the pause; the prompt comes at its end', () => {
      const { state } = active();
      const scheduled = accepted(state, action({ type: 'appointmentScheduled', date: addDays(today, 10), time: '10:00', place: 'Antenne' })).state;
      const quiet = paused(scheduled, 45);
      const reminderDay = tick(quiet, scheduled.appointments![0]!.remindAt!);
      expect(reminders(reminderDay.commands)).toEqual([]);
      expect(reminderDay.state.appointments?.[0]?.remindAt ?? null).toBeNull();
      const prompt = tick(reminderDay.state, quiet.timers.contactPrompt!);
      expect(prompt.state.openTasks.map((t) => t.kind)).toEqual([]);
      expect(prompt.state.timers.contactPrompt).toBe(T0 + 45 * DAY);
      expect(tick(prompt.state, T0 + 45 * DAY).state.openTasks.map((t) => t.kind)).toEqual(['log_contact']);
    });
  });

  it.each([
    ['an exit', false, 1],
    ['an exit, on a pathway begun before the prescriber’s loop', true, 0],
  ])('the prescriber of record hears of %s', (_name, legacy, notices) => {
    const c = legacy ? { ...ctx(), legacy: { noPrescriberNotice: true } } : ctx();
    const proposed = decide(active().state, action({ type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement' }), c, T0).state;
    const confirmed = decide(proposed, answer(proposed, 'confirm_exit', { confirm: true }), c, T0);
    const sent = confirmed.commands.filter((x) => x.type === 'notifyPrescriber');
    expect(sent).toEqual(notices ? [{ type: 'notifyPrescriber', event: 'exit', key: 'parcours-p1/prescripteur/exit' }] : []);
    // After the exit is recorded, never before it.
    if (notices) expect(confirmed.commands.findIndex((x) => x.type === 'notifyPrescriber')).toBeGreaterThan(confirmed.commands.findIndex((x) => x.type === 'recordExit'));
  });

  it.each(['rejected', 'approved', 'adjourned'] as const)('a commission result (%s) that comes after the exit changes nothing: the exit stands', (outcome) => {
    const proposed = accepted(active().state, action({ type: 'exitProposed', exitType: 'ABANDON', reason: 'Plus de nouvelles' })).state;
    const exited = accepted(proposed, answer(proposed, 'confirm_exit', { confirm: true })).state;
    const voting = { ...exited, commission: { session: 1, running: true, outcome: null, date: null, criterion: 'TEMPS_PARTIEL_COURT' } };
    const late = accepted(voting, { type: 'commissionDecided', result: { outcome, date: today, pour: 2, contre: 1, abstention: 0 } });
    expect(late.state).toMatchObject({ stage: 'exited', exit: exited.exit, commission: { running: false, outcome }, timers: exited.timers });
    expect(late.commands).toEqual([]);
    // A pathway begun before the fix went back to the active stage on a rejection.
    const legacy = decide(voting, { type: 'commissionDecided', result: { outcome: 'rejected', date: today, pour: 0, contre: 2, abstention: 0 } }, { ...ctx(), legacy: { commissionAfterExit: true } }, T0);
    if (outcome === 'rejected') expect(legacy.state.stage).toBe('active');
  });

  it('the prescriber of record hears of a reorientation', () => {
    const state = atDiagnostic();
    const reoriented = accepted(state, answer(state, 'diagnostic_decision', { decision: 'reorient', reason: 'Suivi par la Mission locale' }, REFERENT));
    expect(reoriented.commands.filter((x) => x.type === 'notifyPrescriber')).toEqual([{ type: 'notifyPrescriber', event: 'reorientation', key: 'parcours-p1/prescripteur/reorientation' }]);
  });

  it('an exit proposal waits for the coordination; a second one is refused; not confirmed, the pathway goes on', () => {
    const { state } = active();
    const proposed = decide(state, action({ type: 'exitProposed', exitType: 'ABANDON', reason: 'Déménagement hors territoire' }), ctx(), T0);
    expect(proposed.state.stage).toBe('exitPending');
    const confirm = taskOf(proposed.state, 'confirm_exit');
    expect(confirm.assigneeEmail).toBe(COORDINATOR);
    expect(decide(proposed.state, action({ type: 'exitProposed', exitType: 'AUTRE', reason: 'Autre motif' }), ctx(), T0).refused).toEqual({
      code: 'not_now',
      message: 'Action refusée : impossible à cette étape du parcours (exitPending)',
    });
    const refused = decide(proposed.state, answer(proposed.state, 'confirm_exit', { confirm: false, reason: 'On continue ensemble' }), ctx(), T0);
    expect(refused.state.stage).toBe('active');
    const confirmed = decide(proposed.state, answer(proposed.state, 'confirm_exit', { confirm: true }), ctx(), T0);
    expect(confirmed.state.stage).toBe('exited');
    expect(confirmed.state.exit).toMatchObject({ type: 'ABANDON', date: today, proofsMissing: false });
    expect(Object.keys(confirmed.state.timers)).toEqual(['fse']);
    expect(confirmed.commands.filter((c) => c.type === 'recordExit')).toHaveLength(1);
  });

  it('parcours long: before 24 months, only proposed with a justification the coordination confirms; at 24 months, the referent is asked', () => {
    const { state } = active();
    // Three months in: the referent proposes it, with its reason; the coordination decides, not the referent.
    expect(decide(state, action({ type: 'exitProposed', exitType: 'PARCOURS_LONG', reason: '' }), ctx(), T0).refused?.code).toBe('invalid');
    const early = decide(state, action({ type: 'exitProposed', exitType: 'PARCOURS_LONG', reason: 'Projet à reprendre après une longue maladie' }), ctx(), T0 + 90 * DAY);
    const confirm = taskOf(early.state, 'confirm_exit');
    expect(confirm).toMatchObject({ role: 'coordinator', assigneeEmail: COORDINATOR, context: { exit: { type: 'PARCOURS_LONG', reason: 'Projet à reprendre après une longue maladie' } } });
    expect(decide(early.state, answer(early.state, 'confirm_exit', { confirm: true }, REFERENT), ctx(), T0 + 90 * DAY).refused?.code).toBe('not_allowed');
    // Left alone, the question comes to the referent on the 24-month day, not before.
    expect(parisDate(state.timers.parcoursLong!)).toBe(addMonths(today, 24));
  });

  it('time: the no-contact prompt opens a task for the referent once its day has come, not before', () => {
    const { state } = active();
    const before = decide(state, { type: 'tick', longHistory: false }, ctx(), state.timers.contactPrompt! - 1);
    expect(before.commands).toEqual([]);
    const due = decide(state, { type: 'tick', longHistory: false }, ctx(), state.timers.contactPrompt!);
    expect(taskOf(due.state, 'log_contact').assigneeEmail).toBe(REFERENT);
    expect(parisDate(due.state.timers.contactPrompt!)).toBe(addDays(today, 60));
  });

  it.each([
    ['approved', 'exited'],
    ['rejected', 'active'],
    ['adjourned', 'exitPending'],
  ] as const)('the commission’s result %s → %s', (outcome, stage) => {
    const state: PathwayState = { ...active().state, stage: 'exitPending', commission: { session: 1, running: true, outcome: null, date: null, criterion: 'TEMPS_PARTIEL_6_MOIS' } };
    const decision = decide(state, { type: 'commissionDecided', result: { outcome, date: today, pour: 2, contre: 1, abstention: 0 } }, ctx(), T0);
    expect(decision.state.stage).toBe(stage);
    // A case opened before its criterion's day was kept: rejected for good, as then.
    if (outcome === 'rejected') expect(decision.state.rejectedCriteria).toEqual(['TEMPS_PARTIEL_6_MOIS']);
    if (outcome === 'adjourned') expect(decision.state.timers.commissionSession).toBeGreaterThan(T0);
  });

  it('counts the adjournments of a case and carries them to its next session (the coordination sits after two)', () => {
    let state: PathwayState = { ...active().state, stage: 'exitPending', commission: { session: 1, running: true, outcome: null, date: null, criterion: 'TEMPS_PARTIEL_COURT' } };
    const adjourn = () => {
      state = decide(state, { type: 'commissionDecided', result: { outcome: 'adjourned', date: today, pour: 0, contre: 0, abstention: 0 } }, ctx(), T0).state;
      const next = decide(state, { type: 'tick', longHistory: false }, ctx(), state.timers.commissionSession!);
      state = next.state;
      return next.commands.filter((c) => c.type === 'startCommission');
    };
    expect(adjourn()).toEqual([{ type: 'startCommission', session: 2, criterion: 'TEMPS_PARTIEL_COURT', adjourned: 1 }]);
    expect(adjourn()).toEqual([{ type: 'startCommission', session: 3, criterion: 'TEMPS_PARTIEL_COURT', adjourned: 2 }]);
  });

  it('a vote interrupted goes at once to the coordination (kept after an adjournment); a late or stale report changes nothing', () => {
    const voting: PathwayState = { ...active().state, stage: 'exitPending', commission: { session: 1, running: true, outcome: null, date: null, criterion: 'TEMPS_PARTIEL_COURT', adjourned: 1 } };
    const interrupted = decide(voting, { type: 'commissionInterrupted', session: 1 }, ctx(), T0);
    expect(interrupted.commands).toEqual([
      { type: 'closeInterruptedCommission', caseSession: 1 },
      { type: 'startCommission', session: 2, criterion: 'TEMPS_PARTIEL_COURT', adjourned: 1, interrupted: true },
    ]);
    expect(interrupted.state.commission).toMatchObject({ session: 2, running: true, interrupted: true });
    // The report of the first session, again: nothing.
    expect(decide(interrupted.state, { type: 'commissionInterrupted', session: 1 }, ctx(), T0).commands).toEqual([]);
    // The coordination lets it lapse: adjourned, it comes back to the coordination.
    const lapsed = decide(interrupted.state, { type: 'commissionDecided', result: { outcome: 'adjourned', date: today, pour: 0, contre: 0, abstention: 0 } }, ctx(), T0).state;
    const next = decide(lapsed, { type: 'tick', longHistory: false }, ctx(), lapsed.timers.commissionSession!);
    expect(next.commands.filter((c) => c.type === 'startCommission')).toEqual([{ type: 'startCommission', session: 3, criterion: 'TEMPS_PARTIEL_COURT', adjourned: 2, interrupted: true }]);
    // The pathway ended while the vote ran: the case is closed, no new session.
    const ended = decide({ ...voting, exit: { type: 'ABANDON', reason: 'x', date: today } as PathwayState['exit'] }, { type: 'commissionInterrupted', session: 1 }, ctx(), T0);
    expect(ended.commands).toEqual([{ type: 'closeInterruptedCommission', caseSession: 1 }]);
    expect(ended.state.commission).toMatchObject({ session: 1, running: false });
  });

  it.each([
    ['as the protocol reads', {}, 2],
    ['at its first reading (pathways begun before)', { firstExitRules: true }, 1],
  ] as const)('a criterion the commission rejected comes back with a new contract, %s: sessions %s', (_label, legacy, sessions) => {
    const c: PathwayContext = { ...ctx(), legacy };
    let state = active().state;
    let now = T0;
    const feed = (event: PathwayEvent) => {
      const decision = decide(state, event, c, now);
      expect(decision.refused).toBeNull();
      state = decision.state;
    };
    /** Time passes, from one due instant to the next, until the commission sits or the day comes. */
    const until = (day: CalendarDate) => {
      while (!state.commission?.running && parisDate(now) < day) {
        now = Math.max(now + 1, nextWake(state) ?? now + DAY);
        feed({ type: 'tick', longHistory: false });
      }
    };
    // A part-time CDD (15 h) of six months: the commission, six months on.
    const partTime = (start: CalendarDate) => action({ type: 'contractSigned', contract: { type: 'CDD', start, end: addDays(start, 200), weeklyHours: 15 } });
    feed(partTime(today));
    until('2027-12-31');
    expect(state.commission).toMatchObject({ session: 1, running: true, criterion: 'TEMPS_PARTIEL_COURT', cdi: false });
    feed({ type: 'commissionDecided', result: { outcome: 'rejected', date: parisDate(now), pour: 0, contre: 3, abstention: 0 } });
    expect(state.stage).toBe('active');
    // Another part-time job: new facts, the same criterion.
    feed(partTime(parisDate(now + 10 * DAY)));
    until('2028-12-31');
    expect(state.commission?.session).toBe(sessions);
    if (sessions === 2) expect(state.rejectedCriteria).toEqual([`TEMPS_PARTIEL_COURT@${today}`]);
  });

  it('a rejected case does not hold back a CDI signed since: its exit comes six months after its first day', () => {
    let state = active().state;
    let now = T0;
    const feed = (event: PathwayEvent) => {
      const decision = decide(state, event, ctx(), now);
      expect(decision.refused).toBeNull();
      state = decision.state;
    };
    feed(action({ type: 'contractSigned', contract: { type: 'CDD', start: today, end: addDays(today, 200), weeklyHours: 15 } }));
    while (!state.commission?.running) {
      now = nextWake(state)!;
      feed({ type: 'tick', longHistory: false });
    }
    feed({ type: 'commissionDecided', result: { outcome: 'rejected', date: parisDate(now), pour: 0, contre: 3, abstention: 0 } });
    const cdiStart = addDays(parisDate(now), 5);
    feed(action({ type: 'contractSigned', contract: { type: 'CDI', start: cdiStart, weeklyHours: 24 } }));
    expect(state.stage).toBe('followUp');
    while (!state.openTasks.some((t) => t.kind === 'confirm_exit') && parisDate(now) < '2029-01-01') {
      now = nextWake(state)!;
      feed({ type: 'tick', longHistory: false });
    }
    expect(state.commission?.session).toBe(1);
    expect(state.openTasks.find((t) => t.kind === 'confirm_exit')?.context?.exit).toMatchObject({ criterion: 'CDI_OU_CDD_LONG', cdi: true, on: addMonths(cdiStart, 6) });
  });

  /** From the active stage, events each accepted; the clock runs until a task of a kind opens. */
  function fromActive(c: PathwayContext = ctx()) {
    const m = { state: active().state, now: T0 };
    const feed = (event: PathwayEvent) => {
      const decision = decide(m.state, event, c, m.now);
      expect(decision.refused).toBeNull();
      m.state = decision.state;
      return decision;
    };
    const untilOpen = (kind: OpenTask['kind']) => {
      while (!m.state.openTasks.some((t) => t.kind === kind)) {
        m.now = nextWake(m.state)!;
        feed({ type: 'tick', longHistory: false });
      }
    };
    return { m, feed, untilOpen };
  }

  it.each([
    ['pay slips received before the exit is confirmed', true, false],
    ['confirmed without the pay slips', false, true],
  ] as const)('an employment exit asks for the pay slips of its six months besides the contract: %s', (_label, payslipsFirst, missing) => {
    const { m, feed, untilOpen } = fromActive();
    feed(action({ type: 'contractSigned', contract: { type: 'CDI', start: today, weeklyHours: 35 } }));
    feed(answer(m.state, 'proof_request', { received: true }, 'participant'));
    untilOpen('confirm_exit');
    expect(m.state.openTasks.filter((t) => t.kind === 'proof_request').map((t) => t.context?.proofKind)).toEqual(['bulletins_salaire']);
    if (payslipsFirst) feed(answer(m.state, 'proof_request', { received: true }, 'participant'));
    const done = feed(answer(m.state, 'confirm_exit', { confirm: true }, REFERENT));
    expect(done.state.exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', cdi: true, proofsMissing: missing });
  });

  it('a pathway begun before asks for the contract alone at its employment exit', () => {
    const { m, feed, untilOpen } = fromActive({ ...ctx(), legacy: { contractProofOnly: true } });
    feed(action({ type: 'contractSigned', contract: { type: 'CDI', start: today, weeklyHours: 35 } }));
    feed(answer(m.state, 'proof_request', { received: true }, 'participant'));
    untilOpen('confirm_exit');
    expect(m.state.openTasks.filter((t) => t.kind === 'proof_request')).toEqual([]);
    expect(feed(answer(m.state, 'confirm_exit', { confirm: true }, REFERENT)).state.exit).toMatchObject({ proofsMissing: false });
  });

  it('a positive exit the referent declares without proofs: the coordination confirms it, counted positive and flagged', () => {
    const { state } = active();
    const declared = decide(state, action({ type: 'positiveExitDeclared', kind: 'EMPLOI', cdi: true, reason: 'Appel du 3 janvier : CDI chez un traiteur, pas de contrat transmis' }), ctx(), T0);
    expect(declared.refused).toBeNull();
    expect(taskOf(declared.state, 'confirm_exit')).toMatchObject({ role: 'coordinator', assigneeEmail: COORDINATOR, context: { exit: { type: 'POSITIVE', kind: 'EMPLOI', cdi: true, declared: true } } });
    // Only once: a second declaration waits for the first's confirmation.
    expect(decide(declared.state, action({ type: 'positiveExitDeclared', kind: 'FORMATION', reason: 'Entrée en formation annoncée' }), ctx(), T0).refused?.message).toBe('Action refusée : impossible à cette étape du parcours (exitPending)');
    const exit = decide(declared.state, answer(declared.state, 'confirm_exit', { confirm: true }), ctx(), T0).state.exit;
    expect(exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', cdi: true, declared: true, proofsMissing: true, criterion: null });
    // A training declared says nothing of a CDI; a situation outside the three is refused.
    expect(decide(state, action({ type: 'positiveExitDeclared', kind: 'FORMATION', cdi: true, reason: 'Entrée en formation annoncée' }), ctx(), T0).state.openTasks.find((t) => t.kind === 'confirm_exit')?.context?.exit?.cdi).toBe(false);
    expect(decide(state, action({ type: 'positiveExitDeclared', kind: 'BENEVOLAT', reason: 'Bénévolat annoncé' }), ctx(), T0).refused?.code).toBe('invalid');
    expect(decide(atDiagnostic(), action({ type: 'positiveExitDeclared', kind: 'EMPLOI', reason: 'Emploi annoncé avant le diagnostic' }), ctx(), T0).refused?.code).toBe('not_now');
  });

  it('the hours paid a monthly check gives move the day of the 910 hours (not for a pathway begun under the first reading)', () => {
    for (const [legacy, moves] of [[{}, true], [{ firstExitRules: true }, false]] as const) {
      const c: PathwayContext = { ...ctx(), legacy };
      let state = active().state;
      // 30 h a week of temporary work: 910 h within nine months on the estimate.
      state = decide(state, action({ type: 'contractSigned', contract: { type: 'INTERIM', start: today, end: addDays(today, 300), weeklyHours: 30 } }), c, T0).state;
      expect(state.stage).toBe('followUp');
      const due = state.timers.exitCheck!;
      const checkAt = state.timers.followUpCheck!;
      state = decide(state, { type: 'tick', longHistory: false }, c, checkAt).state;
      const answered = decide(state, answer(state, 'follow_up_check', { inPost: true, hours: 40 }, REFERENT), c, checkAt);
      expect(answered.refused).toBeNull();
      // 40 h paid in the first month instead of some 130: the exit's day comes later.
      expect(answered.state.timers.exitCheck! > due).toBe(moves);
      expect(answered.state.facts.contracts[0]!.paidPeriods ?? []).toHaveLength(moves ? 1 : 0);
    }
  });

  it('an approved CDI case keeps its CDI flag in the exit', () => {
    const state: PathwayState = { ...active().state, stage: 'exitPending', commission: { session: 1, running: true, outcome: null, date: null, criterion: 'TEMPS_PARTIEL_COURT', cdi: true } };
    const decision = decide(state, { type: 'commissionDecided', result: { outcome: 'approved', date: today, pour: 3, contre: 0, abstention: 0 } }, ctx(), T0);
    expect(decision.state.exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', cdi: true, criterion: 'TEMPS_PARTIEL_COURT' });
    expect(decision.commands.find((command) => command.type === 'recordExit')).toMatchObject({ exit: { cdi: true } });
  });

  it.each([
    [true, false, ['continueAsNew']],
    [true, true, []],
    [false, false, []],
  ])('a long history (%s) with a commission running (%s) → %j', (longHistory, running, commands) => {
    const base = active().state;
    const state: PathwayState = running ? { ...base, commission: { session: 1, running: true, outcome: null, date: null, criterion: 'x' } } : base;
    expect(decide(state, { type: 'tick', longHistory }, ctx(), T0).commands.map((c) => c.type)).toEqual(commands);
  });
});

// --- Properties over random sequences ---

const ORDER: Stage[] = ['orientation', 'diagnostic', 'active', 'followUp', 'exitPending', 'exited'];
/** The documented returns (docs/product-requirements.md § 2): follow-up back to active, a refused exit back to where it was. */
const RETURNS: Record<string, Stage[]> = {
  followUp: ['active'],
  exitPending: ['followUp', 'active', 'diagnostic', 'orientation'],
};
const movesAllowed = (from: Stage, to: Stage) =>
  from === to || (RETURNS[from] ?? []).includes(to) || (to === 'reoriented' && from === 'diagnostic') || (ORDER.indexOf(to) > ORDER.indexOf(from) && ORDER.indexOf(from) >= 0 && from !== 'exited');

/** One random step: what to do, and numbers to pick its details with. */
const stepArb = fc.record({ what: fc.nat(99), pick: fc.nat(1000), days: fc.integer({ min: 1, max: 60 }) });

function answerFor(task: OpenTask, pick: number, day: CalendarDate): unknown {
  switch (task.kind) {
    case 'assign_referent':
      return { referentEmail: REFERENT, eligibilityJustification: 'Vu en réunion' };
    case 'diagnostic_decision':
      return pick % 20 === 0 ? { decision: 'reorient', reason: 'Relève du CCAS' } : { decision: 'integrate', entryDate: day };
    case 'log_contact':
      return { date: day, mode: 'telephone' };
    case 'follow_up_check':
      return pick % 4 === 0 ? { inPost: false, date: day } : { inPost: true };
    case 'proof_request':
      return { received: true };
    case 'confirm_exit':
      return pick % 3 === 0 ? { confirm: false, reason: 'On continue ensemble' } : { confirm: true };
    case 'parcours_long':
      return pick % 2 === 0 ? { decision: 'exit' } : { decision: 'continue', reason: 'Projet en cours' };
    case 'rupture_review':
      return pick % 2 === 0 ? { decision: 'continue' } : { decision: 'propose_exit', reason: 'Plus de nouvelles' };
    case 'fse_questionnaire':
      return { labourMarketStatus: 'EMPLOI' };
    case 'commission_vote':
      return { vote: 'pour' };
  }
}

function actionFor(pick: number, day: CalendarDate): unknown {
  const actions = [
    { type: 'contractSigned', contract: { type: 'CDI', start: day, weeklyHours: 35 } },
    { type: 'contractSigned', contract: { type: 'CDD', start: day, end: addDays(day, 200), weeklyHours: 35 } },
    { type: 'contractSigned', contract: { type: 'CDD', start: day, end: addDays(day, 200), weeklyHours: 12 } },
    { type: 'contractSigned', contract: { type: 'CDD', start: day, end: addDays(day, 30), weeklyHours: 20 } },
    { type: 'contractEnded', date: day, reason: 'licenciement' },
    { type: 'contactLogged', date: day, mode: 'entretien' },
    { type: 'appointmentMissed', date: day },
    { type: 'appointmentScheduled', date: addDays(day, 5), time: '10:00', place: 'Antenne de Cagnes' },
    { type: 'trainingStarted', start: day, end: addDays(day, 120), rncp: true },
    { type: 'qualificationObtained', date: day },
    { type: 'businessCreated', start: day },
    { type: 'stepPlanned', stepType: 'PROJET_PRO', date: day },
    { type: 'stepDone', stepType: 'PROJET_PRO', date: day },
    { type: 'exitProposed', exitType: 'ABANDON', reason: 'Plus de nouvelles' },
    { type: 'positiveExitDeclared', kind: 'EMPLOI', cdi: pick % 2 === 0, reason: 'Dit avoir signé un CDI, sans contrat transmis' },
    { type: 'remindersPaused', until: addDays(day, 20), reason: 'Hospitalisation' },
    { type: 'remindersResumed' },
    { type: 'barrierRaised', category: 'MOBILITE', date: day },
    { type: 'barrierLifted', category: 'MOBILITE', date: day },
    // The coordination entrusts the pathway back and forth (the walk's actor for this one).
    { type: 'referentChanged', referentEmail: pick % 2 === 0 ? REFERENT : OTHER_REFERENT },
  ];
  return actions[pick % actions.length];
}

interface Walk {
  states: PathwayState[];
  decisions: Array<{ before: PathwayState; snapshot: string; event: PathwayEvent; decision: ReturnType<typeof decide>; now: number }>;
}

/** Plays random steps against the machine, as the workflow would (eligibility and commission results fed back). */
function walk(steps: Array<{ what: number; pick: number; days: number }>, eligibility: 'eligible' | 'not_eligible'): Walk {
  const c = ctx();
  let state = initialState('p1');
  let now = T0;
  let commissionPending = false;
  const result: Walk = { states: [state], decisions: [] };
  const feed = (event: PathwayEvent) => {
    const before = state;
    const snapshot = JSON.stringify(before);
    const decision = decide(state, event, c, now);
    result.decisions.push({ before, snapshot, event, decision, now });
    state = decision.state;
    result.states.push(state);
    for (const command of decision.commands) {
      if (command.type === 'assessEligibility') feed({ type: 'eligibilityAssessed', decision: eligibility });
      if (command.type === 'startCommission') commissionPending = true;
    }
  };
  feed({ type: 'started' });
  for (const step of steps) {
    const day = addDays(parisDate(now), 0);
    if (step.what < 35 && state.openTasks.length > 0) {
      const task = state.openTasks[step.pick % state.openTasks.length]!;
      feed({ type: 'answer', request: { taskId: task.id, answer: answerFor(task, step.pick, day), actor: step.pick % 7 === 0 ? SECOND_COORDINATOR : COORDINATOR, channel: 'cli' } });
    } else if (step.what < 60) {
      const value = actionFor(step.pick, day) as { type: string };
      feed({ type: 'action', request: { action: value, actor: value.type === 'referentChanged' ? COORDINATOR : state.referentEmail ?? REFERENT, channel: 'slack' } });
    } else if (step.what >= 95 && step.pick % 4 === 0) {
      // A rectification assessed the person again, whatever the stage.
      const revisions = ['eligible', 'not_eligible', 'to_review'] as const;
      feed({ type: 'eligibilityRevised', decision: revisions[step.pick % 3]! });
    } else if (step.what < 70 && commissionPending) {
      commissionPending = false;
      const outcomes = ['approved', 'rejected', 'adjourned'] as const;
      feed({ type: 'commissionDecided', result: { outcome: outcomes[step.pick % 3]!, date: day, pour: 1, contre: 1, abstention: 0 } });
    } else {
      // Time passes: to the next due instant, or by some days.
      const wake = nextWake(state);
      now = wake !== null && step.pick % 2 === 0 ? Math.max(now, wake) : now + step.days * DAY;
      feed({ type: 'tick', longHistory: step.pick % 50 === 0 });
    }
  }
  return result;
}

const walks = fc.tuple(fc.array(stepArb, { minLength: 1, maxLength: 200, size: 'large' }), fc.constantFrom('eligible' as const, 'not_eligible' as const));
/** Random walks per property; more with PLIE_PROPERTY_RUNS=3000 when changing the machine. */
const RUNS = { numRuns: Number(process.env.PLIE_PROPERTY_RUNS ?? 60) };
/** A walk takes a few milliseconds; the time allowed grows with their number (a slow machine included). */
const PROPERTY_TIMEOUT = 30_000 + RUNS.numRuns * 250;

describe('pathway state machine: properties over random event sequences', () => {
  it('never two open tasks of one kind (proof requests: one per follow-up that asked for them, and the pay slips at its exit)', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        const { states, decisions } = walk(steps, eligibility);
        const payslips = (t: { kind: string; context?: { proofKind?: string } }) => t.kind === 'proof_request' && t.context?.proofKind === 'bulletins_salaire';
        for (const s of states) {
          const kinds = s.openTasks.map((t) => t.kind).filter((k) => k !== 'proof_request');
          expect(new Set(kinds).size).toBe(kinds.length);
          expect(s.openTasks.filter(payslips).length).toBeLessThanOrEqual(1);
        }
        for (const { before, decision } of decisions) {
          const opened = decision.commands.flatMap((c) => (c.type === 'recordTaskOpened' && c.task.kind === 'proof_request' ? [c.task] : []));
          expect(opened.filter((t) => !payslips(t)).length).toBeLessThanOrEqual(before.stage !== 'followUp' && decision.state.stage === 'followUp' ? 1 : 0);
          expect(opened.filter(payslips).length).toBeLessThanOrEqual(decision.state.stage === 'exitPending' ? 1 : 0);
        }
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT);

  it('an exit is recorded once, with its FSE+ exit data point', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        const commands = walk(steps, eligibility).decisions.flatMap((d) => d.decision.commands);
        expect(commands.filter((c) => c.type === 'recordExit').length).toBeLessThanOrEqual(1);
        expect(commands.filter((c) => c.type === 'recordFseDataPoint' && c.moment === 'SORTIE').length).toBe(commands.filter((c) => c.type === 'recordExit').length);
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT);

  it('every open task has a due date and an assignee (the participant’s own tasks go to them)', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        for (const s of walk(steps, eligibility).states) {
          for (const t of s.openTasks) {
            expect(t.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            if (t.role === 'participant') expect(t.assigneeEmail).toBeNull();
            else expect(t.assigneeEmail).toMatch(/@/);
            // A referent's task is always the current referent's, changes of referent included.
            if (t.role === 'referent' && s.referentEmail) expect(t.assigneeEmail).toBe(s.referentEmail);
          }
        }
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT);

  it('no timer is left for what has ended: follow-up timers only in the follow-up, none but the questionnaire after the exit', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        for (const s of walk(steps, eligibility).states) {
          if (s.stage !== 'followUp') {
            expect(s.timers.followUpCheck).toBeUndefined();
            expect(s.timers.exitCheck).toBeUndefined();
          }
          if (s.stage === 'exited' || s.stage === 'reoriented') expect(Object.keys(s.timers).filter((k) => k !== 'fse')).toEqual([]);
          if (s.finished) expect(s.openTasks.filter((t) => t.kind !== 'fse_questionnaire')).toEqual([]);
        }
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT);

  it('the stage moves only forward, except the documented returns', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        for (const { before, decision } of walk(steps, eligibility).decisions) {
          expect(movesAllowed(before.stage, decision.state.stage), `${before.stage} → ${decision.state.stage}`).toBe(true);
        }
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT);

  it('decide is pure: the state given is never changed, a refusal changes nothing, the same input gives the same output', () => {
    fc.assert(
      fc.property(walks, ([steps, eligibility]) => {
        for (const { before, snapshot, event, decision, now } of walk(steps, eligibility).decisions) {
          expect(JSON.stringify(before)).toBe(snapshot);
          if (decision.refused !== null) {
            expect(decision.state).toBe(before);
            expect(decision.commands).toEqual([]);
          }
          expect(decide(before, event, ctx(), now)).toEqual(decision);
        }
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 4) },
    );
  }, PROPERTY_TIMEOUT);
});
