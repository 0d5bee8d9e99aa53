/** `plie staff …`: the staff, their roles and Slack accounts. */
import type { Command } from 'commander';
import { loadPlieConfig } from '../../config/plie.ts';
import { coordinatorsOf } from '../../staff/directory.ts';
import { staffInputSchema, upsertStaff } from '../../staff/register.ts';
import { announceCoordinators } from '../../staff/roster.ts';
import { CliFailure, withServices } from '../shared.ts';

export function registerStaffCommands(program: Command): void {
  const staff = program.command('staff').description('Le personnel du PLIE : rôles et compte Slack.');
  staff
    .command('add')
    .description('Ajoute (ou met à jour) un membre du personnel. Son compte Slack est aussi relié tout seul, par son adresse, à sa première action.')
    .requiredOption('--email <adresse>', 'adresse email professionnelle (la même que dans Slack)')
    .requiredOption('--nom <nom>', 'prénom et nom, tels qu’ils s’affichent dans les messages')
    .requiredOption('--roles <rôles>', 'COORDINATEUR, REFERENT, FACILITATEUR, MEMBRE_COMMISSION (séparés par des virgules)')
    .option('--slack <id>', 'identifiant de membre Slack (U…)')
    .option('--par <email>', 'qui fait l’ajout (journal d’audit)', 'cli')
    .action(async (opts: { email: string; nom: string; roles: string; slack?: string; par: string }) => {
      const input = { email: opts.email, name: opts.nom, roles: opts.roles.split(',').map((r) => r.trim().toUpperCase()).filter(Boolean), ...(opts.slack ? { slackUserId: opts.slack } : {}) };
      // Checked before connecting: a typo is said at once, without waiting for the servers.
      const check = staffInputSchema.safeParse(input);
      if (!check.success) throw new CliFailure(`Données invalides :\n${check.error.issues.map((i) => `  - ${i.message}`).join('\n')}`, 2);
      await withServices(async (services, cfg) => {
        const plieCode = loadPlieConfig(cfg.env).code;
        const before = (await coordinatorsOf(services.db, plieCode)).join();
        const saved = await upsertStaff(services.db, plieCode, input, opts.par);
        console.log(`${saved.name} <${saved.email}> : ${saved.roles.join(', ')}${saved.slackUserId ? ` (Slack ${saved.slackUserId})` : ''}.`);
        // The coordination changed: running pathways judge who may act with the new list.
        if ((await coordinatorsOf(services.db, plieCode)).join() !== before) {
          const told = await announceCoordinators(services.db, services.temporal, plieCode);
          console.log(`Coordination mise à jour dans ${told} parcours en cours.`);
        }
      });
    });
  staff
    .command('list')
    .description('Liste le personnel actif.')
    .action(async () => {
      await withServices(async (services, cfg) => {
        const all = await services.db.staff.findMany({ where: { plieCode: loadPlieConfig(cfg.env).code, active: true }, orderBy: { name: 'asc' } });
        console.log(all.length ? all.map((s) => `${s.name} <${s.email}>  ${s.roles.join(', ')}${s.slackUserId ? `  Slack ${s.slackUserId}` : ''}`).join('\n') : 'Personne : ajoutez le personnel avec plie staff add.');
      });
    });
}
