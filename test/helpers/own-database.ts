/**
 * A database of a test file's own, created and migrated in the run's PostgreSQL: for tests whose
 * assertions cover a whole database (« found nowhere ») or that change rows no other test may see
 * changed (the retention deletes expired records of every kind).
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/infra/migrate.ts';
import { createLogger } from '../../src/logging.ts';

/** Its connection URL. */
export async function createOwnDatabase(prefix: string): Promise<string> {
  const shared = createDb(inject('databaseUrl'));
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  try {
    await shared.$executeRawUnsafe(`CREATE DATABASE ${name}`);
  } finally {
    await shared.$disconnect();
  }
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString(), createLogger('silent'));
  return url.toString();
}
