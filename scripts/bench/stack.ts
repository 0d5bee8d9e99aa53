/**
 * The servers a benchmark run shares between the application and its bare baselines: an embedded
 * PostgreSQL, the Temporal dev server (SQLite file, as `npm start`), an SMTP server that accepts
 * and drops every message, and Slack's Web API played locally. The application runs as in
 * production, its web and its worker each in a process of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';
import { createDb, type Db } from '../../src/db/client.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { migrateDatabase } from '../../src/infra/migrate.ts';
import { freePort } from '../../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../../src/infra/postgres.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { locateTemporalCli, startDevServer } from '../../src/infra/temporal-server.ts';
import type { Logger } from '../../src/logging.ts';
import { registerSearchAttributes } from '../../src/temporal/search-attributes.ts';
import { Connection } from '@temporalio/client';
import { FakeSlackApi, VALID_TOKEN } from '../../test/helpers/slack-api.ts';
import { chaosPlieConfig, COORDINATION, recordStaff } from '../chaos/population.ts';

export interface BenchStack {
  scratch: string;
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  slack: FakeSlackApi;
  /** Messages the SMTP server accepted. */
  mails: () => number;
  /** The application's environment (web and worker). */
  env: Record<string, string>;
  close: () => Promise<void>;
}

export async function startStack(logger: Logger): Promise<BenchStack> {
  const scratch = makeScratchDir('plie-bench-');
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of closers.reverse()) await stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const [pg, source] = await Promise.all([startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger }), locateTemporalCli(logger)]);
    closers.push(() => pg.stop());
    await migrateDatabase(pg.url, logger);
    const db = createDb(pg.url);
    closers.push(() => db.$disconnect());
    const temporal = await startDevServer({ source, port: await freePort(), dbFile: path.join(scratch, 'temporal.db'), logFile: path.join(scratch, 'temporal.log'), logger });
    closers.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    await registerSearchAttributes(connection);
    await connection.close();

    let mails = 0;
    const smtpPort = await freePort();
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          mails += 1;
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

    const slack = await FakeSlackApi.start();
    closers.push(() => slack.stop());
    const plie = chaosPlieConfig(parisDate(Date.now()));
    const configFile = path.join(scratch, 'plie.json');
    writeFileSync(configFile, JSON.stringify(plie, null, 2));
    await recordStaff(db, slack, plie.code);
    const dataDir = path.join(scratch, 'data');
    mkdirSync(dataDir, { recursive: true });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://plie.bench.test',
      LOG_LEVEL: 'warn',
      PLIE_DATA_DIR: dataDir,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'plie-bench',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SLACK_BOT_TOKEN: VALID_TOKEN,
      SLACK_API_URL: slack.url,
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      PLIE_PAYLOAD_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      PLIE_API_TOKEN: randomBytes(24).toString('base64url'),
      PLIE_LINK_SECRET: randomBytes(32).toString('base64url'),
      PLIE_FILE_KEY: randomBytes(32).toString('base64'),
      PLIE_COORDINATOR_EMAIL: COORDINATION,
      PLIE_CONFIG_FILE: configFile,
    };
    return { scratch, db, databaseUrl: pg.url, temporalAddress: temporal.address, slack, mails: () => mails, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface Memory {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

export interface BenchProcess {
  child: ChildProcess;
  pid: number;
  /** Resident and heap memory, as the process itself reports it (scripts/bench/probe.ts). */
  memory: () => Promise<Memory>;
  stop: () => Promise<void>;
}

const PROBE = path.join(projectRoot, 'scripts', 'bench', 'probe.ts');

/**
 * A process of the run (the application's web or worker, or a bare baseline), started through the
 * memory probe; resolves once it printed `ready` (a line containing it). `PLIE_BENCH_PROFILE=<folder>`
 * writes a CPU profile of each process and thread when it stops (<folder>/<name>/).
 */
export async function startProcess(name: string, entry: string, env: Record<string, string>, ready: string, logFile: string): Promise<BenchProcess> {
  // One folder per process: V8 writes one profile per thread (the workflows run in a thread of their own).
  const profile = process.env.PLIE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.PLIE_BENCH_PROFILE, name)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', PROBE, entry], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const log: string[] = [];
  const file = createWriteStream(logFile);
  const waiters: Array<(line: string) => boolean> = [];
  let stopping = false;
  const onLine = (line: string) => {
    file.write(`${line}\n`);
    log.push(line);
    if (log.length > 200) log.shift();
    for (const waiter of [...waiters]) if (waiter(line)) waiters.splice(waiters.indexOf(waiter), 1);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A death nobody asked for makes the figures meaningless: said at once.
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${name} s’est arrêté de lui-même (${code ?? signal}) :\n${log.slice(-30).join('\n')}`);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} : pas prêt en 180 s\n${log.slice(-20).join('\n')}`)), 180_000);
    waiters.push((line) => {
      if (!line.includes(ready)) return false;
      clearTimeout(timer);
      resolve();
      return true;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} arrêté (${code}) :\n${log.slice(-20).join('\n')}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    memory: async () =>
      await new Promise<Memory>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} : pas de mesure de mémoire`)), 30_000);
        const onMessage = (message: unknown) => {
          const memory = (message as { memory?: Memory } | null)?.memory;
          if (!memory) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(memory);
        };
        child.on('message', onMessage);
        child.send('memory');
      }),
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
      await new Promise<void>((resolve) => file.end(resolve));
    },
  };
}
