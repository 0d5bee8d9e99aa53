/**
 * Runs the tests that do not need the Temporal dev server again on hostile days, under libfaketime
 * (Debian's `faketime`): the evening of a 31st, a 29 February, and the nights the clocks change.
 * Node, PostgreSQL and the Java time-skipping server all follow the faked clock (the Go dev server
 * does not, hence the tests that use it are left out). Part of `npm test`.
 *
 *   npm run test:dates                 every hostile day
 *   npm run test:dates -- 2028-02-29   one of them (its date)
 */
import { spawnSync } from 'node:child_process';
import { onPath } from '../src/infra/temporal-server.ts';

interface Moment {
  /** UTC instant the clock is set to; it runs on from there. */
  at: string;
  label: string;
}

const MOMENTS: Moment[] = [
  { at: '2027-01-31T22:30:00Z', label: '31/01/2027 à 23 h 30 (Paris) : un 31, février ensuite' },
  { at: '2028-02-29T10:00:00Z', label: '29/02/2028 à 11 h : le jour bissextile' },
  { at: '2027-03-28T00:30:00Z', label: '28/03/2027 à 1 h 30 : la nuit du passage à l’heure d’été' },
  { at: '2027-10-31T00:30:00Z', label: '31/10/2027 à 2 h 30 (heure d’été) : la nuit du retour à l’heure d’hiver' },
];

/** Files that talk to the Temporal dev server (Go, blind to faketime) or start it. */
const NEEDS_DEV_SERVER = [
  'test/e2e/',
  'test/slack/bot.test.ts',
  'test/slack/socket-mode.test.ts',
  'test/web/api.test.ts',
  'test/web/link-pages.browser.test.ts',
  'test/email/digest.test.ts',
  'test/procurement/hire.test.ts',
  'test/report/live-equals-import.test.ts',
];

const wanted = process.argv.slice(2);
const moments = wanted.length === 0 ? MOMENTS : MOMENTS.filter((m) => wanted.some((w) => m.at.startsWith(w)));
if (moments.length === 0) {
  console.error(`Aucun de ces jours : ${wanted.join(', ')}. Jours connus : ${MOMENTS.map((m) => m.at.slice(0, 10)).join(', ')}.`);
  process.exit(2);
}
const faketime = onPath('faketime');
if (!faketime) {
  console.error('Les tests aux dates difficiles ont besoin de `faketime` (paquet Debian/Ubuntu `faketime`, Homebrew `libfaketime`).');
  process.exit(1);
}

const excludes = NEEDS_DEV_SERVER.flatMap((file) => ['--exclude', file.endsWith('/') ? `${file}**` : file]);
const failed: string[] = [];
for (const moment of moments) {
  console.log(`\n=== Tests au ${moment.label} ===`);
  const started = Date.now();
  // libfaketime reads the date in the process's time zone: UTC, as written above.
  const result = spawnSync(faketime, [moment.at.replace('T', ' ').replace('Z', ''), 'npx', 'vitest', 'run', ...excludes], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC', PLIE_TEST_CLOCK: moment.at },
  });
  console.log(`=== ${moment.label} : ${result.status === 0 ? 'réussi' : 'ÉCHEC'} en ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (result.status !== 0) failed.push(moment.label);
}
if (failed.length > 0) {
  console.error(`\nÉchecs aux dates difficiles : ${failed.join(' ; ')}`);
  process.exit(1);
}
