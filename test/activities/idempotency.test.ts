/**
 * Activities are retried by Temporal: each must record its fact and send its message once,
 * whatever the number of attempts. Called here directly, against the real database and SMTP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { createLogger } from '../../src/logging.ts';
import { TestInbox } from '../helpers/smtp.ts';

let db: Db;
let inbox: TestInbox;
let mailer: Mailer;
let activities: Activities;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  inbox = await TestInbox.start();
  mailer = createMailer(inbox.url);
  activities = createActivities({ db, mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent') });
});

afterAll(async () => {
  mailer?.close();
  await inbox?.stop();
  await db?.$disconnect();
});

/** A participant and pathway as createParticipant leaves them, and an open task. */
async function openedTask(assigneeEmail: string) {
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  const suffix = randomBytes(4).toString('hex');
  await db.participant.create({
    data: {
      id: participantId,
      firstName: 'Inès',
      lastName: 'Test',
      identityKey: `test|${suffix}`,
      birthDate: new Date('1980-01-01T00:00:00Z'),
      createdBy: 'test',
    },
  });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'orientation' } });
  const task = {
    id: `${pathwayId}/assign_referent/1`,
    pathwayId,
    kind: 'assign_referent' as const,
    assigneeEmail,
    openedAt: new Date().toISOString(),
    dueDate: '2026-12-05',
  };
  await activities.openTask(task);
  return { participantId, pathwayId, task };
}

describe('idempotent activities', () => {
  it('records a task, a stage and an answer once, however often they are retried', async () => {
    const { pathwayId, task } = await openedTask('a@plie.test');
    await activities.openTask(task);
    const stage = { pathwayId, participantId: '', stage: 'diagnostic' as const, referentEmail: 'r@plie.test', entryDate: null };
    const { participantId } = await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } });
    await activities.recordStage({ ...stage, participantId });
    await activities.recordStage({ ...stage, participantId });
    const answer = { taskId: task.id, answer: { referentEmail: 'r@plie.test' }, actor: 'c@plie.test', channel: 'cli' as const, answeredAt: new Date().toISOString() };
    await activities.closeTask(answer);
    await activities.closeTask(answer);

    expect(await db.task.count({ where: { pathwayId } })).toBe(1);
    const audit = await db.auditEvent.findMany({ where: { entityId: { in: [pathwayId, task.id] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['pathway.stage', 'task.answer', 'task.open']);
    expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('diagnostic');
  });

  it('sends a notice once, with only initials and a file reference', async () => {
    const { participantId, task } = await openedTask('b@plie.test');
    await activities.notifyTask({ taskId: task.id, notice: 'reminder', to: 'b@plie.test' });
    await activities.notifyTask({ taskId: task.id, notice: 'reminder', to: 'b@plie.test' });
    const ref = participantId.slice(0, 8).toUpperCase();
    const mails = inbox.messages.filter((m) => m.text.includes(ref));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`dossier ${ref} (I. T.)`);
    expect(mails[0]!.text).not.toContain('Inès');
    expect(mails[0]!.text).not.toContain('Test ');
    const message = await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${task.id}/reminder` } });
    expect(message).toMatchObject({ status: 'sent', recipient: 'b@plie.test', template: 'task.reminder' });
    expect((await db.task.findUniqueOrThrow({ where: { id: task.id } })).remindedAt).not.toBeNull();
  });

  it('records a refused address as failed and does not retry it', async () => {
    inbox.rejected.add('inconnu@plie.test');
    const { task } = await openedTask('inconnu@plie.test');
    const attempt = activities.notifyTask({ taskId: task.id, notice: 'opened', to: 'inconnu@plie.test' });
    await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(attempt).rejects.toMatchObject({ nonRetryable: true });
    const message = await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${task.id}/opened` } });
    expect(message.status).toBe('failed');
    expect(message.error).toContain('550');
  });
});
