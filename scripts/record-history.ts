/**
 * Records the history of a pathway workflow run through every branch the current code has, into
 * test/fixtures/histories/, for the replay test. Run it when the workflow gains a new path:
 *
 *   npm run record-history -- <name>
 *
 * Uses a Temporal dev server (a real server's history) with delays of seconds instead of days, a
 * throwaway PostgreSQL and an in-process SMTP server. Payloads are encrypted with the fixed fixture
 * key of the tests. The file keeps the workflow id: task ids derive from it, so replay needs it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../src/db/client.ts';
import { createMailer } from '../src/email/transport.ts';
import { migrateDatabase } from '../src/infra/migrate.ts';
import { freePort } from '../src/infra/ports.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { projectRoot } from '../src/infra/project.ts';
import { locateTemporalCli, startDevServer } from '../src/infra/temporal-server.ts';
import { createLogger } from '../src/logging.ts';
import { createParticipant } from '../src/participants/create.ts';
import { dataConverter } from '../src/temporal/connection.ts';
import { installTemporalRuntime } from '../src/temporal/runtime.ts';
import { answerTask, parcoursState } from '../src/temporal/parcours-client.ts';
import { bundleWorkflows, createWorker } from '../src/temporal/worker.ts';
import { FIXTURE_PAYLOAD_KEYS } from '../test/helpers/settings.ts';
import { TestInbox } from '../test/helpers/smtp.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('Usage : npm run record-history -- <nom-en-minuscules>');
  process.exit(2);
}
const logger = createLogger('warn');
installTemporalRuntime(logger);
const scratch = makeScratchDir('plie-record-');
const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger });
const inbox = await TestInbox.start();
const db = createDb(pg.url);
const mailer = createMailer(inbox.url);
const temporal = await startDevServer({
  source: await locateTemporalCli(logger),
  port: await freePort(),
  logFile: path.join(scratch, 'temporal.log'),
  logger,
});
const nativeConnection = await NativeConnection.connect({ address: temporal.address });
const client = new Client({
  connection: await Connection.connect({ address: temporal.address }),
  dataConverter: dataConverter(FIXTURE_PAYLOAD_KEYS),
});
const SECOND_IN_DAYS = 1 / 86_400;
try {
  await migrateDatabase(pg.url, logger);
  const taskQueue = 'record';
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    payloadKeys: FIXTURE_PAYLOAD_KEYS,
    workflowBundle: await bundleWorkflows(),
    deps: { db, mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger },
  });
  await worker.runUntil(async () => {
    const deps = {
      db,
      temporal: client,
      taskQueue,
      coordinatorEmail: 'coordination@plie.test',
      timings: { reminderAfterDays: 2 * SECOND_IN_DAYS, escalateAfterDays: 4 * SECOND_IN_DAYS },
      logger,
    };
    const { participantId, workflowId } = await createParticipant(
      deps,
      { firstName: 'Camille', lastName: 'Exemple', birthDate: '01/01/1980' },
      { actor: 'coordination@plie.test', channel: 'cli' },
    );
    const answerFirst = async (answer: unknown) => {
      const [task] = (await parcoursState(client, participantId)).openTasks;
      await answerTask(client, participantId, { taskId: task!.id, answer, actor: 'coordination@plie.test', channel: 'cli' });
    };
    // Reminder and escalation of the first task, then the answers up to the active pathway.
    await inbox.waitFor((m) => m.subject.includes('en retard'));
    await answerFirst({ referentEmail: 'referente@plie.test' });
    await answerFirst({ decision: 'integrate', entryDate: '2026-12-01' });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `parcours-${name}.json`);
    writeFileSync(file, `{"workflowId": ${JSON.stringify(workflowId)}, "history": ${historyToJSON(history)}}\n`);
    console.log(`Historique enregistré : ${path.relative(projectRoot, file)} (${history.events?.length} événements)`);
  });
} finally {
  await client.connection.close();
  await nativeConnection.close();
  await temporal.stop();
  mailer.close();
  await inbox.stop();
  await db.$disconnect();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
