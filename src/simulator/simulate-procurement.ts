/**
 * `plie simulate` for a procurement (marché): its registration, candidates and hires, the company's monthly
 * hours and the facilitator's validations, played on the time-skipping server with the real
 * marché workflow and activities; reports each month's hours, the requests and chasers, the pace
 * alerts and the bilan. Events are dated in days from `start`; months are « YYYY-MM » or their
 * rank in the marché (1 for the first).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../db/client.ts';
import { addDays, addMonths, daysBetween, parisDate, type CalendarDate } from '../domain/dates.ts';
import { calendarDateField } from '../domain/dates.ts';
import { clauseMonths, type PaceCheck } from '../domain/procurement.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { z } from '../domain/validation.ts';
import { loadProcurementBilan } from '../procurement/bilan.ts';
import { recordHire } from '../procurement/hire.ts';
import { proposeCandidate, registerProcurement } from '../procurement/register.ts';
import { procurementInput } from '../procurement/start.ts';
import { InvalidInputError } from '../participants/create.ts';
import { chaseCompany, closeProcurement, declareHours, procurementState, reviewHours, startProcurement } from '../temporal/procurement-client.ts';
import { TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { procurementWorkflowId, type ProcurementState } from '../../workflows/procurement-messages.ts';
import { settle, simulationClock } from './clock.ts';
import { ScenarioError } from './scenario.ts';

const DAY_MS = 86_400_000;

export const PROCUREMENT_SIM = {
  facilitator: 'f1@simulation.invalid',
  contact: 'entreprise@simulation.invalid',
  coordinator: 'c1@simulation.invalid',
};

export const PROCUREMENT_EVENTS = ['marcheRegistered', 'candidateProposed', 'candidateHired', 'hoursDeclared', 'hoursValidated', 'companyChased', 'marcheClosed'] as const;

const event = z.object({ day: z.number({ error: 'day : un nombre de jours depuis le début est attendu' }).int().min(0).max(3650), type: z.enum(PROCUREMENT_EVENTS, { error: `type : ${PROCUREMENT_EVENTS.join(', ')}` }) }).loose();

export const procurementScenarioSchema = z.object({
  start: calendarDateField('start'),
  events: z.array(event).min(1).max(2000),
  until: z.number().int().min(0).max(3650),
  config: z.unknown().optional(),
});
export type ProcurementScenario = z.output<typeof procurementScenarioSchema>;

/** A scenario is a marché's when it registers one. */
export const isProcurementScenario = (raw: unknown) =>
  Array.isArray((raw as { events?: unknown } | null)?.events) && ((raw as { events: unknown[] }).events).some((e) => (e as { type?: unknown } | null)?.type === 'marcheRegistered');

export interface ProcurementSimulationResult {
  workflowId: string;
  marche: { reference: string; start: CalendarDate; end: CalendarDate; clauseHours: number; status: string; closedDay: number | null };
  months: Array<{ month: string; status: string; requests: number; validatedHours: number; pace: PaceCheck | null }>;
  /** `day`: when the facilitator was alerted (null: the alert could not be recorded). */
  alerts: Array<{ month: string; gap: number; day: number | null }>;
  messages: Array<{ template: string; to: 'entreprise' | 'facilitation'; day: number; status: string }>;
  bilan: { requiredHours: number; realisedHours: number; completion: number; contracts: number; contractsByType: Record<string, number>; persons: number; outcomes: Record<string, number> };
  errors: Array<{ day: number; type: string; reason: string }>;
}

export function parseProcurementScenario(raw: unknown): ProcurementScenario {
  const parsed = procurementScenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(parsed.error.issues.map((i) => `${i.path.join('.') || 'scénario'} : ${i.message}`));
  const s = parsed.data;
  if (s.events.filter((e) => e.type === 'marcheRegistered').length !== 1) throw new ScenarioError(['un et un seul évènement « marcheRegistered » est attendu']);
  if (s.events.some((e) => e.day > s.until)) throw new ScenarioError(['un évènement tombe après « until »']);
  return s;
}

