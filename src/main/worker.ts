/** Production entry point: one worker process (scale by running several). */
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging.ts';
import { installTemporalRuntime } from '../temporal/runtime.ts';
import { exitOnConfigError } from './process.ts';
import { runWorker } from './run-worker.ts';
import { openServices } from './services.ts';

const config = exitOnConfigError(() => loadConfig());
const logger = createLogger(config.env.LOG_LEVEL).child({ role: 'worker' });
installTemporalRuntime(logger);
const services = await exitOnConfigError(() => openServices(config, { smtp: true }));
let code = 0;
try {
  const worker = await runWorker({ config, services, logger });
  // Shutdown lets running activities finish; a second signal changes nothing.
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.done;
} catch (error) {
  logger.error({ err: (error as Error).message }, 'le worker s’est arrêté sur une erreur');
  code = 1;
} finally {
  await services.close();
}
logger.info('worker arrêté');
process.exit(code);
