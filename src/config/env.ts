import { z } from '../domain/validation.ts';

/**
 * Every setting of every process comes from the environment (plus an optional `.env`).
 * Names here are the contract shared with docker-compose.yml and the README.
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());

const booleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'attendu : true ou false',
    })
    .optional()
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

const port = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'attendu : un numéro de port (1 à 65535)' })
      .int('attendu : un numéro de port entier')
      .min(1, 'attendu : un numéro de port (1 à 65535)')
      .max(65535, 'attendu : un numéro de port (1 à 65535)')
      .default(fallback),
  );

const postgresUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'attendu : une URL postgresql://utilisateur:motdepasse@hôte:port/base')
    .optional(),
);

const hostPort = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^[A-Za-z0-9.[\]:_-]+:\d{1,5}$/, 'attendu : hôte:port, par exemple temporal:7233')
    .optional(),
);

const smtpUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^smtps?:\/\/.+/, 'attendu : une URL smtp://hôte:port ou smtps://utilisateur:motdepasse@hôte:port')
    .optional(),
);

const httpUrl = z.preprocess(
  emptyAsUndefined,
  z.url({ protocol: /^https?$/, error: 'attendu : une URL http(s)://…' }).optional(),
);

/** `keyId:base64Key` pairs, comma-separated; the first one encrypts, all of them decrypt. */
const payloadKeys = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$/,
      'attendu : identifiant:cléBase64 (32 octets), plusieurs séparées par des virgules, la première sert à chiffrer',
    )
    .refine(
      (spec) => spec.split(',').every((entry) => Buffer.from(entry.split(':')[1] ?? '', 'base64').length === 32),
      'attendu : des clés de 32 octets exactement (base64 de 32 octets aléatoires)',
    )
    .optional(),
);

const CACHE_SIZE = 'attendu : un nombre entier de parcours (2 au moins)';

export const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  PLIE_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  PORT: port(3000),
  PUBLIC_URL: httpUrl,
  /** The Temporal Web UI's origin (https://temporal.example.fr), allowed to call the console's codec endpoint. */
  TEMPORAL_UI_ORIGIN: httpUrl,

  DATABASE_URL: postgresUrl,

  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.preprocess(emptyAsUndefined, z.string().min(1).default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(emptyAsUndefined, z.string().min(1).default('plie-parcours')),
  /**
   * Pathways a worker keeps in memory between two of their steps (about 3 MB each: every workflow
   * evaluates its own copy of the domain's modules); the others are rebuilt from their history
   * when they wake (a timer, an answer). Measured with `npm run bench`.
   */
  PLIE_WORKFLOW_CACHE: z.preprocess(emptyAsUndefined, z.coerce.number({ error: CACHE_SIZE }).int(CACHE_SIZE).min(2, CACHE_SIZE).default(100)),
  TEMPORAL_TLS: booleanFlag,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  PLIE_PAYLOAD_KEYS: payloadKeys,
  /** Signs the links sent by email (proof upload, questionnaire, staff forms, votes). */
  PLIE_LINK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'attendu : un secret de 32 caractères au moins').optional()),
  /** Encrypts the uploaded proofs at rest (AES-256-GCM). */
  PLIE_FILE_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((key) => Buffer.from(key, 'base64').length === 32, 'attendu : une clé de 32 octets en base64')
      .optional(),
  ),
  /** Where the encrypted proofs are kept; the data folder by default. */
  PLIE_FILES_DIR: optionalString,
  /**
   * Sign-in to the staff's console through the PLIE's identity provider (OpenID Connect, e.g.
   * ProConnect for public agents), besides the emailed link: its issuer, this client's id and secret.
   */
  OIDC_ISSUER: httpUrl,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** Its name on the sign-in button (« Se connecter avec … »). */
  OIDC_NAME: z.preprocess(emptyAsUndefined, z.string().min(1).max(60).default('ProConnect')),
  OIDC_SCOPES: z.preprocess(emptyAsUndefined, z.string().min(1).default('openid email')),
  /** The provider vouches for every address it gives, without an `email_verified` claim (ProConnect): accept them. */
  OIDC_TRUST_EMAIL: booleanFlag,

  SMTP_URL: smtpUrl,
  MAIL_FROM: z.preprocess(
    emptyAsUndefined,
    z.string().min(3).default('PLIE <ne-pas-repondre@plie.localhost>'),
  ),
  /** Where participants' replies go when they have no referent yet (the coordination's mailbox, say). */
  MAIL_REPLY_TO: z.preprocess(emptyAsUndefined, z.email({ error: 'attendu : une adresse email' }).optional()),
  PLIE_COORDINATOR_EMAIL: z.preprocess(
    emptyAsUndefined,
    z.email({ error: 'attendu : une adresse email' }).default('coordination@plie.localhost'),
  ),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: httpUrl,

  PLIE_API_TOKEN: optionalString,
  /** Tokens of the other PLIEs this deployment serves: CODE:jeton,CODE:jeton. */
  PLIE_API_TOKENS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(
        /^[A-Z0-9_]+:[^,:\s]{16,}(,[A-Z0-9_]+:[^,:\s]{16,})*$/,
        'attendu : CODE:jeton,CODE:jeton (codes de PLIE en majuscules, jetons de 16 caractères au moins)',
      )
      .optional(),
  ),
  /** JSON file describing this PLIE (territory, thresholds, objectives); the CASA protocol by default. */
  PLIE_CONFIG_FILE: optionalString,

  PLIE_DEV_POSTGRES_PORT: port(54329),
  PLIE_DEV_TEMPORAL_PORT: port(7233),
  PLIE_DEV_TEMPORAL_UI_PORT: port(8233),
  PLIE_DEV_SMTP_PORT: port(1025),
  PLIE_DEV_MAIL_UI_PORT: port(1080),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws a ConfigError naming each wrong variable and what it expects. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) {
    return checkCombinations(parsed.data);
  }
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environnement)'} : ${issue.message}`),
  );
}

