/**
 * The morning digest for staff without Slack: their open tasks (late ones flagged) with a signed
 * link each, the team's late tasks for the coordination; once a day, each person's by an activity
 * of its own. Started by a Temporal Schedule, triggered here on the dev server with the real worker.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { verifyLink } from '../../src/links/signed-links.ts';
import { createLogger } from '../../src/logging.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { ensureDigestSchedule } from '../../src/temporal/schedules.ts';
import { messageIdOf } from '../../activities/delivery.ts';
import { DIGEST_WORKFLOW } from '../../workflows/digest.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { LINK_SECRET, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

const run = randomBytes(3).toString('hex');
const REFERENT = `ref-digest-${run}@plie.test`;
const COORDINATOR = `coord-digest-${run}@plie.test`;
const taskQueue = uniqueQueue('digest');
const payloadKeys = TEST_PAYLOAD_KEYS;
let nativeConnection: NativeConnection;
let stack: WorkerStack;
let client: Client;
let activities: Activities;

beforeAll(async () => {
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({ connection: nativeConnection, taskQueue, payloadKeys });
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, stack.db) });
  activities = createActivities({ db: stack.db, mailer: stack.mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent'), linkSecret: LINK_SECRET });
  const db = stack.db;
  await db.staff.create({ data: { email: REFERENT, name: 'Rémi Référent', roles: ['REFERENT'] } });
  await db.staff.create({ data: { email: COORDINATOR, name: 'Claire Coordination', roles: ['COORDINATEUR'] } });
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  await db.participant.create({ data: { id: participantId, firstName: 'Yanis', lastName: 'Benali', identityKey: `digest|${run}`, birthDate: new Date('1992-02-02T00:00:00Z'), createdBy: 'test' } });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: REFERENT } });
  for (const [kind, due] of [['log_contact', '2026-11-20'], ['rupture_review', '2026-12-10']] as const) {
    await activities.openTask({ id: `${pathwayId}/${kind}/1`, pathwayId, kind, assigneeEmail: REFERENT, openedAt: '2026-11-13T09:00:00Z', dueDate: due });
  }
  // Someone whose reminders are paused until mid-December: their late task is in no digest till then.
  const pausedId = randomUUID();
  await db.participant.create({ data: { id: pausedId, firstName: 'Lina', lastName: 'Haddad', identityKey: `digest-pause|${run}`, birthDate: new Date('1990-02-02T00:00:00Z'), createdBy: 'test' } });
  await db.pathway.create({ data: { id: `parcours-${pausedId}`, participantId: pausedId, stage: 'active', referentEmail: REFERENT, remindersPausedUntil: new Date('2026-12-15T00:00:00Z'), remindersPauseReason: 'Hospitalisation' } });
  await activities.openTask({ id: `parcours-${pausedId}/log_contact/1`, pathwayId: `parcours-${pausedId}`, kind: 'log_contact', assigneeEmail: REFERENT, openedAt: '2026-11-13T09:00:00Z', dueDate: '2026-11-20' });
});

afterAll(async () => {
  await stack?.stop();
  await client?.connection.close();
  await nativeConnection?.close();
});

describe('daily digest', () => {
  it('lists a referent’s open tasks (late first flagged) with a personal link each, and the team’s late ones for the coordination, once a day; none of a paused pathway', async () => {
    await activities.sendDailyDigests({ day: '2026-11-30' });
    await activities.sendDailyDigests({ day: '2026-11-30' });
    const mine = await stack.inbox.waitFor((m) => m.to.includes(REFERENT));
    expect(mine.subject).toBe('[PLIE] Vos tâches du 30/11/2026 (1 en retard)');
    expect(mine.text).toContain('[EN RETARD] Reprendre contact avec la personne accompagnée');
    expect(mine.text).toContain('Absences répétées : faire le point');
    expect(mine.text).not.toContain('Benali');
    const tokens = [...mine.text.matchAll(/\/l\/([\w.-]+)/g)].map((m) => m[1]!);
    expect(tokens).toHaveLength(2);
    expect(verifyLink(tokens[0]!, LINK_SECRET, Date.parse('2026-11-30T08:00:00Z'))).toMatchObject({ ok: true, claims: { purpose: 'task-answer', actor: REFERENT } });

    const team = await stack.inbox.waitFor((m) => m.to.includes(COORDINATOR));
    expect(team.text).toContain(`Tâches en retard dans l’équipe : 1.`);
    expect(team.text).toContain(`confiée à ${REFERENT}`);
    expect(stack.inbox.count((m) => m.to.includes(REFERENT) || m.to.includes(COORDINATOR))).toBe(2);
  });

  it('is started by a Temporal Schedule at 7:30 Paris time on working days', async () => {
    const scheduleId = `recapitulatif-test-${run}`;
    expect(await ensureDigestSchedule(client, taskQueue, scheduleId)).toBe('created');
    expect(await ensureDigestSchedule(client, taskQueue, scheduleId)).toBe('existing');
    const handle = client.schedule.getHandle(scheduleId);
    try {
      const description = await handle.describe();
      expect(description.spec.timezone).toBe('Europe/Paris');
      expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyDigestWorkflow' });
      // Triggered now: the workflow runs the activity on the real worker.
      await handle.trigger();
      // The Schedule names the run after itself (with the time it started it).
      const started = await vi.waitFor(
        async () => {
          const action = (await handle.describe()).info.recentActions[0]?.action;
          if (action?.type !== 'startWorkflow') throw new Error('pas encore démarré');
          return action.workflow.workflowId;
        },
        { timeout: 20_000, interval: 200 },
      );
      expect(started.startsWith(`${scheduleId}-run`)).toBe(true);
      const result = (await client.workflow.getHandle(started).result()) as number;
      // At least the two people of this file (other files' staff may share the database).
      expect(result).toBeGreaterThanOrEqual(2);
      const today = parisDate(new Date()).split('-').reverse().join('/');
      await stack.inbox.waitFor((m) => m.to.includes(REFERENT) && m.subject.includes(`Vos tâches du ${today}`));
    } finally {
      await handle.delete();
    }
  });

  it('sends each person’s digest on its own, heartbeating: an address refused holds no one else’s, and the next run sends only what is missing, never twice', async () => {
    const people = ['un', 'deux', 'trois'].map((n) => `digest-${n}-${run}@plie.test`);
    for (const [i, email] of people.entries()) {
      await stack.db.staff.create({ data: { email, name: `Personne ${i + 1}`, roles: ['REFERENT'] } });
      const participantId = randomUUID();
      const pathwayId = `parcours-${participantId}`;
      await stack.db.participant.create({ data: { id: participantId, firstName: 'Aïcha', lastName: 'Diallo', identityKey: `digest-${i}|${run}`, birthDate: new Date('1990-05-05T00:00:00Z'), createdBy: 'test' } });
      await stack.db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: email } });
      await activities.openTask({ id: `${pathwayId}/log_contact/1`, pathwayId, kind: 'log_contact', assigneeEmail: email, openedAt: '2026-11-13T09:00:00Z', dueDate: '2026-11-20' });
    }
    const [first, second, third] = people as [string, string, string];
    const mailsTo = (email: string) => stack.inbox.messages.filter((m) => m.to.includes(email));
    // The second one's mailbox is refused by the server (550): a bounce at sending time.
    stack.inbox.rejected.add(second);
    try {
      const handle = await client.workflow.start(DIGEST_WORKFLOW, { workflowId: `recapitulatif-${run}-1`, taskQueue, args: [] });
      expect(await handle.result()).toBeGreaterThanOrEqual(2);
      expect(mailsTo(first)).toHaveLength(1);
      expect(mailsTo(third)).toHaveLength(1);
      expect(mailsTo(second)).toHaveLength(0);
      const day = /digest\/[^/]+\/[^/]+\/(\d{4}-\d{2}-\d{2})$/;
      const refused = await stack.db.message.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `digest/CASA/${second}/` } } });
      expect(refused).toMatchObject({ status: 'refused', template: 'digest' });
      expect(refused.idempotencyKey).toMatch(day);

      // Each digest is its own activity, which heartbeats while it waits on the mail server.
      const { events } = await handle.fetchHistory();
      const scheduled = (events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
      const digests = scheduled.filter((a) => a.activityType?.name === 'sendDigest');
      expect(scheduled[0]?.activityType?.name).toBe('digestRecipients');
      expect(digests.length).toBeGreaterThanOrEqual(3);
      for (const a of digests) {
        expect(Number(a.heartbeatTimeout?.seconds)).toBe(30);
        expect(Number(a.startToCloseTimeout?.seconds)).toBe(300);
      }
    } finally {
      stack.inbox.rejected.delete(second);
    }

    // The mailbox accepts mail again: the same day's next run sends the missing digest, and no other.
    await client.workflow.execute(DIGEST_WORKFLOW, { workflowId: `recapitulatif-${run}-2`, taskQueue, args: [] });
    for (const email of people) {
      const mails = mailsTo(email);
      expect(mails.length).toBeGreaterThanOrEqual(1);
      // One email per key (a day's digest): a second copy would carry the same Message-ID.
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
      const keys = await stack.db.message.findMany({ where: { idempotencyKey: { startsWith: `digest/CASA/${email}/` } } });
      expect(keys.every((k) => k.status === 'sent')).toBe(true);
      expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set(keys.map((k) => messageIdOf(k.idempotencyKey))));
    }
  });
});
