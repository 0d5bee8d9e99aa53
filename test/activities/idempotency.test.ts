/**
 * Activities are retried by Temporal: each must record its fact and send its message once,
 * whatever the number of attempts. Called here directly, against the real database and SMTP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.ts';
import { createMailer, type Mailer } from '../../src/email/transport.ts';
import { createLogger } from '../../src/logging.ts';
import type { TestInbox } from '../helpers/smtp.ts';
import type { Db } from '../../src/db/client.ts';
import { activityTestbed, type ActivityTestbed } from '../helpers/activities.ts';
import { freePort } from '../../src/infra/ports.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';

let testbed: ActivityTestbed;
let db: Db;
let inbox: TestInbox;
let mailer: Mailer;
let activities: Activities;

beforeAll(async () => {
  testbed = await activityTestbed();
  ({ db, inbox, mailer, activities } = testbed);
});

afterAll(async () => {
  await testbed?.stop();
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

  it('records a transition’s writes together once, however often retried, and nothing of it when one of them fails', async () => {
    const { pathwayId, participantId, task } = await openedTask('a@plie.test');
    const next = { id: `${pathwayId}/diagnostic_decision/1`, pathwayId, kind: 'diagnostic_decision' as const, assigneeEmail: 'r@plie.test', openedAt: new Date().toISOString(), dueDate: '2026-12-20' };
    const writes = [
      { write: 'closeTask' as const, args: { taskId: task.id, answer: { referentEmail: 'r@plie.test' }, actor: 'c@plie.test', channel: 'cli', answeredAt: new Date().toISOString() } },
      { write: 'recordStage' as const, args: { pathwayId, participantId, stage: 'diagnostic' as const, referentEmail: 'r@plie.test', entryDate: null, at: '2026-12-01T09:00:00.000Z' } },
      { write: 'openTask' as const, args: next },
    ];
    // One write refers to a contract that does not exist: the whole batch is refused, nothing of it kept.
    const broken = [...writes, { write: 'recordPathwayFact' as const, args: { pathwayId, participantId, key: `${pathwayId}/x`, fact: { kind: 'contractEnded' as const, contractId: 'absent', end: '2026-12-01', reason: 'autre', early: true }, actor: 'r@plie.test', channel: 'cli', at: '2026-12-01T09:00:00.000Z' } }];
    await expect(activities.recordTransition({ writes: broken })).rejects.toThrow();
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'open' });
    expect(await db.task.count({ where: { pathwayId } })).toBe(1);
    expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('orientation');

    await activities.recordTransition({ writes });
    await activities.recordTransition({ writes });
    expect(await db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'done', answeredBy: 'c@plie.test' });
    expect(await db.task.count({ where: { pathwayId } })).toBe(2);
    expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('diagnostic');
    expect(await db.referentAssignment.count({ where: { pathwayId, until: null } })).toBeLessThanOrEqual(1);
    const audit = await db.auditEvent.findMany({ where: { entityId: { in: [pathwayId, task.id, next.id] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['pathway.stage', 'task.answer', 'task.open', 'task.open']);
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

  it('leaves a message pending while the mail server is down, then sends it once when it is back', async () => {
    const { task } = await openedTask('attente@plie.test');
    const down = createMailer(`smtp://127.0.0.1:${await freePort()}`);
    const whileDown = createActivities({ db, mailer: down, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent') });
    try {
      const attempt = whileDown.notifyTask({ taskId: task.id, notice: 'opened', to: 'attente@plie.test' });
      // Retryable: Temporal tries again with its backoff (10 s, doubling).
      await expect(attempt).rejects.not.toBeInstanceOf(ApplicationFailure);
    } finally {
      down.close();
    }
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${task.id}/opened` } })).toMatchObject({ status: 'pending' });
    await activities.notifyTask({ taskId: task.id, notice: 'opened', to: 'attente@plie.test' });
    await activities.notifyTask({ taskId: task.id, notice: 'opened', to: 'attente@plie.test' });
    await inbox.waitFor((m) => m.to.includes('attente@plie.test'));
    expect(inbox.count((m) => m.to.includes('attente@plie.test'))).toBe(1);
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${task.id}/opened` } })).toMatchObject({ status: 'sent' });
  });

  it('records a refused address as refused and does not retry it', async () => {
    inbox.rejected.add('inconnu@plie.test');
    const { task } = await openedTask('inconnu@plie.test');
    const attempt = activities.notifyTask({ taskId: task.id, notice: 'opened', to: 'inconnu@plie.test' });
    await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(attempt).rejects.toMatchObject({ nonRetryable: true });
    const message = await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${task.id}/opened` } });
    expect(message.status).toBe('refused');
    expect(message.error).toContain('550');
    // The server's words quote the address: masked in the record and in the failure.
    expect(message.error).toContain('[adresse]');
    expect(message.error).not.toContain('inconnu@plie.test');
    await expect(attempt).rejects.toSatisfy((failure: Error) => !failure.message.includes('inconnu@plie.test'));
  });
});

describe('idempotent pathway facts', () => {
  it('records each fact, exit, FSE+ data point and participant email once, however often retried', async () => {
    const { participantId, pathwayId } = await openedTask('c@plie.test');
    await db.participant.update({ where: { id: participantId }, data: { email: 'ines.test@exemple.fr' } });
    const at = new Date().toISOString();
    const twice = async (call: () => Promise<unknown>) => {
      await call();
      await call();
    };
    const contract = {
      id: `${pathwayId}/contract/3`,
      type: 'CDI' as const,
      start: '2026-12-01',
      end: null,
      weeklyHours: 35,
      iae: false,
      aided: false,
      marketSector: true,
      insertionCompany: false,
      hoursPaid: null,
      endReason: null,
      employer: 'Boulangerie',
      sector: null,
    };
    const fact = (key: string, f: Parameters<Activities['recordPathwayFact']>[0]['fact']) => () =>
      activities.recordPathwayFact({ pathwayId, participantId, key: `${pathwayId}/fact/${key}`, fact: f, actor: 'r@plie.test', channel: 'cli', at });
    await twice(fact('4', { kind: 'contract', contract }));
    await twice(fact('5', { kind: 'contractEnded', contractId: contract.id, end: '2026-12-20', reason: 'periode_essai', early: true }));
    await twice(fact('6', { kind: 'contact', date: '2026-12-02', mode: 'telephone' }));
    await twice(fact('7', { kind: 'step', stepId: `${pathwayId}/step/8`, stepType: 'ATELIER', start: '2026-12-03', status: 'PREVUE' }));
    await twice(fact('9', { kind: 'remindersPaused', until: '2027-01-10', reason: 'Hospitalisation' }));
    // A change of referent: one history line each, closed and opened once; a barrier raised then lifted once.
    const { plieCode } = await db.participant.findUniqueOrThrow({ where: { id: participantId } });
    const suffix = randomBytes(3).toString('hex');
    const [first, second] = [`premiere.${suffix}@plie.test`, `second.${suffix}@plie.test`];
    for (const email of [first, second]) await db.staff.create({ data: { plieCode, email, name: email, roles: ['REFERENT'] } });
    await twice(() => activities.recordStage({ pathwayId, participantId, stage: 'diagnostic', referentEmail: first, entryDate: null, at: '2026-12-01T09:00:00.000Z' }));
    await twice(fact('10', { kind: 'referentChanged', from: first, to: second, on: '2026-12-05', reason: null }));
    await twice(fact('11', { kind: 'barrierRaised', category: 'LOGEMENT', on: '2026-12-06' }));
    await twice(fact('12', { kind: 'barrierLifted', category: 'LOGEMENT', on: '2026-12-20' }));
    // Each monthly check's hours paid, kept once with the contract, which carries their total.
    for (const [n, hours] of [[20, 151.5], [21, 140]] as const) {
      const checkId = `${pathwayId}/follow_up_check/${n}`;
      await activities.openTask({ id: checkId, pathwayId, kind: 'follow_up_check', assigneeEmail: 'r@plie.test', openedAt: at, dueDate: '2027-01-08' });
      await twice(() => activities.closeTask({ taskId: checkId, answer: { inPost: true, hours }, actor: 'r@plie.test', channel: 'slack', answeredAt: at }));
    }
    const exit = { type: 'ADMINISTRATIVE' as const, reason: 'Déménagement', kind: null, criterion: null, cdi: false, date: '2026-12-28', proofsMissing: false };
    await twice(() => activities.recordExit({ pathwayId, participantId, exit }));
    await twice(() => activities.recordFseDataPoint({ participantId, moment: 'SORTIE', on: '2026-12-28', labourMarketStatus: null }));
    await twice(() => activities.notifyParticipant({ pathwayId, participantId, template: 'entree', key: `${pathwayId}/entree`, at }));

    const contracts = await db.workContract.findMany({ where: { participantId }, include: { paidHours: true } });
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ type: 'CDI', endReason: 'periode_essai', employer: 'Boulangerie', hoursPaid: 291.5 });
    expect(contracts[0]!.paidHours.map((h) => h.hours).sort()).toEqual([140, 151.5]);
    expect(await db.appointment.count({ where: { pathwayId } })).toBe(1);
    expect(await db.step.count({ where: { participantId } })).toBe(1);
    expect(await db.exit.count({ where: { participantId } })).toBe(1);
    expect(await db.fseDataPoint.count({ where: { participantId } })).toBe(1);
    expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).remindersPauseReason).toBe('Hospitalisation');
    const history = await db.referentAssignment.findMany({ where: { pathwayId }, include: { staff: true }, orderBy: { from: 'asc' } });
    expect(history.map((a) => [a.staff.email, a.until])).toEqual([
      [first, new Date('2026-12-05T00:00:00Z')],
      [second, null],
    ]);
    expect(await db.barrier.findMany({ where: { participantId }, select: { category: true, openedOn: true, closedOn: true } })).toEqual([
      { category: 'LOGEMENT', openedOn: new Date('2026-12-06T00:00:00Z'), closedOn: new Date('2026-12-20T00:00:00Z') },
    ]);
    const welcome = inbox.messages.filter((m) => m.to.includes('ines.test@exemple.fr'));
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.subject).toBe('Bienvenue dans votre parcours PLIE');
    expect(welcome[0]!.text).toContain('Fonds social européen');
    const audit = await db.auditEvent.count({ where: { entityId: pathwayId, action: { startsWith: 'pathway.' } } });
    expect(audit).toBe(10);
  });

  /** A person with an address, in a pathway, and how to record facts about its first appointment. */
  async function aboutAnAppointment(staff: string, tag: string) {
    const { participantId, pathwayId } = await openedTask(staff);
    const email = `${tag}.${participantId.slice(0, 6)}@exemple.fr`;
    await db.participant.update({ where: { id: participantId }, data: { email } });
    const at = new Date().toISOString();
    const fact = (key: string, f: Parameters<Activities['recordPathwayFact']>[0]['fact']) =>
      activities.recordPathwayFact({ pathwayId, participantId, key: `${pathwayId}/fact/${key}`, fact: f, actor: 'r@plie.test', channel: 'web', at });
    return { participantId, pathwayId, email, at, appointmentId: `${pathwayId}/rdv/1`, fact };
  }

  it('sends an appointment’s invitation again in its latest version once it was moved', async () => {
    const { participantId, pathwayId, email, at, appointmentId, fact } = await aboutAnAppointment('rdv@plie.test', 'rdv');
    await fact('1', { kind: 'appointment', appointmentId, at: '2027-03-10T09:00:00.000Z', place: 'Antibes', durationMinutes: 60, first: false });
    await fact('2', { kind: 'appointmentMoved', appointmentId, at: '2027-03-11T13:00:00.000Z', place: 'Valbonne', durationMinutes: 45, sequence: 1 });
    // The first invitation, sent only now (its address was refused at first, say): the appointment as it stands.
    await activities.notifyParticipant({ pathwayId, participantId, template: 'rendez_vous', key: `${appointmentId}/invitation`, at });
    const mail = await inbox.waitFor((m) => m.to.includes(email));
    const ics = mail.raw.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8').replace(/\r\n /g, '');
    expect(ics).toMatch(/^SEQUENCE:1$/m);
    expect(ics).toMatch(/^DTSTART;TZID=Europe\/Paris:20270311T140000$/m);
    expect(mail.text).toContain('Valbonne');
  });

  it('does not send again a reminder refused at first once its appointment was cancelled', async () => {
    const { participantId, pathwayId, email, at, appointmentId, fact } = await aboutAnAppointment('rdv-annule@plie.test', 'annule');
    await fact('1', { kind: 'appointment', appointmentId, at: '2099-03-10T09:00:00.000Z', place: 'Antibes', durationMinutes: 60, first: false });
    inbox.rejected.add(email);
    await expect(activities.notifyParticipant({ pathwayId, participantId, template: 'rendez_vous.rappel', key: `${appointmentId}/rappel`, at })).rejects.toThrow();
    inbox.rejected.delete(email);
    const refused = await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${appointmentId}/rappel` } });
    expect(refused.status).toBe('refused');
    await fact('2', { kind: 'appointmentCancelled', appointmentId, sequence: 1 });
    // Asked from a page read before the cancellation: nothing goes, and it says why.
    expect(await activities.resendMessage({ messageId: refused.id })).toBe('stale');
    expect(inbox.count((m) => m.to.includes(email))).toBe(0);
    expect((await db.message.findUniqueOrThrow({ where: { id: refused.id } })).status).toBe('refused');
  });

  it('lets the participant answer their referent by replying', async () => {
    const { participantId, pathwayId } = await openedTask('e@plie.test');
    await db.participant.update({ where: { id: participantId }, data: { email: `p.${participantId.slice(0, 6)}@exemple.fr` } });
    await db.pathway.update({ where: { id: pathwayId }, data: { referentEmail: 'referente.e@plie.test' } });
    await activities.notifyParticipant({ pathwayId, participantId, template: 'convocation', key: `${pathwayId}/convocation`, at: new Date().toISOString() });
    const mail = await inbox.waitFor((m) => m.to.includes(`p.${participantId.slice(0, 6)}@exemple.fr`));
    expect(mail.subject).toBe('Bienvenue au PLIE : votre premier rendez-vous');
    expect(mail.raw.replyTo?.value.map((a) => a.address)).toEqual(['referente.e@plie.test']);
  });

  it('sends the replies of a participant without a referent yet to the configured box', async () => {
    const { participantId, pathwayId } = await openedTask('f@plie.test');
    await db.participant.update({ where: { id: participantId }, data: { email: `q.${participantId.slice(0, 6)}@exemple.fr` } });
    const withBox = createActivities({ db, mailer, mailFrom: 'plie@plie.test', replyTo: 'accueil@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent') });
    await withBox.notifyParticipant({ pathwayId, participantId, template: 'convocation', key: `${pathwayId}/convocation`, at: new Date().toISOString() });
    const mail = await inbox.waitFor((m) => m.to.includes(`q.${participantId.slice(0, 6)}@exemple.fr`));
    expect(mail.raw.replyTo?.value.map((a) => a.address)).toEqual(['accueil@plie.test']);
  });

  it('records a participant without an address as undeliverable, without sending', async () => {
    const { participantId, pathwayId } = await openedTask('d@plie.test');
    await activities.notifyParticipant({ pathwayId, participantId, template: 'convocation', key: `${pathwayId}/convocation`, at: new Date().toISOString() });
    expect(await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${pathwayId}/convocation` } })).toMatchObject({ status: 'no_address', recipient: 'participant' });
  });
});

