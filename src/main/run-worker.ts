import type { WorkflowBundleOption } from '@temporalio/worker';
import { createProofStore, proofsFolder } from '../files/proof-store.ts';
import { linkSecrets, type AppConfig } from '../config/index.ts';
import type { Logger } from '../logging.ts';
import { loadPlieConfig } from '../config/plie.ts';
import { watchUnstartedPathways } from '../participants/unstarted-pathways.ts';
import { listPlies, plieConfigFor } from '../plies/registry.ts';
import { postClient } from '../slack/web-client.ts';
import { connectWorkerConnection } from '../temporal/connection.ts';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule, ensureMessageSweepSchedule, ensureRetentionSchedule, MESSAGE_SWEEP_SCHEDULE_ID, RETENTION_SCHEDULE_ID } from '../temporal/schedules.ts';
import { bundleWorkflowsInChild } from '../temporal/bundle-in-child.ts';
import { createWorker } from '../temporal/worker.ts';
import { appUrl, pathwayDeps, type Services } from './services.ts';

export interface RunningWorker {
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop: () => Promise<void>;
}

/** Polls the pathway task queue: runs workflow code and the activities (database, SMTP, Slack). */
export async function runWorker(opts: {
  config: AppConfig;
  services: Services;
  logger: Logger;
  workflowBundle?: WorkflowBundleOption;
}): Promise<RunningWorker> {
  const { services, config } = opts;
  if (!services.mailer) throw new Error('le worker envoie des emails : ouvrez les services avec SMTP');
  const connection = await connectWorkerConnection(services.temporalSettings);
  const slack = postClient(config.env);
  const worker = await createWorker({
    connection,
    namespace: services.temporalSettings.namespace,
    taskQueue: services.temporalSettings.taskQueue,
    payloadKeys: services.secrets.payloadKeys,
    workflowBundle: opts.workflowBundle ?? (await bundleWorkflowsInChild()),
    maxCachedWorkflows: config.env.PLIE_WORKFLOW_CACHE,
    deps: {
      db: services.db,
      mailer: services.mailer,
      mailFrom: config.env.MAIL_FROM,
      ...(config.env.MAIL_REPLY_TO ? { replyTo: config.env.MAIL_REPLY_TO } : {}),
      appUrl: appUrl(config),
      logger: opts.logger.child({ component: 'activities' }),
      plieConfig: (code) => plieConfigFor(services.db, config.env, code),
      linkSecret: linkSecrets(services.secrets, config.dataDir).linkSecret,
      ...(slack ? { slack } : {}),
      proofs: createProofStore(proofsFolder(config), linkSecrets(services.secrets, config.dataDir).fileKey),
    },
  });
  const done = worker.run().finally(() => connection.close());
  const digest = await ensureDigestSchedule(services.temporal, services.temporalSettings.taskQueue);
  opts.logger.info({ schedule: DIGEST_SCHEDULE_ID, state: digest }, 'récapitulatif quotidien planifié (7h30, jours ouvrés)');
  const retention = await ensureRetentionSchedule(services.temporal, services.temporalSettings.taskQueue);
  opts.logger.info({ schedule: RETENTION_SCHEDULE_ID, state: retention }, 'conservation des données planifiée (chaque nuit à 3h15)');
  const sweep = await ensureMessageSweepSchedule(services.temporal, services.temporalSettings.taskQueue);
  opts.logger.info({ schedule: MESSAGE_SWEEP_SCHEDULE_ID, state: sweep }, 'renvoi des messages non envoyés planifié (tous les quarts d’heure)');
  // Pathways recorded whose workflow never started (a crash between the two) are started by the system.
  const ownPlie = loadPlieConfig(config.env).code;
  const unstarted = watchUnstartedPathways({
    db: services.db,
    temporal: services.temporal,
    plieCodes: async () => [...new Set([ownPlie, ...(await listPlies(services.db)).map((p) => p.code)])],
    depsOf: async (code) => pathwayDeps(config, services.db, services.temporal, opts.logger, await plieConfigFor(services.db, config.env, code)),
    logger: opts.logger,
  });
  opts.logger.info({ taskQueue: services.temporalSettings.taskQueue }, 'worker Temporal démarré');
  return {
    done,
    stop: async () => {
      await unstarted.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
