/**
 * What a PLIE's coordination should fix in its configuration or roster before it bites: a protocol
 * over or never given (referrals are then flagged, never refused), a commission ad hoc without
 * members (its cases then go to the coordination). Said by `npm start`, `plie doctor` and the
 * coordination's App Home.
 */
import type { Db } from '../db/client.ts';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { configuredProtocols, type PlieConfig } from '../domain/plie-config.ts';
import { commissionMembersOf } from '../staff/directory.ts';

export function plieWarnings(config: PlieConfig, today: CalendarDate, roster: { commissionMembers: number; deploymentPlie?: string }): string[] {
  const warnings: string[] = [];
  const protocols = configuredProtocols(config);
  const covering = protocols.find((p) => p.from <= today && today <= p.to);
  const lastEnd = protocols.map((p) => p.to).sort().at(-1);
  if (protocols.length === 0) {
    warnings.push('aucun protocole configuré (protocol.from, protocol.to) : chaque orientation est signalée à la coordination.');
  } else if (!covering && lastEnd !== undefined && lastEnd < today) {
    warnings.push(`le protocole a pris fin le ${formatFrenchDate(lastEnd)} : renseignez l’avenant (protocol.to) ou le nouveau protocole ; d’ici là, chaque orientation est signalée à la coordination.`);
  } else if (!covering) {
    warnings.push('aucun protocole configuré ne couvre la date du jour : chaque orientation est signalée à la coordination.');
  }
  if (roster.commissionMembers === 0) {
    warnings.push('la commission ad hoc n’a aucun membre (rôle MEMBRE_COMMISSION, ou commission.members de la configuration) : ses cas iront à la coordination.');
  }
  if (roster.deploymentPlie && roster.deploymentPlie !== config.code && !config.coordinationEmail) {
    warnings.push(`aucune adresse de coordination propre (coordinationEmail) : les tâches de sa coordination iraient à celle du PLIE ${roster.deploymentPlie}.`);
  }
  return warnings;
}

/** The warnings of one PLIE, with its live roster (and, when known, the deployment's own PLIE). */
export async function plieWarningsFor(db: Db, config: PlieConfig, today: CalendarDate, deploymentPlie?: string): Promise<string[]> {
  const members = await commissionMembersOf(db, config);
  return plieWarnings(config, today, { commissionMembers: members.length, ...(deploymentPlie ? { deploymentPlie } : {}) });
}
