/**
 * One chaos run: its own servers in a scratch folder, the worker as a separate process, a scripted
 * population driven from referral to the FSE+ questionnaire six months after the exit on the
 * time-skipping server, and the faults injected along the way (unless it is the baseline).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { addMonths, parisDate, parisInstant } from '../../src/domain/dates.ts';
import { freePort } from '../../src/infra/ports.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { createLogger } from '../../src/logging.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { installTemporalRuntime } from '../../src/temporal/runtime.ts';
import { bundleWorkflows } from '../../src/temporal/worker.ts';
import { VALID_TOKEN } from '../../test/helpers/slack-api.ts';
import { MESSAGE_SWEEP_WORKFLOW } from '../../workflows/message-sweep.ts';
import { checkRun, type Findings } from './checks.ts';
import { emptyStats, reconcile, type DriveStats, type Driver, type Pathway, type View } from './driver.ts';
import { eachLimited } from '../pool.ts';
import { FaultLog } from './faults.ts';
import { chaosPlieConfig, COORDINATION, planPopulation, recordStaff } from './population.ts';
import { createRng, type Rng } from './rng.ts';
import { ClockStuckError, startServers, type Servers } from './servers.ts';
import { npmStartCrash, type NpmStartResults } from './npm-start.ts';
import { WebSupervisor } from './web.ts';
import { WorkerSupervisor } from './workers.ts';
import { commissionWorkflowId } from '../../workflows/pathway-messages.ts';

export interface ChaosOptions {
  quick: boolean;
  faults: boolean;
  pathways: number;
  kills: number;
  seed: number;
  /** Where the JSON results go. */
  out: string;
  /** Keep the scratch folder (logs, database) after the run. */
  keep: boolean;
}

export interface StepReport {
  name: string;
  /** Real seconds it took. */
  seconds: number;
  /** Workflow time at its end (ISO). */
  workflowTime: string;
  /** Pathways that had not done what the step expects when it gave up (0 when complete). */
  incomplete: number;
}

