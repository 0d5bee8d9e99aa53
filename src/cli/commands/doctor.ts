/** `plie doctor`: what is reachable. */
import type { Command } from 'commander';
import { formatChecks, runDoctor } from '../doctor.ts';
import { CliFailure, config, print } from '../shared.ts';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Vérifie ce qui est joignable : Temporal, base de données, SMTP, Slack.')
    .option('--json', 'résultat en JSON')
    .action(async (opts: { json?: boolean }) => {
      const checks = await runDoctor(config());
      print(opts.json, checks, formatChecks(checks));
      if (!checks.every((c) => c.ok || !c.required)) throw new CliFailure('', 1);
    });
}
