import type { LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../logging.ts';

/**
 * Routes the Temporal SDK's logs (worker, workflow `log`) into our structured logger, and leaves
 * signal handling to the process entry point, which stops the worker in its own order.
 */
export function installTemporalRuntime(logger: Logger): void {
  const log = logger.child({ component: 'temporal' });
  const at =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, meta?: LogMetadata) =>
      log[level]({ ...meta }, message);
  const sdkLogger: SdkLogger = {
    log: (level, message, meta) => at(level.toLowerCase() as 'info')(message, meta),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  // The SDK core's own logs (Rust) go through the same logger instead of the console.
  Runtime.install({ logger: sdkLogger, shutdownSignals: [], telemetryOptions: { logging: { filter: 'WARN', forward: {} } } });
}
