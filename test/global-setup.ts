/**
 * Starts, once per test run, the real servers the tests use: an embedded PostgreSQL (fresh, in a
 * temporary folder, migrated), a Temporal CLI dev server, and locates the Java time-skipping test
 * server. When a server cannot be found or built, the run fails with what to install.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../src/infra/migrate.ts';
import { freePort } from '../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { describeSource, locateTemporalCli, locateTestServer, startDevServer } from '../src/infra/temporal-server.ts';
import { createLogger } from '../src/logging.ts';
import { bundleWorkflows } from '../src/temporal/worker.ts';
import { timeSkippingExecutable } from './helpers/settings.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    /** Launcher of the Java time-skipping server, or '' when the SDK downloads its own. */
    testServerLauncher: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger('warn', 'tests');
  const scratch = makeScratchDir('plie-tests-');
  const stops: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const [db, cli, testServer, bundle] = await Promise.all([
      startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger }),
      locateTemporalCli(logger),
      locateTestServer(logger),
      bundleWorkflows(),
    ]);
    stops.push(db.stop);
    await migrateDatabase(db.url, logger);

    console.log(`Temporal (tests) : ${describeSource(cli)} ; serveur time-skipping : ${describeSource(testServer)}`);
    // The last rung (the SDK's own download) needs internet; without it, say what to install.
    // A free port may be taken again before the server binds it (or one it derives from it): a
    // server that stops at once is started again on other ports, three times at most.
    const startOnFreePort = async (attempt: number): Promise<Awaited<ReturnType<typeof startDevServer>>> => {
      try {
        return await startDevServer({ source: cli, port: await freePort(), logFile: path.join(scratch, 'temporal.log'), logger });
      } catch (error) {
        if (attempt >= 3) throw error;
        logger.warn({ attempt, err: (error as Error).message }, 'serveur Temporal arrêté au démarrage : nouvel essai sur un autre port');
        return await startOnFreePort(attempt + 1);
      }
    };
    const temporal = await startOnFreePort(1).catch((error: unknown) => {
      throw new Error(
        `Serveur Temporal introuvable pour les tests (${(error as Error).message}) : installez \`temporal\` dans le PATH, ou Go pour que go install le construise dans .tools.`,
      );
    });
    stops.push(temporal.stop);
    if (testServer.rung === 'download') {
      const probe = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: timeSkippingExecutable('') } }).catch(
        (error: unknown) => {
          throw new Error(
            `Serveur de test Temporal (time-skipping) introuvable (${(error as Error).message}) : installez Java 17+ et Maven, il est alors récupéré depuis Maven Central.`,
          );
        },
      );
      await probe.teardown();
    }

    const workflowBundlePath = path.join(scratch, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, bundle.code);

    project.provide('databaseUrl', db.url);
    project.provide('temporalAddress', temporal.address);
    project.provide('testServerLauncher', testServer.rung === 'download' ? '' : testServer.path);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
