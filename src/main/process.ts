import { ConfigError } from '../config/index.ts';

function report(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

/** Runs `load`; on a configuration error prints the French explanation and exits with code 2. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    const result = load();
    return (result instanceof Promise ? result.catch(report) : result) as T;
  } catch (error) {
    return report(error);
  }
}
