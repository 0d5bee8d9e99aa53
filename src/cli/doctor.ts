import { WebClient } from '@slack/web-api';
import {
  ConfigError,
  notConfigured,
  readRuntimeState,
  resolveSecrets,
  resolveServiceAddresses,
  slackApiUrl,
  slackMode,
  type AppConfig,
} from '../config/index.ts';
import { createDb } from '../db/client.ts';
import { parisDate } from '../domain/dates.ts';
import { createMailer } from '../email/transport.ts';
import { listPlies, plieConfigFor } from '../plies/registry.ts';
import { plieWarningsFor } from '../plies/warnings.ts';
import { pingDatabase } from '../infra/postgres.ts';
import { connectClient, temporalSettings } from '../temporal/connection.ts';

export interface Check {
  name: string;
  ok: boolean;
  /** Needed for the system to work; Slack is optional. */
  required: boolean;
  detail: string;
}

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T> =>
  await Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pas de réponse en ${ms / 1000} s`)), ms).unref()),
  ]);

const reason = (error: unknown) => (error as Error).message.split('\n')[0] ?? String(error);

/** Checks what the system needs, with the same configuration and data folder as `npm start`. */
export async function runDoctor(config: AppConfig): Promise<Check[]> {
  const addresses = resolveServiceAddresses(config);
  const checks: Check[] = [];
  const runtime = readRuntimeState(config.dataDir);
  checks.push({
    name: 'Configuration',
    ok: true,
    required: true,
    detail: `valide ; dossier de données ${config.dataDir}${runtime ? ` (npm start en cours, processus ${runtime.pid})` : ''}`,
  });

  let payloadKeys: string | undefined;
  try {
    payloadKeys = resolveSecrets(config, { create: false }).payloadKeys;
    checks.push({ name: 'Secrets', ok: true, required: true, detail: 'clés de chiffrement et jeton d’API disponibles' });
  } catch (error) {
    checks.push({ name: 'Secrets', ok: false, required: true, detail: error instanceof ConfigError ? error.problems.join(' ; ') : reason(error) });
  }

  if (!addresses.databaseUrl) {
    checks.push({ name: 'PostgreSQL', ok: false, required: true, detail: notConfigured('DATABASE_URL') });
  } else {
    try {
      await pingDatabase(addresses.databaseUrl);
      checks.push({ name: 'PostgreSQL', ok: true, required: true, detail: `joignable (${addresses.origin.database})` });
      checks.push(...(await plieChecks(config, addresses.databaseUrl)));
    } catch (error) {
      checks.push({ name: 'PostgreSQL', ok: false, required: true, detail: `injoignable : ${reason(error)}` });
    }
  }

  if (!addresses.temporalAddress) {
    checks.push({ name: 'Temporal', ok: false, required: true, detail: notConfigured('TEMPORAL_ADDRESS') });
  } else {
    try {
      const settings = temporalSettings(config.env, addresses.temporalAddress, payloadKeys ?? 'none:' + Buffer.alloc(32).toString('base64'));
      const client = await withTimeout(connectClient(settings), 8000);
      try {
        await withTimeout(client.workflowService.describeNamespace({ namespace: settings.namespace }), 5000);
      } finally {
        await client.connection.close();
      }
      checks.push({
        name: 'Temporal',
        ok: true,
        required: true,
        detail: `joignable à ${addresses.temporalAddress}, espace de noms « ${settings.namespace} » (${addresses.origin.temporal})`,
      });
    } catch (error) {
      checks.push({ name: 'Temporal', ok: false, required: true, detail: `injoignable à ${addresses.temporalAddress} : ${reason(error)}` });
    }
  }

  if (!addresses.smtpUrl) {
    checks.push({ name: 'SMTP', ok: false, required: true, detail: notConfigured('SMTP_URL') });
  } else {
    const mailer = createMailer(addresses.smtpUrl);
    try {
      await withTimeout(mailer.verify(), 5000);
      checks.push({ name: 'SMTP', ok: true, required: true, detail: `serveur d’envoi joignable (${addresses.origin.smtp})` });
    } catch (error) {
      checks.push({ name: 'SMTP', ok: false, required: true, detail: `injoignable : ${reason(error)}` });
    } finally {
      mailer.close();
    }
  }

  const mode = slackMode(config.env);
  if (mode === 'off') {
    checks.push({ name: 'Slack', ok: true, required: false, detail: 'non configuré : les invitations passent par email' });
  } else {
    const client = new WebClient(config.env.SLACK_BOT_TOKEN, {
      slackApiUrl: slackApiUrl(config.env),
      retryConfig: { retries: 0 },
    });
    try {
      const auth = await withTimeout(client.auth.test(), 8000);
      checks.push({
        name: 'Slack',
        ok: true,
        required: false,
        detail: `jeton valide pour l’espace « ${auth.team ?? '?'} » (mode ${mode === 'socket' ? 'Socket Mode' : 'HTTP'})`,
      });
    } catch (error) {
      checks.push({ name: 'Slack', ok: false, required: false, detail: `configuré mais injoignable : ${reason(error)}` });
    }
  }
  return checks;
}

/** Each PLIE's configuration and roster: what its coordination should fix (never blocking). */
async function plieChecks(config: AppConfig, databaseUrl: string): Promise<Check[]> {
  const db = createDb(databaseUrl);
  try {
    const own = await plieConfigFor(db, config.env);
    const codes = [...new Set([own.code, ...(await listPlies(db)).map((p) => p.code)])];
    const checks: Check[] = [];
    for (const code of codes) {
      const plie = await plieConfigFor(db, config.env, code);
      const warnings = await plieWarningsFor(db, plie, parisDate(new Date()), own.code);
      checks.push({ name: `PLIE ${code}`, ok: warnings.length === 0, required: false, detail: warnings.length ? warnings.join(' ; ') : 'protocole en vigueur, commission ad hoc composée' });
    }
    return checks;
  } catch (error) {
    return [{ name: 'PLIE', ok: false, required: false, detail: `configuration illisible : ${error instanceof ConfigError ? error.problems.join(' ; ') : reason(error)}` }];
  } finally {
    await db.$disconnect();
  }
}

export function formatChecks(checks: Check[]): string {
  const lines = checks.map((c) => `${c.ok ? '✔' : c.required ? '✘' : '!'} ${c.name.padEnd(13)} ${c.detail}`);
  const ok = checks.every((c) => c.ok || !c.required);
  lines.push('', ok ? 'Tout ce qui est nécessaire est joignable.' : 'Il manque quelque chose : voir les lignes marquées ✘.');
  return lines.join('\n');
}
