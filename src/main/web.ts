/** Production entry point: the bot/web process (HTTP API and Slack); stateless, scale freely. */
import { linkSecrets, loadConfig } from '../config/index.ts';
import { createLogger } from '../logging.ts';
import { exitOnConfigError } from './process.ts';
import { runWeb } from './run-web.ts';
import { openServices } from './services.ts';

const config = exitOnConfigError(() => loadConfig());
const logger = createLogger(config.env.LOG_LEVEL).child({ role: 'web' });
const services = await exitOnConfigError(() => openServices(config, { smtp: false }));
const web = await runWeb({
  config,
  db: services.db,
  temporal: services.temporal,
  apiToken: services.secrets.apiToken,
  links: exitOnConfigError(() => linkSecrets(services.secrets, config.dataDir)),
  logger,
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  let code = 0;
  try {
    await web.close();
  } catch (error) {
    logger.error({ err: (error as Error).message }, 'arrêt du web incomplet');
    code = 1;
  }
  await services.close();
  logger.info('web arrêté');
  process.exit(code);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
