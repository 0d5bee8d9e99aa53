/**
 * Runs a process of the benchmark (its entry file is the first argument) and answers the message
 * `memory` on its IPC channel with its memory (megabytes). Not a signal: Temporal's worker stops on
 * SIGUSR2, and Node's debugger listens on SIGUSR1.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
process.on('message', (message) => {
  if (message !== 'memory') return;
  const m = process.memoryUsage();
  process.send?.({ memory: { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external + m.arrayBuffers) } });
});
// The channel must not keep the process alive once its own work is over.
process.channel?.unref();
const entry = process.argv[2];
if (!entry) throw new Error('probe : fichier à lancer attendu');
process.argv.splice(2, 1);
await import(pathToFileURL(path.resolve(entry)).href);
