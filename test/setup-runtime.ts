// Each test process routes Temporal SDK logs to a quiet structured logger (warnings and errors only).
import { createLogger } from '../src/logging.ts';
import { installTemporalRuntime } from '../src/temporal/runtime.ts';

installTemporalRuntime(createLogger(process.env.LOG_LEVEL ?? 'warn', 'tests'));
