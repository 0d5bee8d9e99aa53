/**
 * Records the histories of a simulated pathway (and of its commission votes), or of a marché, into
 * test/fixtures/histories/, for the replay test. Run it when a workflow gains a new path:
 *
 *   npm run record-history -- <name> <scenario.json>
 *   npm run record-history -- relation-v<N>      (an offer and a collective action)
 *
 * A workflow that continued as new gets a file per run: `<name>.json`, then `<name>-run-2.json`…
 *
 * The scenario plays on Temporal's time-skipping server (a real server's history, months in
 * seconds) with a throwaway PostgreSQL. Payloads are encrypted with the tests' fixed fixture key.
 * Each file keeps its workflow id: task ids derive from it, so replay needs it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { createDb } from '../src/db/client.ts';
import { migrateDatabase } from '../src/infra/migrate.ts';
import { freePort } from '../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { projectRoot } from '../src/infra/project.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { locateTestServer } from '../src/infra/temporal-server.ts';
import { createLogger } from '../src/logging.ts';
import { createSimulator } from '../src/simulator/simulate.ts';
import { isProcurementScenario } from '../src/simulator/simulate-procurement.ts';
import { playRelation } from './relation-histories.ts';
import { installTemporalRuntime } from '../src/temporal/runtime.ts';
import { bundleWorkflows } from '../src/temporal/worker.ts';
import { commissionWorkflowId } from '../workflows/pathway-messages.ts';
import { FIXTURE_PAYLOAD_KEYS, timeSkippingExecutable } from '../test/helpers/settings.ts';

const [name, scenarioFile] = process.argv.slice(2);
/** `relation` or `relation-v<N>`: the offer's and the collective action's histories, of that version (1 by default). */
const relation = /^relation(?:-v(\d+))?$/.exec(name ?? '');
if (!name || !/^[a-z0-9-]+$/.test(name) || (!scenarioFile && !relation)) {
  console.error('Usage : npm run record-history -- <nom-en-minuscules> <scénario.json>   (ou : npm run record-history -- relation-v<N>)');
  process.exit(2);
}

const logger = createLogger('warn');
installTemporalRuntime(logger);
const scratch = makeScratchDir('plie-record-');
const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger });
const db = createDb(pg.url);
try {
  await migrateDatabase(pg.url, logger);
  const testServer = await locateTestServer(logger);
  const simulator = await createSimulator({
    db,
    testServerExecutable: timeSkippingExecutable(testServer.rung === 'download' ? '' : testServer.path),
    workflowBundle: await bundleWorkflows(),
    logger,
    payloadKeys: FIXTURE_PAYLOAD_KEYS,
    // The replay test has the fixture key, not this throwaway database's participants' keys.
    participantKeys: false,
  });
  /** The histories of a workflow's runs, first to last: each run started by continue-as-new names the one it continues. */
  const runsOf = async (workflowId: string) => {
    const runs = [await simulator.history(workflowId)];
    const previous = () => runs[0]!.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    for (let runId = previous(); runId; runId = previous()) runs.unshift(await simulator.server().env.client.workflow.getHandle(workflowId, runId).fetchHistory());
    return runs;
  };
  try {
    const raw = scenarioFile ? (JSON.parse(readFileSync(scenarioFile, 'utf8')) as unknown) : null;
    const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
    mkdirSync(dir, { recursive: true });
    let runs: Array<{ file: string; workflowId: string }>;
    if (raw === null) {
      const played = await playRelation(db, simulator);
      const version = relation?.[1] ?? '1';
      runs = [
        { file: `offre-v${version}-proposee-puis-embauche.json`, workflowId: played.offre },
        { file: `action-collective-v${version}-atelier.json`, workflowId: played.collective },
      ];
    } else if (isProcurementScenario(raw)) {
      runs = [{ file: `${name}.json`, workflowId: (await simulator.runProcurement(raw)).workflowId }];
    } else {
      const result = await simulator.run(raw);
      const sessions = result.commission?.sessions ?? 0;
      runs = [
        { file: `${name}.json`, workflowId: result.workflowId },
        ...Array.from({ length: sessions }, (_, i) => ({ file: `${name}-commission-${i + 1}.json`, workflowId: commissionWorkflowId(result.workflowId, i + 1) })),
      ];
    }
    for (const run of runs) {
      // A workflow that continued as new: each of its runs in a file, the first under the given name, the next ones `-run-<k>`.
      const histories = await runsOf(run.workflowId);
      for (const [i, history] of histories.entries()) {
        const file = i === 0 ? run.file : run.file.replace(/\.json$/, `-run-${i + 1}.json`);
        writeFileSync(path.join(dir, file), `{"workflowId": ${JSON.stringify(run.workflowId)}, "history": ${historyToJSON(history)}}\n`);
        console.log(`Historique enregistré : test/fixtures/histories/${file} (${history.events?.length ?? 0} évènements)`);
      }
    }
  } finally {
    await simulator.close();
  }
} finally {
  await db.$disconnect();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