export interface ChaosResults {
  seed: number;
  options: Omit<ChaosOptions, 'seed'>;
  startedAt: string;
  durations: { setupSeconds: number; scenarioSeconds: number; quiescenceSeconds: number; checksSeconds: number; totalSeconds: number };
  workflowDays: number;
  /** The test server's clock stopped jumping (a lost lock): the scenario stopped there. */
  clockStuck: string | null;
  steps: StepReport[];
  faults: ReturnType<FaultLog['summary']>;
  drive: DriveStats;
  findings: Findings;
  /** The whole `npm start` killed -9 and started again (not in the baseline). */
  npmStart: NpmStartResults | null;
  scratch: string | null;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface Step {
  name: string;
  /** Workflow time to reach before driving (a lower bound: the step waits for what it expects). */
  at?: number;
  /** This pathway has done what the step expects (as its projection shows it). */
  done: (p: Pathway, view: View) => boolean;
  /** Kill -9 of the worker during the step. */
  kills: number;
  /** Slack answers 429/5xx/lost while the step runs. */
  slackStorm: boolean;
  /** PostgreSQL stopped mid-load, the worker restarted while it is down. */
  postgresOutage: boolean;
  /** The mail server stopped for an hour of workflow time. */
  smtpOutage: boolean;
  /** Longest workflow time the step may skip while waiting for what it expects. */
  maxSkipMs: number;
}

/** Splits `total` kills over `slots` steps, at least one each (the storms). */
function spread(rng: Rng, total: number, slots: number): number[] {
  const counts: number[] = Array.from({ length: slots }, () => (total >= slots ? 1 : 0));
  for (let left = total - counts.reduce((a, b) => a + b, 0); left > 0; left--) counts[rng.int(0, slots - 1)]! += 1;
  return counts;
}

export async function runChaos(options: ChaosOptions, print: (line: string) => void): Promise<ChaosResults> {
  let results: ChaosResults | null = null;
  try {
    results = await runScenario(options, print);
    if (options.faults) {
      // After the scenario's servers are gone: the whole `npm start` killed and started again.
      print('npm start tué (kill -9 du groupe) puis relancé sur le même dossier de données…');
      const t = Date.now();
      results.npmStart = await npmStartCrash({ referrals: options.quick ? 4 : 12, rng: createRng(options.seed + 4), runTag: String(options.seed), print });
      print(`  npm start : ${((Date.now() - t) / 1000).toFixed(1)} s`);
      results.durations.totalSeconds += (Date.now() - t) / 1000;
    }
    return results;
  } finally {
    if (results) {
      mkdirSync(path.dirname(options.out), { recursive: true });
      writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    }
  }
}

async function runScenario(options: ChaosOptions, print: (line: string) => void): Promise<ChaosResults> {
  const started = Date.now();
  // One stream per consumer: the faults running side by side draw the same values whatever their
  // interleaving, so a seed replays the same population and the same plan of faults.
  const rng = createRng(options.seed);
  const killRng = createRng(options.seed + 1);
  const slackRng = createRng(options.seed + 2);
  const postgresRng = createRng(options.seed + 3);
  const logger = createLogger('warn', 'chaos');
  installTemporalRuntime(logger);
  const scratch = makeScratchDir('plie-chaos-');
  const payloadKeys = `chaos:${randomBytes(32).toString('base64')}`;
  const faults = new FaultLog();
  const stats = emptyStats();
  const steps: StepReport[] = [];
  let servers: Servers | null = null;
  let workers: WorkerSupervisor | null = null;
  let web: WebSupervisor | null = null;
  let results: ChaosResults | null = null;
  const onSignal = () => {
    print('Interrompu : arrêt des serveurs…');
    void (async () => {
      await workers?.stop().catch(() => undefined);
      await web?.stop().catch(() => undefined);
      await servers?.close().catch(() => undefined);
      if (!options.keep) rmSync(scratch, { recursive: true, force: true });
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    print(`Dossier de travail : ${scratch}`);
    const [started_, bundle] = await Promise.all([startServers({ scratch, payloadKeys, logger }), bundleWorkflows()]);
    servers = started_;
    const { db, temporal: env, clock, inbox, slack, pg } = servers;
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);

    const today = parisDate(await clock.now());
    const plie = chaosPlieConfig(today);
    const configFile = path.join(scratch, 'plie.json');
    writeFileSync(configFile, JSON.stringify(plie, null, 2));
    await recordStaff(db, slack, plie.code);
    const population = planPopulation(rng, options.pathways, String(options.seed));
    for (const p of population) if (p.refusedAddress) inbox.refused.add(p.email);

    const taskQueue = `chaos-${options.seed}`;
    const vars: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PLIE_DATA_DIR: path.join(scratch, 'data'),
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: inbox.url,
      SLACK_BOT_TOKEN: VALID_TOKEN,
      SLACK_API_URL: slack.url,
      // The configuration asks for it with a bot token (the worker itself receives no Slack request).
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      PLIE_PAYLOAD_KEYS: payloadKeys,
      PLIE_API_TOKEN: randomBytes(24).toString('base64url'),
      PLIE_LINK_SECRET: randomBytes(32).toString('base64url'),
      PLIE_FILE_KEY: randomBytes(32).toString('base64'),
      PLIE_COORDINATOR_EMAIL: COORDINATION,
      PLIE_CONFIG_FILE: configFile,
      PLIE_CHAOS_WORKFLOW_BUNDLE: bundlePath,
      // No sticky queue: see scripts/chaos/worker.ts (a test server's fault, not the application's).
      PLIE_CHAOS_NO_CACHE: '1',
    };
    mkdirSync(vars.PLIE_DATA_DIR!, { recursive: true });
    workers = new WorkerSupervisor(vars, path.join(scratch, 'worker.log'));
    web = new WebSupervisor(vars, await freePort(), path.join(scratch, 'web.log'));
    await Promise.all([workers.start(), web.start()]);

    // The harness speaks to Temporal as the web process would (same keys, same data converter);
    // a plain client: awaiting a result never unlocks the server's time skipping.
    const client = new Client({ connection: clock.connection, dataConverter: dataConverter(payloadKeys, db) });
    const driver: Driver = { client, db, api: { url: web.url, token: vars.PLIE_API_TOKEN! }, stats };
    const pathways: Pathway[] = population.map((p) => ({ ...p, workflowId: null, finalState: null, status: 'unknown', contract: { sentAt: null }, inFlight: new Set(), lastView: null }));
    const setupSeconds = (Date.now() - started) / 1000;
    print(`Serveurs prêts en ${setupSeconds.toFixed(1)} s ; ${pathways.length} parcours, graine ${options.seed}${options.faults ? '' : ' (sans pannes)'}.`);

    // --- The clock: day 0 starts at 08:00, Paris time (the staff's morning).
    const startMs = await clock.now();
    let day0 = parisDate(startMs);
    if (parisInstant(day0, '08:00') < startMs) day0 = parisDate(startMs + DAY_MS);
    const at = (date: string) => parisInstant(date, '08:00');
    const contractStart = parisDate(at(day0) + 2 * DAY_MS);
    const exitDay = addMonths(contractStart, 6);

    let sweeps = 0;
    let clockStuck: string | null = null;
    const sweep = async () => {
      // What the Schedule `plie-renvoi-des-messages` starts every quarter of an hour.
      sweeps += 1;
      await client.workflow
        .start(MESSAGE_SWEEP_WORKFLOW, { workflowId: `plie-renvoi-des-messages-run-${sweeps}`, taskQueue, args: [{}] })
        .catch((error: unknown) => faults.note(`renvoi des messages non lancé : ${(error as Error).message}`));
    };
    // A storm's kills keep workflow time from jumping until what they left behind times out.
    const skip = async (ms: number) => clock.sleep(ms, () => Math.max(workers!.killedAt.at(-1) ?? 0, faults.lastOutageEnd()));
    const skipTo = async (target: number) => skip(target - (await clock.now()));

    // --- The script.
    const stageBeyond = (view: View, stages: string[]) => !stages.includes(view.stage);
    const script: Array<Pick<Step, 'name' | 'done'> & Partial<Step>> = [
      { name: 'orientation', at: at(day0), done: (_p, s) => stageBeyond(s, ['orientation']) },
      { name: 'diagnostic', done: (_p, s) => stageBeyond(s, ['orientation', 'diagnostic']) },
      { name: 'contrat', at: at(day0) + DAY_MS, done: (_p, v) => v.contracts > 0 },
      {
        name: 'justificatif du contrat',
        at: at(day0) + 2 * DAY_MS,
        done: (p, v) => !p.sendsProofs || !v.openTasks.some((t) => t.kind === 'proof_request' && t.proofKind === 'contrat'),
      },
      ...[1, 2, 3, 4, 5].map((n) => ({
        name: `suivi mensuel ${n}`,
        at: at(addMonths(contractStart, n)),
        done: (_p: Pathway, v: View) => stageBeyond(v, ['orientation', 'diagnostic', 'active', 'followUp']) || (v.followUpChecks >= n && !v.openTasks.some((t) => t.kind === 'follow_up_check')),
      })),
      {
        name: 'sortie (confirmation, commission)',
        at: at(exitDay),
        done: (p, v) => v.stage === 'exited' || (p.variant === 'temps_partiel' && v.commission !== null && !v.openTasks.some((t) => t.kind === 'commission_vote')),
      },
      { name: 'décision de la commission', done: (_p, v) => v.stage === 'exited' },
      { name: 'questionnaire FSE+ à six mois', at: at(addMonths(exitDay, 6)), done: (_p, v) => v.completed },
    ];
    const plan: Step[] = script.map((s) => ({ kills: 0, slackStorm: false, postgresOutage: false, smtpOutage: false, maxSkipMs: 12 * DAY_MS, ...s }));

    if (options.faults) {
      // Kills come in storms, in the steps with the most going on: the activities and workflow
      // tasks a kill -9 leaves behind time out together (up to 30 s of real time, during
      // which workflow time cannot jump), once per storm rather than once per kill. PostgreSQL
      // stops during a storm too, for the same reason.
      const storms = options.quick ? ['sortie (confirmation, commission)'] : ['orientation', 'suivi mensuel 3', 'sortie (confirmation, commission)'];
      const counts = spread(rng, options.kills, storms.length);
      storms.forEach((name, i) => (plan.find((s) => s.name === name)!.kills = counts[i]!));
      plan.find((s) => s.name === 'diagnostic')!.smtpOutage = true;
      plan.find((s) => s.name === (options.quick ? 'sortie (confirmation, commission)' : 'suivi mensuel 3'))!.postgresOutage = true;
      const slackStorms = options.quick ? ['orientation', 'suivi mensuel 3'] : ['orientation', 'contrat', 'suivi mensuel 3', 'sortie (confirmation, commission)', 'questionnaire FSE+ à six mois'];
      for (const name of slackStorms) plan.find((s) => s.name === name)!.slackStorm = true;
    }

    const scenarioStart = Date.now();
    for (const step of plan) {
      const stepStart = Date.now();
      let incomplete: number;
      try {
        incomplete = await runStep(step);
      } catch (error) {
        if (!(error instanceof ClockStuckError)) throw error;
        // The rest of the script needs workflow time: what was reached is checked as it stands.
        clockStuck = `${step.name} : ${error.message}`;
        print(`  ${step.name} : ${error.message} ; le scénario s’arrête là`);
        break;
      }
      const now = await clock.now();
      steps.push({ name: step.name, seconds: (Date.now() - stepStart) / 1000, workflowTime: new Date(now).toISOString(), incomplete });
      print(`  ${step.name.padEnd(36)} ${((Date.now() - stepStart) / 1000).toFixed(1).padStart(6)} s   ${parisDate(now)}${incomplete ? `   ${incomplete} parcours en retard` : ''}${step.kills ? `   ${step.kills} kill -9` : ''}`);
    }
    const scenarioSeconds = (Date.now() - scenarioStart) / 1000;

    // --- Quiescence: every pathway where the script expects it, nothing left under way.
    const quiet = Date.now();
    await quiesce();
    const quiescenceSeconds = (Date.now() - quiet) / 1000;

    const checksStart = Date.now();
    const findings = await checkRun({ client, db, inbox, slack, pathways, workers, web, faults, expectations: { refused: [...inbox.refused] } });
    const checksSeconds = (Date.now() - checksStart) / 1000;
    faults.setKills(workers.killedAt.length, workers.restartMs, workers.unexpectedExits);
    faults.setWebKills(web.killedAt.length, web.restartMs.slice(1));
    faults.setSchedules([...workers.schedules], sweeps);
    results = {
      seed: options.seed,
      options: { quick: options.quick, faults: options.faults, pathways: options.pathways, kills: options.kills, out: options.out, keep: options.keep },
      startedAt: new Date(started).toISOString(),
      durations: { setupSeconds, scenarioSeconds, quiescenceSeconds, checksSeconds, totalSeconds: (Date.now() - started) / 1000 },
      clockStuck,
      workflowDays: Math.round((((await clock.now()) - startMs) / DAY_MS) * 10) / 10,
      steps,
      faults: faults.summary(),
      drive: stats,
      findings,
      npmStart: null,
      scratch: options.keep ? scratch : null,
    };
    return results;

    // --- A step: its faults, the time to skip, then the pathways driven until each has done what
    // the step expects (or the step gives up: the checks will say which are stuck).
    async function runStep(step: Step): Promise<number> {
      const monkey = killStorm(step.kills);
      if (step.slackStorm) faults.slackStorm(slack, slackRng, options.quick ? 8 : 20);
      let outage: Promise<void> = Promise.resolve();
      try {
        if (step.at !== undefined) {
          const skipStart = Date.now();
          await skipTo(step.at);
          debug(`${step.name} : saut jusqu’au ${new Date(step.at).toISOString()} en ${Date.now() - skipStart} ms`);
        }
        const stepFrom = await clock.now();
        if (step.smtpOutage) await smtpOutage();
        if (step.postgresOutage) outage = postgresOutage();
        const deadline = Date.now() + (options.quick ? 90_000 : 180_000);
        let waiting = pathways;
        let idle = 0;
        for (;;) {
          const now = await clock.now();
          const passStart = Date.now();
          let acted = false;
          const next: Pathway[] = [];
          await eachLimited(waiting, 8, async (p) => {
            const { acted: did, look } = await reconcile(driver, p, now);
            acted ||= did || look.busy;
            if (!look.view || !step.done(p, look.view)) next.push(p);
          });
          const progressed = next.length < waiting.length;
          debug(`${step.name} : passage ${Date.now() - passStart} ms, ${next.length} en attente, ${acted ? 'envoyé/en cours' : 'rien'} (${new Date(now).toISOString()})`);
          waiting = next;
          if (waiting.length === 0 || Date.now() > deadline) break;
          if (acted || progressed) {
            idle = 0;
            await pause(250);
            continue;
          }
          // Nothing to do yet: let the worker finish what it has, then let an hour of workflow time
          // pass (a monthly check, the exit, the questionnaire come at the hour of day of what set
          // them, a few minutes after 08:00).
          if (++idle < 4) {
            await pause(250);
            continue;
          }
          idle = 0;
          if (now - stepFrom > step.maxSkipMs) break;
          const skipStart = Date.now();
          await skip(HOUR_MS);
          debug(`${step.name} : une heure passée en ${Date.now() - skipStart} ms`);
        }
        return waiting.length;
      } finally {
        // The faults end as planned, whatever became of the step.
        await outage;
        await monkey;
        await sweep();
      }
    }

    /** `count` kill -9 of the worker, each at a random moment after the previous restart, and one of the web process. */
    async function killStorm(count: number): Promise<void> {
      // The web process dies once in each storm too, between two of the worker's deaths.
      const webAt = count > 0 ? killRng.int(0, count - 1) : -1;
      for (let i = 0; i < count; i++) {
        await pause(killRng.int(50, 800));
        await workers!.kill();
        if (i === webAt) await web!.kill();
      }
    }

    /** The mail server down for an hour of workflow time, while the step's emails are decided. */
    async function smtpOutage(): Promise<void> {
      const from = await clock.now();
      await inbox.stop();
      faults.outage('smtp', 'stop');
      // The step's answers go out now, their emails meet the closed port.
      await eachLimited(pathways, 8, async (p) => void (await reconcile(driver, p, from)));
      for (let quarter = 0; quarter < 4; quarter++) {
        await skip(15 * 60_000);
        await sweep();
      }
      await inbox.resume();
      faults.outage('smtp', 'start', (await clock.now()) - from);
      // The Schedule's next runs send what failed for good meanwhile.
      for (let quarter = 0; quarter < 8; quarter++) {
        await skip(15 * 60_000);
        await sweep();
      }
    }

    /** PostgreSQL stopped mid-load; the worker killed and restarted while it is down; then started again. */
    async function postgresOutage(): Promise<void> {
      await pause(postgresRng.int(200, 1_500));
      await pg.stop();
      faults.outage('postgres', 'stop');
      await workers!.kill();
      await pause(postgresRng.int(3_000, 6_000));
      await pg.resume();
      faults.outage('postgres', 'start');
    }

    /**
     * Until every pathway's workflow has completed and nothing is left to send: what is late (a
     * step given up, a worker that crashed) may still finish, a day of workflow time at a time.
     */
    async function quiesce(): Promise<void> {
      const deadline = Date.now() + (options.quick ? 90_000 : 180_000);
      let skipped = 0;
      let idle = 0;
      while (Date.now() < deadline) {
        const now = await clock.now();
        let acted = false;
        await eachLimited(pathways, 8, async (p) => {
          const { acted: did, look } = await reconcile(driver, p, now);
          acted = did || look.busy || acted;
        });
        const open = pathways.filter((p) => p.status !== 'completed').length;
        const pending = await db.message.count({ where: { status: 'pending' } }).catch(() => -1);
        const running = await stillRunning(client, [
          ...Array.from({ length: sweeps }, (_, i) => `plie-renvoi-des-messages-run-${i + 1}`),
          ...pathways.flatMap((p) => Array.from({ length: p.finalState?.commission?.session ?? 0 }, (_, i) => commissionWorkflowId(p.workflowId!, i + 1))),
        ]);
        debug(`fin des traitements : ${open} parcours ouverts, ${pending} messages en attente, ${running} workflows en cours`);
        if (open === 0 && pending === 0 && running === 0) return;
        if (acted || ++idle < 4 || clockStuck || skipped >= 200 * DAY_MS) {
          if (acted) idle = 0;
          await pause(250);
          continue;
        }
        // Retries and late timers wait for workflow time: let a day pass (half a year at most).
        idle = 0;
        await skip(DAY_MS);
        skipped += DAY_MS;
        await sweep();
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await workers?.stop().catch(() => undefined);
    await web?.stop().catch(() => undefined);
    await servers?.close().catch(() => undefined);
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
  }
}

const debug = process.env.PLIE_CHAOS_DEBUG === '1' ? (line: string) => process.stderr.write(`[debug ${new Date().toISOString()}] ${line}\n`) : () => undefined;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many of these workflows still run (the test server cannot list them: they are named). */
async function stillRunning(client: Client, ids: string[]): Promise<number> {
  let running = 0;
  for (const id of ids) {
    const status = await client
      .withDeadline(Date.now() + 5_000, () => client.workflow.getHandle(id).describe())
      .then((d) => d.status.name)
      .catch(() => 'UNKNOWN');
    if (status === 'RUNNING' || status === 'UNKNOWN') running += 1;
  }
  return running;
}
