/**
 * A collective action (workshop, company visit…): the invited participants get an invitation with
 * its iCalendar event, a reminder two days before; once it is over the organiser is asked who came
 * and what it led to (mises en relation, hires), again a week later if need be.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { createAlarm } from './alarm.ts';
import { deliver, refuseUnless } from './best-effort.ts';
import { REFUSAL_CODES } from '../src/domain/refusals.ts';
import { createUpdateQueue } from './update-queue.ts';
import { staffRosterSignal } from './roster-messages.ts';
import { holderAfter, isCoordination, mailboxOnly, type StaffRoster } from '../src/domain/staff-roster.ts';
import { COLLECTIVE_CONTINUE_AS_NEW_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, daysAfter, historyIsLong, nextEvery } from './patches.ts';
import { collectiveNotices, collectiveRecords } from './proxies.ts';
import { attendanceProblems } from '../src/domain/collective-actions.ts';
import { fileReference } from '../src/domain/participant.ts';
import { collectiveStateQuery, inviteParticipantsUpdate, recordAttendanceUpdate, type AttendanceRequest, type CollectiveInput, type CollectiveState, type InviteRequest } from './collective-messages.ts';

const DAY_MS = 86_400_000;
const REMINDER_BEFORE_DAYS = 2;
const ATTENDANCE_PROMPTS = 2;
/** The organiser is asked again a week after the previous question. */
const ATTENDANCE_EVERY_DAYS = 7;

