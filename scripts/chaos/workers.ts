/**
 * The worker process, run and killed by the harness: one active worker at a time, plus standby
 * processes already loaded (Node, tsx, the application's modules), one of which starts as soon as
 * the active one is killed, as a supervisor would restart it. A worker that dies without having been killed
 * is restarted too, and counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/infra/project.ts';
import { READY_MARKER, SCHEDULE_MARKER, STANDBY_MARKER } from './markers.ts';

const ENTRY = path.join(projectRoot, 'scripts', 'chaos', 'worker.ts');
/** A worker that is not up after this long is killed and replaced (counted as a failed start). */
const START_TIMEOUT_MS = 120_000;
/**
 * Processes kept loaded behind the active one: loading Node, tsx and the application takes a few
 * seconds, longer than the harness waits between two kills of a storm.
 */
const STANDBYS = 2;
/** This many failed starts in a row: the worker cannot start at all (its configuration…), the run stops. */
const MAX_FAILED_STARTS = 5;

interface WorkerProcess {
  id: number;
  child: ChildProcess;
  standby: Promise<void>;
  ready: Promise<void>;
  exited: Promise<void>;
  /** Killed by the harness (kill -9, or stopped at the end): not a surprise. */
  expected: boolean;
  /** Polling (its start is over). */
  up: boolean;
  startedAt: number;
}

export interface UnexpectedExit {
  worker: number;
  code: number | null;
  signal: string | null;
  /** The last lines it wrote (its logs are at warn level). */
  tail: string[];
  at: number;
}

export class WorkerSupervisor {
  readonly unexpectedExits: UnexpectedExit[] = [];
  /** Instants (wall clock, ms) of each kill -9: a copy of an email sent around one is explained. */
  readonly killedAt: number[] = [];
  /** From the « go » to the worker polling, per (re)start. */
  readonly restartMs: number[] = [];
  readonly schedules = new Set<string>();
  private active: WorkerProcess | null = null;
  private standbys: WorkerProcess[] = [];
  private sequence = 0;
  private stopping = false;
  /** The worker could not be started again: every later call fails with it. */
  private fatal: Error | null = null;
  private readonly log: WriteStream;
  private readonly tails = new Map<number, string[]>();

  constructor(private readonly env: Record<string, string>, logFile: string) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  /** Starts the first worker and waits until it polls. */
  async start(): Promise<void> {
    this.refill();
    await this.promote();
  }

  get pid(): number | undefined {
    return this.active?.child.pid;
  }

  /** Resolves once a worker is polling. */
  async ready(): Promise<void> {
    for (;;) {
      if (this.fatal) throw this.fatal;
      const current = this.active;
      // Between a death and its replacement: the promotion under way sets the next one.
      const up = current ? await current.ready.then(() => true, () => false) : false;
      if (up && this.active === current) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** kill -9 of the active worker, then the standby starts; resolves once it polls. */
  async kill(): Promise<void> {
    await this.ready();
    const victim = this.active;
    if (!victim) throw new Error('aucun worker à arrêter');
    victim.expected = true;
    this.active = null;
    this.killedAt.push(Date.now());
    victim.child.kill('SIGKILL');
    await victim.exited;
    await this.promote();
  }

  /** Stops every process (the end of the run). */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [this.active, ...this.standbys].filter((w): w is WorkerProcess => w !== null);
    this.active = null;
    this.standbys = [];
    await Promise.all(
      all.map(async (w) => {
        w.expected = true;
        w.child.stdin?.end();
        w.child.kill('SIGTERM');
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
        await w.exited;
        clearTimeout(timer);
      }),
    );
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** The standby starts polling; a new standby is loaded behind it. */
  private async promote(): Promise<void> {
    for (let failed = 0; ; failed++) {
      if (failed >= MAX_FAILED_STARTS) {
        const tail = this.unexpectedExits.at(-1)?.tail.join('\n') ?? '';
        throw new Error(`le worker ne démarre pas (${failed} essais) :\n${tail}`);
      }
      // The oldest standby: the likeliest to be loaded.
      const next = this.standbys.shift() ?? this.spawnStandby();
      this.active = next;
      try {
        await next.standby;
        const go = Date.now();
        next.child.stdin?.write('go\n');
        const hung = setTimeout(() => {
          this.log.write(`[worker ${next.id}] pas démarré après ${START_TIMEOUT_MS / 1000} s : arrêté\n`);
          next.child.kill('SIGKILL');
        }, START_TIMEOUT_MS);
        try {
          await next.ready;
        } finally {
          clearTimeout(hung);
        }
        next.up = true;
        this.restartMs.push(Date.now() - go);
        if (!this.stopping) this.refill();
        return;
      } catch {
        // It died or hung while starting (recorded as an unexpected exit): the next one.
        if (this.stopping) return;
        if (this.active === next) this.active = null;
      }
    }
  }

  private refill(): void {
    while (this.standbys.length < STANDBYS) this.standbys.push(this.spawnStandby());
  }

  private spawnStandby(): WorkerProcess {
    const id = ++this.sequence;
    // PLIE_CHAOS_PROFILE=<folder>: a CPU profile of each worker process, written when it stops.
    const profile = process.env.PLIE_CHAOS_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PLIE_CHAOS_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', ENTRY], {
      cwd: projectRoot,
      env: { ...this.env, PLIE_CHAOS_STANDBY: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    this.tails.set(id, tail);
    let standbyResolve!: () => void;
    let readyResolve!: () => void;
    let fail!: (error: Error) => void;
    const standby = new Promise<void>((resolve) => (standbyResolve = resolve));
    const ready = new Promise<void>((resolve) => (readyResolve = resolve));
    const failed = new Promise<never>((_, reject) => (fail = reject));
    // Whoever awaits them learns of a death before the marker.
    const worker: WorkerProcess = {
      id,
      child,
      standby: Promise.race([standby, failed]),
      ready: Promise.race([ready, failed]),
      exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
      expected: false,
      up: false,
      startedAt: Date.now(),
    };
    worker.standby.catch(() => undefined);
    worker.ready.catch(() => undefined);
    const onLine = (line: string) => {
      this.log.write(`[worker ${id}] ${line}\n`);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (line === STANDBY_MARKER) standbyResolve();
      else if (line === READY_MARKER) readyResolve();
      else if (line.includes(SCHEDULE_MARKER)) {
        try {
          this.schedules.add(String((JSON.parse(line) as Record<string, unknown>)[SCHEDULE_MARKER]));
        } catch {
          // a log line that happens to quote the marker
        }
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.stdin.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      fail(new Error(`worker ${id} arrêté (${code ?? signal})`));
      if (worker.expected || this.stopping) return;
      this.unexpectedExits.push({ worker: id, code, signal, tail: [...tail], at: Date.now() });
      if (this.standbys.includes(worker)) {
        this.standbys = this.standbys.filter((w) => w !== worker);
        this.refill();
      } else if (this.active === worker && worker.up) {
        // The active worker died on its own once up: restart it as after a kill (one dying while
        // it starts is replaced by the promotion that started it).
        this.active = null;
        this.promote().catch((error: unknown) => (this.fatal = error as Error));
      }
    });
    return worker;
  }
}
