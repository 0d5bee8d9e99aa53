/**
 * Benchmark: imports a generated history of N participants (default 5 000, with their steps,
 * contracts, exits, and clause contracts) into a throwaway PostgreSQL, then computes the report.
 *
 *   npm run bench:import -- [N]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../src/db/client.ts';
import { formatFrenchDate, addDays } from '../src/domain/dates.ts';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import { importHistory } from '../src/import/import-history.ts';
import { migrateDatabase } from '../src/infra/migrate.ts';
import { freePort } from '../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { createLogger } from '../src/logging.ts';
import { queryReport } from '../src/report/report-queries.ts';

const count = Number(process.argv[2] ?? 5000);
const logger = createLogger('warn');
const scratch = makeScratchDir('plie-bench-');
const dir = path.join(scratch, 'csv');
mkdirSync(dir);

// A small deterministic generator, so that runs compare.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const day = (from: string, spread: number) => addDays(from, Math.floor(random() * spread));

const communes = CASA_CONFIG.territory.communes;
const participants = ['id;nom;prenom;sexe;date_naissance;commune;code_postal;email;niveau_qualification;minima_sociaux;deld;qpv;rqth;prescripteur;date_orientation;referent;date_integration;freins;souhaits_secteurs'];
const steps = ['participant_id;type;date_debut;date_fin;statut'];
const contracts = ['participant_id;type_contrat;employeur;secteur;date_debut;date_fin;heures_hebdo;iae;aide;secteur_marchand'];
const exits = ['participant_id;date_sortie;type_sortie;nature;cdi;justificatifs;motif'];
for (let i = 1; i <= count; i++) {
  const id = `B${String(i).padStart(6, '0')}`;
  const commune = pick(communes);
  const oriented = day('2015-09-01', 1700);
  const integrated = random() < 0.6 ? addDays(oriented, 20) : null;
  participants.push(
    [id, `Nom${i}`, `Prénom${i}`, pick(['F', 'M']), formatFrenchDate(day('1960-01-01', 12000)), commune.name, commune.postalCodes[0], `p${i}@exemple.fr`, pick(['1', '2', '3', '4', '5']), pick(['RSA', 'ASS', 'aucun']), pick(['oui', 'non']), pick(['oui', 'non']), 'non', pick(['CD06', 'FRANCE_TRAVAIL', 'SPONTANE', 'CCAS']), formatFrenchDate(oriented), 'Référente', integrated ? formatFrenchDate(integrated) : '', pick(['MOBILITE', 'PARCOURS_PRO|NUMERIQUE', 'SANTE', '']), pick(['vente', 'nettoyage de locaux', ''])].join(';'),
  );
  if (!integrated) continue;
  for (let s = 0; s < 4; s++) {
    const start = addDays(integrated, s * 40);
    steps.push([id, pick(['RECHERCHE_EMPLOI', 'PROJET_PRO', 'ATELIER', 'FORMATION']), formatFrenchDate(start), formatFrenchDate(addDays(start, 30)), 'REALISEE'].join(';'));
  }
  if (random() < 0.5) {
    const start = addDays(integrated, 120);
    contracts.push([id, pick(['CDD', 'INTERIM', 'CDI', 'CDDI']), 'Employeur', 'vente', formatFrenchDate(start), formatFrenchDate(addDays(start, 180)), '24', pick(['oui', 'non']), 'non', 'oui'].join(';'));
  }
  if (random() < 0.5) {
    const positive = random() < 0.45;
    exits.push([id, formatFrenchDate(addDays(integrated, 400)), positive ? 'POSITIVE' : 'ABANDON', positive ? 'EMPLOI' : '', positive ? pick(['oui', 'non']) : 'non', 'oui', ''].join(';'));
  }
}
writeFileSync(path.join(dir, 'participants.csv'), participants.join('\n'));
writeFileSync(path.join(dir, 'etapes.csv'), steps.join('\n'));
writeFileSync(path.join(dir, 'contrats.csv'), contracts.join('\n'));
writeFileSync(path.join(dir, 'sorties.csv'), exits.join('\n'));

const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger });
const db = createDb(pg.url);
try {
  await migrateDatabase(pg.url, logger);
  const t0 = performance.now();
  const result = await importHistory(db, dir, { plieCode: 'BENCH', actor: 'bench' });
  const t1 = performance.now();
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 5)));
  const again = await importHistory(db, dir, { plieCode: 'BENCH', actor: 'bench' });
  const t2 = performance.now();
  const report = await queryReport(db, 'BENCH', CASA_CONFIG, { from: '2015-07-01', to: '2020-06-30' });
  const t3 = performance.now();
  console.log(
    [
      `participants ${count}, étapes ${steps.length - 1}, contrats ${contracts.length - 1}, sorties ${exits.length - 1}`,
      `import : ${((t1 - t0) / 1000).toFixed(1)} s ; second import (identique) : ${((t2 - t1) / 1000).toFixed(1)} s ${again.ok ? '' : '(échec)'}`,
      `bilan (agrégats SQL) : ${((t3 - t2) / 1000).toFixed(2)} s ; intégrés sur la période : ${report.public.integrated}`,
    ].join('\n'),
  );
  // npm run bench reads the figures from this file.
  if (process.env.PLIE_BENCH_JSON) {
    const seconds = (ms: number) => Math.round(ms / 10) / 100;
    writeFileSync(process.env.PLIE_BENCH_JSON, JSON.stringify({ participants: count, steps: steps.length - 1, contracts: contracts.length - 1, exits: exits.length - 1, importSeconds: seconds(t1 - t0), reimportSeconds: seconds(t2 - t1), bilanSeconds: seconds(t3 - t2) }));
  }
} finally {
  await db.$disconnect();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
