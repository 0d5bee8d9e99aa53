import type { Client } from '@temporalio/client';
import { ConfigError, resolveSecrets, resolveServiceAddresses, type AppConfig, type Secrets } from '../config/index.ts';
import { createDb, type Db } from '../db/client.ts';
import { createMailer, type Mailer } from '../email/transport.ts';
import { connectClient, temporalSettings, type TemporalSettings } from '../temporal/connection.ts';

export interface Services {
  db: Db;
  temporal: Client;
  temporalSettings: TemporalSettings;
  mailer: Mailer;
  secrets: Secrets;
  close: () => Promise<void>;
}

/**
 * Connects to the database, Temporal and SMTP: those configured, else those of a running
 * `npm start` (same data folder). Fails with a message naming what is missing.
 */
export async function openServices(config: AppConfig): Promise<Services> {
  const addresses = resolveServiceAddresses(config);
  const missing = [
    !addresses.databaseUrl && 'DATABASE_URL : non défini et aucun `npm start` en cours dans ce dossier de données',
    !addresses.temporalAddress && 'TEMPORAL_ADDRESS : non défini et aucun `npm start` en cours dans ce dossier de données',
    !addresses.smtpUrl && 'SMTP_URL : non défini et aucun `npm start` en cours dans ce dossier de données',
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0) throw new ConfigError(missing);
  const secrets = resolveSecrets(config, { create: false });
  const settings = temporalSettings(config.env, addresses.temporalAddress!, secrets.payloadKeys);
  const db = createDb(addresses.databaseUrl!);
  const temporal = await connectClient(settings);
  const mailer = createMailer(addresses.smtpUrl!);
  return {
    db,
    temporal,
    temporalSettings: settings,
    mailer,
    secrets,
    close: async () => {
      mailer.close();
      await temporal.connection.close();
      await db.$disconnect();
    },
  };
}

export function appUrl(config: AppConfig): string {
  return config.env.PUBLIC_URL ?? `http://localhost:${config.env.PORT}`;
}
