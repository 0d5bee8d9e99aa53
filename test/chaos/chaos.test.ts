/**
 * The fault-injection harness in its quick configuration (`npm run chaos -- --quick`), as a child
 * process with servers of its own (PostgreSQL, the time-skipping server, SMTP, Slack): a few
 * pathways from referral to the FSE+ questionnaire through a separate web process and worker, the
 * worker killed -9 ten times and more and the web once, PostgreSQL stopped mid-load, the mail
 * server down for an hour of workflow time, Slack storms; then the whole `npm start` killed -9
 * during referrals and started again on its data folder. Nothing may be lost, stuck, diverging,
 * done twice or left undelivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChaosResults } from '../../scripts/chaos/run.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'plie-chaos-test-'));
let harness: ChildProcess | null = null;

afterAll(async () => {
  // Should the test time out, the harness and every server it started (its process group) go too.
  if (harness && harness.exitCode === null && harness.signalCode === null) {
    const exited = new Promise<void>((resolve) => harness!.once('exit', () => resolve()));
    process.kill(-harness.pid!, 'SIGTERM');
    const killer = setTimeout(() => process.kill(-harness!.pid!, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Runs the harness to its end (in a process group of its own); resolves with its exit code and what it printed. */
async function runHarness(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'chaos.ts'), ...args], { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  harness = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  return { code, output };
}

describe('fault injection (quick)', { timeout: 900_000 }, () => {
  it('kills the worker ten times and more, the web and the whole npm start, stops PostgreSQL, SMTP and Slack: nothing lost, duplicated, undelivered or stuck', async () => {
    const out = path.join(dir, 'results.json');
    const { code, output } = await runHarness(['--quick', '--out', out]);
    // The printed table, seed included, is the message of any failure below (to replay it: --seed).
    const why = `\n${output.split('\n').filter((line) => !line.startsWith('SLF4J')).join('\n')}`;
    expect(code, why).not.toBe(2);
    const results = JSON.parse(readFileSync(out, 'utf8')) as ChaosResults;
    const f = results.findings;

    expect(results.clockStuck, why).toBeNull();
    expect(results.faults.workerKills, why).toBeGreaterThanOrEqual(10);
    expect(results.faults.webKills, why).toBeGreaterThanOrEqual(1);
    expect(results.faults.postgresOutages.length, why).toBe(1);
    expect(results.faults.smtpOutages.length, why).toBe(1);
    expect(results.faults.slackFailuresMet, why).toBeGreaterThan(0);

    expect(f.lost, why).toEqual([]);
    expect(f.stuck, why).toEqual([]);
    expect(f.diverging, why).toEqual([]);
    expect(f.tasksDuplicated, why).toEqual([]);
    expect(f.factsDuplicated, why).toEqual([]);
    expect(f.emailsDuplicated, why).toEqual([]);
    expect(f.emailsUnrecorded, why).toEqual([]);
    expect(f.slackDuplicated, why).toEqual([]);
    expect(f.undelivered, why).toEqual([]);
    expect(f.workerCrashes, why).toEqual([]);
    // Every pathway made it to the end, with emails and Slack posts on the way.
    expect(f.counts.pathways, why).toBe(results.options.pathways);
    expect(f.counts.emailsReceived, why).toBeGreaterThan(0);
    expect(f.counts.slackPosts, why).toBeGreaterThan(0);
    // npm start killed -9 while referrals came in, then started again on the same data.
    const n = results.npmStart!;
    expect(n.answeredBeforeKill, why).toBeLessThan(n.referrals);
    expect(n.findings.lost, why).toEqual([]);
    expect(n.findings.duplicated, why).toEqual([]);
    expect(n.findings.stuck, why).toEqual([]);
    expect(n.findings.emailsDuplicated, why).toEqual([]);
    expect(n.findings.undelivered, why).toEqual([]);
    expect(code, why).toBe(0);
  });
});
