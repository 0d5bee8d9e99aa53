/**
 * A message to a member of staff in Slack that Slack refuses for good — the member deactivated
 * (`account_inactive`, `user_not_found`), the app's token revoked (`invalid_auth`) — goes by email
 * to the same person, once, and says so in its record; and an attempt that Temporal cancels stops
 * waiting on Slack instead of posting beside its retry. The real activities, against the local
 * Slack Web API and a real SMTP server.
 */
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.ts';
import { messageIdOf } from '../../activities/delivery.ts';
import { createLogger } from '../../src/logging.ts';
import { freePort } from '../../src/infra/ports.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { FakeSlackApi, VALID_TOKEN } from '../helpers/slack-api.ts';
import { testConfig } from '../helpers/settings.ts';
import { activityTestbed, type ActivityTestbed } from '../helpers/activities.ts';

let testbed: ActivityTestbed;
let api: FakeSlackApi;
/** In front of the local Slack Web API: answers `account_inactive` to the posts to the DMs it is told of. */
let front: { url: string; refuse: Set<string>; stop: () => Promise<void> };
let activities: Activities;
/** The same activities whose Slack token Slack no longer knows (revoked). */
let revoked: Activities;

/** Forwards every call to the local Slack Web API, except a post to a refused DM: Slack's answer for a deactivated account. */
async function slackInFront(target: string): Promise<typeof front> {
  const refuse = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const channel = new URLSearchParams(body).get('channel') ?? '';
      if (method === 'chat.postMessage' && refuse.has(channel)) {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ ok: false, error: 'account_inactive' }));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => ['authorization', 'content-type'].includes(name))) as Record<string, string>;
      void fetch(`${target}${method}`, { method: 'POST', headers, body })
        .then(async (answer) => {
          res.statusCode = answer.status;
          answer.headers.forEach((value, name) => {
            if (['content-type', 'retry-after'].includes(name)) res.setHeader(name, value);
          });
          res.end(await answer.text());
        })
        .catch(() => res.destroy());
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/api/`,
    refuse,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  api = await FakeSlackApi.start();
  front = await slackInFront(api.url);
  const slack = postClient(testConfig({ SLACK_BOT_TOKEN: VALID_TOKEN, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: front.url }).env)!;
  testbed = await activityTestbed({ slack });
  activities = testbed.activities;
  const revokedSlack = postClient(testConfig({ SLACK_BOT_TOKEN: 'xoxb-revoque', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: api.url }).env)!;
  revoked = createActivities({ db: testbed.db, mailer: testbed.mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent'), slack: revokedSlack });
});

afterAll(async () => {
  await testbed?.stop();
  await front?.stop();
  await api?.stop();
});

/** A member of staff with a Slack account (linked or not), a participant with a pathway, and a task for that member. */
async function setup(opts: { linked: boolean; inSlack?: boolean }) {
  const { db } = testbed;
  const suffix = randomBytes(4).toString('hex');
  const email = `ref-repli-${suffix}@plie.test`;
  const slackId = `U${suffix.toUpperCase()}`;
  if (opts.inSlack ?? true) api.addUser({ id: slackId, email, name: `Référente ${suffix}` });
  await db.staff.create({ data: { email, name: `Camille ${suffix}`, roles: ['REFERENT'], ...(opts.linked ? { slackUserId: slackId } : {}) } });
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  await db.participant.create({ data: { id: participantId, firstName: 'Inès', lastName: 'Martin', identityKey: `repli|${suffix}`, birthDate: new Date('1980-01-01T00:00:00Z'), createdBy: 'test' } });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'orientation' } });
  const taskId = `${pathwayId}/assign_referent/1`;
  await activities.openTask({ id: taskId, pathwayId, kind: 'assign_referent', assigneeEmail: email, openedAt: new Date().toISOString(), dueDate: '2026-12-05' });
  return { email, slackId, dm: FakeSlackApi.dmOf(slackId), taskId };
}

/** An attempt's failure is the test's to read: the SDK's own log of it stays quiet. */
const quiet = { logger: new DefaultLogger('ERROR') };

const mailsTo = (email: string) => testbed.inbox.messages.filter((m) => m.to.includes(email));

describe('a message Slack refuses for good', () => {
  it('goes by email to the same person when Slack answers account_inactive, once, and its record says so', async () => {
    const s = await setup({ linked: true });
    front.refuse.add(s.dm);
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    // A retry (the activity again) sends nothing more, and never posts in Slack either.
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    front.refuse.delete(s.dm);
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });

    const mails = mailsTo(s.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Nouvelle tâche');
    expect(mails[0]!.messageId).toBe(messageIdOf(`${s.taskId}/opened`));
    expect(api.messagesIn(s.dm)).toEqual([]);
    const record = await testbed.db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } });
    expect(record).toMatchObject({ channel: 'email', status: 'sent', recipient: s.email });
    expect(record.smtpMessageId).toBeTruthy();
    const sent = await testbed.db.auditEvent.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened/sent` } });
    expect(sent).toMatchObject({ channel: 'email', details: { fallback: 'email', slackError: 'account_inactive' } });
  });

  it('goes by email when the member is no longer in Slack (user_not_found)', async () => {
    const s = await setup({ linked: true, inSlack: false });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    expect(mailsTo(s.email)).toHaveLength(1);
    expect(await testbed.db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ channel: 'email', status: 'sent' });
  });

  it('goes by email when the app’s token is revoked (invalid_auth), whether the account is linked or still to be looked up', async () => {
    const linked = await setup({ linked: true });
    const unlinked = await setup({ linked: false });
    await revoked.notifyTask({ taskId: linked.taskId, notice: 'opened', to: linked.email });
    await revoked.notifyTask({ taskId: unlinked.taskId, notice: 'opened', to: unlinked.email });
    expect(mailsTo(linked.email)).toHaveLength(1);
    expect(mailsTo(unlinked.email)).toHaveLength(1);
    for (const s of [linked, unlinked]) {
      expect(await testbed.db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ channel: 'email', status: 'sent' });
      expect(api.messagesIn(s.dm)).toEqual([]);
    }
  });
});

