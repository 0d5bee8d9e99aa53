/**
 * `npm run bench`: every figure beside its bare baseline, measured in the same run on the same
 * machine, as a ratio. Writes bench/results.json and prints a table. Not part of npm test.
 *
 *   npm run bench                 # 2 000 idle pathways, 300 driven (and 100 through Slack), 300 clicks, 100 000 imported
 *   npm run bench -- --quick      # a few minutes: 300 idle, 60 driven (20 through Slack), 100 clicks, 20 000 imported
 *   npm run bench -- --only memory,slack,pathways,import,console,simulator
 *   npm run bench -- --idle 10000 --pathways 1000    # the sizes the goals name (about an hour today)
 *   PLIE_BENCH_PROFILE=<folder> npm run bench …      # a CPU profile of each process and thread
 *   npm run bench -- --heap-snapshot                 # a heap snapshot of the worker, pathways idle
 *   npm run bench -- --workflow-cache 20             # the worker's PLIE_WORKFLOW_CACHE (100 by default)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../src/config/index.ts';
import { freePort } from '../src/infra/ports.ts';
import { projectRoot } from '../src/infra/project.ts';
import { createLogger } from '../src/logging.ts';
import { loadPlieConfig } from '../src/config/plie.ts';
import { dataConverter } from '../src/temporal/connection.ts';
import { quietBundlerLogger } from '../src/temporal/bundler-logger.ts';
import { installTemporalRuntime } from '../src/temporal/runtime.ts';
import { COORDINATION, STAFF } from './chaos/population.ts';
import { createRng } from './chaos/rng.ts';
import { startIdleBare, startIdlePathways, waitIdle } from './bench/memory.ts';
import { benchPathways, type PathwayFigures } from './bench/pathways.ts';
import type { SimulatorFigures } from './bench/simulator.ts';
import { benchSlackAck, type SlackAckFigures } from './bench/slack-ack.ts';
import { startProcess, startStack, type BenchProcess, type Memory } from './bench/stack.ts';
import { ratio } from './bench/stats.ts';

const SECTIONS = ['memory', 'slack', 'pathways', 'import', 'console', 'simulator'] as const;
type Section = (typeof SECTIONS)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = path.resolve(valueOf('--out') ?? path.join(projectRoot, 'bench', 'results.json'));
const only = valueOf('--only')?.split(',') ?? [...SECTIONS];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`Partie inconnue : ${unknown.join(', ')} (au choix : ${SECTIONS.join(', ')})`);
  process.exit(2);
}
const wanted = (s: Section) => only.includes(s);
const sizes = quick
  ? { idle: 300, pathways: 60, slackPathways: 20, clicks: 100, imported: 20_000, consoleParticipants: 2_000, consoleRounds: 20 }
  : // Starting pathways goes at about 7 a second today: 10 000 idle and 1 000 driven would take an hour.
    { idle: 2_000, pathways: 300, slackPathways: 100, clicks: 300, imported: 100_000, consoleParticipants: 10_000, consoleRounds: 40 };
if (valueOf('--idle')) sizes.idle = Number(valueOf('--idle'));
if (valueOf('--pathways')) {
  sizes.pathways = Number(valueOf('--pathways'));
  sizes.slackPathways = Math.ceil(sizes.pathways / 3);
}
/** --heap-snapshot: a heap snapshot of the worker once its pathways are idle (in bench/logs/). */
const heapSnapshot = args.includes('--heap-snapshot');
/** --workflow-cache N: the pathways the worker keeps in memory (its share of the worker's memory). */
const workflowCache = valueOf('--workflow-cache');

interface Results {
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; node: string };
  sizes: typeof sizes;
  /** The worker's PLIE_WORKFLOW_CACHE, when --workflow-cache set it. */
  workflowCache?: number;
  seconds: number;
  memory?: { idlePathways: number; idle: { worker: Memory; bareWorker: Memory; web: Memory; startSeconds: number }; afterDriving?: { pathways: number; worker: Memory; bareWorker: Memory; web: Memory } };
  slack?: SlackAckFigures;
  pathways?: PathwayFigures;
  /** The same pathways answered through Slack (clicks and forms) rather than the API. */
  pathwaysSlack?: PathwayFigures;
  import?: { participants: number; importSeconds: number; reimportSeconds: number; bilanSeconds: number };
  console?: { participants: number; rounds: number; pages: Array<{ page: string; p50Ms: number; p95Ms: number; bareP50Ms: number; ratio: number }> };
  simulator?: SimulatorFigures;
  goals: Array<{ what: string; value: number; goal: string; met: boolean }>;
}

