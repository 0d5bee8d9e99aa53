import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { Env } from '../config/env.ts';
import type { Db } from '../db/client.ts';
import { EncryptionCodec } from './codec.ts';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  payloadKeys: string;
  tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

/** Address and security options for a self-hosted cluster (TLS/mTLS) or Temporal Cloud (API key). */
export function temporalSettings(env: Env, address: string, payloadKeys: string): TemporalSettings {
  const useTls =
    env.TEMPORAL_TLS || Boolean(env.TEMPORAL_TLS_CERT_PATH || env.TEMPORAL_TLS_CA_PATH || env.TEMPORAL_API_KEY);
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    payloadKeys,
    apiKey: env.TEMPORAL_API_KEY,
    tls: useTls
      ? {
          serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
          serverRootCACertificate: env.TEMPORAL_TLS_CA_PATH ? readFileSync(env.TEMPORAL_TLS_CA_PATH) : undefined,
          clientCertPair:
            env.TEMPORAL_TLS_CERT_PATH && env.TEMPORAL_TLS_KEY_PATH
              ? { crt: readFileSync(env.TEMPORAL_TLS_CERT_PATH), key: readFileSync(env.TEMPORAL_TLS_KEY_PATH) }
              : undefined,
        }
      : undefined,
  };
}

/** Where the failure converter lives: the workflow bundle, the worker and the clients load it from there. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

/**
 * Payloads and failures encrypted. With the database, each participant's pathway gets their own data
 * key (crypto-shredding, see data-keys.ts): every worker and client that reads pathways needs it.
 */
export function dataConverter(payloadKeys: string, db?: Db): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(payloadKeys, db)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

function connectionOptions(settings: TemporalSettings) {
  return {
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}

export async function connectClient(settings: TemporalSettings, db?: Db): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(settings), connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: settings.namespace, dataConverter: dataConverter(settings.payloadKeys, db) });
}

export async function connectWorkerConnection(settings: TemporalSettings): Promise<NativeConnection> {
  return await NativeConnection.connect(connectionOptions(settings));
}
