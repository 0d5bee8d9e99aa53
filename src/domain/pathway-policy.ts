/**
 * The rules a pathway workflow follows, taken from the PLIE's configuration when the pathway
 * starts: a running workflow never changes rule under a person's feet (and stays deterministic).
 */
import type { DecisionRule, Quorum } from './commission.ts';
import type { PlieConfig } from './plie-config.ts';
import { taskPolicies, taskTimings, type TaskKind, type TaskPolicy } from './tasks.ts';

export interface PathwayPolicy {
  plieCode: string;
  coordinatorEmail: string;
  autoReferentEmail: string | null;
  tasks: Record<TaskKind, TaskPolicy>;
  exitCriteria: PlieConfig['exitCriteria'];
  pathway: PlieConfig['pathway'];
  /** `quorum` and `decision` are absent from pathways begun before they were options (the defaults then). */
  commission: { members: string[]; voteDays: number; resubmitAfterDays: number; quorum?: Quorum; decision?: DecisionRule };
  /** Clause facilitators, who may record a contract (a hire under a clause); absent from older pathways. */
  facilitatorEmails?: string[];
  /** Continue-as-new beyond this many history events. */
  maxHistoryEvents: number;
  /** Calendar shift (simulations replay a scenario that started in the past). */
  calendarOffsetDays: number;
}

export function pathwayPolicy(
  config: PlieConfig,
  opts: { coordinatorEmail: string; maxHistoryEvents?: number; calendarOffsetDays?: number },
): PathwayPolicy {
  return {
    plieCode: config.code,
    coordinatorEmail: opts.coordinatorEmail,
    autoReferentEmail: config.assignment.autoReferentEmail,
    tasks: taskPolicies(taskTimings(config), config.commission.voteDays),
    exitCriteria: config.exitCriteria,
    pathway: config.pathway,
    commission: {
      members: config.commission.members.map((m) => m.email.toLowerCase()),
      voteDays: config.commission.voteDays,
      resubmitAfterDays: config.commission.resubmitAfterDays,
      quorum: config.commission.quorum,
      decision: config.commission.decision,
    },
    facilitatorEmails: config.clauses.facilitators,
    maxHistoryEvents: opts.maxHistoryEvents ?? 4_000,
    calendarOffsetDays: opts.calendarOffsetDays ?? 0,
  };
}
