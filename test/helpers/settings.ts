import { randomBytes } from 'node:crypto';
import { ConfigError, parseEnv, type AppConfig } from '../../src/config/index.ts';
import { toolsDir } from '../../src/infra/project.ts';

/** A fixed key for recorded histories (test/fixtures/histories) so they can be replayed. */
export const FIXTURE_PAYLOAD_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * The test deployment's payload keys. The tests share one database, as a deployment does, so they
 * share its keys too: each participant's data key is wrapped by them, whichever test made it.
 */
export const TEST_PAYLOAD_KEYS = `tests:${Buffer.alloc(32, 11).toString('base64')}`;

export function uniqueQueue(name: string): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/** A configuration as the processes would load it, from explicit variables only. */
export function testConfig(vars: Record<string, string>): AppConfig {
  return { env: parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...vars }), dataDir: vars.PLIE_DATA_DIR ?? '/nonexistent' };
}

/** The time-skipping server: the Java one found by the ladder, else the SDK's download into .tools. */
export function timeSkippingExecutable(launcher: string) {
  return launcher
    ? { type: 'existing-path' as const, path: launcher }
    : { type: 'cached-download' as const, downloadDir: toolsDir };
}

/** The French problems a configuration error lists (none when `run` succeeds). */
export function configProblems(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
