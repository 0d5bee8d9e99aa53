/**
 * docker-compose.yml cannot run here (no Docker engine), so its shape is checked against the
 * application's own configuration schema: every variable it sets is one the app reads, the values
 * pass validation, and addresses point at services that exist, on the ports they listen on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from '../../src/config/env.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../workflows/search-attributes.ts';

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

/** What `docker compose` does with `${VAR:?msg}`, `${VAR:-default}` and `${VAR}`, given a .env. */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = dotenv[name];
    if (set) return set;
    if (op === '?') throw new Error(`${name} manquant`);
    return op === '-' ? (arg ?? '') : '';
  });
}

const dotenv = {
  POSTGRES_PASSWORD: 'mot-de-passe',
  PLIE_PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  PLIE_API_TOKEN: 'un-jeton-d-api-de-trente-deux-caracteres',
  PLIE_COORDINATOR_EMAIL: 'coordination@plie-casa.fr',
  PUBLIC_URL: 'https://plie.example.org',
  PLIE_LINK_SECRET: 'un-secret-de-liens-assez-long-pour-la-production',
  PLIE_FILE_KEY: Buffer.alloc(32, 3).toString('base64'),
};

const appEnv = (name: string) =>
  Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), dotenv)]));

describe('docker-compose.yml', () => {
  it('has the production services, the app ones built from the Dockerfile', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['mail', 'migrate', 'postgres', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'web', 'worker'].sort(),
    );
    for (const name of ['worker', 'web', 'migrate']) expect(services[name]?.build).toBe('.');
    expect(services.temporal?.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(services.worker?.command).toEqual(['npm', 'run', 'worker']);
    expect(services.web?.command).toEqual(['npm', 'run', 'web']);
  });

  it('sets only variables the application reads, with values its schema accepts', () => {
    const known = new Set(Object.keys(envSchema.shape));
    for (const name of ['worker', 'web', 'migrate']) {
      const env = appEnv(name);
      expect(Object.keys(env).filter((k) => !known.has(k)), `${name}: variables inconnues`).toEqual([]);
      const parsed = parseEnv(env);
      expect(parsed.NODE_ENV).toBe('production');
      expect(parsed.DATABASE_URL).toBeDefined();
      expect(parsed.TEMPORAL_ADDRESS).toBeDefined();
      expect(parsed.SMTP_URL).toBeDefined();
    }
  });

  it('refuses to start without the secrets', () => {
    expect(() => interpolate(String(services.worker?.environment?.PLIE_PAYLOAD_KEYS), {})).toThrow('PLIE_PAYLOAD_KEYS manquant');
    expect(() => interpolate(String(services.web?.environment?.PLIE_API_TOKEN), {})).toThrow('PLIE_API_TOKEN manquant');
    // Nor without its public address and its coordination (production refuses the samples).
    expect(() => interpolate(String(services.web?.environment?.PUBLIC_URL), {})).toThrow('PUBLIC_URL manquant');
    expect(() => interpolate(String(services.web?.environment?.PLIE_COORDINATOR_EMAIL), {})).toThrow('PLIE_COORDINATOR_EMAIL manquant');
  });

  it('points the app at services that exist, on their ports', () => {
    const env = parseEnv(appEnv('web'));
    const [temporalHost, temporalPort] = env.TEMPORAL_ADDRESS!.split(':');
    expect(services[temporalHost!]?.image).toMatch(/^temporalio\/server:/);
    expect(services[temporalHost!]?.expose).toContain(temporalPort);
    const database = new URL(env.DATABASE_URL!);
    expect(services[database.hostname]?.image).toMatch(/^postgres:/);
    expect(database.port).toBe('5432');
    expect(database.username).toBe(services.postgres?.environment?.POSTGRES_USER);
    expect(database.pathname).toBe(`/${services.postgres?.environment?.POSTGRES_DB}`);
    const smtp = new URL(env.SMTP_URL!);
    expect(services[smtp.hostname]?.image).toMatch(/^maildev\/maildev:/);
    expect(smtp.port).toBe('1025'); // MailDev's SMTP port inside its container
    expect(services.web?.ports).toContain(`${env.PORT}:${env.PORT}`);
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe(env.TEMPORAL_ADDRESS);
  });

  it('publishes only the application; the Temporal server stays on the internal network', () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((p) => `${name} ${p}`));
    expect(published.sort()).toEqual(['mail 127.0.0.1:1080:1080', 'temporal-ui 127.0.0.1:8080:8080', 'web 3000:3000']);
  });

  it('starts the app only after migrations and the Temporal namespace', () => {
    for (const name of ['worker', 'web']) {
      expect(services[name]?.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
    }
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(services[dependency], `${name} dépend de ${dependency}`).toBeDefined();
      }
    }
  });
});

describe('deploy/temporal/create-namespace.sh', () => {
  it('registers every search attribute the pathway workflow sets, with its type', () => {
    const script = readFileSync(path.join(projectRoot, 'deploy', 'temporal', 'create-namespace.sh'), 'utf8');
    for (const { name, type } of SEARCH_ATTRIBUTE_DEFINITIONS) expect(script).toContain(`${name}=${type}`);
  });
});
