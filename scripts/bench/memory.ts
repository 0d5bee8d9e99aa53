/**
 * Memory of the worker with many open pathways idle on their timers: people recorded as an import
 * leaves them (integrated a few days ago, a referent named), then their pathways started as
 * `plie import` starts them. The bare baseline: as many bare workflows waiting, on the bare worker.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../src/config/index.ts';
import { toDbDate } from '../../src/db/dates.ts';
import type { Db } from '../../src/db/client.ts';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import type { PlieConfig } from '../../src/domain/plie-config.ts';
import { startImportedPathways } from '../../src/import/start-pathways.ts';
import type { Logger } from '../../src/logging.ts';
import { pathwayDeps } from '../../src/main/services.ts';
import { REFERENTS } from '../chaos/population.ts';
import { pool } from '../pool.ts';

/** Records `count` integrated people and starts their pathways; resolves once every one is started. */
export async function startIdlePathways(opts: { config: AppConfig; db: Db; client: Client; logger: Logger; plie: PlieConfig; count: number; tag: string }): Promise<number> {
  const today = parisDate(Date.now());
  const rows = Array.from({ length: opts.count }, (_, i) => {
    const lastName = `Repos${opts.tag}`;
    const firstName = `Personne${i}`;
    const birthDate = `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;
    return {
      id: randomUUID(),
      plieCode: opts.plie.code,
      externalId: `R${opts.tag}-${i}`,
      firstName,
      lastName,
      identityKey: `${lastName.toLowerCase()}|${firstName.toLowerCase()}|${birthDate}#R${i}`,
      birthDate: toDbDate(birthDate),
      orientationDate: toDbDate(addDays(today, -20)),
      integrationDate: toDbDate(addDays(today, -(i % 10))),
      referentName: REFERENTS[i % REFERENTS.length]!.name,
      createdBy: 'import',
    };
  });
  for (let from = 0; from < rows.length; from += 1000) await opts.db.participant.createMany({ data: rows.slice(from, from + 1000) });
  const started = await startImportedPathways(pathwayDeps(opts.config, opts.db, opts.client, opts.logger, opts.plie), opts.plie.code);
  return started.started;
}

/** As many bare workflows, waiting (they expect more Updates than they will get). */
export async function startIdleBare(client: Client, taskQueue: string, count: number, tag: string): Promise<void> {
  await pool(count, 20, async (i) => {
    await client.workflow.start('bareUpdates', { taskQueue, workflowId: `bare-idle-${tag}-${i}`, args: [1_000_000] });
  });
}

/** CPU time (ms) a process has used, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, 14th and 15th fields of the line (11th and 12th after the name).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * Resolves once the process has used under a fifth of a core for 5 s in a row (its backlog done;
 * idle pollers, and the sampling of a CPU profile when one is taken, stay below that).
 */
export async function waitIdle(pid: number, maxMs = 900_000): Promise<number> {
  const start = Date.now();
  let quiet = 0;
  let last = cpuMs(pid);
  while (Date.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuMs(pid);
    quiet = now - last < 200 ? quiet + 1 : 0;
    last = now;
    if (quiet >= 5) return (Date.now() - start) / 1000;
  }
  throw new Error(`processus ${pid} toujours occupé après ${maxMs / 1000} s`);
}
