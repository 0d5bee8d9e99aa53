/**
 * Bundles the workflow code in a short-lived child process and hands the worker the file. Webpack
 * leaves about 200 MB behind in the process that runs it (measured with `npm run bench`: a worker
 * bundling for itself held 538 MB with no pathway open, 326 MB when given the file): the worker
 * should not carry that for the rest of its life.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';

const ENTRY = fileURLToPath(new URL('./bundle-child.ts', import.meta.url));

export async function bundleWorkflowsInChild(): Promise<WorkflowBundle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plie-workflows-'));
  const file = path.join(dir, 'workflow-bundle.js');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`assemblage du code des workflows impossible (code ${code}) : ${errors.trim().slice(-2000)}`);
    return { code: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