const logger = createLogger('warn', 'bench');
installTemporalRuntime(logger);
const started = Date.now();
const results: Results = {
  startedAt: new Date(started).toISOString(),
  quick,
  machine: { cpus: os.cpus().length, node: process.version },
  sizes,
  ...(workflowCache ? { workflowCache: Number(workflowCache) } : {}),
  seconds: 0,
  goals: [],
};
const say = (line: string) => console.log(line);
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(0)} s`;

/** What to stop if the run is interrupted (Ctrl-C): its servers and processes must not outlive it. */
let cleanup: (() => Promise<void>) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say('Interrompu : arrêt des serveurs et des processus…');
    void (cleanup ?? (async () => undefined))().finally(() => process.exit(130));
  });
}

/** Written after each part: a part that fails leaves the others' figures. */
function save(): void {
  results.seconds = Math.round((Date.now() - started) / 1000);
  results.goals = goals(results);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

if (wanted('memory') || wanted('slack') || wanted('pathways')) {
  try {
    await liveSections();
  } finally {
    save();
  }
}
if (wanted('import')) {
  const t = Date.now();
  say(`Import et bilan de ${sizes.imported} participants…`);
  results.import = await childBench('bench-import.ts', [String(sizes.imported)]);
  save();
  say(`  ${since(t)}`);
}
if (wanted('console')) {
  const t = Date.now();
  say(`Pages de l’espace des équipes sur ${sizes.consoleParticipants} participants…`);
  results.console = await childBench('bench-console.ts', [String(sizes.consoleParticipants), String(sizes.consoleRounds)]);
  save();
  say(`  ${since(t)}`);
}
if (wanted('simulator')) {
  const t = Date.now();
  say('Simulateur…');
  results.simulator = await childBench('bench/simulator-child.ts', quick ? ['--quick'] : []);
  say(`  ${since(t)}`);
}
save();
say('');
say(table(results));
say(`\nRésultats : ${path.relative(process.cwd(), out)} (${results.seconds} s)`);
process.exit(0);

/** The sections that need the application running: its web and worker processes, and the bare ones. */
async function liveSections(): Promise<void> {
  const t0 = Date.now();
  say('Serveurs (PostgreSQL, Temporal, SMTP, Slack) et processus (web, worker, références nues)…');
  const stack = await startStack(logger);
  const processes: BenchProcess[] = [];
  cleanup = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await stack.close();
  };
  try {
    const webPort = await freePort();
    const barePort = await freePort();
    // Kept after the run (bench/logs/, not versioned): what each process said.
    const logs = (name: string) => path.join(projectRoot, 'bench', 'logs', `${name}.log`);
    mkdirSync(path.join(projectRoot, 'bench', 'logs'), { recursive: true });
    const bareQueue = 'bench-nu';
    const bareBundle = path.join(stack.scratch, 'bare-bundle.js');
    writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: path.join(projectRoot, 'scripts', 'bench', 'bare-workflow.ts'), logger: quietBundlerLogger })).code);
    const envApp = { ...stack.env, LOG_LEVEL: 'info', ...(workflowCache ? { PLIE_WORKFLOW_CACHE: workflowCache } : {}) };
    const envWorker = heapSnapshot ? { ...envApp, NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR1 --diagnostic-dir=${path.join(projectRoot, 'bench', 'logs')}` } : envApp;
    // Each one kept as soon as it is up, so that a failure of another stops it too.
    const up = async (...spec: Parameters<typeof startProcess>) => {
      const started = await startProcess(...spec);
      processes.push(started);
      return started;
    };
    const starting = await Promise.allSettled([
      up('worker', 'src/main/worker.ts', envWorker, 'worker Temporal démarré', logs('worker')),
      up('web', 'src/main/web.ts', { ...envApp, PORT: String(webPort) }, 'application web à l’écoute', logs('web')),
      up('worker-nu', 'scripts/bench/bare-worker.ts', { PATH: stack.env.PATH!, TEMPORAL_ADDRESS: stack.temporalAddress, BARE_TASK_QUEUE: bareQueue, BARE_BUNDLE: bareBundle }, 'BARE_WORKER_READY', logs('worker-nu')),
      up('bolt-nu', 'scripts/bench/bare-bolt.ts', { PATH: stack.env.PATH!, PORT: String(barePort), SLACK_SIGNING_SECRET: stack.env.SLACK_SIGNING_SECRET!, SLACK_BOT_TOKEN: stack.env.SLACK_BOT_TOKEN!, SLACK_API_URL: stack.env.SLACK_API_URL! }, 'BARE_BOLT_READY', logs('bolt-nu')),
    ]);
    const failed = starting.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [worker, web, bareWorker] = processes.length === 4 ? starting.map((s) => (s as PromiseFulfilledResult<BenchProcess>).value) : [];
    if (!worker || !web || !bareWorker) throw new Error('processus non démarrés');
    say(`  prêts en ${since(t0)}`);
    const config = loadConfig({ ...stack.env }, projectRoot);
    const plie = loadPlieConfig(config.env);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const appClient = new Client({ connection, dataConverter: dataConverter(config.env.PLIE_PAYLOAD_KEYS!, stack.db) });
    const bareClient = new Client({ connection });
    const api = { url: `http://127.0.0.1:${webPort}`, token: stack.env.PLIE_API_TOKEN! };
    const rng = createRng(20261202);

    if (wanted('memory')) {
      const t = Date.now();
      say(`${sizes.idle} parcours ouverts, au repos sur leurs minuteries (et autant de workflows nus)…`);
      const count = await startIdlePathways({ config, db: stack.db, client: appClient, logger, plie, count: sizes.idle, tag: 'bench' });
      await startIdleBare(bareClient, bareQueue, sizes.idle, 'bench');
      await Promise.all([waitIdle(worker.pid), waitIdle(bareWorker.pid)]);
      const startSeconds = Math.round((Date.now() - t) / 1000);
      results.memory = { idlePathways: count, idle: { worker: await worker.memory(), bareWorker: await bareWorker.memory(), web: await web.memory(), startSeconds } };
      say(`  ${since(t)} ; worker ${results.memory.idle.worker.rssMb} Mo (nu ${results.memory.idle.bareWorker.rssMb} Mo)`);
      if (heapSnapshot) {
        worker.child.kill('SIGUSR1');
        await waitIdle(worker.pid);
        say('  instantané du tas du worker écrit dans bench/logs/');
      }
    }

    if (wanted('slack')) {
      const t = Date.now();
      say(`${sizes.clicks} clics Slack signés, 10 à la fois, contre Bolt nu…`);
      const referral = await fetch(`${api.url}/api/participants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Clic', lastName: 'Banc', birthDate: '12/04/1984', email: 'clic@participants.bench.test', prescriber: 'FRANCE_TRAVAIL', commune: 'Antibes', minimumIncome: 'RSA', longTermJobSeeker: true }),
      });
      const { participantId } = (await referral.json()) as { participantId: string };
      let task = null;
      while (!task) {
        task = await stack.db.task.findFirst({ where: { pathway: { participantId }, kind: 'assign_referent', status: 'open' } });
        if (!task) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const coordinator = STAFF.find((s) => s.email === COORDINATION)!;
      results.slack = await benchSlackAck({
        appUrl: `${api.url}/slack/events`,
        bareUrl: `http://127.0.0.1:${barePort}/slack/events`,
        secret: stack.env.SLACK_SIGNING_SECRET!,
        user: coordinator.slackUserId!,
        taskId: task.id,
        clicks: sizes.clicks,
        concurrency: 10,
      });
      say(`  ${since(t)} ; p99 ${results.slack.app.p99Ms} ms (nu ${results.slack.bare.p99Ms} ms)`);
    }

    if (wanted('pathways')) {
      const t = Date.now();
      say(`${sizes.pathways} parcours menés jusqu’à l’intégration par l’API, 10 à la fois, contre un workflow nu…`);
      results.pathways = await benchPathways({ api, db: stack.db, bare: { client: bareClient, taskQueue: bareQueue }, count: sizes.pathways, concurrency: 10, rng, tag: 'bench' });
      say(`  ${since(t)} ; ${results.pathways.app.perSecond} parcours/s (nu ${results.pathways.bare.perSecond})`);
      if (results.memory) {
        await Promise.all([waitIdle(worker.pid), waitIdle(bareWorker.pid)]);
        results.memory.afterDriving = { pathways: sizes.pathways, worker: await worker.memory(), bareWorker: await bareWorker.memory(), web: await web.memory() };
      }
      const ts = Date.now();
      say(`${sizes.slackPathways} parcours menés jusqu’à l’intégration par Slack (clic, puis formulaire), 10 à la fois, contre un workflow nu…`);
      const slack = {
        url: `${api.url}/slack/events`,
        secret: stack.env.SLACK_SIGNING_SECRET!,
        api: stack.slack,
        coordinator: STAFF.find((s) => s.email === COORDINATION)!.slackUserId!,
        referents: STAFF.filter((s) => s.roles.includes('REFERENT') && s.slackUserId).map((s) => ({ email: s.email, user: s.slackUserId! })),
      };
      results.pathwaysSlack = await benchPathways({ api, slack, db: stack.db, bare: { client: bareClient, taskQueue: bareQueue }, count: sizes.slackPathways, concurrency: 10, rng, tag: 'bench-slack' });
      say(`  ${since(ts)} ; ${results.pathwaysSlack.app.perSecond} parcours/s (nu ${results.pathwaysSlack.bare.perSecond})`);
    }
    await connection.close();
  } finally {
    cleanup = null;
    await Promise.all(processes.map((p) => p.stop()));
    await stack.close();
  }
}

