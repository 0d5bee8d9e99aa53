import { readFileSync } from 'node:fs';
import { inject, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { createLogger } from '../../src/logging.ts';
import { createSimulator } from '../../src/simulator/simulate.ts';
import { timeSkippingExecutable } from '../helpers/settings.ts';

it('probe', async () => {
  const db = createDb(inject('databaseUrl'));
  const sim = await createSimulator({ db, testServerExecutable: timeSkippingExecutable(inject('testServerLauncher')), workflowBundle: { codePath: inject('workflowBundlePath') }, logger: createLogger('warn') });
  try {
    const out = await sim.run(JSON.parse(readFileSync(process.env.SCENARIO!, 'utf8')));
    console.log(JSON.stringify(out, null, 1));
  } finally { await sim.close(); await db.$disconnect(); }
}, 120_000);
