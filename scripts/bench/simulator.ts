/**
 * The simulator (`plie simulate`): simulated days per second over the example scenarios, beside a
 * bare workflow that lets the same number of days pass one at a time, on the same time-skipping
 * server with a worker of its own.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { createDb } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/infra/migrate.ts';
import { freePort } from '../../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../../src/infra/postgres.ts';
import { projectRoot, toolsDir } from '../../src/infra/project.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { locateTestServer } from '../../src/infra/temporal-server.ts';
import type { Logger } from '../../src/logging.ts';
import { createSimulator, parseScenario } from '../../src/simulator/simulate.ts';
import { readScenario } from '../../src/simulator/simulate-file.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { bundleWorkflows } from '../../src/temporal/worker.ts';
import { rmSync } from 'node:fs';
import { ratio } from './stats.ts';

export interface SimulatorFigures {
  scenarios: string[];
  days: number;
  app: { seconds: number; daysPerSecond: number };
  bare: { seconds: number; daysPerSecond: number };
  ratio: number;
}

const SCENARIOS = ['cdi-sortie-positive.json', 'commission-egalite-puis-accord.json', 'rupture-periode-essai.json', 'rendez-vous-et-justificatif.json'];

export async function benchSimulator(logger: Logger, quick: boolean): Promise<SimulatorFigures> {
  const scratch = makeScratchDir('plie-bench-sim-');
  const files = (quick ? SCENARIOS.slice(0, 2) : SCENARIOS).map((f) => path.join(projectRoot, 'examples', 'scenarios', f));
  const [pg, testServer, bundle] = await Promise.all([startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger }), locateTestServer(logger), bundleWorkflows()]);
  const db = createDb(pg.url);
  try {
    await migrateDatabase(pg.url, logger);
    // The bare worker reads what the environment's client (the one that makes time jump while it
    // waits) sends: encrypted with these keys, as the application's payloads are.
    const payloadKeys = `banc:${randomBytes(32).toString('base64')}`;
    const simulator = await createSimulator({
      db,
      payloadKeys,
      testServerExecutable: testServer.rung === 'download' ? { type: 'cached-download', downloadDir: toolsDir } : { type: 'existing-path', path: testServer.path },
      workflowBundle: bundle,
      logger,
    });
    try {
      const { env } = simulator.server();
      const bareQueue = 'bench-simulateur-nu';
      const bare = await Worker.create({ connection: env.nativeConnection, taskQueue: bareQueue, workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)), activities: { noop: async () => undefined }, dataConverter: dataConverter(payloadKeys) });
      const days = files.map((f) => parseScenario(readScenario(f)).scenario.until);
      return await bare.runUntil(async () => {
        // One of each first, not counted (code compiled, caches warm).
        await simulator.run(readScenario(files[0]!));
        await env.client.workflow.execute('bareDays', { taskQueue: bareQueue, workflowId: 'bare-days-warm', args: [30] });
        let appMs = 0;
        let bareMs = 0;
        for (const [i, file] of files.entries()) {
          const raw = readScenario(file);
          let t = performance.now();
          await simulator.run(raw);
          appMs += performance.now() - t;
          t = performance.now();
          await env.client.workflow.execute('bareDays', { taskQueue: bareQueue, workflowId: `bare-days-${i}`, args: [days[i]!] });
          bareMs += performance.now() - t;
        }
        const total = days.reduce((a, b) => a + b, 0);
        const rate = (ms: number) => Math.round((total / (ms / 1000)) * 10) / 10;
        return {
          scenarios: files.map((f) => path.basename(f)),
          days: total,
          app: { seconds: Math.round(appMs / 100) / 10, daysPerSecond: rate(appMs) },
          bare: { seconds: Math.round(bareMs / 100) / 10, daysPerSecond: rate(bareMs) },
          ratio: ratio(rate(appMs), rate(bareMs)),
        };
      });
    } finally {
      await simulator.close();
    }
  } finally {
    await db.$disconnect();
    await pg.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
