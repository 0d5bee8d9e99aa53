/**
 * Builds or fetches the Temporal binaries the project runs on this machine, and says which rung of
 * the ladder each came from: `npm run tools`. The test suite and `npm start` do the same on demand;
 * running it first (as CI does) only moves the wait of a first build out of them.
 */
import { describeSource, locateTemporalCli, locateTestServer } from '../src/infra/temporal-server.ts';
import { createLogger } from '../src/logging.ts';

const logger = createLogger('info', 'tools');
const cli = await locateTemporalCli(logger);
console.log(`Serveur Temporal (CLI, dev server) : ${describeSource(cli)}`);
const testServer = await locateTestServer(logger);
console.log(`Serveur de test Temporal (time-skipping) : ${describeSource(testServer)}`);
if (testServer.rung === 'download') {
  console.error('Java 17+ et Maven sont nécessaires pour le serveur de test : les tests de workflow ne pourront pas tourner.');
  process.exitCode = 1;
}
