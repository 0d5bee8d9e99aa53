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
const services = await exitOnConfigError(() => openServices(config));
const worker = await runWorker({ config, services, logger });
const stop = () => void worker.stop();
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await worker.done;
await services.close();
logger.info('worker arrêté');