describe('the prescriber’s loop', () => {
  it('tells the prescriber of record of the exit once, at the contact’s address; not when the PLIE turned it off or no address is known', async () => {
    const { participantId, pathwayId } = await openedTask('g@plie.test');
    const prescriber = `prescriptrice.${participantId.slice(0, 6)}@ccas.test`;
    await db.participant.update({ where: { id: participantId }, data: { prescriber: 'CCAS', prescriberContact: `Mme Durand <${prescriber}>`, orientationDate: new Date('2025-03-04T00:00:00Z') } });
    await db.pathway.update({ where: { id: pathwayId }, data: { referentEmail: 'referente.g@plie.test', entryDate: new Date('2025-04-01T00:00:00Z') } });
    const exit = { type: 'ABANDON' as const, reason: 'Ne donne plus de nouvelles', kind: null, criterion: null, cdi: false, date: '2026-05-29', proofsMissing: false };
    await activities.recordExit({ pathwayId, participantId, exit });
    const at = new Date().toISOString();
    const notice = { pathwayId, participantId, event: 'exit' as const, key: `${pathwayId}/prescripteur/exit`, at };
    await activities.notifyPrescriber(notice);
    await activities.notifyPrescriber(notice);
    const mail = await inbox.waitFor((m) => m.to.includes(prescriber));
    expect(inbox.count((m) => m.to.includes(prescriber))).toBe(1);
    expect(mail.text).toContain('s’est terminé le 29/05/2026 : rupture / abandon.');
    expect(mail.text).not.toContain('nouvelles');
    expect(mail.raw.replyTo?.value.map((a) => a.address)).toEqual(['referente.g@plie.test']);

    // Refused by the prescriber's mail server, then accepted: sent again from its record, under its key.
    const refusedTo = `refusee.${participantId.slice(0, 6)}@ccas.test`;
    inbox.rejected.add(refusedTo);
    await db.participant.update({ where: { id: participantId }, data: { prescriberContact: `M. Roux <${refusedTo}>` } });
    await expect(activities.notifyPrescriber({ ...notice, key: `${pathwayId}/prescripteur/exit/bis` })).rejects.toThrow('SMTP a refusé le message');
    const refused = await db.message.findUniqueOrThrow({ where: { idempotencyKey: `${pathwayId}/prescripteur/exit/bis` } });
    expect(refused.status).toBe('refused');
    inbox.rejected.delete(refusedTo);
    expect(await activities.resendMessage({ messageId: refused.id })).toBe('sent');
    expect(await activities.resendMessage({ messageId: refused.id })).toBe('sent');
    expect(inbox.count((m) => m.to.includes(refusedTo))).toBe(1);
    await db.participant.update({ where: { id: participantId }, data: { prescriberContact: `Mme Durand <${prescriber}>` } });

    // Turned off by the PLIE, or no address known: nothing sent, nothing recorded.
    const off = createActivities({ db, mailer, mailFrom: 'plie@plie.test', appUrl: 'http://plie.test', logger: createLogger('silent'), plieConfig: async () => ({ ...CASA_CONFIG, prescriberNotices: { enabled: false, addresses: {} } }) });
    await off.notifyPrescriber({ ...notice, key: `${pathwayId}/prescripteur/exit/off` });
    await db.participant.update({ where: { id: participantId }, data: { prescriberContact: 'Mme Durand, par téléphone' } });
    await activities.notifyPrescriber({ ...notice, key: `${pathwayId}/prescripteur/exit/sans-adresse` });
    expect(await db.message.count({ where: { idempotencyKey: { startsWith: `${pathwayId}/prescripteur/exit/`, not: `${pathwayId}/prescripteur/exit/bis` } } })).toBe(0);
  });
});