function checkCombinations(env: Env): Env {
  const problems: string[] = [];
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push(
      'TEMPORAL_TLS_CERT_PATH et TEMPORAL_TLS_KEY_PATH : attendus ensemble (certificat et clé du client mTLS)',
    );
  }
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc > 0 && oidc < 3) problems.push('OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET : attendus ensemble (connexion par fournisseur d’identité)');
  if (oidc === 3 && !env.PUBLIC_URL) problems.push('PUBLIC_URL : requis avec OIDC_ISSUER (l’adresse de retour de la connexion)');
  if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN : attendu : un jeton d’application Slack commençant par xapp-');
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN : attendu : un jeton de bot Slack commençant par xoxb-');
  }
  if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN : attendu avec SLACK_APP_TOKEN ou SLACK_SIGNING_SECRET (jeton de bot xoxb-…)');
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET ou SLACK_APP_TOKEN : l’un des deux est attendu avec SLACK_BOT_TOKEN (mode HTTP ou Socket Mode)',
    );
  }
  if (env.NODE_ENV === 'production') problems.push(...weakProductionSettings(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return env;
}

/** Tokens that a guess or a leak in a log could give away: too short for production. */
const MIN_PRODUCTION_TOKEN_LENGTH = 32;

/** What production refuses that a developer machine accepts: links in clear, the sample coordinator, short tokens. */
function weakProductionSettings(env: Env): string[] {
  const problems: string[] = [];
  if (!env.PUBLIC_URL?.startsWith('https://')) {
    problems.push('PUBLIC_URL : requis en production, en https:// (l’adresse des liens envoyés par email)');
  }
  if (env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith('https://')) problems.push('OIDC_ISSUER : en https:// en production');
  if (env.PLIE_COORDINATOR_EMAIL.toLowerCase().endsWith('.localhost')) {
    problems.push('PLIE_COORDINATOR_EMAIL : requis en production (l’adresse réelle de la coordination, pas celle d’exemple)');
  }
  if (env.PLIE_API_TOKEN && env.PLIE_API_TOKEN.length < MIN_PRODUCTION_TOKEN_LENGTH) {
    problems.push(`PLIE_API_TOKEN : ${MIN_PRODUCTION_TOKEN_LENGTH} caractères au moins en production (par exemple : openssl rand -base64 32)`);
  }
  const shortOthers = (env.PLIE_API_TOKENS ?? '').split(',').filter((entry) => entry && (entry.split(':')[1] ?? '').length < MIN_PRODUCTION_TOKEN_LENGTH);
  if (shortOthers.length > 0) {
    problems.push(`PLIE_API_TOKENS : ${MIN_PRODUCTION_TOKEN_LENGTH} caractères au moins par jeton en production (${shortOthers.map((e) => e.split(':')[0]).join(', ')})`);
  }
  return problems;
}

export type SlackMode = 'socket' | 'http' | 'off';

/** Slack's Web API base URL when it is pointed elsewhere (tests, proxies); the SDK wants a final slash. */
export function slackApiUrl(env: Env): string | undefined {
  return env.SLACK_API_URL?.replace(/\/?$/, '/');
}

export function slackMode(env: Env): SlackMode {
  if (!env.SLACK_BOT_TOKEN) return 'off';
  return env.SLACK_APP_TOKEN ? 'socket' : 'http';
}