describe('an attempt Temporal gives up on', () => {
  it('heartbeats while it waits out Slack’s rate limit, and stops at its cancellation without posting: the retry posts, once', async () => {
    const s = await setup({ linked: true });
    api.failNext('chat.postMessage', { kind: 'ratelimit', retryAfter: 30 });
    const posts = api.callsOf('chat.postMessage').length;
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000, startToCloseTimeoutMs: 300_000 }, quiet);
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const attempt = env.run(() => activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email }));
    await vi.waitFor(() => expect(api.callsOf('chat.postMessage')).toHaveLength(posts + 1), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(beats).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    // As when its start-to-close timeout passed: the heartbeat's answer cancels it.
    env.cancel('TIMED_OUT');
    await expect(attempt).rejects.toBeInstanceOf(CancelledFailure);
    expect(api.callsOf('chat.postMessage')).toHaveLength(posts + 1);
    expect(api.messagesIn(s.dm)).toEqual([]);
    expect(await testbed.db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ status: 'pending' });

    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    expect(api.messagesIn(s.dm)).toHaveLength(1);
    expect(mailsTo(s.email)).toEqual([]);
  });

  it('records the message as failed on its last attempt, for the sweep to send it again', async () => {
    const s = await setup({ linked: true });
    api.down = true;
    try {
      const env = new MockActivityEnvironment({ attempt: 10, retryPolicy: { maximumAttempts: 10 }, heartbeatTimeoutMs: 30_000 }, quiet);
      await expect(env.run(() => activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email }))).rejects.toThrow('Slack n’a pas pu envoyer le message');
    } finally {
      api.down = false;
    }
    expect(await testbed.db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ status: 'failed', channel: 'slack' });
  });
});
