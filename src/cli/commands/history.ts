/** `plie import` and `plie report`: the PLIE's history and its bilan. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { plieConfigFor } from '../../plies/registry.ts';
import { importHistory } from '../../import/import-history.ts';
import { startImportedPathways } from '../../import/start-pathways.ts';
import { queryReport } from '../../report/report-queries.ts';
import { renderHtml, renderMarkdown, renderXlsx } from '../../report/render.ts';
import { createLogger } from '../../logging.ts';
import { pathwayDeps } from '../../main/services.ts';
import { CliFailure, periodOf, plieActedOn, withServices, print } from '../shared.ts';

export function registerHistoryCommands(program: Command): void {
  program
    .command('import')
    .description('Importe l’historique d’un PLIE depuis des fichiers CSV (tout ou rien).')
    .requiredOption('--dir <dossier>', 'dossier des fichiers participants.csv, etapes.csv, contrats.csv, sorties.csv, marches.csv, clauses_contrats.csv')
    .option('--records-only', 'enregistrer seulement, sans démarrer les parcours en cours')
    .option('--plie <code>', 'PLIE destinataire (par défaut celui de ce déploiement)')
    .option('--json', 'résultat en JSON')
    .action(async (opts: { dir: string; recordsOnly?: boolean; plie?: string; json?: boolean }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
        const result = await importHistory(services.db, opts.dir, { plieCode: plie.code, actor: process.env.USER ?? 'cli' });
        const started =
          result.ok && !opts.recordsOnly
            ? await startImportedPathways(pathwayDeps(cfg, services.db, services.temporal, createLogger('warn'), plie), plie.code)
            : undefined;
        const describe = (e: { file: string; line: number; column: string | null; message: string }) =>
          `  ${e.file}${e.line ? `, ligne ${e.line}` : ''}${e.column ? `, colonne ${e.column}` : ''} : ${e.message}`;
        const text = result.ok
          ? [
              `Import terminé (${plie.name}) : ${Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`,
              ...(result.warnings.length ? ['À vérifier :', ...result.warnings.map(describe)] : []),
              ...(started
                ? [
                    `Parcours en cours démarrés : ${started.started} (déjà démarrés : ${started.alreadyRunning}, dont ${started.referentsGiven} confiés à la ou au référent·e que nomme le fichier ; orientés sans intégration ni sortie, non démarrés : ${started.notIntegrated}).`,
                  ]
                : []),
            ].join('\n')
          : ['Import refusé, rien n’a été enregistré :', ...result.errors.map(describe)].join('\n');
        print(opts.json, { ...result, started }, text);
        if (!result.ok) throw new CliFailure('', 1);
      });
    });

  program
    .command('report')
    .description('Calcule le bilan (évaluation) d’une période.')
    .requiredOption('--from <AAAA-MM-JJ>', 'premier jour de la période')
    .requiredOption('--to <AAAA-MM-JJ>', 'dernier jour de la période')
    .option('--format <format>', 'json, md, html ou xlsx', 'json')
    .option('--out <fichier>', 'écrire dans ce fichier (obligatoire pour xlsx)')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .option('--par <email>', 'qui consulte : la coordination', 'cli')
    .action(async (opts: { from: string; to: string; format: string; out?: string; plie?: string; par: string }) => {
      const { from, to } = periodOf(opts);
      if (!['json', 'md', 'html', 'xlsx'].includes(opts.format)) throw new CliFailure('Format inconnu : json, md, html ou xlsx.', 2);
      if (opts.format === 'xlsx' && !opts.out) throw new CliFailure('Le format xlsx s’écrit dans un fichier : ajoutez --out bilan.xlsx.', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'readBilan');
        const report = await queryReport(services.db, plie.code, plie, { from, to });
        const output =
          opts.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : opts.format === 'md'
              ? renderMarkdown(report)
              : opts.format === 'html'
                ? renderHtml(report)
                : await renderXlsx(report);
        if (opts.out) {
          writeFileSync(opts.out, output);
          console.log(`Bilan écrit dans ${opts.out}`);
        } else {
          process.stdout.write(output);
        }
      });
    });
}
