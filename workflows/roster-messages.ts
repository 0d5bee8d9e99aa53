/**
 * The PLIE's staff as its running offers, marchés, collective actions and commission votes judge
 * with: sent whenever the roster changes (`plie staff add|deactivate`), so that each decision is
 * taken on today's rights rather than on a copy made when the workflow started. Addresses are
 * lower-cased by the sender.
 */
import { defineSignal } from '@temporalio/workflow';
import type { StaffRoster } from '../src/domain/staff-roster.ts';

export type { StaffRoster };

export const staffRosterSignal = defineSignal<[StaffRoster]>('staffRoster');

/** A member of the commission left the PLIE: her seat is vacant for the votes still open. */
export const commissionMemberLeftSignal = defineSignal<[{ email: string }]>('commissionMemberLeft');
