/**
 * The simulator's part of `npm run bench`, in a process of its own: the embedded PostgreSQL can be
 * started only once per process, and the live part has started one already.
 */
import { writeFileSync } from 'node:fs';
import { createLogger } from '../../src/logging.ts';
import { installTemporalRuntime } from '../../src/temporal/runtime.ts';
import { benchSimulator } from './simulator.ts';

const logger = createLogger('warn', 'bench');
installTemporalRuntime(logger);
const figures = await benchSimulator(logger, process.argv.includes('--quick'));
if (process.env.PLIE_BENCH_JSON) writeFileSync(process.env.PLIE_BENCH_JSON, JSON.stringify(figures));
process.exit(0);
