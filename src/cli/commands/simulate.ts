/** `plie simulate`: a scenario played on the time-skipping server. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { createLogger } from '../../logging.ts';
import { simulateFile } from '../../simulator/simulate-file.ts';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Joue un scénario de parcours (jours simulés en quelques secondes) et affiche en JSON ce que le système a fait.')
    .argument('<scenario.json>', 'le scénario (voir le README, « Simulateur »)')
    .option('--out <fichier>', 'écrire le résultat dans ce fichier plutôt qu’à l’écran')
    .action(async (file: string, opts: { out?: string }) => {
      // The result goes to standard output: logs, if any, to standard error.
      const logger = createLogger(process.env.LOG_LEVEL ?? 'error', 'plie', true);
      const result = await simulateFile(file, logger);
      const json = `${JSON.stringify(result, null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, json);
      else process.stdout.write(json);
    });
}
