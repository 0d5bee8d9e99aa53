/**
 * A procurement (marché with a social clause), from its registration to its bilan: at the start of every month
 * the company's contact is asked, by an email form, for the hours worked the month before; the
 * facilitator is prompted to validate them (or to chase the company when nothing came), alerted
 * when the validated hours fall behind the pace, and sent the bilan when the marché closes: by
 * her decision, or by itself once its period is over and every month is validated.
 *
 * Updates are validated against the state, then run one at a time (as the timed work is), each
 * returning once the database holds its effect.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { createAlarm } from './alarm.ts';
import { deliver, refuseUnless } from './best-effort.ts';
import { REFUSAL_CODES } from '../src/domain/refusals.ts';
import { createUpdateQueue } from './update-queue.ts';
import { staffRosterSignal } from './roster-messages.ts';
import { facilitatorAfter, marcheManagers } from '../src/domain/staff-roster.ts';
import { MARCHE_CONTINUE_AS_NEW_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, daysAfter, historyIsLong } from './patches.ts';
import { procurementNotices, procurementRecords } from './proxies.ts';
import { clauseMonths, hoursRequestDay } from '../src/domain/procurement.ts';
import { addDays, parisDate, parisInstant, type CalendarDate } from '../src/domain/dates.ts';
import {
  chaseCompanyUpdate,
  closeProcurementUpdate,
  declareHoursUpdate,
  procurementStateQuery,
  reviewHoursUpdate,
  type ChaseRequest,
  type CloseRequest,
  type DeclareHoursRequest,
  type ProcurementInput,
  type ReviewHoursRequest,
  type ProcurementState,
  type MonthState,
} from './procurement-messages.ts';

const DAY_MS = 86_400_000;
/** Requests and prompts go at the start of the working day. */
const MORNING = '08:30';

