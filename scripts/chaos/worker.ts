/**
 * The worker process as the chaos harness runs it: src/main/worker.ts (same configuration, same
 * services, same runWorker, same activities), with three differences the harness needs:
 * - the workflow bundle is built once by the harness and read from PLIE_CHAOS_WORKFLOW_BUNDLE
 *   (bundling at each of a hundred restarts would take most of the run);
 * - the time-skipping test server has no Schedules: their creation is recorded (one JSON line on
 *   stdout) instead of sent, and the harness plays the message sweep itself;
 * - with PLIE_CHAOS_NO_CACHE=1, no workflow cache (every workflow task replays the history, as a
 *   worker just restarted does): the Java test server keeps a workflow's tasks on the sticky queue
 *   of the worker that ran it last, and after that worker's kill -9 it can lose a workflow task
 *   (with its time lock) for good when an Update came meanwhile — the workflow then waits forever,
 *   which Temporal's own server never does. Without a cache there is no sticky queue.
 * It prints `CHAOS_WORKER_READY` once it polls, whatever LOG_LEVEL says. With PLIE_CHAOS_STANDBY=1
 * it loads everything, prints `CHAOS_WORKER_STANDBY` and waits for a line on stdin before it
 * starts: the restart after a kill -9 then costs Temporal's part only, not Node's and tsx's.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logging.ts';
import { exitOnConfigError } from '../../src/main/process.ts';
import { runWorker } from '../../src/main/run-worker.ts';
import { openServices } from '../../src/main/services.ts';
import { installTemporalRuntime } from '../../src/temporal/runtime.ts';
import { ensureMessageSweepSchedule } from '../../src/temporal/schedules.ts';
import { READY_MARKER, SCHEDULE_MARKER, STANDBY_MARKER } from './markers.ts';

/** A client whose `schedule.create` only says what it was asked (the test server would refuse it). */
function withoutSchedules(client: Client): Client {
  const schedule = {
    create: async (options: { scheduleId: string; action?: { workflowType?: string | ((...args: never[]) => unknown) } }) => {
      const type = options.action?.workflowType;
      process.stdout.write(`${JSON.stringify({ [SCHEDULE_MARKER]: options.scheduleId, workflowType: typeof type === 'function' ? type.name : (type ?? '') })}\n`);
      return { scheduleId: options.scheduleId };
    },
  };
  return new Proxy(client, { get: (target, property, receiver): unknown => (property === 'schedule' ? schedule : Reflect.get(target, property, receiver)) });
}

if (process.env.PLIE_CHAOS_NO_CACHE === '1') {
  // createWorker (src/temporal/worker.ts) calls Worker.create: the option is added on the way.
  const create = Worker.create.bind(Worker);
  Worker.create = async (options) => await create({ ...options, maxCachedWorkflows: 0 });
}

const bundlePath = process.env.PLIE_CHAOS_WORKFLOW_BUNDLE;
if (!bundlePath) {
  console.error('PLIE_CHAOS_WORKFLOW_BUNDLE : chemin du paquet des workflows attendu');
  process.exit(2);
}
const config = exitOnConfigError(() => loadConfig());
const logger = createLogger(config.env.LOG_LEVEL).child({ role: 'worker' });
installTemporalRuntime(logger);
const opened = await exitOnConfigError(() => openServices(config, { smtp: true }));
const services = { ...opened, temporal: withoutSchedules(opened.temporal) };
if (process.env.PLIE_CHAOS_STANDBY === '1') {
  process.stdout.write(`${STANDBY_MARKER}\n`);
  const lines = createInterface({ input: process.stdin });
  // The harness gone (stdin closed) before it needed this worker: nothing to do.
  const [go] = await Promise.race([once(lines, 'line'), once(lines, 'close').then(() => [null])]);
  lines.close();
  if (go === null) {
    await opened.close();
    process.exit(0);
  }
}
let code = 0;
try {
  const worker = await runWorker({ config, services, logger, workflowBundle: { codePath: bundlePath } });
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await ensureMessageSweepSchedule(services.temporal, services.temporalSettings.taskQueue);
  process.stdout.write(`${READY_MARKER}\n`);
  await worker.done;
} catch (error) {
  logger.error({ err: (error as Error).message }, 'le worker s’est arrêté sur une erreur');
  code = 1;
} finally {
  await opened.close();
}
process.exit(code);
