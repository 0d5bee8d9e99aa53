import { pino, type Logger } from 'pino';
import { cleanErrorText, withoutPersonalData } from './privacy/scrub.ts';

export type { Logger } from 'pino';

function masked(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return withoutPersonalData(value);
  if (value instanceof Error) return { type: value.name, ...cleanErrorText(value) };
  if (depth > 5 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => masked(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, depth + 1)]));
}

/** Structured JSON logs on stdout; personal data is never logged, only ids. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'plie', toStderr = false, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.password', '*.token', '*.email', 'email', 'token'], censor: '[masqué]' },
      // Whatever a line carries (an error from a server, the SDK's own lines), never an address, a phone or a query's values.
      formatters: { log: (object) => masked(object, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? withoutPersonalData(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    // Commands whose standard output is their result (JSON) log to standard error.
    destination ?? (toStderr ? pino.destination(2) : undefined),
  );
}
