/**
 * A job offer (relation entreprise): the referent of every matched participant is asked whether to
 * propose it (« mise en relation »), then, for a proposal, what came of it (interview, hire, no),
 * until every proposal has its outcome or the offer is closed. A hire is recorded in the
 * participant's pathway by the caller before it reaches here (the pathway may refuse it).
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { createAlarm } from './alarm.ts';
import { deliver, refuseUnless } from './best-effort.ts';
import { REFUSAL_CODES } from '../src/domain/refusals.ts';
import { createUpdateQueue } from './update-queue.ts';
import { staffRosterSignal } from './roster-messages.ts';
import { holderAfter, isCoordination, mailboxOnly, mayDecidePlacement, type StaffRoster } from '../src/domain/staff-roster.ts';
import { OFFER_CONTINUE_AS_NEW_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, daysAfter, historyIsLong, nextEvery } from './patches.ts';
import { offerNotices, offerRecords } from './proxies.ts';
import { isFinalPlacement, nextPlacementStatus } from '../src/domain/placements.ts';
import { closeOfferUpdate, decidePlacementUpdate, offerStateQuery, type CloseOfferRequest, type OfferInput, type OfferState, type PlacementRequest } from './offer-messages.ts';

const DAY_MS = 86_400_000;

export async function offreWorkflow(input: OfferInput): Promise<OfferState> {
  const coordinator = input.coordinatorEmail.trim().toLowerCase();
  // A later run takes up the state where the previous one left it (questions asked, the next ones due).
  const state: OfferState = input.carried?.state ?? { offerId: input.offerId, coordinatorEmail: coordinator, placements: {}, closed: false };
  const alarm = createAlarm();
  const offsetMs = input.calendarOffsetDays * DAY_MS;
  const nowIso = () => new Date(Date.now() + offsetMs).toISOString();
  // Decisions wait for their turn in the loop, one at a time, between the questions it sends.
  const updates = createUpdateQueue<() => Promise<void>>({ asHandlers: true });
  const queued = async (work: () => Promise<void>) => {
    await updates.submit(work);
    return state;
  };
  /** Whether the questions' dates come from their origin at a fixed Paris hour (see the patch). */
  const fromOrigin = () => patched(SCHEDULES_FROM_ORIGIN_PATCH);


  async function ask(placementId: string): Promise<void> {
    const p = state.placements[placementId]!;
    p.asked += 1;
    await deliver(() => offerNotices.promptPlacement({ placementId, to: p.referentEmail, key: `offre/${input.offerId}/${placementId}/${p.status}/${p.asked}`, at: nowIso() }), { placementId });
  }

  setHandler(offerStateQuery, () => state);
  // Today's coordination: the roster given at the start, then as heard; without it, the mailbox alone.
  let roster = input.carried?.roster ?? mailboxOnly(coordinator);
  const hear = (heard: StaffRoster) => {
    roster = { ...heard, coordination: coordinator };
    state.roster = roster;
    // A referent who left: the questions on her placements go to the coordination.
    for (const p of Object.values(state.placements)) p.referentEmail = holderAfter(p.referentEmail, roster);
  };
  // A later run has heard it already (the placements of those who left went to the coordination then).
  if (input.roster && !input.carried) hear(input.roster);
  setHandler(staffRosterSignal, hear);

  const decidable = (r: PlacementRequest) => {
    refuseUnless(!state.closed, 'Cette offre est close.');
    const p = state.placements[r.placementId];
    refuseUnless(p !== undefined, 'Cette mise en relation est inconnue.');
    refuseUnless(mayDecidePlacement(r.actor, { asked: p!.referentEmail, current: r.currentReferentEmail ?? null }, roster), 'Seul·e le ou la référent·e de la personne, ou la coordination, décide de cette mise en relation.', REFUSAL_CODES.notAllowed);
    refuseUnless(nextPlacementStatus(p!.status, r.decision) !== null, 'Cette décision ne suit pas l’état de la mise en relation (déjà traitée ?).');
  };
  setHandler(
    decidePlacementUpdate,
    (r) =>
      queued(async () => {
        decidable(r);
        const p = state.placements[r.placementId]!;
        const status = nextPlacementStatus(p.status, r.decision)!;
        // The new referent took it over: the next questions go to them.
        if (r.currentReferentEmail && r.actor.trim().toLowerCase() === r.currentReferentEmail.trim().toLowerCase()) p.referentEmail = r.currentReferentEmail;
        await offerRecords.recordPlacement({ placementId: r.placementId, status, ...(r.reason ? { reason: r.reason } : {}), actor: r.actor, channel: r.channel, at: nowIso() });
        p.status = status;
        p.asked = 0;
        // A proposal's outcome is asked after a while; a final status asks nothing more.
        p.askAt = isFinalPlacement(status) ? null : daysAfter(fromOrigin(), Date.now(), input.followUpDays);
      }),
    { validator: (r: PlacementRequest) => decidable(r) },
  );
  const closable = (r: CloseOfferRequest) => {
    refuseUnless(!state.closed, 'Cette offre est déjà close.');
    refuseUnless(isCoordination(r.actor, roster), 'Seule la coordination clôt une offre.', REFUSAL_CODES.notAllowed);
  };
  setHandler(
    closeOfferUpdate,
    (r) =>
      queued(async () => {
        closable(r);
        state.closed = true;
      }),
    { validator: (r: CloseOfferRequest) => closable(r) },
  );

  // The matched participants, each with a « mise en relation » to propose (opened and asked by the first run only).
  if (!input.carried) {
    for (const m of await offerRecords.openPlacements({ offerId: input.offerId })) {
      state.placements[m.placementId] = { participantId: m.participantId, referentEmail: m.referentEmail ?? coordinator, status: 'A_PROPOSER', askAt: daysAfter(fromOrigin(), Date.now(), input.reminderDays), asked: 0 };
      await ask(m.placementId);
    }
  }

  /**
   * A long history goes on in a new run with the whole state, once no Update waits or runs (it would
   * be lost with this run). The patch is asked only then: shorter histories keep their commands.
   */
  async function continueIfLong(): Promise<void> {
    if (updates.pending() > 0 || !historyIsLong(workflowInfo(), input.maxHistoryEvents) || !patched(OFFER_CONTINUE_AS_NEW_PATCH)) return;
    // An Update come meanwhile is handled first: the loop would otherwise wait for it, and it for the loop.
    await condition(() => allHandlersFinished() || updates.pending() > 0);
    if (updates.pending() > 0) return;
    await continueAsNew<typeof offreWorkflow>({ ...input, carried: { state, roster } });
  }

  const open = () => Object.values(state.placements).some((p) => !isFinalPlacement(p.status));
  for (;;) {
    while (!state.closed && (await updates.handleNext((work) => work())));
    if (state.closed || !open()) break;
    const due = Object.entries(state.placements).filter(([, p]) => p.askAt !== null && p.askAt <= Date.now());
    if (due.length > 0) {
      for (const [id, p] of due) {
        if (p.askAt === null || p.askAt > Date.now()) continue;
        const askedAt = p.askAt;
        await ask(id);
        // A proposal to make is asked again once; an outcome up to the configured number of times.
        const limit = p.status === 'A_PROPOSER' ? 2 : input.maxFollowUps;
        const every = p.status === 'A_PROPOSER' ? input.reminderDays : input.followUpDays;
        // Every N days from the question that was due, not from when it went.
        const next = nextEvery(fromOrigin(), askedAt, Date.now(), every);
        p.askAt = p.asked < limit ? next : null;
      }
      continue;
    }
    await continueIfLong();
    const next = Object.values(state.placements).flatMap((p) => (p.askAt === null ? [] : [p.askAt]));
    await alarm.wait(next.length > 0 ? Math.min(...next) : null, () => updates.pending() > 0);
  }
  // Whatever is still queued, or comes later, is refused: the offer is closed.
  updates.close('Cette offre est close.');
  await offerRecords.closeOfferRecord({ offerId: input.offerId, at: nowIso() });
  state.closed = true;
  await condition(allHandlersFinished);
  return state;
}
