/** `plie config …`: the PLIE served by this deployment. */
import type { Command } from 'commander';
import { loadPlieConfig } from '../../config/plie.ts';
import { listPlies, registerPlie } from '../../plies/registry.ts';
import { readJsonFile, withServices } from '../shared.ts';

export function registerPlieCommands(program: Command): void {
  const plies = program.command('config').description('Les PLIE servis par ce déploiement et leur configuration.');
  plies
    .command('register')
    .description('Enregistre (ou met à jour) un PLIE et sa configuration, depuis un fichier JSON validé.')
    .requiredOption('--file <fichier>', 'configuration du PLIE (même forme que PLIE_CONFIG_FILE)')
    .action(async (opts: { file: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services) => {
        const plie = await registerPlie(services.db, raw);
        console.log(`PLIE ${plie.code} enregistré : ${plie.name} (${plie.territory.communes.length} communes).`);
      });
    });
  plies
    .command('list')
    .description('Liste les PLIE enregistrés.')
    .action(async () => {
      await withServices(async (services, cfg) => {
        const own = loadPlieConfig(cfg.env);
        const registered = await listPlies(services.db);
        const lines = registered.map((p) => `${p.code}  ${p.name}${p.code === own.code ? '  (ce déploiement)' : ''}`);
        if (!registered.some((p) => p.code === own.code)) lines.unshift(`${own.code}  ${own.name}  (ce déploiement, configuration par défaut)`);
        console.log(lines.join('\n'));
      });
    });
}
