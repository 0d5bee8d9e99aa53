/**
 * The harness's PostgreSQL, in a process of its own (src/infra/postgres.ts, as `npm start` runs
 * it): stopping it and starting it again on the same data folder and port is stopping this process
 * and starting another, each calling startEmbeddedPostgres once.
 *
 *   node --import tsx scripts/chaos/postgres-process.ts <data folder> <port>
 *
 * Prints `CHAOS_PG_READY <url>` once it accepts connections; stops PostgreSQL on SIGTERM, or when
 * its stdin closes (the harness is gone).
 */
import { createLogger } from '../../src/logging.ts';
import { startEmbeddedPostgres } from '../../src/infra/postgres.ts';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) {
  console.error('usage : postgres-process.ts <dossier> <port>');
  process.exit(2);
}
const db = await startEmbeddedPostgres({ dataDir, port: Number(port), logger: createLogger('warn', 'chaos-postgres') });
process.stdout.write(`CHAOS_PG_READY ${db.url}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void db.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
