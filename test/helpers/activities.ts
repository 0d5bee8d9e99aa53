import { inject } from 'vitest';
import { createActivities, type Activities, type ActivityDeps } from '../../activities/index.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { createLogger } from '../../src/logging.ts';
import { TestInbox } from './smtp.ts';

export interface ActivityTestbed {
  db: Db;
  inbox: TestInbox;
  mailer: Mailer;
  activities: Activities;
  stop: () => Promise<void>;
}

/** The real activities, called directly, on the test run's PostgreSQL and an SMTP server of their own. */
export async function activityTestbed(deps: Partial<ActivityDeps> = {}): Promise<ActivityTestbed> {
  const db = createDb(inject('databaseUrl'));
  const inbox = await TestInbox.start();
  const mailer = createMailer(inbox.url);
  const activities = createActivities({ db, mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent'), ...deps });
  return {
    db,
    inbox,
    mailer,
    activities,
    stop: async () => {
      mailer.close();
      await inbox.stop();
      await db.$disconnect();
    },
  };
}
