import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;

/**
 * One client per process; Prisma pools connections through the pg adapter, on a pool of ours:
 * every connection keeps an error listener for its whole life. Without one, PostgreSQL closing a
 * connection that is checked out (a restart: « terminating connection due to administrator
 * command ») raised an unhandled 'error' event and stopped the process (found by `npm run chaos`).
 * The query under way fails with the error and is handled where it was made; the pool drops the
 * connection.
 */
export function createDb(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  pool.on('connect', (client) => client.on('error', () => undefined));
  // An idle connection closed by the server: the pool forgets it and opens another when needed.
  pool.on('error', () => undefined);
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
