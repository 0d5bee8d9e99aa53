import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { isProcessAlive } from '../infra/ports.ts';
import { ConfigError, parseEnv, type Env } from './env.ts';

export { ConfigError, parseEnv, slackApiUrl, slackMode, type Env, type SlackMode } from './env.ts';

export interface AppConfig {
  env: Env;
  /** Absolute path of the data folder (embedded servers, dev secrets, runtime state). */
  dataDir: string;
}

/** Reads `.env` (if present, never overriding the real environment) and validates everything. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  if (source === process.env) loadDotenv({ path: path.join(cwd, '.env'), quiet: true });
  const env = parseEnv(source);
  return { env, dataDir: path.resolve(cwd, env.PLIE_DATA_DIR) };
}

/**
 * Addresses of the embedded servers that `npm start` started, written to the data folder so that
 * `plie doctor`, `plie participant create` and separately started processes find them.
 */
const runtimeStateSchema = z.object({
  pid: z.number(),
  startedAt: z.string(),
  databaseUrl: z.string().optional(),
  temporalAddress: z.string().optional(),
  temporalUiUrl: z.string().optional(),
  smtpUrl: z.string().optional(),
  mailUiUrl: z.string().optional(),
  appUrl: z.string().optional(),
});
export type RuntimeState = z.infer<typeof runtimeStateSchema>;

const runtimeFile = (dataDir: string) => path.join(dataDir, 'runtime.json');

export function writeRuntimeState(dataDir: string, state: RuntimeState): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(runtimeFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** The state of a running `npm start`; a file left by a process that is gone is ignored. */
export function readRuntimeState(dataDir: string): RuntimeState | undefined {
  const file = runtimeFile(dataDir);
  if (!existsSync(file)) return undefined;
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = runtimeStateSchema.safeParse(content);
  return parsed.success && isProcessAlive(parsed.data.pid) ? parsed.data : undefined;
}

export interface ServiceAddresses {
  databaseUrl?: string;
  temporalAddress?: string;
  smtpUrl?: string;
  /** Where each address came from, for `plie doctor`. */
  origin: { database: Origin; temporal: Origin; smtp: Origin };
}
type Origin = 'environnement' | 'npm start' | 'absent';

/** What to say when a server is neither configured nor started by `npm start`. */
export function notConfigured(variable: string): string {
  return `${variable} : non défini, et aucun npm start en cours dans ce dossier de données`;
}

/** Configured addresses win; otherwise those of a running `npm start` in the same data folder. */
export function resolveServiceAddresses(config: AppConfig): ServiceAddresses {
  const { env } = config;
  const runtime = readRuntimeState(config.dataDir);
  const pick = (configured: string | undefined, embedded: string | undefined) =>
    configured
      ? { value: configured, origin: 'environnement' as const }
      : embedded
        ? { value: embedded, origin: 'npm start' as const }
        : { value: undefined, origin: 'absent' as const };
  const database = pick(env.DATABASE_URL, runtime?.databaseUrl);
  const temporal = pick(env.TEMPORAL_ADDRESS, runtime?.temporalAddress);
  const smtp = pick(env.SMTP_URL, runtime?.smtpUrl);
  return {
    databaseUrl: database.value,
    temporalAddress: temporal.value,
    smtpUrl: smtp.value,
    origin: { database: database.origin, temporal: temporal.origin, smtp: smtp.origin },
  };
}

const devSecretsSchema = z.object({
  payloadKeys: z.string(),
  apiToken: z.string(),
  // Added later: a data folder from before gets them at the next `npm start`.
  linkSecret: z.string().optional(),
  fileKey: z.string().optional(),
});
/** The links' secret and the proofs' key are only needed by the web and worker processes (not the CLI). */
export type Secrets = { payloadKeys: string; apiToken: string; linkSecret: string | undefined; fileKey: string | undefined };

const REQUIRED_SECRETS = {
  PLIE_PAYLOAD_KEYS: 'PLIE_PAYLOAD_KEYS : requis en production (identifiant:cléBase64 de 32 octets)',
  PLIE_API_TOKEN: 'PLIE_API_TOKEN : requis en production (jeton secret de l’API HTTP)',
  PLIE_LINK_SECRET: 'PLIE_LINK_SECRET : requis en production (secret de signature des liens, 32 caractères au moins)',
  PLIE_FILE_KEY: 'PLIE_FILE_KEY : requis en production (clé de chiffrement des justificatifs, 32 octets en base64)',
} as const;

/**
 * Payload encryption keys, the HTTP API token, the links' signing secret and the proofs' key. In
 * production all must be configured; on a developer machine they are generated once into the
 * data folder (mode 600).
 */
export function resolveSecrets(config: AppConfig, { create }: { create: boolean }): Secrets {
  const { env } = config;
  const configured = {
    payloadKeys: env.PLIE_PAYLOAD_KEYS,
    apiToken: env.PLIE_API_TOKEN,
    linkSecret: env.PLIE_LINK_SECRET,
    fileKey: env.PLIE_FILE_KEY,
  };
  if (configured.payloadKeys && configured.apiToken && configured.linkSecret && configured.fileKey) {
    return { payloadKeys: configured.payloadKeys, apiToken: configured.apiToken, linkSecret: configured.linkSecret, fileKey: configured.fileKey };
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(Object.entries(REQUIRED_SECRETS).filter(([name]) => !env[name as keyof typeof REQUIRED_SECRETS]).map(([, problem]) => problem));
  }
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: z.infer<typeof devSecretsSchema> | undefined;
  if (existsSync(file)) stored = devSecretsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (create && (!stored?.linkSecret || !stored.fileKey)) {
    stored = {
      payloadKeys: stored?.payloadKeys ?? `dev1:${randomBytes(32).toString('base64')}`,
      apiToken: stored?.apiToken ?? randomBytes(24).toString('base64url'),
      linkSecret: stored?.linkSecret ?? randomBytes(32).toString('base64url'),
      fileKey: stored?.fileKey ?? randomBytes(32).toString('base64'),
    };
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const payloadKeys = configured.payloadKeys ?? stored?.payloadKeys;
  const apiToken = configured.apiToken ?? stored?.apiToken;
  const linkSecret = configured.linkSecret ?? stored?.linkSecret;
  const fileKey = configured.fileKey ?? stored?.fileKey;
  if (!payloadKeys || !apiToken) {
    throw new ConfigError([
      `PLIE_PAYLOAD_KEYS et PLIE_API_TOKEN : absents, et aucun secret de développement dans ${file} (lancez d’abord npm start, ou définissez-les)`,
    ]);
  }
  return { payloadKeys, apiToken, linkSecret, fileKey };
}

/** The secrets of the links and of the proofs, for the processes that use them. */
export function linkSecrets(secrets: Secrets, dataDir: string): { linkSecret: string; fileKey: string } {
  if (!secrets.linkSecret || !secrets.fileKey) {
    throw new ConfigError([
      `PLIE_LINK_SECRET et PLIE_FILE_KEY : absents, et aucun secret de développement complet dans ${path.join(dataDir, 'secrets.json')} (relancez npm start une fois, ou définissez-les)`,
    ]);
  }
  return { linkSecret: secrets.linkSecret, fileKey: secrets.fileKey };
}
