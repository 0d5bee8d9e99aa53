/**
 * `plie simulate <scenario.json>` on its own: a throwaway PostgreSQL (in a temporary folder), the
 * time-skipping server and the real workflows; nothing touches the PLIE's own data.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../db/client.ts';
import { migrateDatabase } from '../infra/migrate.ts';
import { freePort } from '../infra/ports.ts';
import { startEmbeddedPostgres } from '../infra/postgres.ts';
import { makeScratchDir } from '../infra/scratch.ts';
import { locateTestServer } from '../infra/temporal-server.ts';
import { toolsDir } from '../infra/project.ts';
import type { Logger } from '../logging.ts';
import { installTemporalRuntime } from '../temporal/runtime.ts';
import { bundleWorkflows } from '../temporal/worker.ts';
import { createSimulator, parseScenario, ScenarioError, type SimulationResult } from './simulate.ts';
import { isProcurementScenario, parseProcurementScenario, type ProcurementSimulationResult } from './simulate-procurement.ts';

export function readScenario(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError([`fichier introuvable ou illisible : ${file}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ScenarioError([`JSON invalide (${(error as Error).message})`]);
  }
}

export async function simulateFile(file: string, logger: Logger): Promise<SimulationResult | ProcurementSimulationResult> {
  const raw = readScenario(file);
  const procurement = isProcurementScenario(raw);
  // Refused before any server starts (or the SDK's runtime, which would keep the process alive).
  if (procurement) parseProcurementScenario(raw);
  else parseScenario(raw);
  installTemporalRuntime(logger);
  const scratch = makeScratchDir('plie-simulation-');
  try {
    const [pg, testServer, bundle] = await Promise.all([
      startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger }),
      locateTestServer(logger),
      bundleWorkflows(),
    ]);
    const db = createDb(pg.url);
    try {
      await migrateDatabase(pg.url, logger);
      const simulator = await createSimulator({
        db,
        testServerExecutable:
          testServer.rung === 'download' ? { type: 'cached-download', downloadDir: toolsDir } : { type: 'existing-path', path: testServer.path },
        workflowBundle: bundle,
        logger,
      });
      try {
        return procurement ? await simulator.runProcurement(raw) : await simulator.run(raw);
      } finally {
        await simulator.close();
      }
    } finally {
      await db.$disconnect();
      await pg.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
