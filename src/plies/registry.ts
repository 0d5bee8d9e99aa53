/**
 * The PLIEs one deployment serves. Each is registered with its configuration (validated);
 * the deployment's own PLIE — PLIE_CONFIG_FILE, or the CASA protocol — needs no registration.
 */
import { ConfigError, type Env } from '../config/env.ts';
import { loadPlieConfig } from '../config/plie.ts';
import type { Db } from '../db/client.ts';
import { plieConfigSchema, type PlieConfig } from '../domain/plie-config.ts';
import { Prisma } from '../generated/prisma/client.ts';

export async function registerPlie(db: Db, raw: unknown): Promise<PlieConfig> {
  const parsed = plieConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'configuration'} : ${i.message}`));
  }
  const config = parsed.data;
  const stored = JSON.parse(JSON.stringify(config)) as Prisma.InputJsonObject;
  await db.plie.upsert({
    where: { code: config.code },
    create: { code: config.code, name: config.name, config: stored },
    update: { name: config.name, config: stored },
  });
  return config;
}

/** The configuration of PLIE `code` (the deployment's own PLIE when no code is given). */
export async function plieConfigFor(db: Db, env: Env, code?: string): Promise<PlieConfig> {
  const own = loadPlieConfig(env);
  if (!code || code === own.code) {
    const registered = await db.plie.findUnique({ where: { code: own.code } });
    return registered ? parseStored(registered.code, registered.config) : own;
  }
  const registered = await db.plie.findUnique({ where: { code } });
  if (!registered) throw new ConfigError([`PLIE ${code} inconnu : enregistrez sa configuration (plie config register --file …)`]);
  return parseStored(code, registered.config);
}

export async function listPlies(db: Db): Promise<Array<{ code: string; name: string }>> {
  return await db.plie.findMany({ select: { code: true, name: true }, orderBy: { code: 'asc' } });
}

function parseStored(code: string, config: unknown): PlieConfig {
  const parsed = plieConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `configuration du PLIE ${code} : ${i.path.join('.')} : ${i.message}`));
}
