/** The collective action workflow's vocabulary. */
import type { StaffRoster } from '../src/domain/staff-roster.ts';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CollectiveFigures } from '../src/domain/collective-actions.ts';
import type { Channel } from './pathway-messages.ts';

export const COLLECTIVE_WORKFLOW = 'collectiveActionWorkflow';
export const collectiveWorkflowId = (actionId: string) => `action-collective-${actionId}`;

export interface CollectiveInput {
  actionId: string;
  /** When it starts (ms since the epoch, on the PLIE's calendar) and how long it lasts. */
  startsAt: number;
  durationMinutes: number;
  organizerEmail: string;
  coordinatorEmail: string;
  calendarOffsetDays: number;
  /** The PLIE's staff when it starts (absent from actions started before it was given: the mailbox alone until the roster is heard). */
  roster?: StaffRoster;
  /** History events past which the action goes on in a new run (continue-as-new); 1,000 when absent. */
  maxHistoryEvents?: number;
  /** What the previous run handed over (continue-as-new); absent from an action's first run. */
  carried?: CollectiveCarried;
}

/** An action's whole state between two runs: who is invited, what was sent, when the next sendings are due, and who manages it. */
export interface CollectiveCarried {
  state: CollectiveState;
  /** The organiser of the day (the coordination once the first one left). */
  organizerEmail: string;
  /** The roster as last heard (the coordination's mailbox alone if none was). */
  roster: StaffRoster;
  /** Workflow instants of the reminder (as the first run computed it) and of the next attendance question. */
  reminderAt: number;
  promptAt: number;
}

export interface CollectiveState {
  invited: string[];
  reminded: boolean;
  attendancePrompts: number;
  figures: CollectiveFigures | null;
}

export interface InviteRequest {
  participantIds: string[];
  actor: string;
  channel: Channel;
}

export interface AttendanceRequest {
  present: string[];
  misesEnRelation: string[];
  hires: string[];
  actor: string;
  channel: Channel;
}

export const inviteParticipantsUpdate = defineUpdate<CollectiveState, [InviteRequest]>('inviteParticipants');
export const recordAttendanceUpdate = defineUpdate<CollectiveState, [AttendanceRequest]>('recordAttendance');
export const collectiveStateQuery = defineQuery<CollectiveState>('collectiveState');
