/**
 * Records the history of a pathway workflow run through every branch the current code has, into
 * test/fixtures/histories/, for the replay test. Run it when the workflow gains a new path:
 *
 *   npm run record-history -- <name> [orientation|reprise]
 *
 * Uses a Temporal dev server (a real server's history) with delays of seconds instead of days, a
 * throwaway PostgreSQL and an in-process SMTP server. Payloads are encrypted with the fixed fixture
 * key of the tests. The file keeps the workflow id: task ids derive from it, so replay needs it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
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
import { startImportedPathways } from '../src/import/start-pathways.ts';
import { createParticipant } from '../src/participants/create.ts';
import { parcoursWorkflowId } from '../workflows/messages.ts';
import { dataConverter } from '../src/temporal/connection.ts';
import { installTemporalRuntime } from '../src/temporal/runtime.ts';
import { answerTask, parcoursState } from '../src/temporal/parcours-client.ts';
import { bundleWorkflows, createWorker } from '../src/temporal/worker.ts';
import { FIXTURE_PAYLOAD_KEYS } from '../test/helpers/settings.ts';
import { TestInbox } from '../test/helpers/smtp.ts';

const EventType = proto.temporal.api.enums.v1.EventType;
const name = process.argv[2];
const scenario = process.argv[3] ?? 'orientation';
if (!name || !/^[a-z0-9-]+$/.test(name) || !['orientation', 'reprise'].includes(scenario)) {
  console.error('Usage : npm run record-history -- <nom-en-minuscules> [orientation|reprise]');
  process.exit(2);
}

/** Polls a condition the workflow reaches on its own (no event to wait on from here). */
async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100 && !(await check()); attempt++) await new Promise((r) => setTimeout(r, 100));
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
      plieCode: 'CASA',
      db,
      temporal: client,
      taskQueue,
      coordinatorEmail: 'coordination@plie.test',
      timings: { reminderAfterDays: 2 * SECOND_IN_DAYS, escalateAfterDays: 4 * SECOND_IN_DAYS },
      logger,
    };
    let workflowId: string;
    if (scenario === 'reprise') {
      // An imported pathway under way, started at the active stage.
      const participant = await db.participant.create({
        data: { id: randomUUID(), externalId: 'R0001', firstName: 'Camille', lastName: 'Reprise', identityKey: 'reprise|camille|1980-01-01', birthDate: new Date('1980-01-01T00:00:00Z'), integrationDate: new Date('2024-03-01T00:00:00Z'), createdBy: 'record' },
      });
      await startImportedPathways(deps, participant.plieCode);
      workflowId = parcoursWorkflowId(participant.id);
      // Recorded once the active stage is in the database and the workflow waits again.
      await waitUntil(async () => (await db.pathway.findUnique({ where: { id: workflowId } }))?.stage === 'active');
      await waitUntil(async () => {
        const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
        return events.length > 8 && String(events.at(-1)?.eventType) === String(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      });
    } else {
      const created = await createParticipant(
        deps,
        { firstName: 'Camille', lastName: 'Exemple', birthDate: '01/01/1980' },
        { actor: 'coordination@plie.test', channel: 'cli' },
      );
      workflowId = created.workflowId;
      const answerFirst = async (answer: unknown) => {
        const [task] = (await parcoursState(client, created.participantId)).openTasks;
        await answerTask(client, created.participantId, { taskId: task!.id, answer, actor: 'coordination@plie.test', channel: 'cli' });
      };
      // Reminder and escalation of the first task, then the answers up to the active pathway.
      await inbox.waitFor((m) => m.subject.includes('en retard'));
      await answerFirst({ referentEmail: 'referente@plie.test' });
      await answerFirst({ decision: 'integrate', entryDate: '2026-12-01' });
    }
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
