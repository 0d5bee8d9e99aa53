/**
 * The web process (`src/main/web.ts`, as `npm run web` starts it), run and killed by the harness:
 * the script's referrals, answers and actions go through its HTTP API, as a partner's software or
 * the console would send them. After a kill -9 it is started again on the same port, as a
 * supervisor would; meanwhile the script's calls fail and are sent again. Should it die on its own,
 * it is counted (a defect) and started again too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/infra/project.ts';

const ENTRY = path.join(projectRoot, 'src', 'main', 'web.ts');
const START_TIMEOUT_MS = 60_000;

export interface WebExit {
  code: number | null;
  signal: string | null;
  tail: string[];
}

export class WebSupervisor {
  readonly killedAt: number[] = [];
  readonly restartMs: number[] = [];
  readonly unexpectedExits: WebExit[] = [];
  private child: ChildProcess | null = null;
  private expected = false;
  private stopping = false;
  private readonly log: WriteStream;
  private readonly tail: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until /health answers 200. */
  async start(): Promise<void> {
    const started = Date.now();
    this.expected = false;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: projectRoot, env: { ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const onLine = (line: string) => {
      this.log.write(`[web] ${line}\n`);
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code, signal) => {
      if (this.expected || this.child !== child || this.stopping) return;
      this.unexpectedExits.push({ code, signal, tail: [...this.tail] });
      this.start().catch((error: unknown) => this.log.write(`[web] redémarrage impossible : ${(error as Error).message}\n`));
    });
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`le web ne démarre pas :\n${this.tail.join('\n')}`);
      if (Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL');
        throw new Error(`le web ne répond pas après ${START_TIMEOUT_MS / 1000} s :\n${this.tail.join('\n')}`);
      }
      const healthy = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1_000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (healthy) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.restartMs.push(Date.now() - started);
  }

  /** kill -9, then started again; resolves once it answers. */
  async kill(): Promise<void> {
    const victim = this.child;
    if (!victim) return;
    this.expected = true;
    this.killedAt.push(Date.now());
    const exited = new Promise<void>((resolve) => victim.once('exit', () => resolve()));
    victim.kill('SIGKILL');
    await exited;
    await this.start();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.stopping = true;
    this.expected = true;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}
