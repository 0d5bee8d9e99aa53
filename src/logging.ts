import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout; personal data is never logged, only ids. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'plie', toStderr = false): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.password', '*.token', '*.email', 'email', 'token'], censor: '[masqué]' },
    },
    // Commands whose standard output is their result (JSON) log to standard error.
    toStderr ? pino.destination(2) : undefined,
  );
}
