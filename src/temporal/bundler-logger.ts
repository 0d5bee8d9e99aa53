/** webpack's chatter, when the workflows' code is bundled, kept out of the logs; its errors still shown. */
const noop = () => undefined;
export const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
