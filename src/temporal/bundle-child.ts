/** The child process of bundle-in-child.ts: bundles the workflow code and writes it to the file named. */
import { writeFileSync } from 'node:fs';
import { bundleWorkflows } from './worker.ts';

const file = process.argv[2];
if (!file) throw new Error('fichier de sortie attendu');
writeFileSync(file, (await bundleWorkflows()).code);
