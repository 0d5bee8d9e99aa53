/**
 * The fast tier (`npm run test:fast`): the rules, the pathway's state machine, forms, messages,
 * permissions and the Slack listeners in process, without any
 * server (no global setup). `npm test` still runs everything, these included.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/domain/**/*.test.ts',
      'test/config/**/*.test.ts',
      'test/forms/**/*.test.ts',
      'test/staff/**/*.test.ts',
      'test/email/templates.test.ts',
      'test/email/calendar.test.ts',
      'test/email/collective-templates.test.ts',
      'test/email/prescriber-notice.test.ts',
      'test/report/evaluation.test.ts',
      'test/slack/messages.test.ts',
      'test/slack/in-process.test.ts',
      'test/import/imported-referent.test.ts',
    ],
    pool: 'threads',
  },
});