/** One of the standalone benchmarks (scripts/bench-*.ts), in its own process; its figures as it writes them. */
async function childBench<T>(script: string, argv: string[]): Promise<T> {
  const file = path.join(projectRoot, 'bench', 'logs', `${path.basename(script)}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', script), ...argv], { cwd: projectRoot, env: { ...process.env, PLIE_BENCH_JSON: file }, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} : code ${code}`);
  const value = JSON.parse(readFileSync(file, 'utf8')) as T;
  rmSync(file);
  return value;
}

function goals(r: Results): Results['goals'] {
  const list: Results['goals'] = [];
  if (r.slack) list.push({ what: 'Slack : accusé de réception p99 / Bolt nu', value: r.slack.p99Ratio, goal: '≤ 1,5', met: r.slack.p99Ratio <= 1.5 });
  for (const p of [r.pathways, r.pathwaysSlack]) {
    if (!p) continue;
    const via = p.via === 'slack' ? 'Slack' : 'API';
    list.push({ what: `Parcours par seconde (${via}) / workflow nu`, value: p.throughputRatio, goal: '≥ 0,67', met: p.throughputRatio >= 0.67 });
    list.push({ what: `Réponse médiane (${via}) / Update nue`, value: p.answerP50Ratio, goal: '≤ 1,5', met: p.answerP50Ratio <= 1.5 });
  }
  if (r.memory) list.push({ what: `Mémoire du worker (RSS, Mo), ${r.memory.idlePathways} parcours ouverts`, value: r.memory.idle.worker.rssMb, goal: '≤ 300', met: r.memory.idle.worker.rssMb <= 300 });
  if (r.import) {
    list.push({ what: `Bilan sur ${r.import.participants} participants (s)`, value: r.import.bilanSeconds, goal: '≤ 2', met: r.import.bilanSeconds <= 2 });
    list.push({ what: `Import de ${r.import.participants} participants (s)`, value: r.import.importSeconds, goal: '≤ 60', met: r.import.importSeconds <= 60 });
  }
  return list;
}

