import { execFile, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging.ts';
import { importDevOnly } from './dev-only.ts';
import { ensurePortFree, waitForPort } from './ports.ts';
import { projectRoot, toolsDir } from './project.ts';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/search-attributes.ts';

const run = promisify(execFile);

/** Last CLI release that `go install pkg@version` accepts (later ones carry a `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
/** Pinned in tools/temporal-test-server/pom.xml. */
const TEST_SERVER_POM = path.join(projectRoot, 'tools', 'temporal-test-server', 'pom.xml');
const TEST_SERVER_DIR = path.join(toolsDir, 'temporal-test-server');

/**
 * Where a Temporal binary comes from, in the order tried:
 * on PATH → already built in .tools → built now from the Go module proxy → the SDK's own download.
 */
export type BinarySource =
  | { rung: 'path' | 'tools' | 'built'; path: string }
  | { rung: 'download' };

export function describeSource(source: BinarySource): string {
  switch (source.rung) {
    case 'path':
      return `binaire trouvé dans le PATH (${source.path})`;
    case 'tools':
      return `binaire déjà construit dans .tools (${source.path})`;
    case 'built':
      return `binaire construit à l’instant avec go install (${source.path})`;
    case 'download':
      return 'téléchargement par le SDK Temporal (accès internet nécessaire)';
  }
}

/** The executable of this name on PATH, if any. */
export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Finds (or builds) the Temporal CLI that runs the dev server. */
export async function locateTemporalCli(logger: Logger): Promise<BinarySource> {
  const fromPath = onPath('temporal');
  if (fromPath) return { rung: 'path', path: fromPath };
  const built = path.join(toolsDir, 'bin', 'temporal');
  if (existsSync(built)) return { rung: 'tools', path: built };
  if (onPath('go')) {
    logger.info(
      { module: TEMPORAL_CLI_MODULE },
      'construction du serveur Temporal avec go install (première fois : quelques minutes)',
    );
    mkdirSync(path.dirname(built), { recursive: true });
    await run('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: path.dirname(built), GOFLAGS: '-buildvcs=false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { rung: 'built', path: built };
  }
  return { rung: 'download' };
}

/** Finds (or fetches with Maven) Temporal's Java time-skipping test server; returns a launcher. */
export async function locateTestServer(logger: Logger): Promise<BinarySource> {
  const launcher = path.join(TEST_SERVER_DIR, 'run.sh');
  const lib = path.join(TEST_SERVER_DIR, 'lib');
  const java = onPath('java');
  const version = /<artifactId>temporal-test-server<\/artifactId>\s*<version>([^<]+)</.exec(
    readFileSync(TEST_SERVER_POM, 'utf8'),
  )?.[1];
  const stamp = path.join(TEST_SERVER_DIR, 'version');
  const current = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (java && existsSync(launcher) && current === version) return { rung: 'tools', path: launcher };
  if (java && onPath('mvn')) {
    logger.info({ version }, 'récupération du serveur de test Temporal (Java) depuis Maven Central');
    await run(
      'mvn',
      ['-q', '-B', '-f', TEST_SERVER_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    writeFileSync(launcher, `#!/bin/sh\nexec "${java}" -cp "${lib}/*" io.temporal.testserver.TestServer "$@"\n`);
    chmodSync(launcher, 0o755);
    writeFileSync(stamp, `${version}\n`);
    return { rung: 'built', path: launcher };
  }
  return { rung: 'download' };
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  source: BinarySource;
  stop: () => Promise<void>;
}

/** Starts `temporal server start-dev` with its state in `dbFile` (persistent across restarts). */
export async function startDevServer(opts: {
  source: BinarySource;
  port: number;
  uiPort?: number;
  dbFile?: string;
  logFile: string;
  logger: Logger;
}): Promise<RunningTemporal> {
  const ip = '127.0.0.1';
  const address = `${ip}:${opts.port}`;
  const uiUrl = opts.uiPort ? `http://${ip}:${opts.uiPort}` : undefined;
  if (opts.source.rung === 'download') {
    // Only with internet: the SDK downloads the CLI into .tools and runs it.
    // A devDependency, like this whole development server.
    const { TestWorkflowEnvironment } = await importDevOnly(
      '@temporalio/testing',
      'Serveur Temporal de développement téléchargé',
      () => import('@temporalio/testing'),
      'Installez les dépendances de développement (npm install), ou donnez l’adresse d’un serveur Temporal dans TEMPORAL_ADDRESS.',
    );
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: toolsDir },
        ip,
        port: opts.port,
        ...(opts.uiPort ? { ui: true, uiPort: opts.uiPort } : {}),
        ...(opts.dbFile ? { dbFilename: opts.dbFile } : {}),
      },
    });
    return { address, uiUrl, source: opts.source, stop: () => env.teardown() };
  }
  // Something else on the port would answer our readiness check while our server fails to bind.
  await ensurePortFree(opts.port, 'PLIE_DEV_TEMPORAL_PORT', ip);
  if (opts.uiPort) await ensurePortFree(opts.uiPort, 'PLIE_DEV_TEMPORAL_UI_PORT', ip);
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--log-level', 'warn'];
  // The pathway's search attributes (stage, referent, overdue), for the Web UI's lists.
  for (const { name, type } of SEARCH_ATTRIBUTE_DEFINITIONS) args.push('--search-attribute', `${name}=${type}`);
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(opts.source.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', done); // e.g. the binary cannot be executed
  });
  const early = exit.then(() => {
    throw new Error(`le serveur Temporal s’est arrêté au démarrage (journal : ${opts.logFile})`);
  });
  early.catch(() => undefined);
  try {
    await Promise.race([waitForPort(ip, opts.port, 60_000, 'Temporal'), early]);
    if (opts.uiPort) await Promise.race([waitForPort(ip, opts.uiPort, 30_000, 'l’interface web de Temporal'), early]);
  } catch (error) {
    if (!exited) child.kill('SIGKILL');
    log.end();
    throw error;
  }
  return {
    address,
    uiUrl,
    source: opts.source,
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}
