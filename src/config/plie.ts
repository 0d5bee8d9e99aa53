import { existsSync, readFileSync } from 'node:fs';
import { CASA_CONFIG, plieConfigSchema, type PlieConfig } from '../domain/plie-config.ts';
import { ConfigError, type Env } from './env.ts';

/** The PLIE this deployment serves: PLIE_CONFIG_FILE (JSON, validated) or the CASA protocol. */
export function loadPlieConfig(env: Env): PlieConfig {
  const file = env.PLIE_CONFIG_FILE;
  if (!file) return CASA_CONFIG;
  if (!existsSync(file)) throw new ConfigError([`PLIE_CONFIG_FILE : fichier introuvable (${file})`]);
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`PLIE_CONFIG_FILE : JSON illisible (${(error as Error).message})`]);
  }
  const parsed = plieConfigSchema.safeParse(content);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `PLIE_CONFIG_FILE : ${i.path.join('.')} : ${i.message}`));
  }
  return parsed.data;
}
