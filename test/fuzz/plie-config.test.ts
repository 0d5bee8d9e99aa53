/**
 * Fuzzing the PLIE's configuration file (src/config/plie.ts): a valid configuration with hostile
 * values put anywhere in it, its JSON damaged (cut, a character inserted or removed), any JSON, any
 * bytes. The loader either returns a configuration its schema accepts or refuses the file with a
 * ConfigError whose every problem is French and says where; it never throws anything else. It
 * reads only: there is nothing it could half-write.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/index.ts';
import { loadPlieConfig } from '../../src/config/plie.ts';
import { CASA_CONFIG, plieConfigSchema } from '../../src/domain/plie-config.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { OTHER_CONFIG } from '../helpers/plie-configs.ts';
import { expectFrench, untypableText, wrongKind } from './hostile.ts';

const dir = makeScratchDir('plie-config-fuzz-');
const file = path.join(dir, 'plie.json');
const env = parseEnv({ PLIE_CONFIG_FILE: file });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Hostile inputs: each hostile value put in a configuration, each damaged or random file. */
let inputs = 0;

/** Loads `content` as the file: the configuration, or the French problems it was refused for. */
function load(content: string | Uint8Array): { config?: unknown; problems?: string[] } {
  writeFileSync(file, content);
  files += 1;
  try {
    return { config: loadPlieConfig(env) };
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConfigError);
    return { problems: (error as ConfigError).problems };
  }
}

function expectRefusedInFrench(problems: string[] | undefined): void {
  expect(problems?.length).toBeGreaterThan(0);
  for (const problem of problems!) {
    expect(problem.startsWith('PLIE_CONFIG_FILE : ')).toBe(true);
    expectFrench(problem);
  }
}

/** Every path to a value in a configuration (objects and lists alike), to put a hostile value there. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, v]) => paths(v, [...prefix, key]))];
}

/** `config` with `value` at `at`; unchanged when an earlier change left no object on the way. */
function put(config: unknown, at: Array<string | number>, value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(config) as Record<string | number, unknown>;
  let node: unknown = copy;
  for (const key of at.slice(0, -1)) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  if (node === null || typeof node !== 'object') return config;
  (node as Record<string | number, unknown>)[at.at(-1)!] = value;
  return copy;
}

const configs = [CASA_CONFIG, OTHER_CONFIG];
const hostileValue = fc.oneof(untypableText, wrongKind, fc.constantFrom(-1, 0, 1e308, -0.5, 'NaN', '', ' ', '__proto__', { __proto__: { polluted: true } }, [], [[[[]]]], 'x'.repeat(100_000)), fc.jsonValue({ maxDepth: 3 }));
/** A configuration with 2 to 8 of its values (a leaf or a whole section) replaced by hostile ones. */
const mutated = fc
  .constantFrom(...configs)
  .chain((config) => fc.tuple(fc.constant(config), fc.array(fc.tuple(fc.constantFrom(...paths(config)), hostileValue), { minLength: 2, maxLength: 8 })))
  .map(([config, changes]) => {
    // Counted when put in place (a change under a value an earlier change replaced has nowhere to go).
    let hostile = 0;
    const changed = changes.reduce<unknown>((c, [at, v]) => {
      const next = put(c, at, v);
      if (next !== c) hostile += 1;
      return next;
    }, config);
    return { json: JSON.stringify(changed), hostile };
  });

/** The JSON text of a configuration damaged: cut short, or a character inserted or removed somewhere. */
const damaged = fc.constantFrom(...configs.map((c) => JSON.stringify(c, null, 2))).chain((text) =>
  fc.oneof(
    fc.integer({ min: 0, max: text.length - 1 }).map((at) => text.slice(0, at)),
    fc.tuple(fc.integer({ min: 0, max: text.length }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', '\n', 'x', '\uFEFF')).map(([at, c]) => `${text.slice(0, at)}${c}${text.slice(at)}`),
    fc.integer({ min: 0, max: text.length - 1 }).map((at) => `${text.slice(0, at)}${text.slice(at + 1)}`),
  ),
);

describe('the PLIE configuration file, fuzzed', () => {
  it('refuses hostile values anywhere in a valid configuration, in French, saying where — or accepts what its schema accepts', () => {
    fc.assert(
      fc.property(mutated, ({ json, hostile }) => {
        const loaded = load(json);
        inputs += hostile;
        if (loaded.config) expect(plieConfigSchema.safeParse(JSON.parse(json)).success).toBe(true);
        else expectRefusedInFrench(loaded.problems);
      }),
      { numRuns: 1_900 },
    );
  });

  it('refuses a damaged JSON text with where to look, in French', () => {
    fc.assert(
      fc.property(damaged, (text) => {
        const loaded = load(text);
        inputs += 1;
        if (!loaded.config) expectRefusedInFrench(loaded.problems);
      }),
      { numRuns: 1_500 },
    );
  });

  it('refuses any JSON and any bytes that are no configuration, in French', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })), (content) => {
        const loaded = load(content);
        inputs += 1;
        expect(loaded.config).toBeUndefined();
        expectRefusedInFrench(loaded.problems);
      }),
      { numRuns: 1_200 },
    );
  });

  it('met 10,000 hostile inputs and more, and still reads a valid file', () => {
    console.log('configuration : entrées hostiles', inputs, 'fichiers', files);
    expect(inputs).toBeGreaterThanOrEqual(10_000);
    expect(load(JSON.stringify(OTHER_CONFIG)).config).toEqual(OTHER_CONFIG);
  });
});