export async function collectiveActionWorkflow(input: CollectiveInput): Promise<CollectiveState> {
  const carried = input.carried;
  // A later run takes up the state where the previous one left it (who is invited, what was sent).
  const state: CollectiveState = carried?.state ?? { invited: [], reminded: false, attendancePrompts: 0, figures: null };
  const offsetMs = input.calendarOffsetDays * DAY_MS;
  /** Workflow time of the action's start and end. */
  const startsAt = input.startsAt - offsetMs;
  const endsAt = startsAt + input.durationMinutes * 60_000;
  const nowIso = () => new Date(Date.now() + offsetMs).toISOString();
  const coordination = input.coordinatorEmail.trim().toLowerCase();
  // The organiser and the coordination; today's, from the roster (see staffRosterSignal).
  let organizer = carried?.organizerEmail ?? input.organizerEmail;
  let roster = carried?.roster ?? mailboxOnly(coordination);
  const mayManage = (actor: string) => actor.trim().toLowerCase() === organizer.trim().toLowerCase() || isCoordination(actor, roster);
  const alarm = createAlarm();
  // Invitations and attendance wait for their turn in the loop, one at a time, between its own sendings.
  const updates = createUpdateQueue<() => Promise<void>>({ asHandlers: true });
  const queued = async (work: () => Promise<void>) => {
    await updates.submit(work);
    return state;
  };
  /** Whether dates come from their origin at a fixed Paris hour (see the patch). */
  const fromOrigin = () => patched(SCHEDULES_FROM_ORIGIN_PATCH);
  const key = (what: string) => `collective/${input.actionId}/${what}`;

  setHandler(collectiveStateQuery, () => state);
  const hear = (heard: StaffRoster) => {
    roster = { ...heard, coordination };
    organizer = holderAfter(organizer, roster);
  };
  // Given at the start (actions started since it is), then as heard; a later run has heard it already.
  if (input.roster && !carried) hear(input.roster);
  setHandler(staffRosterSignal, hear);

  const invitable = (r: InviteRequest) => {
    refuseUnless(mayManage(r.actor), 'Seule la personne qui organise l’action, ou la coordination, invite.', REFUSAL_CODES.notAllowed);
    refuseUnless(Date.now() < startsAt, 'L’action a déjà commencé : plus d’invitation possible.');
  };
  setHandler(
    inviteParticipantsUpdate,
    (r) =>
      queued(async () => {
        invitable(r);
        const fresh = r.participantIds.filter((id) => !state.invited.includes(id));
        await collectiveRecords.saveInvitations({ actionId: input.actionId, participantIds: fresh, actor: r.actor });
        for (const participantId of fresh) {
          state.invited.push(participantId);
          await deliver(() => collectiveNotices.sendCollectiveEmail({ actionId: input.actionId, participantId, kind: 'invitation', key: key(`${participantId}/invitation`), at: nowIso() }), { participantId });
        }
      }),
    { validator: (r: InviteRequest) => invitable(r) },
  );

  const attendance = (r: AttendanceRequest) => {
    refuseUnless(mayManage(r.actor), 'Seule la personne qui organise l’action, ou la coordination, saisit la présence.', REFUSAL_CODES.notAllowed);
    refuseUnless(Date.now() >= startsAt, 'L’action n’a pas encore eu lieu.');
    refuseUnless(state.figures === null, 'La présence est déjà saisie.');
    const problems = attendanceProblems(state.invited, r, (id) => `Dossier ${fileReference(id)}`);
    refuseUnless(problems.length === 0, problems.join(' ; '));
  };
  setHandler(
    recordAttendanceUpdate,
    (r) =>
      queued(async () => {
        attendance(r);
        state.figures = await collectiveRecords.saveAttendance({ actionId: input.actionId, present: r.present, misesEnRelation: r.misesEnRelation, hires: r.hires, actor: r.actor, channel: r.channel });
      }),
    { validator: (r: AttendanceRequest) => attendance(r) },
  );

  // Two days before, at the action's Paris hour (a later run keeps the instant its first run computed).
  const reminderAt = carried?.reminderAt ?? daysAfter(fromOrigin(), startsAt, -REMINDER_BEFORE_DAYS);
  // Invited less than two days before: the invitation is reminder enough.
  if (!carried && reminderAt <= Date.now()) state.reminded = true;
  let promptAt = carried?.promptAt ?? endsAt;

  /**
   * A long history goes on in a new run with the whole state, once no Update waits or runs (it would
   * be lost with this run). The patch is asked only then: shorter histories keep their commands.
   */
  async function continueIfLong(): Promise<void> {
    if (updates.pending() > 0 || !historyIsLong(workflowInfo(), input.maxHistoryEvents) || !patched(COLLECTIVE_CONTINUE_AS_NEW_PATCH)) return;
    // An Update come meanwhile is handled first: the loop would otherwise wait for it, and it for the loop.
    await condition(() => allHandlersFinished() || updates.pending() > 0);
    if (updates.pending() > 0) return;
    await continueAsNew<typeof collectiveActionWorkflow>({ ...input, carried: { state, organizerEmail: organizer, roster, reminderAt, promptAt } });
  }
  for (;;) {
    while (state.figures === null && (await updates.handleNext((work) => work())));
    if (state.figures !== null) break;
    if (!state.reminded && Date.now() >= reminderAt && Date.now() < startsAt) {
      state.reminded = true;
      for (const participantId of state.invited) {
        await deliver(() => collectiveNotices.sendCollectiveEmail({ actionId: input.actionId, participantId, kind: 'rappel', key: key(`${participantId}/rappel`), at: nowIso() }), { participantId });
      }
      continue;
    }
    if (state.attendancePrompts < ATTENDANCE_PROMPTS && Date.now() >= promptAt) {
      state.attendancePrompts += 1;
      await deliver(() => collectiveNotices.promptAttendance({ actionId: input.actionId, to: organizer, key: key(`presence/${state.attendancePrompts}`), at: nowIso() }), { attendance: true });
      // Weekly from the action's end (the next week to come, if this question went late).
      promptAt = nextEvery(fromOrigin(), endsAt, Date.now(), ATTENDANCE_EVERY_DAYS);
      continue;
    }
    await continueIfLong();
    const next = [...(!state.reminded && Date.now() < reminderAt ? [reminderAt] : []), ...(state.attendancePrompts < ATTENDANCE_PROMPTS ? [promptAt] : [])];
    await alarm.wait(next.length > 0 ? Math.min(...next) : null, () => updates.pending() > 0);
  }
  // The attendance is in: anything still queued, or later, is refused.
  updates.close('La présence est déjà saisie : l’action collective est close.');
  await condition(allHandlersFinished);
  return state;
}
