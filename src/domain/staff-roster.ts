/**
 * What a change of the PLIE's staff means for the work its running workflows hold in someone's
 * name (offers, marchés, collective actions): pure, so that the workflows and their tests share it.
 */

import { sameAddress } from './permissions.ts';

/** The PLIE's staff as a running workflow hears it (addresses lower-cased). */
export interface StaffRoster {
  /** The PLIE's coordination mailbox. */
  coordination: string;
  /** Its active staff with the role COORDINATEUR. */
  coordinators: string[];
  /** The clause facilitators a marché prompts: active staff with the role, and those its configuration lists. */
  facilitators: string[];
  /** Who else may validate a marché's hours: active staff whose roles allow following the marchés. */
  followers: string[];
  /** Its deactivated staff: what was in their name goes to the coordination. */
  departed: string[];
}

const low = (email: string) => email.trim().toLowerCase();

/** The roster a workflow judges with before it has heard one: the coordination's mailbox alone. */
export function mailboxOnly(coordination: string): StaffRoster {
  return { coordination: low(coordination), coordinators: [], facilitators: [], followers: [], departed: [] };
}

/** Whoever held something (a placement to decide, an action to run): kept, or the coordination once they left. */
export function holderAfter(holder: string, roster: StaffRoster): string {
  return roster.departed.includes(low(holder)) ? roster.coordination : holder;
}

/** The coordination as a workflow judges it: its mailbox and its coordinators of the day. */
export function isCoordination(actor: string, roster: StaffRoster): boolean {
  const who = low(actor);
  return who === roster.coordination || roster.coordinators.includes(who);
}

/** Who may validate, chase and close a marché: the coordination and whoever follows the marchés today. */
export function marcheManagers(roster: StaffRoster): string[] {
  return [...new Set([roster.coordination, ...roster.coordinators, ...roster.facilitators, ...roster.followers])];
}

/**
 * Who decides on a placement (« mise en relation »): the coordination; the referent it was put to,
 * or the one who follows the person today, unless she left the PLIE.
 */
export function mayDecidePlacement(actor: string, referents: { asked: string; current: string | null }, roster: StaffRoster): boolean {
  const who = low(actor);
  if (isCoordination(who, roster)) return true;
  if (roster.departed.includes(who)) return false;
  return sameAddress(referents.asked, who) || sameAddress(referents.current, who);
}

/**
 * The facilitator a marché prompts: the same unless she left, then another facilitator (not a
 * coordinator, who would get it through the mailbox anyway), else the coordination.
 */
export function facilitatorAfter(facilitator: string, roster: StaffRoster): string {
  if (!roster.departed.includes(low(facilitator))) return facilitator;
  return roster.facilitators.find((f) => !roster.coordinators.includes(f) && !roster.departed.includes(f)) ?? roster.coordination;
}
