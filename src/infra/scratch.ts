import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A new temporary folder that an embedded PostgreSQL can live in: as root, Postgres runs as the
 * `postgres` user, which must be able to traverse it (mkdtemp makes it private to root).
 */
export function makeScratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}
