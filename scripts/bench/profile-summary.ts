/**
 * Where a process spent its CPU, from a V8 CPU profile (`PLIE_BENCH_PROFILE=<folder> npm run bench`
 * writes one per process): self time by function and by package or project folder.
 *
 *   node --import tsx scripts/bench/profile-summary.ts <file.cpuprofile> [lines] [--last <seconds>]
 *
 * `--last`: only the profile's last seconds (a part of the run that ends with the process, such as
 * the Slack clicks with `--only slack`, without the start-up before it).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  endTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const argv = process.argv.slice(2);
const lastAt = argv.indexOf('--last');
const lastSeconds = lastAt >= 0 ? Number(argv[lastAt + 1]) : null;
const [file, lines = '25'] = lastAt >= 0 ? argv.filter((_, i) => i !== lastAt && i !== lastAt + 1) : argv;
if (!file || (lastSeconds !== null && !(lastSeconds > 0))) {
  console.error('usage : profile-summary <fichier.cpuprofile> [lignes] [--last <secondes>]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
// A sample's time is the profile's start plus the deltas so far (microseconds).
const from = lastSeconds === null ? -Infinity : profile.endTime - lastSeconds * 1e6;
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package>, or the project's folder (src/web…), or what V8 calls it. */
function place(url: string, name: string): string {
  if (!url) return `(${name || 'natif'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src\/[^/]+|activities|workflows|scripts)\//.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? 'node' : url.replace(/^.*\//, '');
}

const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  const where = place(callFrame.url, callFrame.functionName);
  const fn = `${callFrame.functionName || '(anonyme)'} ${where}:${callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
  places.set(where, (places.get(where) ?? 0) + us);
}
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(lines));
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(`${file} : ${(total / 1e6).toFixed(1)} s de CPU échantillonnées${lastSeconds === null ? '' : ` (les ${lastSeconds} dernières secondes)`}`);
console.log('\nPar paquet ou dossier :');
for (const [k, v] of top(places)) console.log(`  ${pct(v)}  ${k}`);
console.log('\nPar fonction (temps propre) :');
for (const [k, v] of top(functions)) console.log(`  ${pct(v)}  ${k}`);
