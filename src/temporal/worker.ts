import path from 'node:path';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { projectRoot } from '../infra/project.ts';
import { cleanActivityFailures } from './activity-failures.ts';
import { quietBundlerLogger } from './bundler-logger.ts';
import { dataConverter, FAILURE_CONVERTER_PATH } from './connection.ts';

export const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts');

/** Bundles the workflow code once (webpack); tests share one bundle across workers. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return await bundleWorkflowCode({ workflowsPath, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietBundlerLogger });
}

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  payloadKeys: string;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleOption;
  /** 0 rebuilds every workflow from its history at each step (as a freshly restarted worker does). */
  maxCachedWorkflows?: number;
  /** False: every payload under the deployment key (histories recorded for replay without a database). */
  participantKeys?: boolean;
}): Promise<Worker> {
  return await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: createActivities(opts.deps),
    interceptors: { activity: [cleanActivityFailures] },
    dataConverter: dataConverter(opts.payloadKeys, opts.participantKeys === false ? undefined : opts.deps.db),
    ...(opts.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: opts.maxCachedWorkflows }),
  });
}
