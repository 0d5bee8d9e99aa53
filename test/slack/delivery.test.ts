/**
 * Tasks delivered in Slack by the notification activities, against the local Slack Web API:
 * DMs with buttons, threaded reminders, escalations, in-place outcome, and exactly one post
 * whatever Slack does (rate limit, outage, an answer lost after the post went through).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { FakeSlackApi, VALID_TOKEN } from '../helpers/slack-api.ts';
import { testConfig } from '../helpers/settings.ts';
import type { TestInbox } from '../helpers/smtp.ts';
import type { Db } from '../../src/db/client.ts';
import { activityTestbed, type ActivityTestbed } from '../helpers/activities.ts';

let testbed: ActivityTestbed;
let db: Db;
let inbox: TestInbox;
let api: FakeSlackApi;
let activities: Activities;

beforeAll(async () => {
  api = await FakeSlackApi.start();
  const env = testConfig({ SLACK_BOT_TOKEN: VALID_TOKEN, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: api.url }).env;
  testbed = await activityTestbed({ slack: postClient(env)! });
  ({ db, inbox, activities } = testbed);
});

afterAll(async () => {
  await testbed?.stop();
  await api?.stop();
});

/** A member of staff (in Slack or not), a participant with a pathway, and a task for that person. */
async function setup(opts: { inSlack: boolean; linked?: boolean }) {
  const suffix = randomBytes(4).toString('hex');
  const email = `ref-${suffix}@plie.test`;
  const slackId = `U${suffix.toUpperCase()}`;
  if (opts.inSlack) api.addUser({ id: slackId, email, name: `Référente ${suffix}` });
  await db.staff.create({ data: { email, name: `Camille ${suffix}`, roles: ['REFERENT', 'COORDINATEUR'], ...(opts.linked ? { slackUserId: slackId } : {}) } });
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  await db.participant.create({
    data: { id: participantId, firstName: 'Inès', lastName: 'Martin', identityKey: `test|${suffix}`, birthDate: new Date('1980-01-01T00:00:00Z'), createdBy: 'test' },
  });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'orientation' } });
  const taskId = `${pathwayId}/assign_referent/1`;
  await activities.openTask({ id: taskId, pathwayId, kind: 'assign_referent', assigneeEmail: email, openedAt: new Date().toISOString(), dueDate: '2026-12-05' });
  return { email, slackId, dm: FakeSlackApi.dmOf(slackId), taskId, pathwayId };
}

const actionsOf = (blocks: unknown[]) => blocks.filter((b) => (b as { type: string }).type === 'actions');

describe('tasks in Slack', () => {
  it('arrive as a DM with buttons, reminders thread under it, and a retry posts nothing more', async () => {
    const s = await setup({ inSlack: true });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    const [opened, ...others] = api.messagesIn(s.dm);
    expect(others).toEqual([]);
    expect(opened!.text).toContain('Désigner le ou la référent·e');
    expect(opened!.text).not.toContain('Martin');
    expect(JSON.stringify(opened!.blocks)).toContain('task_form');
    // Linked by the address Slack holds for them.
    expect((await db.staff.findFirstOrThrow({ where: { email: s.email } })).slackUserId).toBe(s.slackId);

    await activities.notifyTask({ taskId: s.taskId, notice: 'reminder', to: s.email, sequence: 1, at: new Date().toISOString() });
    const reminder = api.messagesIn(s.dm).find((m) => m.thread_ts);
    expect(reminder).toMatchObject({ thread_ts: opened!.ts });
    expect(reminder!.text).toContain('rappel');
    expect((await db.task.findUniqueOrThrow({ where: { id: s.taskId } })).reminderCount).toBe(1);
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ channel: 'slack', status: 'sent', slackTs: opened!.ts });
    expect(inbox.messages.filter((m) => m.to.includes(s.email))).toEqual([]);
  });

  it('show what was decided, by whom and when, in place, once the task is closed', async () => {
    const s = await setup({ inSlack: true, linked: true });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    await activities.closeTask({ taskId: s.taskId, status: 'done', answer: { referentEmail: 'r@plie.test' }, actor: s.email, channel: 'slack', answeredAt: '2026-11-28T09:30:00Z' });
    await activities.showTaskOutcome({ taskId: s.taskId });
    const [message] = api.messagesIn(s.dm);
    expect(message!.text).toContain('✅ Référent·e désigné·e par Camille');
    expect(message!.text).toContain('le 28/11/2026 à 10h30');
    expect(actionsOf(message!.blocks)).toEqual([]);
  });

  it('go by email to staff without a Slack account', async () => {
    const s = await setup({ inSlack: false });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    expect(inbox.messages.filter((m) => m.to.includes(s.email))).toHaveLength(1);
    expect((await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).channel).toBe('email');
  });

  it('wait for Retry-After when Slack answers 429, then post once', async () => {
    const s = await setup({ inSlack: true, linked: true });
    api.failNext('chat.postMessage', { kind: 'ratelimit', retryAfter: 1 });
    const before = api.callsOf('chat.postMessage').length;
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    const calls = api.callsOf('chat.postMessage').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(api.messagesIn(s.dm)).toHaveLength(1);
  });

  it('fail while Slack is down (the attempt is retried by Temporal), then post once when it is back', async () => {
    const s = await setup({ inSlack: true, linked: true });
    api.down = true;
    try {
      await expect(activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email })).rejects.toThrow();
    } finally {
      api.down = false;
    }
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).toMatchObject({ status: 'pending' });
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    expect(api.messagesIn(s.dm)).toHaveLength(1);
  });

  it('never post twice when the answer of a post that went through is lost', async () => {
    const s = await setup({ inSlack: true, linked: true });
    api.failNext('chat.postMessage', { kind: 'lost' });
    await expect(activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email })).rejects.toThrow();
    expect(api.messagesIn(s.dm)).toHaveLength(1);
    const posts = api.callsOf('chat.postMessage').length;
    await activities.notifyTask({ taskId: s.taskId, notice: 'opened', to: s.email });
    expect(api.callsOf('chat.postMessage')).toHaveLength(posts);
    expect(api.messagesIn(s.dm)).toHaveLength(1);
    expect((await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${s.taskId}/opened` } })).slackTs).toBe(api.messagesIn(s.dm)[0]!.ts);
  });

  it('reach the coordination on escalation, naming who the task was given to', async () => {
    const s = await setup({ inSlack: true, linked: true });
    const coordinator = await setup({ inSlack: true, linked: true });
    await activities.notifyTask({ taskId: s.taskId, notice: 'escalation', to: coordinator.email });
    const [escalation] = api.messagesIn(coordinator.dm);
    expect(escalation!.text).toContain('Tâche en retard');
    expect(JSON.stringify(escalation!.blocks)).toContain(`Confiée à Camille`);
  });
});
