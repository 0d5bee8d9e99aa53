/**
 * Fault injection: a population of pathways driven from referral to the FSE+ questionnaire on the
 * time-skipping server, with the worker killed (-9) again and again, PostgreSQL stopped mid-load,
 * the mail server down for an hour of workflow time and Slack answering 429/5xx in storms; then
 * what was lost, stuck, diverging, done twice or never delivered.
 *
 *   npm run chaos -- [--quick] [--no-faults] [--pathways N] [--kills K] [--seed S] [--out fichier.json] [--keep]
 *
 * Exit code 1 when any fault is counted. Results: chaos-results/results.json (or --out).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/infra/project.ts';
import { faultCount, formatReport } from './chaos/report.ts';
import { randomSeed } from './chaos/rng.ts';
import { runChaos, type ChaosOptions } from './chaos/run.ts';

function options(): ChaosOptions {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'no-faults': { type: 'boolean', default: false },
      pathways: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const count = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} : un nombre entier (${min} au moins) est attendu`);
    return n;
  };
  const quick = values.quick;
  return {
    quick,
    faults: !values['no-faults'],
    pathways: count('pathways', values.pathways, quick ? 6 : 16, 1),
    kills: count('kills', values.kills, quick ? 10 : 100, 0),
    seed: count('seed', values.seed, randomSeed(), 0),
    out: path.resolve(values.out ?? path.join(projectRoot, 'chaos-results', 'results.json')),
    keep: values.keep,
  };
}

let opts: ChaosOptions;
try {
  opts = options();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
console.log(`Harnais de pannes — graine ${opts.seed} (rejouer : --seed ${opts.seed})`);
try {
  const results = await runChaos(opts, (line) => console.log(line));
  for (const line of formatReport(results)) console.log(line);
  console.log(`Résultats : ${opts.out}`);
  process.exit(faultCount(results) === 0 ? 0 : 1);
} catch (error) {
  console.error(`Le harnais s’est arrêté : ${(error as Error).stack ?? String(error)}`);
  process.exit(2);
}
