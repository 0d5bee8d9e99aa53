import { inject } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { createLogger } from '../../src/logging.ts';
import { createSimulator } from '../../src/simulator/simulate.ts';
import { timeSkippingExecutable } from './settings.ts';

/** The simulator on a time-skipping server of its own, with the test run's database and workflow bundle. */
export async function startTestSimulator() {
  const db = createDb(inject('databaseUrl'));
  const simulator = await createSimulator({
    db,
    testServerExecutable: timeSkippingExecutable(inject('testServerLauncher')),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    logger: createLogger('silent'),
  });
  return {
    db,
    simulator,
    close: async () => {
      await simulator.close();
      await db.$disconnect();
    },
  };
}