function table(r: Results): string {
  const rows: string[][] = [['Mesure', 'Application', 'Référence nue', 'Rapport']];
  const ms = (v: number) => `${v} ms`;
  if (r.slack) {
    rows.push([`Slack, accusé de réception p50 (${r.slack.clicks} clics, 10 à la fois)`, ms(r.slack.app.p50Ms), ms(r.slack.bare.p50Ms), String(r.slack.p50Ratio)]);
    rows.push(['Slack, accusé de réception p99', ms(r.slack.app.p99Ms), ms(r.slack.bare.p99Ms), String(r.slack.p99Ratio)]);
  }
  if (r.pathways) {
    const p = r.pathways;
    rows.push([`Parcours par seconde (API, ${p.pathways}, 10 à la fois)`, String(p.app.perSecond), String(p.bare.perSecond), String(p.throughputRatio)]);
    rows.push(['Réponse (API) / Update nue, p50', ms(p.app.answer.p50Ms), ms(p.bare.update.p50Ms), String(p.answerP50Ratio)]);
    rows.push(['Réponse (API) / Update nue, p99', ms(p.app.answer.p99Ms), ms(p.bare.update.p99Ms), String(ratio(p.app.answer.p99Ms, p.bare.update.p99Ms))]);
    rows.push(['Orientation (API) / démarrage nu, p50', ms(p.app.create.p50Ms), ms(p.bare.start.p50Ms), String(ratio(p.app.create.p50Ms, p.bare.start.p50Ms))]);
    rows.push(['Première tâche visible après l’orientation, p50', ms(p.app.taskShown.p50Ms), '—', '—']);
  }
  if (r.pathwaysSlack) {
    const p = r.pathwaysSlack;
    rows.push([`Parcours par seconde (Slack, ${p.pathways}, 10 à la fois)`, String(p.app.perSecond), String(p.bare.perSecond), String(p.throughputRatio)]);
    rows.push(['Réponse (Slack, formulaire envoyé → tâche close) / Update nue, p50', ms(p.app.answer.p50Ms), ms(p.bare.update.p50Ms), String(p.answerP50Ratio)]);
    rows.push(['Réponse (Slack) / Update nue, p99', ms(p.app.answer.p99Ms), ms(p.bare.update.p99Ms), String(ratio(p.app.answer.p99Ms, p.bare.update.p99Ms))]);
    if (p.app.formOpened) rows.push(['Formulaire Slack ouvert après le clic, p50 / p99', `${p.app.formOpened.p50Ms} / ${p.app.formOpened.p99Ms} ms`, '—', '—']);
  }
  if (r.memory) {
    const m = r.memory;
    rows.push([`Worker, RSS / tas, ${m.idlePathways} parcours au repos`, `${m.idle.worker.rssMb} / ${m.idle.worker.heapUsedMb} Mo`, `${m.idle.bareWorker.rssMb} / ${m.idle.bareWorker.heapUsedMb} Mo`, String(ratio(m.idle.worker.rssMb, m.idle.bareWorker.rssMb))]);
    if (m.afterDriving) rows.push([`Worker, RSS / tas, après ${m.afterDriving.pathways} parcours menés`, `${m.afterDriving.worker.rssMb} / ${m.afterDriving.worker.heapUsedMb} Mo`, `${m.afterDriving.bareWorker.rssMb} / ${m.afterDriving.bareWorker.heapUsedMb} Mo`, String(ratio(m.afterDriving.worker.rssMb, m.afterDriving.bareWorker.rssMb))]);
    rows.push(['Web, RSS / tas', `${m.idle.web.rssMb} / ${m.idle.web.heapUsedMb} Mo`, '—', '—']);
  }
  if (r.import) {
    rows.push([`Import de ${r.import.participants} participants (et leur historique)`, `${r.import.importSeconds} s`, '—', '—']);
    rows.push(['Bilan (agrégats SQL)', `${r.import.bilanSeconds} s`, '—', '—']);
  }
  if (r.console) for (const page of r.console.pages) rows.push([`Espace des équipes : ${page.page}, p50`, ms(page.p50Ms), ms(page.bareP50Ms), String(page.ratio)]);
  if (r.simulator) rows.push([`Simulateur, jours simulés par seconde (${r.simulator.days} jours)`, String(r.simulator.app.daysPerSecond), String(r.simulator.bare.daysPerSecond), String(r.simulator.ratio)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  const goalLines = r.goals.map((g) => `  ${g.met ? '✓' : '✗'} ${g.what} : ${g.value} (objectif ${g.goal})`);
  return [...lines, '', 'Objectifs :', ...goalLines].join('\n');
}
