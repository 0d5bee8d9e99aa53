import type { Client } from '@temporalio/client';
import {
  ConfigError,
  notConfigured,
  resolveSecrets,
  resolveServiceAddresses,
  type AppConfig,
  type Secrets,
} from '../config/index.ts';
import { createDb, type Db } from '../db/client.ts';
import { taskTimings } from '../domain/tasks.ts';
import { loadPlieConfig } from '../config/plie.ts';
import { pathwayPolicy } from '../domain/pathway-policy.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { Logger } from '../logging.ts';
import type { CreateParticipantDeps } from '../participants/create.ts';
import { createMailer, type Mailer } from '../email/transport.ts';
import { connectClient, temporalSettings, type TemporalSettings } from '../temporal/connection.ts';

export interface Services {
  db: Db;
  temporal: Client;
  temporalSettings: TemporalSettings;
  /** Only for processes that send email (the worker). */
  mailer: Mailer | undefined;
  secrets: Secrets;
  close: () => Promise<void>;
}

/**
 * Connects to the database, Temporal and (with `smtp`) the mail server: those configured, else
 * those of a running `npm start` (same data folder). Fails with a message naming what is missing.
 */
export async function openServices(config: AppConfig, needs: { smtp: boolean }): Promise<Services> {
  const addresses = resolveServiceAddresses(config);
  const missing = [
    !addresses.databaseUrl && notConfigured('DATABASE_URL'),
    !addresses.temporalAddress && notConfigured('TEMPORAL_ADDRESS'),
    needs.smtp && !addresses.smtpUrl && notConfigured('SMTP_URL'),
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0) throw new ConfigError(missing);
  const secrets = resolveSecrets(config, { create: false });
  const settings = temporalSettings(config.env, addresses.temporalAddress!, secrets.payloadKeys);
  const db = createDb(addresses.databaseUrl!);
  let temporal: Client;
  try {
    temporal = await connectClient(settings, db);
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
  const mailer = needs.smtp ? createMailer(addresses.smtpUrl!) : undefined;
  return {
    db,
    temporal,
    temporalSettings: settings,
    mailer,
    secrets,
    close: async () => {
      mailer?.close();
      await temporal.connection.close();
      await db.$disconnect();
    },
  };
}

export function appUrl(config: AppConfig): string {
  return config.env.PUBLIC_URL ?? `http://localhost:${config.env.PORT}`;
}

/**
 * The coordination's mailbox of a PLIE: its own, else the deployment's (`plie doctor` warns about
 * another PLIE that has none).
 */
export function coordinationAddress(plie: Pick<PlieConfig, 'coordinationEmail'>, config: AppConfig): string {
  return plie.coordinationEmail ?? config.env.PLIE_COORDINATOR_EMAIL;
}

/** What creating or starting pathways needs, from this deployment's configuration. */
export function pathwayDeps(
  config: AppConfig,
  db: Db,
  temporal: Client,
  logger: Logger,
  plie: PlieConfig = loadPlieConfig(config.env),
): CreateParticipantDeps {
  const coordinatorEmail = coordinationAddress(plie, config);
  return {
    plieCode: plie.code,
    db,
    temporal,
    taskQueue: config.env.TEMPORAL_TASK_QUEUE,
    coordinatorEmail,
    timings: taskTimings(plie),
    policy: pathwayPolicy(plie, { coordinatorEmail }),
    config: plie,
    logger,
  };
}
