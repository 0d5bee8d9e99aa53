/**
 * What the pathway's state machine asks the outside world to do, named after the business, and
 * the events it is fed. The workflow shell carries each command out, in order, as an activity
 * (or a child workflow); the state machine never does I/O itself.
 */
import type { CalendarDate } from '../dates.ts';
import type { PathwayPolicy } from '../pathway-policy.ts';
import type { Roster } from '../permissions.ts';
import type { Refusal } from '../refusals.ts';
import type { AnyTaskAnswer, Stage } from '../tasks.ts';
import type { ActionRequest, AnswerTaskRequest, CommissionResult, ContractFact, ExitState, OpenTask, PathwayState, TrainingFact, BusinessFact } from './state.ts';

/** Facts recorded on a pathway; each is written once per key. */
export type PathwayFact =
  | { kind: 'step'; stepId: string; stepType: string; start: CalendarDate; end?: CalendarDate; status: 'PREVUE' | 'REALISEE' }
  | { kind: 'contact'; date: CalendarDate; mode: string }
  | { kind: 'absence'; date: CalendarDate }
  | { kind: 'appointment'; appointmentId: string; at: string; place: string; durationMinutes: number; first: boolean }
  | { kind: 'appointmentMoved'; appointmentId: string; at: string; place: string; durationMinutes: number; sequence: number }
  | { kind: 'appointmentCancelled'; appointmentId: string; sequence: number }
  | { kind: 'contract'; contract: ContractFact & { employer: string | null; sector: string | null } }
  | { kind: 'contractEnded'; contractId: string; end: CalendarDate; reason: string; early: boolean }
  | { kind: 'training'; training: TrainingFact }
  | { kind: 'business'; business: BusinessFact }
  | { kind: 'remindersPaused'; until: CalendarDate; reason: string }
  | { kind: 'remindersResumed' }
  /** The pathway entrusted to another referent: its open tasks move with it. */
  | { kind: 'referentChanged'; from: string | null; to: string; on: CalendarDate; reason: string | null }
  | { kind: 'barrierRaised'; category: string; on: CalendarDate }
  | { kind: 'barrierLifted'; category: string; on: CalendarDate };

/** A notice about a task, to a member of staff. */
export type StaffNotice = 'opened' | 'reminder' | 'escalation' | 'received';

export type PathwayCommand =
  /** The stage the pathway enters (projected into the database, with its referent and entry date). */
  | { type: 'recordStage'; stage: Stage; referentEmail: string | null; entryDate: CalendarDate | null }
  /** Asks the database whether the person is eligible; its answer comes back as `eligibilityAssessed`. */
  | { type: 'assessEligibility'; on: CalendarDate }
  /** A task is opened (recorded; its notice is a separate command). */
  | { type: 'recordTaskOpened'; task: OpenTask }
  | { type: 'recordTaskClosed'; taskId: string; status: 'done' | 'expired' | 'cancelled'; answer: AnyTaskAnswer | null; actor: string; channel: string }
  /** The task's Slack message shows how it ended. */
  | { type: 'showTaskOutcome'; taskId: string }
  | { type: 'notifyStaff'; taskId: string; notice: StaffNotice; to: string; sequence?: number }
  /** A word to the previous and the new referent about a change (and to the new one, the tasks they now hold). */
  | { type: 'notifyReferentChange'; key: string; from: string | null; to: string; taskIds: string[] }
  /** A short word to the prescriber of record: the exit (type, dates) or the reorientation. */
  | { type: 'notifyPrescriber'; event: 'exit' | 'reorientation'; key: string }
  /** An email to the participant (template and idempotency key; their address stays in the database). */
  | { type: 'emailParticipant'; template: string; key: string }
  | { type: 'recordFact'; key: string; fact: PathwayFact; actor: string; channel: string }
  | { type: 'recordFseDataPoint'; moment: 'ENTREE' | 'SORTIE' | 'SIX_MOIS_APRES'; on: CalendarDate; labourMarketStatus: string | null }
  | { type: 'recordExit'; exit: ExitState }
  /** The commission ad hoc votes on a case (a child workflow); its result comes back as `commissionDecided`. */
  | {
      type: 'startCommission';
      session: number;
      criterion: string;
      /** Times this case was adjourned before. */
      adjourned?: number;
      /** The previous session's vote was interrupted: the coordination decides. */
      interrupted?: true;
    }
  /** An interrupted vote's case is closed as such, and its open vote tasks cancelled. */
  | { type: 'closeInterruptedCommission'; caseSession: number }
  /** The history is long: carry the state into a new run. */
  | { type: 'continueAsNew' };

export type PathwayEvent =
  /** The workflow starts (not a continuation): fresh, or resuming an imported pathway under way. */
  | { type: 'started'; resume?: { referentEmail: string | null; entryDate: CalendarDate } }
  | { type: 'eligibilityAssessed'; decision: 'eligible' | 'not_eligible' | 'to_review' }
  /** A rectification of the record assessed the person again (the pathway may be waiting on it). */
  | { type: 'eligibilityRevised'; decision: 'eligible' | 'not_eligible' | 'to_review' }
  | { type: 'answer'; request: AnswerTaskRequest }
  | { type: 'action'; request: ActionRequest }
  | { type: 'commissionDecided'; result: CommissionResult }
  /** The commission's child workflow ended without a result (terminated, failed, timed out). */
  | { type: 'commissionInterrupted'; session: number }
  /** A member of staff was deactivated: what they held on this pathway goes to the coordination. */
  | { type: 'staffLeft'; email: string; actor: string; channel: string }
  /** Time passes: timers, reminders, escalations and lapses that are due; whether the history asks for a new run. */
  | { type: 'tick'; longHistory: boolean };

/** What the state machine knows besides the state: the PLIE's rules and coordination, the workflow's id. */
export interface PathwayContext {
  pathwayId: string;
  policy: PathwayPolicy;
  roster: Roster;
  /**
   * What a pathway begun before a change keeps doing as then (workflows/patches.ts): `pause`, its
   * pause holds back the participant's task reminders only; `noPrescriberNotice`, its exit and
   * reorientation say nothing to the prescriber; `commissionAfterExit`, a commission's result coming
   * after the exit still moves the pathway.
   */
  legacy?: { pause?: boolean; noPrescriberNotice?: boolean; commissionAfterExit?: boolean; firstExitRules?: boolean; contractProofOnly?: boolean };
}

export type Decision =
  | { refused: null; state: PathwayState; commands: PathwayCommand[] }
  /** Refused, with a code and a French reason: nothing changed, nothing to do. */
  | { refused: Refusal; state: PathwayState; commands: [] };
