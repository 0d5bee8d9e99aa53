/**
 * The commission's vote and its Updates: a vote changed while the workflow is busy updating the
 * channel's post, just before the vote closes, is counted, and the vote still closes (it used to
 * be queued after the loop had decided to stop, never handled, and the commission never ended).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { castVoteUpdate, COMMISSION_WORKFLOW, commissionWorkflowId, pathwayWorkflowId, type CommissionInput, type CommissionResult } from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { uniqueQueue } from '../helpers/settings.ts';
import { startChannelsStack, type ChannelsStack } from '../helpers/time-skipping-channels.ts';
import { COORDINATOR } from '../helpers/worker.ts';
import { announceDeparture } from '../../src/staff/roster.ts';

const CHANNEL = 'CCOMMISSION';
const members = [
  { id: 'UPRES01', email: 'presidence@plie.test', name: 'Claire Présidente', roles: ['COMMISSION'] },
  { id: 'UELU002', email: 'elu@casa.test', name: 'Marc Élu', roles: ['COMMISSION'] },
  { id: 'UFT0003', email: 'conseil@francetravail.test', name: 'Sonia Conseil', roles: ['COMMISSION'] },
];
const taskQueue = uniqueQueue('commission');
let s: ChannelsStack;

beforeAll(async () => {
  s = await startChannelsStack({
    taskQueue,
    coordinatorEmail: COORDINATOR,
    staff: members,
    plieConfig: { ...CASA_CONFIG, commission: { ...CASA_CONFIG.commission, slackChannel: CHANNEL, members: members.map((m) => ({ name: m.name, email: m.email })) } },
  });
});

afterAll(async () => {
  await s?.close();
});

/** A participant in follow-up whose case goes to the commission (the pathway itself is not needed here). */
async function openCase(): Promise<{ handle: Awaited<ReturnType<ChannelsStack['env']['client']['workflow']['start']>>; caseId: string }> {
  const participantId = randomUUID();
  const suffix = randomBytes(3).toString('hex');
  await s.stack.db.participant.create({
    data: { id: participantId, firstName: `Lina${suffix}`, lastName: `Roux${suffix}`, identityKey: `test-${participantId}`, birthDate: toDbDate('1980-05-05'), commune: 'Antibes', createdBy: 'test' },
  });
  const pathwayId = pathwayWorkflowId(participantId);
  await s.stack.db.pathway.create({ data: { id: pathwayId, participantId, stage: 'exitPending' } });
  const input: CommissionInput = {
    pathwayId,
    participantId,
    session: 1,
    criterion: 'TEMPS_PARTIEL_COURT',
    members: members.map((m) => m.email),
    voteDays: 7,
    reminderAfterDays: 5,
    calendarOffsetDays: 0,
  };
  const caseId = commissionWorkflowId(pathwayId, 1);
  const handle = await s.env.client.workflow.start(COMMISSION_WORKFLOW, { workflowId: caseId, taskQueue, args: [input] });
  // The case is posted to the channel once every vote task is open.
  await vi.waitFor(() => expect(s.api.messagesIn(CHANNEL)).toHaveLength(1), { timeout: 30_000, interval: 50 });
  return { handle, caseId };
}

const vote = (handle: Awaited<ReturnType<typeof openCase>>['handle'], member: number, choice: 'pour' | 'contre' | 'abstention') =>
  handle.executeUpdate(castVoteUpdate, { args: [{ actor: members[member]!.email, vote: { vote: choice }, channel: 'slack' }] });

describe('the commission’s vote (time-skipping)', { timeout: 120_000 }, () => {
  it('counts a vote changed while the post is being updated before the last vote closes it, then closes', async () => {
    const { handle, caseId } = await openCase();
    await vote(handle, 0, 'pour');
    await vote(handle, 1, 'contre');
    // The post's update after the last vote is slow: meanwhile the first member changes their vote.
    const slowPost = s.api.holdNext('chat.update', (args) => args.channel === CHANNEL);
    await vote(handle, 2, 'pour');
    await slowPost.arrived;
    const change = vote(handle, 0, 'contre');
    // The change is accepted (the vote is still open) before the post is through.
    await vi.waitFor(async () => {
      const { history } = await s.env.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseId } });
      expect(history?.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(4);
    }, { timeout: 30_000, interval: 50 });
    slowPost.release();

    expect((await change).votes).toMatchObject({ [members[0]!.email]: 'contre' });
    const result = (await handle.result()) as CommissionResult;
    // 1 pour, 2 contre: rejected; the changed vote counted.
    expect(result).toMatchObject({ outcome: 'rejected', pour: 1, contre: 2, abstention: 0 });
    const recorded = await s.stack.db.commissionCase.findUniqueOrThrow({ where: { id: caseId }, include: { votes: { include: { staff: true } } } });
    expect(recorded.closedAt).not.toBeNull();
    expect(Object.fromEntries(recorded.votes.map((v) => [v.staff.email, v.vote]))).toEqual({
      [members[0]!.email]: 'CONTRE',
      [members[1]!.email]: 'CONTRE',
      [members[2]!.email]: 'POUR',
    });
  });

  it('gives up the seat of a member deactivated before voting: her vote task cancelled, her vote refused, the others decide', async () => {
    const { handle, caseId } = await openCase();
    const leaving = members[2]!.email;
    await vote(handle, 0, 'pour');
    await s.stack.db.staff.updateMany({ where: { email: leaving }, data: { active: false } });
    try {
      await announceDeparture(s.stack.db, s.env.client, CASA_CONFIG.code, leaving, { actor: COORDINATOR, channel: 'cli' });
      await vi.waitFor(async () => expect(await s.stack.db.task.findFirstOrThrow({ where: { commissionCaseId: caseId, assigneeEmail: leaving } })).toMatchObject({ status: 'cancelled' }), { timeout: 30_000, interval: 50 });
      await expect(vote(handle, 2, 'contre')).rejects.toHaveProperty('cause.message', 'Seuls les membres de la commission ad hoc votent.');
      // The two members left sitting have both voted: the vote closes without waiting for its deadline.
      await vote(handle, 1, 'pour');
      expect((await handle.result()) as CommissionResult).toMatchObject({ outcome: 'approved', pour: 2, contre: 0, abstention: 0 });
      const recorded = await s.stack.db.commissionCase.findUniqueOrThrow({ where: { id: caseId } });
      expect(recorded.closedAt!.getTime()).toBeLessThan(recorded.deadline.getTime());
    } finally {
      await s.stack.db.staff.updateMany({ where: { email: leaving }, data: { active: true } });
    }
  });
});