const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v : fallback);

/** Plays a marché scenario; the simulator's worker runs the workflow with `config` as the PLIE's. */
export async function playProcurement(env: TestWorkflowEnvironment, db: Db, taskQueue: string, scenario: ProcurementScenario, config: PlieConfig): Promise<ProcurementSimulationResult> {
  const client = env.client;
  const errors: ProcurementSimulationResult['errors'] = [];
  const { day0, offset, dateOf, instantOfDay, sleepUntil } = await simulationClock(env, scenario.start);
  /** The scenario day of a calendar instant (the marché's activities record the simulated calendar). */
  const dayOf = (instant: Date) => daysBetween(scenario.start, parisDate(instant));

  const events = [...scenario.events].sort((a, b) => a.day - b.day);
  const registration = events.find((e) => e.type === 'marcheRegistered')!;
  const start = dateOf(registration.start, registration.day);
  const end = registration.end !== undefined ? dateOf(registration.end, registration.day) : addDays(addMonths(start, typeof registration.months === 'number' ? registration.months : 12), -1);
  const months = clauseMonths(start, end);
  const monthOf = (v: unknown): string => (typeof v === 'number' ? (months[v - 1] ?? `rang ${v}`) : text(v, ''));
  let procurementId: string | null = null;

  const apply = async (e: (typeof events)[number]): Promise<string | null> => {
    if (e.type === 'marcheRegistered') {
      const procurement = await registerProcurement(
        db,
        config.code,
        {
          reference: text(e.reference, 'SIM-MARCHE'),
          buyer: text(e.buyer, 'Acheteur public (simulation)'),
          title: text(e.title, 'Marché simulé'),
          company: text(e.company, 'Entreprise attributaire'),
          contactName: 'Contact de l’entreprise',
          contactEmail: PROCUREMENT_SIM.contact,
          sector: text(e.sector, 'BTP'),
          clauseHours: e.clauseHours,
          start,
          end,
        },
        PROCUREMENT_SIM.facilitator,
      );
      procurementId = procurement.id;
      await startProcurement(client, taskQueue, procurementInput(procurement, config, PROCUREMENT_SIM.coordinator, { calendarOffsetDays: offset }));
      return null;
    }
    if (!procurementId) return 'le marché n’est pas encore enregistré';
    const at = new Date(instantOfDay(e.day) + offset * DAY_MS);
    switch (e.type) {
      case 'candidateProposed': {
        const result = await proposeCandidate(db, config.clauses, procurementId, { personId: e.person, birthDate: dateOf(e.birthDate, 0), jobSeekerMonths: e.jobSeekerMonths ?? null, minimumIncome: e.minimumIncome ?? null, qualificationLevel: e.qualificationLevel ?? null, rqth: e.rqth ?? false, iaeEmployee: e.iaeEmployee ?? false }, PROCUREMENT_SIM.facilitator, at);
        return result.eligible ? null : `non éligible : ${result.reasons.join(' ')}`;
      }
      case 'candidateHired': {
        const c = (e.contract ?? {}) as Record<string, unknown>;
        const contract = { type: text(c.type, 'CDD'), start: dateOf(c.start, e.day), end: c.end === undefined || c.end === null ? null : dateOf(c.end, e.day), weeklyHours: typeof c.weeklyHours === 'number' ? c.weeklyHours : 35 };
        await recordHire({ db, temporal: client }, procurementId, { personId: e.person, contract }, PROCUREMENT_SIM.facilitator);
        return null;
      }
      case 'hoursDeclared':
        await declareHours(client, procurementId, { month: monthOf(e.month), hours: (e.hours ?? {}) as Record<string, number>, actor: e.by === 'facilitation' ? PROCUREMENT_SIM.facilitator : PROCUREMENT_SIM.contact, channel: 'simulation' });
        return null;
      case 'hoursValidated':
        await reviewHours(client, procurementId, { month: monthOf(e.month), decision: e.decision === 'correct' ? 'correct' : 'validate', ...(e.comment ? { comment: text(e.comment, '') } : {}), actor: PROCUREMENT_SIM.facilitator, channel: 'simulation' });
        return null;
      case 'companyChased':
        await chaseCompany(client, procurementId, { month: monthOf(e.month), actor: PROCUREMENT_SIM.facilitator, channel: 'simulation' });
        return null;
      case 'marcheClosed':
        await closeProcurement(client, procurementId, { actor: PROCUREMENT_SIM.facilitator, channel: 'simulation' });
        return null;
      default:
        return `type d’évènement inconnu : ${String(e.type)}`;
    }
  };

  for (const e of events) {
    await sleepUntil(instantOfDay(e.day));
    if (procurementId) {
      const running = procurementWorkflowId(procurementId);
      await settle(client, async () => [running]);
    }
    try {
      const reason = await apply(e);
      if (reason) errors.push({ day: e.day, type: e.type, reason });
    } catch (error) {
      if (!(error instanceof TaskAnswerRejectedError || error instanceof InvalidInputError || error instanceof WorkflowUpdateFailedError)) throw error;
      errors.push({ day: e.day, type: e.type, reason: error instanceof InvalidInputError ? error.problems.join(' ; ') : error.message });
    }
  }
  await sleepUntil(day0 + scenario.until * DAY_MS);
  if (!procurementId) throw new InvalidInputError(['le marché n’a pas été enregistré']);
  const id: string = procurementId;
  const workflowId = procurementWorkflowId(id);
  await settle(client, async () => [workflowId]);

  const handle = client.workflow.getHandle(workflowId);
  const state: ProcurementState = (await handle.describe()).status.name === 'COMPLETED' ? ((await handle.result()) as ProcurementState) : await procurementState(client, id);
  if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('fin de la simulation');
  const procurement = await db.procurement.findUniqueOrThrow({ where: { id } });
  const validated = await db.hoursDeclaration.groupBy({ by: ['month'], where: { procurementId: id, status: 'VALIDEE' }, _sum: { hours: true } });
  const messages = await db.message.findMany({ where: { idempotencyKey: { startsWith: `marche/${id}/` } }, orderBy: [{ decidedAt: 'asc' }, { idempotencyKey: 'asc' }] });
  const alertMessages = messages.filter((m) => m.template === 'marche.pace');
  const document = (await loadProcurementBilan(db, config.clauses, id, new Date(instantOfDay(scenario.until) + offset * DAY_MS)))!;
  return {
    workflowId,
    marche: { reference: procurement.externalId, start, end, clauseHours: procurement.plannedHours, status: procurement.status, closedDay: state.closedOn ? daysBetween(scenario.start, state.closedOn) : null },
    months: months.map((month) => ({
      month,
      status: state.months[month]?.status ?? 'waiting',
      requests: state.months[month]?.requests ?? 0,
      validatedHours: validated.find((v) => v.month === month)?._sum.hours ?? 0,
      pace: state.months[month]?.pace ?? null,
    })),
    alerts: state.alerts.map((a, i) => {
      // The alert's own message (its key names the month and the alert's rank).
      const message = alertMessages.find((m) => m.idempotencyKey === `marche/${id}/${a.month}/pace/${i + 1}`);
      return { ...a, day: message?.decidedAt ? dayOf(message.decidedAt) : null };
    }),
    messages: messages.map((m) => ({ template: m.template, to: m.recipient === PROCUREMENT_SIM.contact ? 'entreprise' : 'facilitation', day: dayOf(m.decidedAt ?? m.createdAt), status: m.status })),
    bilan: document.bilan,
    errors,
  };
}
