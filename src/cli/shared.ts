/** What the CLI's command groups share: exit codes, reading files and options, services, output. */
import { readFileSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../config/index.ts';
import { openServices, type Services } from '../main/services.ts';
import { formatFrenchDate, parseCalendarDate, type CalendarDate } from '../domain/dates.ts';
import { STAGE_LABELS, TASK_TITLES } from '../domain/tasks.ts';
import type { PathwayState } from '../../workflows/pathway-messages.ts';
import { mayDo, REFUSED, type StaffAction } from '../domain/permissions.ts';
import { staffByEmail } from '../staff/directory.ts';


/** Exit codes: 0 done, 1 refused or unreachable, 2 bad usage or configuration. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Checks the person `--par` names, by the one permission rule: `cli` (the default) is the
 * deployment's operator at the server's shell, the coordination's address is the coordination;
 * anyone else must be an active member of the PLIE's staff whose roles allow the action.
 */
export async function checkPar(services: Services, cfg: AppConfig, plieCode: string, par: string, action: StaffAction): Promise<void> {
  if (par === 'cli' || par.trim().toLowerCase() === cfg.env.PLIE_COORDINATOR_EMAIL.toLowerCase()) return;
  const staff = await staffByEmail(services.db, plieCode, par);
  if (!staff) throw new CliFailure(`--par ${par.trim()} : aucun membre actif du personnel du PLIE ${plieCode} à cette adresse.`, 1);
  if (!mayDo(staff, action)) throw new CliFailure(`${REFUSED[action]} (${par.trim()} : ${staff.roles.join(', ')})`, 1);
}

export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliFailure(`Fichier illisible (${file}) : ${(error as Error).message}`, 2);
  }
}

export function config(): AppConfig {
  return loadConfig();
}

export async function withServices<T>(work: (services: Services, config: AppConfig) => Promise<T>): Promise<T> {
  const cfg = config();
  const services = await openServices(cfg, { smtp: false });
  try {
    return await work(services, cfg);
  } finally {
    await services.close();
  }
}

export function parseJsonOption(option: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliFailure(`${option} : JSON invalide.`, 2);
  }
}

export function print(json: boolean | undefined, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

/** A pathway as staff read it: stage, referent, entry and open tasks. */
export function describeState(state: PathwayState): string {
  const lines = [
    `Participant : ${state.participantId}`,
    `Étape       : ${STAGE_LABELS[state.stage]}`,
    ...(state.referentEmail ? [`Référent·e  : ${state.referentEmail}`] : []),
    ...(state.entryDate ? [`Entrée      : ${formatFrenchDate(state.entryDate)}`] : []),
  ];
  if (state.openTasks.length === 0) lines.push('Tâches      : aucune en attente');
  for (const task of state.openTasks) {
    const flags = [task.reminded && 'relancée', task.escalated && 'signalée à la coordination'].filter(Boolean);
    lines.push(
      `Tâche       : ${TASK_TITLES[task.kind]} — ${task.assigneeEmail ?? 'la personne accompagnée'}, échéance ${formatFrenchDate(task.dueDate)}${flags.length ? ` (${flags.join(', ')})` : ''}`,
      `              id ${task.id}`,
    );
  }
  return lines.join('\n');
}

/** The period of `--from` and `--to` (AAAA-MM-JJ or JJ/MM/AAAA), refused with exit code 2 when unreadable or reversed. */
export function periodOf(opts: { from: string; to: string }): { from: CalendarDate; to: CalendarDate } {
  const from = parseCalendarDate(opts.from);
  const to = parseCalendarDate(opts.to);
  if (!from || !to || from > to) throw new CliFailure('Période invalide : --from et --to attendus en AAAA-MM-JJ (ou JJ/MM/AAAA), --from avant --to.', 2);
  return { from, to };
}
