/** `plie fse export`: the FSE+ common output indicators of the participants who entered in a period. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { fseRows, renderFseCsv, renderFseXlsx } from '../../report/fse-export.ts';
import { CliFailure, periodOf, plieActedOn, withServices } from '../shared.ts';

export function registerFseCommands(program: Command): void {
  const fse = program.command('fse').description('Indicateurs FSE+.');
  fse
    .command('export')
    .description('Indicateurs communs de réalisation FSE+ à l’entrée, par participant entré dans la période et au total (par genre).')
    .requiredOption('--from <AAAA-MM-JJ>', 'premier jour de la période (date d’entrée)')
    .requiredOption('--to <AAAA-MM-JJ>', 'dernier jour de la période')
    .option('--format <format>', 'csv ou xlsx', 'csv')
    .option('--out <fichier>', 'écrire dans ce fichier (obligatoire pour xlsx)')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .option('--par <email>', 'qui consulte : la coordination', 'cli')
    .action(async (opts: { from: string; to: string; format: string; out?: string; plie?: string; par: string }) => {
      const period = periodOf(opts);
      if (!['csv', 'xlsx'].includes(opts.format)) throw new CliFailure('Format inconnu : csv ou xlsx.', 2);
      if (opts.format === 'xlsx' && !opts.out) throw new CliFailure('Le format xlsx s’écrit dans un fichier : ajoutez --out fse.xlsx.', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'readBilan');
        const rows = await fseRows(services.db, plie.code, period);
        const output = opts.format === 'csv' ? renderFseCsv(rows) : await renderFseXlsx(rows);
        if (!opts.out) {
          process.stdout.write(output);
          return;
        }
        writeFileSync(opts.out, output);
        console.log(`Indicateurs FSE+ de ${rows.length} participant·e(s) écrits dans ${opts.out}`);
      });
    });
}
