import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, linkSecrets, parseEnv, resolveSecrets, resolveServiceAddresses, slackMode } from '../../src/config/index.ts';
import { configProblems } from '../helpers/settings.ts';

/** What a production deployment sets besides its secrets. */
const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://plie.example.org', PLIE_COORDINATOR_EMAIL: 'coordination@plie-casa.fr' };

const problemsOf = (vars: Record<string, string>) => configProblems(() => parseEnv(vars));

describe('environment configuration', () => {
  it('has defaults for everything `npm start` needs', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      PLIE_DATA_DIR: './.data',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'plie-parcours',
      TEMPORAL_TLS: false,
      NODE_ENV: 'development',
      PLIE_WORKFLOW_CACHE: 100,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(slackMode(env)).toBe('off');
  });

  it('treats empty values as unset (as a copied .env.example leaves them)', () => {
    expect(parseEnv({ DATABASE_URL: '', PORT: '', SLACK_BOT_TOKEN: '' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT : attendu : un numéro de port (1 à 65535)'],
    [{ PORT: '70000' }, 'PORT : attendu : un numéro de port (1 à 65535)'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL : attendu : une URL postgresql://utilisateur:motdepasse@hôte:port/base'],
    [{ TEMPORAL_ADDRESS: 'temporal' }, 'TEMPORAL_ADDRESS : attendu : hôte:port, par exemple temporal:7233'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL : attendu : une URL smtp://hôte:port ou smtps://utilisateur:motdepasse@hôte:port'],
    [{ TEMPORAL_TLS: 'oui' }, 'TEMPORAL_TLS : attendu : true ou false'],
    [{ PLIE_WORKFLOW_CACHE: 'beaucoup' }, 'PLIE_WORKFLOW_CACHE : attendu : un nombre entier de parcours (2 au moins)'],
    [{ PLIE_WORKFLOW_CACHE: '1' }, 'PLIE_WORKFLOW_CACHE : attendu : un nombre entier de parcours (2 au moins)'],
    [{ PLIE_COORDINATOR_EMAIL: 'coordination' }, 'PLIE_COORDINATOR_EMAIL : attendu : une adresse email'],
    [{ LOG_LEVEL: 'bavard' }, 'LOG_LEVEL'],
    [{ PLIE_PAYLOAD_KEYS: 'sans-deux-points' }, 'PLIE_PAYLOAD_KEYS : attendu : identifiant:cléBase64'],
    [{ PLIE_API_TOKENS: 'casa:court' }, 'PLIE_API_TOKENS : attendu : CODE:jeton,CODE:jeton'],
    [{ TEMPORAL_TLS_CERT_PATH: '/c.pem' }, 'TEMPORAL_TLS_CERT_PATH et TEMPORAL_TLS_KEY_PATH : attendus ensemble'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET ou SLACK_APP_TOKEN'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN : attendu avec SLACK_APP_TOKEN ou SLACK_SIGNING_SECRET'],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN : attendu : un jeton de bot Slack commençant par xoxb-'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, 'SLACK_APP_TOKEN : attendu : un jeton d’application Slack commençant par xapp-'],
    [{ OIDC_ISSUER: 'https://auth.example.org' }, 'OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET : attendus ensemble'],
    [{ OIDC_ISSUER: 'https://auth.example.org', OIDC_CLIENT_ID: 'plie', OIDC_CLIENT_SECRET: 's' }, 'PUBLIC_URL : requis avec OIDC_ISSUER'],
    [{ ...PRODUCTION, OIDC_ISSUER: 'http://auth.example.org', OIDC_CLIENT_ID: 'plie', OIDC_CLIENT_SECRET: 's' }, 'OIDC_ISSUER : en https:// en production'],
  ])('refuses %j, naming the variable and what is expected', (vars, message) => {
    const problems = problemsOf(vars);
    expect(problems.some((p) => p.startsWith(message) || p.includes(message))).toBe(true);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'http'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, 'socket'],
    [{}, 'off'],
  ])('picks the Slack mode from %j: %s', (vars, mode) => {
    expect(slackMode(parseEnv(vars))).toBe(mode);
  });
});

describe('secrets and service addresses', () => {
  const withDataDir = (test: (dataDir: string) => void) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'plie-config-'));
    try {
      test(dataDir);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('generates development secrets once, private to the owner, and reuses them', () => {
    withDataDir((dataDir) => {
      const config = { env: parseEnv({}), dataDir };
      expect(() => resolveSecrets(config, { create: false })).toThrow(ConfigError);
      const first = resolveSecrets(config, { create: true });
      expect(first.payloadKeys).toMatch(/^dev1:[A-Za-z0-9+/=]{44}$/);
      expect(resolveSecrets(config, { create: false })).toEqual(first);
      expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    });
  });

  it('completes the development secrets of an older data folder, keeping the existing keys', () => {
    withDataDir((dataDir) => {
      const older = { payloadKeys: `dev1:${Buffer.alloc(32, 9).toString('base64')}`, apiToken: 'ancien-jeton' };
      writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify(older));
      const config = { env: parseEnv({}), dataDir };
      expect(() => linkSecrets(resolveSecrets(config, { create: false }), dataDir)).toThrow(/PLIE_LINK_SECRET/);
      const completed = resolveSecrets(config, { create: true });
      expect(completed).toMatchObject(older);
      const { linkSecret, fileKey } = linkSecrets(completed, dataDir);
      expect(linkSecret.length).toBeGreaterThanOrEqual(32);
      expect(Buffer.from(fileKey, 'base64')).toHaveLength(32);
      expect(resolveSecrets(config, { create: false })).toEqual(completed);
    });
  });

  it('requires the secrets in production', () => {
    withDataDir((dataDir) => {
      const config = { env: parseEnv({ ...PRODUCTION }), dataDir };
      expect(() => resolveSecrets(config, { create: true })).toThrow(/PLIE_PAYLOAD_KEYS : requis en production/);
      const partial = { env: parseEnv({ ...PRODUCTION, PLIE_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, PLIE_API_TOKEN: 'x'.repeat(32) }), dataDir };
      expect(configProblems(() => resolveSecrets(partial, { create: true }))).toEqual([
        'PLIE_LINK_SECRET : requis en production (secret de signature des liens, 32 caractères au moins)',
        'PLIE_FILE_KEY : requis en production (clé de chiffrement des justificatifs, 32 octets en base64)',
      ]);
    });
  });

  it('refuses in production what a developer machine accepts: links in clear, the sample coordinator, short tokens', () => {
    expect(configProblems(() => parseEnv({ NODE_ENV: 'production', PLIE_API_TOKEN: 'jeton', PLIE_API_TOKENS: `AUTRE:${'y'.repeat(16)},TROISIEME:${'z'.repeat(40)}` }))).toEqual([
      'PUBLIC_URL : requis en production, en https:// (l’adresse des liens envoyés par email)',
      'PLIE_COORDINATOR_EMAIL : requis en production (l’adresse réelle de la coordination, pas celle d’exemple)',
      'PLIE_API_TOKEN : 32 caractères au moins en production (par exemple : openssl rand -base64 32)',
      'PLIE_API_TOKENS : 32 caractères au moins par jeton en production (AUTRE)',
    ]);
    expect(configProblems(() => parseEnv({ ...PRODUCTION, PUBLIC_URL: 'http://plie.example.org' }))).toEqual(['PUBLIC_URL : requis en production, en https:// (l’adresse des liens envoyés par email)']);
    expect(parseEnv({ ...PRODUCTION, PLIE_API_TOKEN: 'x'.repeat(32) }).PUBLIC_URL).toBe('https://plie.example.org');
    // A developer machine takes the defaults.
    expect(parseEnv({ PLIE_API_TOKEN: 'jeton' }).PLIE_COORDINATOR_EMAIL).toBe('coordination@plie.localhost');
  });

  it('prefers configured addresses and ignores the state of a stopped `npm start`', () => {
    withDataDir((dataDir) => {
      const state = { pid: process.pid, startedAt: 'x', databaseUrl: 'postgresql://a@b/c', smtpUrl: 'smtp://m:1' };
      writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify(state));
      const configured = resolveServiceAddresses({ env: parseEnv({ SMTP_URL: 'smtp://relay:25' }), dataDir });
      expect(configured).toMatchObject({
        databaseUrl: 'postgresql://a@b/c',
        smtpUrl: 'smtp://relay:25',
        origin: { database: 'npm start', smtp: 'environnement', temporal: 'absent' },
      });
      // A pid that no longer exists: the file is stale.
      writeFileSync(path.join(dataDir, 'runtime.json'), JSON.stringify({ ...state, pid: 2 ** 22 + 1 }));
      expect(resolveServiceAddresses({ env: parseEnv({}), dataDir }).databaseUrl).toBeUndefined();
      expect(readFileSync(path.join(dataDir, 'runtime.json'), 'utf8')).toContain('postgresql://');
    });
  });
});
