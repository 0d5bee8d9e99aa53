/**
 * The servers the harness starts for itself in a scratch folder: PostgreSQL (embedded, stopped and
 * started again on the same data folder and port), Temporal's time-skipping test server, the SMTP
 * inbox and the local Slack Web API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol, type InternalConnectionOptions } from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDb, type Db } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/infra/migrate.ts';
import { freePort, isListening } from '../../src/infra/ports.ts';
import { projectRoot, toolsDir } from '../../src/infra/project.ts';
import { locateTestServer } from '../../src/infra/temporal-server.ts';
import type { Logger } from '../../src/logging.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { registerSearchAttributes } from '../../src/temporal/search-attributes.ts';
import { FakeSlackApi } from '../../test/helpers/slack-api.ts';
import { ChaosInbox } from './inbox.ts';

/**
 * PostgreSQL, stopped and started again on the same data folder and port: each start is a process
 * of its own (scripts/chaos/postgres-process.ts), as startEmbeddedPostgres is meant to be called
 * once per process.
 */
export class RestartablePostgres {
  private current: ChildProcess | null = null;
  private constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(dataDir: string): Promise<RestartablePostgres> {
    const pg = new RestartablePostgres(dataDir, await freePort());
    await pg.resume();
    return pg;
  }

  get url(): string {
    return `postgresql://plie:plie-local@127.0.0.1:${this.port}/plie`;
  }

  get running(): boolean {
    return this.current !== null;
  }

  async resume(): Promise<void> {
    if (this.current) return;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'chaos', 'postgres-process.ts'), this.dataDir, String(this.port)], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('CHAOS_PG_READY')) resolve();
      });
      createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
      child.once('exit', (code) => reject(new Error(`PostgreSQL ne démarre pas (${code}) : ${output.slice(-5).join(' | ')}`)));
    });
    await ready;
    this.current = child;
  }

  async stop(): Promise<void> {
    const child = this.current;
    this.current = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

/** Longer than any activity or workflow task a dead worker leaves behind (30 s at most). */
const CLOCK_STUCK_MS = 150_000;

/**
 * Workflow time on the time-skipping server, over a connection of the harness's own: the Java
 * server answers a client's keepalive pings every 30 s (the SDK's default) with GOAWAY
 * « too_many_pings » after a minute or two, and a sleep in flight on that connection may then
 * never return (or be retried, and unlock the clock twice). Here pings are left to the hour.
 */
export class ClockStuckError extends Error {
  constructor(seconds: number) {
    super(`le temps du workflow ne saute plus depuis ${seconds} s alors que le harnais attend : le serveur de test retient un verrou`);
    this.name = 'ClockStuckError';
  }
}

export class VirtualClock {
  private constructor(
    readonly connection: Connection,
    private readonly address: string,
  ) {}

  static async connect(address: string): Promise<VirtualClock> {
    const options: InternalConnectionOptions = {
      address,
      channelArgs: { 'grpc.keepalive_time_ms': 3_600_000, 'grpc.keepalive_permit_without_calls': 0 },
      // The test service (time skipping) is what the SDK's TestWorkflowEnvironment uses; the option is internal.
      [InternalConnectionOptionsSymbol]: { supportsTestService: true },
    };
    const connection = await Connection.connect(options);
    return new VirtualClock(connection, address);
  }

  /** The server's workflow time (ms). */
  async now(): Promise<number> {
    try {
      const { time } = await this.connection.withDeadline(Date.now() + 15_000, () => this.connection.testService!.getCurrentTime({}));
      return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
    } catch (error) {
      const [host, port] = [this.address.slice(0, this.address.lastIndexOf(':')), Number(this.address.slice(this.address.lastIndexOf(':') + 1))];
      if (!(await isListening(host, port))) throw new Error(`le serveur de test Temporal (${this.address}) ne répond plus : arrêté pendant le passage`, { cause: error });
      throw error;
    }
  }

  /**
   * Lets `ms` of workflow time pass: the server jumps from timer to timer, but never while a
   * workflow task or an activity is under way (then it follows the wall clock).
   */
  /** `lastFault`: when the harness last broke something (wall clock): the watch counts from then. */
  async sleep(ms: number, lastFault: () => number = () => 0): Promise<void> {
    if (ms <= 0) return;
    let settled = false;
    const sleeping = this.connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(Math.floor(ms)) }).finally(() => (settled = true));
    // A sleep may follow the wall clock while activities and workflow tasks run (a dead worker's
    // take up to 30 s to time out); one that crawls much longer after the last fault means the
    // server lost a lock.
    let crawling = 0;
    let last = { virtual: await this.now(), wall: Date.now() };
    while (!settled) {
      await Promise.race([sleeping, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      if (settled) break;
      const now = { virtual: await this.now(), wall: Date.now() };
      const wall = now.wall - last.wall;
      crawling = now.virtual - last.virtual <= wall * 1.5 ? crawling + wall : 0;
      last = now;
      if (crawling > CLOCK_STUCK_MS && now.wall - lastFault() > CLOCK_STUCK_MS) throw new ClockStuckError(Math.round(crawling / 1000));
    }
    await sleeping;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export interface Servers {
  pg: RestartablePostgres;
  /** The harness's own handle on the database (checks, staff, the client's data keys). */
  db: Db;
  temporal: TestWorkflowEnvironment;
  clock: VirtualClock;
  inbox: ChaosInbox;
  slack: FakeSlackApi;
  close: () => Promise<void>;
}

export async function startServers(opts: { scratch: string; payloadKeys: string; logger: Logger }): Promise<Servers> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of closers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const [pg, testServer] = await Promise.all([RestartablePostgres.start(path.join(opts.scratch, 'pg')), locateTestServer(opts.logger)]);
    closers.push(() => pg.stop());
    await migrateDatabase(pg.url, opts.logger);
    const db = createDb(pg.url);
    closers.push(() => db.$disconnect());
    const temporal = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: testServer.rung === 'download' ? { type: 'cached-download', downloadDir: toolsDir } : { type: 'existing-path', path: testServer.path } },
      client: { dataConverter: dataConverter(opts.payloadKeys, db) },
    });
    closers.push(() => temporal.teardown());
    await registerSearchAttributes(temporal.connection);
    const clock = await VirtualClock.connect(temporal.address);
    closers.push(() => clock.close());
    const inbox = await ChaosInbox.start();
    closers.push(() => inbox.stop());
    const slack = await FakeSlackApi.start();
    closers.push(() => slack.stop());
    return { pg, db, temporal, clock, inbox, slack, close };
  } catch (error) {
    await close();
    throw error;
  }
}
