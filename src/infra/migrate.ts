import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging.ts';
import { projectRoot } from './project.ts';

const run = promisify(execFile);

/** Applies the SQL migrations of prisma/migrations that the database has not seen yet. */
export async function migrateDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  const prisma = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
  const { stdout } = await run(process.execPath, [prisma, 'migrate', 'deploy'], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  const applied = stdout.match(/applied|No pending migrations/gi);
  logger.info({ component: 'migrations', result: applied?.at(-1) ?? 'ok' }, 'migrations appliquées');
}
