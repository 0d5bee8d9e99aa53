/** What the CLI's command groups share: exit codes, reading files and options, services, output. */
import { readFileSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../config/index.ts';
import { coordinationAddress, openServices, type Services } from '../main/services.ts';
import { formatFrenchDate, parseCalendarDate, type CalendarDate } from '../domain/dates.ts';
import { STAGE_LABELS, TASK_TITLES } from '../domain/tasks.ts';
import type { PathwayState } from '../../workflows/pathway-messages.ts';
import { mayDo, REFUSED, sameAddress, type StaffAction } from '../domain/permissions.ts';
import { mayOpenFile } from '../participants/file-access.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { plieConfigFor } from '../plies/registry.ts';
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
 * deployment's operator at the server's shell, the PLIE's coordination address is the coordination;
 * anyone else must be an active member of the PLIE's staff whose roles allow the action (a
 * facilitator the PLIE's configuration still names counts as one).
 */
export async function checkPar(services: Services, cfg: AppConfig, plie: PlieConfig, par: string, action: StaffAction): Promise<void> {
  if (par === 'cli' || sameAddress(par, coordinationAddress(plie, cfg))) return;
  const staff = await staffByEmail(services.db, plie.code, par);
  const listed = plie.clauses.facilitators.some((f) => sameAddress(f, par)) ? ['FACILITATEUR'] : [];
  if (!staff && listed.length === 0) throw new CliFailure(`--par ${par.trim()} : aucun membre actif du personnel du PLIE ${plie.code} à cette adresse.`, 1);
  const roles = [...new Set([...(staff?.roles ?? []), ...listed])];
  if (!mayDo({ roles }, action, plie)) throw new CliFailure(`${REFUSED[action]} (${par.trim()} : ${roles.join(', ')})`, 1);
}

/**
 * The PLIE a command works on (`--plie`, else this deployment's; an unknown code is refused in
 * French), once the person `--par` names may do the action there.
 */
export async function plieActedOn(services: Services, cfg: AppConfig, opts: { plie?: string; par?: string }, action: StaffAction): Promise<PlieConfig> {
  const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
  await checkPar(services, cfg, plie, opts.par ?? 'cli', action);
  return plie;
}

/**
 * Checks that the person `--par` names may open this participant's file: the operator (`cli`), the
 * PLIE's coordination, or the referent holding the pathway; anyone else is told, as by the API,
 * that there is no such pathway.
 */
export async function checkFileReader(services: Services, cfg: AppConfig, participantId: string, par: string): Promise<void> {
  if (par === 'cli') return;
  const participant = await services.db.participant.findUnique({ where: { id: participantId }, select: { plieCode: true } });
  const unknown = new CliFailure('Aucun parcours pour ce participant.', 1);
  if (!participant) throw unknown;
  const plie = await plieConfigFor(services.db, cfg.env, participant.plieCode);
  if (sameAddress(par, coordinationAddress(plie, cfg))) return;
  const staff = await staffByEmail(services.db, plie.code, par);
  if (!staff || !(await mayOpenFile(services.db, participantId, { email: par, roles: staff.roles }))) throw unknown;
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
