/**
 * Creates the next migration from the change to prisma/schema.prisma.
 * `prisma migrate dev` needs a live introspection that the offline engine cannot do, so the SQL
 * comes from `prisma migrate diff` between the schema of the last migration (kept beside its SQL
 * as schema.snapshot.prisma) and the current schema.
 *
 *   npm run db:migration -- <name>
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { freePort } from '../src/infra/ports.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { createLogger } from '../src/logging.ts';

const root = path.resolve(import.meta.dirname, '..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schema = path.join(root, 'prisma', 'schema.prisma');

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage : npm run db:migration -- <nom_en_minuscules_avec_underscores>');
  process.exit(2);
}

const previous = readdirSync(migrationsDir)
  .filter((d) => /^\d{14}_/.test(d))
  .sort()
  .at(-1);
const snapshot = previous ? path.join(migrationsDir, previous, 'schema.snapshot.prisma') : undefined;
if (snapshot && !existsSync(snapshot)) {
  console.error(`Instantané du schéma introuvable : ${snapshot}`);
  process.exit(1);
}

// The JavaScript schema engine wants a live database even to diff two files: use a throwaway one.
const scratch = makeScratchDir('plie-migration-');
const db = await startEmbeddedPostgres({ dataDir: scratch, port: await freePort(), logger: createLogger('warn') });
const from = snapshot ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
let sql: string;
try {
  sql = execFileSync(
    path.join(root, 'node_modules', '.bin', 'prisma'),
    ['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url } },
  );
} finally {
  await db.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (/^-- This is an empty migration\.\s*$/.test(sql.trim())) {
  console.log('Aucun changement de schéma : aucune migration créée.');
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir);
writeFileSync(path.join(dir, 'migration.sql'), sql);
copyFileSync(schema, path.join(dir, 'schema.snapshot.prisma'));
console.log(`Migration créée : ${path.relative(root, dir)}/migration.sql`);