export async function marcheWorkflow(input: ProcurementInput): Promise<ProcurementState> {
  const months = clauseMonths(input.start, input.end);
  // A later run takes up the state where the previous one left it (its requests' counts, the chasers due).
  const state: ProcurementState = input.carried?.state ?? {
    marcheId: input.marcheId,
    months: Object.fromEntries(months.map((m): [string, MonthState] => [m, { status: 'waiting', requests: 0, chaseAt: null }])),
    alerts: [],
    closed: false,
    closedOn: null,
    sequence: 0,
  };
  // Copied at the start, then today's roster once it is heard (see staffRosterSignal).
  let managers = (input.carried?.managers ?? input.managers).map((m) => m.trim().toLowerCase());
  let facilitator = input.carried?.facilitatorEmail ?? input.facilitatorEmail;
  const contact = input.contactEmail.trim().toLowerCase();
  const alarm = createAlarm();
  // Declarations and decisions wait for their turn in the loop, one at a time, between its own requests.
  const updates = createUpdateQueue<() => Promise<void>>({ asHandlers: true });
  const queued = async (work: () => Promise<void>) => {
    await updates.submit(work);
    return state;
  };

  const offsetMs = input.calendarOffsetDays * DAY_MS;
  const today = (): CalendarDate => addDays(parisDate(Date.now()), input.calendarOffsetDays);
  const nowIso = () => new Date(Date.now() + offsetMs).toISOString();
  /** Workflow time of a calendar day's morning. */
  const morningOf = (day: CalendarDate) => parisInstant(day, MORNING) - offsetMs;
  const key = (what: string) => `marche/${input.marcheId}/${what}`;


  const isManager = (actor: string) => managers.includes(actor.trim().toLowerCase());
  const monthState = (month: string): MonthState => {
    const found = state.months[month];
    if (!found) throw new Error(`Le mois ${month} n’est pas dans la période du marché.`);
    return found;
  };
  const open = () => refuseUnless(!state.closed, 'Ce marché est clos.');

  async function request(month: string, kind: 'request' | 'chase' | 'correction', comment?: string): Promise<void> {
    const m = monthState(month);
    if (kind === 'request' && (await procurementRecords.marchePersons({ marcheId: input.marcheId, month })) === 0) {
      m.status = 'none';
      return;
    }
    m.requests += 1;
    m.status = 'requested';
    // At the request's Paris hour, whatever the change of summer or winter time (see the patch).
    m.chaseAt = daysAfter(patched(SCHEDULES_FROM_ORIGIN_PATCH), Date.now(), input.chaseAfterDays);
    // Not delivered (address refused): the facilitator is still prompted to chase when the delay is over.
    const args = { marcheId: input.marcheId, month, kind, replyTo: facilitator, key: key(`${month}/request/${m.requests}`), at: nowIso(), ...(comment ? { comment } : {}) };
    await deliver(() => procurementNotices.requestMarcheHours(args), { month, kind });
  }

  async function prompt(month: string, kind: 'validate' | 'chase' | 'pace', sequence: number): Promise<void> {
    const requests = state.months[month]?.requests ?? 0;
    await deliver(
      () => procurementNotices.promptFacilitator({ marcheId: input.marcheId, month, prompt: kind, requests, to: facilitator, key: key(`${month}/${kind}/${sequence}`), at: nowIso() }),
      { month, kind },
    );
  }

  async function close(actor: string): Promise<void> {
    await procurementRecords.closeMarcheRecord({ marcheId: input.marcheId, actor, at: nowIso() });
    // Closed once the record says so (queries and pages follow the workflow).
    state.closed = true;
    state.closedOn = today();
    for (const m of Object.values(state.months)) m.chaseAt = null;
    await deliver(() => procurementNotices.sendMarcheBilan({ marcheId: input.marcheId, to: facilitator, key: key('bilan'), at: nowIso() }), { bilan: true });
  }

  // --- Updates ---

  setHandler(procurementStateQuery, () => state);
  setHandler(staffRosterSignal, (roster) => {
    managers = marcheManagers(roster);
    facilitator = facilitatorAfter(facilitator, roster);
  });

  const declarable = (month: string, actor: string) => {
    open();
    refuseUnless(isManager(actor) || actor.trim().toLowerCase() === contact, 'Seul le contact de l’entreprise, la facilitation des clauses ou la coordination peut déclarer ces heures.', REFUSAL_CODES.notAllowed);
    const m = state.months[month];
    refuseUnless(m !== undefined, `Le mois ${month} n’est pas dans la période du marché.`);
    refuseUnless(morningOf(`${month}-01`) <= Date.now() + DAY_MS, `Le mois ${month} n’a pas commencé.`);
    refuseUnless(m!.status !== 'validated', `Les heures de ${month} sont déjà validées.`);
  };
  setHandler(
    declareHoursUpdate,
    (r) =>
      queued(async () => {
        declarable(r.month, r.actor);
        const m = monthState(r.month);
        await procurementRecords.saveMarcheHours({ marcheId: input.marcheId, month: r.month, hours: r.hours, actor: r.actor, channel: r.channel, at: nowIso() });
        m.status = 'declared';
        m.chaseAt = null;
        state.sequence += 1;
        // Declared by the facilitator or the coordination: they validate when they choose; the company's word is put to the facilitator.
        if (!isManager(r.actor)) await prompt(r.month, 'validate', state.sequence);
      }),
    { validator: (r: DeclareHoursRequest) => declarable(r.month, r.actor) },
  );

  const reviewable = (month: string, actor: string) => {
    open();
    refuseUnless(isManager(actor), 'Seule la facilitation des clauses ou la coordination valide les heures.', REFUSAL_CODES.notAllowed);
    refuseUnless(state.months[month]?.status === 'declared', `Aucune déclaration de ${month} n’attend de validation.`);
  };
  setHandler(
    reviewHoursUpdate,
    (r) =>
      queued(async () => {
        reviewable(r.month, r.actor);
        const m = monthState(r.month);
        if (r.decision === 'correct') {
          await request(r.month, 'correction', r.comment);
          return;
        }
        const pace = await procurementRecords.validateMarcheHours({ marcheId: input.marcheId, month: r.month, actor: r.actor, channel: r.channel, at: nowIso() });
        m.status = 'validated';
        m.pace = pace;
        if (pace.behind) {
          state.alerts.push({ month: r.month, gap: pace.gap });
          await prompt(r.month, 'pace', state.alerts.length);
        }
      }),
    { validator: (r: ReviewHoursRequest) => reviewable(r.month, r.actor) },
  );

  const chasable = (month: string, actor: string) => {
    open();
    refuseUnless(isManager(actor), 'Seule la facilitation des clauses ou la coordination relance l’entreprise.', REFUSAL_CODES.notAllowed);
    refuseUnless(state.months[month]?.status === 'requested', `Les heures de ${month} ne sont pas en attente de l’entreprise.`);
  };
  setHandler(
    chaseCompanyUpdate,
    (r) =>
      queued(async () => {
        chasable(r.month, r.actor);
        await request(r.month, 'chase');
      }),
    { validator: (r: ChaseRequest) => chasable(r.month, r.actor) },
  );

  const closable = (actor: string) => {
    open();
    refuseUnless(isManager(actor), 'Seule la facilitation des clauses ou la coordination clôt un marché.', REFUSAL_CODES.notAllowed);
  };
  setHandler(
    closeProcurementUpdate,
    (r) =>
      queued(async () => {
        closable(r.actor);
        await close(r.actor);
      }),
    { validator: (r: CloseRequest) => closable(r.actor) },
  );

  // --- Time ---

  const requestAt = (month: string) => morningOf(hoursRequestDay(month));
  function nextDue(): number | null {
    const instants = Object.entries(state.months).flatMap(([month, m]) =>
      m.status === 'waiting' ? [requestAt(month)] : m.status === 'requested' && m.chaseAt !== null ? [m.chaseAt] : [],
    );
    // Everything validated before the end (hours entered early): the closing waits for the period to end.
    if (allSettled()) instants.push(morningOf(addDays(input.end, 1)));
    return instants.length > 0 ? Math.min(...instants) : null;
  }

  async function dueWork(): Promise<void> {
    for (const [month, m] of Object.entries(state.months)) {
      if (state.closed) return;
      if (m.status === 'waiting' && requestAt(month) <= Date.now()) await request(month, 'request');
      else if (m.status === 'requested' && m.chaseAt !== null && m.chaseAt <= Date.now()) {
        // Prompted once per request: after a chaser, the delay starts again.
        m.chaseAt = null;
        await prompt(month, 'chase', m.requests);
      }
    }
    if (today() > input.end && !state.closed && allSettled()) await close('système');
  }
  const allSettled = () => Object.values(state.months).every((m) => m.status === 'validated' || m.status === 'none');

  /**
   * A long history goes on in a new run with the whole state, once no Update waits or runs (it would
   * be lost with this run). The patch is asked only then: shorter histories keep their commands.
   */
  async function continueIfLong(): Promise<void> {
    if (updates.pending() > 0 || !historyIsLong(workflowInfo(), input.maxHistoryEvents) || !patched(MARCHE_CONTINUE_AS_NEW_PATCH)) return;
    // An Update come meanwhile is handled first: the loop would otherwise wait for it, and it for the loop.
    await condition(() => allHandlersFinished() || updates.pending() > 0);
    if (updates.pending() > 0) return;
    await continueAsNew<typeof marcheWorkflow>({ ...input, carried: { state, managers, facilitatorEmail: facilitator } });
  }

  while (!state.closed) {
    // Declarations and decisions first, then what time brought (the order the recorded histories keep).
    while (!state.closed && (await updates.handleNext((work) => work())));
    if (state.closed) break;
    await dueWork();
    if (state.closed) break;
    await continueIfLong();
    await alarm.wait(nextDue(), () => updates.pending() > 0);
  }
  // Closed: anything still queued, or later, is refused.
  updates.close('Ce marché est clos.');
  await condition(allHandlersFinished);
  return state;
}
