/** The bare Temporal worker of the benchmark: the baseline workflow and its no-op activity, nothing else. */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';

const address = process.env.TEMPORAL_ADDRESS;
const taskQueue = process.env.BARE_TASK_QUEUE;
if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS et BARE_TASK_QUEUE attendus');
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue,
  // Bundled beforehand, as the application's worker has its bundle made in a child process.
  ...(process.env.BARE_BUNDLE ? { workflowBundle: { codePath: process.env.BARE_BUNDLE } } : { workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)) }),
  activities: { noop: async () => undefined },
});
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
console.log('BARE_WORKER_READY');
await running;
await connection.close();
process.exit(0);
