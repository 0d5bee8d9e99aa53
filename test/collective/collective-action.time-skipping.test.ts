/**
 * A job-discovery workshop from invitation to its figures, on the time-skipping server with the
 * real worker, PostgreSQL, SMTP, the local Slack Web API and the web pages: invitations with the
 * event to add to one's agenda, a reminder two days before, then the organiser, prompted in Slack,
 * records who came and what it led to through the form behind the link.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkInvitees, createCollectiveAction, figuresOf } from '../../src/collective/actions.ts';
import { collectiveState, inviteParticipants, recordCollectiveAttendance, startCollective } from '../../src/collective/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { addDays, parisDate, parisInstant } from '../../src/domain/dates.ts';
import { InvalidInputError } from '../../src/participants/create.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { collectiveWorkflowId, type CollectiveState } from '../../workflows/collective-messages.ts';
import { FakeSlackApi } from '../helpers/slack-api.ts';
import { found } from '../helpers/found.ts';
import { startChannelsStack, type ChannelsStack } from '../helpers/time-skipping-channels.ts';
import { uniqueQueue } from '../helpers/settings.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { announceRoster, staffRosterOf } from '../../src/staff/roster.ts';

const run = randomBytes(3).toString('hex');
const plieCode = `ACT${run.toUpperCase()}`;
const organizer = { id: `UORGA${run}`, email: `relation.entreprise-${run}@plie.test`, name: 'Rania Relation', roles: ['REFERENT'] };
const coordinator = { email: `coordination-${run}@plie.test`, name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const other = { email: `autre-${run}@plie.test`, name: 'Autre Référent', roles: ['REFERENT'] };
const taskQueue = uniqueQueue('collective');
const HOUR = 3_600_000;

let channels: ChannelsStack;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  channels = await startChannelsStack({ taskQueue, coordinatorEmail: coordinator.email, staff: [organizer, coordinator, other], plieCode });
  env = channels.env;
});

afterAll(async () => {
  await channels?.close();
});

async function participant(firstName: string, withEmail: boolean) {
  const id = randomUUID();
  await channels.stack.db.participant.create({
    data: { id, plieCode, firstName, lastName: `Atelier${run}`, identityKey: `atelier-${id}`, birthDate: toDbDate('1990-01-01'), email: withEmail ? `${firstName.toLowerCase()}-${run}@exemple.test` : null, createdBy: 'test' },
  });
  return id;
}

describe('a collective action (time-skipping)', { timeout: 240_000 }, () => {
  it('invites with the event, reminds two days before, then records attendance, mises en relation and hires', async () => {
    const { db, inbox } = channels.stack;
    const [ana, ben, chloe] = [await participant('Ana', true), await participant('Ben', true), await participant('Chloe', true)];
    const dan = await participant('Dan', false);
    const day = addDays(parisDate(await env.currentTimeMs()), 10);
    const action = await createCollectiveAction(db, plieCode, { kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de la collecte des déchets', company: 'Propreté Azur', date: day, time: '14:00', durationMinutes: 120, place: 'PLIE, 1 place du Général-de-Gaulle, Antibes', organizerEmail: organizer.email }, organizer.email);
    await startCollective(env.client, taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: 120, organizerEmail: organizer.email, coordinatorEmail: coordinator.email, calendarOffsetDays: 0 });

    await expect(checkInvitees(db, action.id, [ana, 'pas-un-id'])).rejects.toThrow(InvalidInputError);
    await expect(inviteParticipants(env.client, action.id, { participantIds: [ana], actor: other.email, channel: 'cli' })).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, invite.');
    const invited = await inviteParticipants(env.client, action.id, { participantIds: await checkInvitees(db, action.id, [ana, ben, chloe, dan]), actor: organizer.email, channel: 'cli' });
    expect(invited.invited).toHaveLength(4);

    // Invitations with the event (Paris time, the person as attendee); none without an address, recorded as such.
    for (const name of ['ana', 'ben', 'chloe']) {
      const mail = await inbox.waitFor((m) => m.to.includes(`${name}-${run}@exemple.test`) && m.subject === 'Invitation : Les métiers de la collecte des déchets');
      expect(mail.text).toContain('Votre référent·e vous invite à l’atelier découverte des métiers « Les métiers de la collecte des déchets » avec Propreté Azur, le ');
      expect(mail.raw.replyTo?.text).toContain(organizer.email);
      const ics = mail.raw.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString().replace(/\r\n[ \t]/g, '');
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain(`DTSTART;TZID=Europe/Paris:${day.replaceAll('-', '')}T140000`);
      expect(ics).toContain(`DTEND;TZID=Europe/Paris:${day.replaceAll('-', '')}T160000`);
      expect(ics).toMatch(new RegExp(`ATTENDEE;[^\\n]*mailto:${name}-${run}@exemple.test`, 'i'));
    }
    await vi.waitFor(async () => expect(await db.message.findUnique({ where: { idempotencyKey: `collective/${action.id}/${dan}/invitation` } })).toMatchObject({ status: 'no_address' }), { timeout: 30_000, interval: 100 });
    await expect(recordCollectiveAttendance(env.client, action.id, { present: [ana], misesEnRelation: [], hires: [], actor: organizer.email, channel: 'cli' })).rejects.toThrow('L’action n’a pas encore eu lieu.');

    // Two days before: a reminder to each.
    const now = await env.currentTimeMs();
    await env.sleep(parisInstant(addDays(day, -2), '14:00') + HOUR - now);
    for (const name of ['ana', 'ben', 'chloe']) await inbox.waitFor((m) => m.to.includes(`${name}-${run}@exemple.test`) && m.subject.startsWith('Rappel : Les métiers de la collecte des déchets'));

    // Once over, the organiser is asked in Slack, with the link to the form.
    await env.sleep(parisInstant(day, '16:00') + HOUR - (await env.currentTimeMs()));
    const prompt = await found(() => channels.api.messagesIn(FakeSlackApi.dmOf(organizer.id)).find((m) => m.text.startsWith('Présence à saisir')));
    await expect(inviteParticipants(env.client, action.id, { participantIds: [dan], actor: organizer.email, channel: 'cli' })).rejects.toThrow('L’action a déjà commencé : plus d’invitation possible.');
    await expect(recordCollectiveAttendance(env.client, action.id, { present: [ana], misesEnRelation: [], hires: [], actor: other.email, channel: 'cli' })).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, saisit la présence.');
    const url = /"url":"(http:\/\/plie\.test\/l\/[^"]+)"/.exec(JSON.stringify(prompt.blocks))![1]!;
    const link = channels.linkOf(url);
    const page = await (await fetch(link)).text();
    expect(page).toContain('Les métiers de la collecte des déchets');
    expect(page.match(/type="checkbox"/g)).toHaveLength(12);
    const post = (fields: Array<[string, string]>) => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const absentHired = await post([['present', ana], ['hires', dan]]);
    expect(absentHired.status).toBe(422);
    expect(await absentHired.text()).toContain(`Dossier ${dan.slice(0, 8).toUpperCase()} : une mise en relation ou une embauche suppose d’avoir été présent·e`);
    const saved = await post([['present', ana], ['present', ben], ['present', chloe], ['misesEnRelation', ana], ['misesEnRelation', ben], ['hires', ana]]);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('3 présent·es sur 4 invité·es, 2 mise(s) en relation, 1 embauche(s).');
    expect((await post([['present', ana]])).status).toBe(410);

    const result = (await env.client.workflow.getHandle(collectiveWorkflowId(action.id)).result()) as CollectiveState;
    expect(result.figures).toEqual({ invited: 4, present: 3, misesEnRelation: 2, hires: 1 });
    expect(await figuresOf(db, action.id)).toEqual(result.figures);
    // The PLIE's report lists it with its figures.
    expect((await queryReport(db, plieCode, CASA_CONFIG, { from: day, to: day })).relation.collectiveActions).toEqual([{ date: day, kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de la collecte des déchets', present: 3, misesEnRelation: 2, hires: 1 }]);
    await expect(collectiveState(env.client, action.id)).resolves.toMatchObject({ attendancePrompts: 1, reminded: true });
  });

  it('knows the PLIE’s staff from its start: a coordinator other than the coordination’s mailbox invites at once', async () => {
    const { db } = channels.stack;
    const lea = `lea.coordination-${run}@plie.test`;
    await db.staff.create({ data: { plieCode, email: lea, name: 'Léa Coordination', roles: ['COORDINATEUR'] } });
    const ana = await participant('Aline', true);
    const day = addDays(parisDate(await env.currentTimeMs()), 5);
    const action = await createCollectiveAction(db, plieCode, { kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de la logistique', date: day, time: '09:00', durationMinutes: 60, place: 'Antibes', organizerEmail: coordinator.email }, coordinator.email);
    const roster = await staffRosterOf(db, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator.email);
    await startCollective(env.client, taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: 60, organizerEmail: coordinator.email, coordinatorEmail: coordinator.email, calendarOffsetDays: 0, roster });
    await expect(inviteParticipants(env.client, action.id, { participantIds: [ana], actor: lea, channel: 'web' })).resolves.toMatchObject({ invited: [ana] });
  });

  it('judges with the roster of the day: a coordinator named since may act, an organiser deactivated may not, and her prompt goes to the coordination', async () => {
    const { db } = channels.stack;
    const leaver = `partante-${run}@plie.test`;
    const newcomer = `nouvelle.coordination-${run}@plie.test`;
    await db.staff.create({ data: { plieCode, email: leaver, name: 'Paula Partante', roles: ['REFERENT'] } });
    const ana = await participant('Anouk', true);
    const day = addDays(parisDate(await env.currentTimeMs()), 5);
    const action = await createCollectiveAction(db, plieCode, { kind: 'VISITE_ENTREPRISE', title: 'Visite du centre de tri', date: day, time: '09:00', durationMinutes: 60, place: 'Antibes', organizerEmail: leaver }, leaver);
    await startCollective(env.client, taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: 60, organizerEmail: leaver, coordinatorEmail: coordinator.email, calendarOffsetDays: 0 });
    const invite = (actor: string) => inviteParticipants(env.client, action.id, { participantIds: [ana], actor, channel: 'cli' });
    const roster = () => announceRoster(db, env.client, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator.email);

    await db.staff.create({ data: { plieCode, email: newcomer, name: 'Nina Nouvelle', roles: ['COORDINATEUR'] } });
    await expect(invite(newcomer)).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, invite.');
    expect(await roster()).toBeGreaterThanOrEqual(1);
    await expect(invite(newcomer)).resolves.toMatchObject({ invited: [ana] });

    await db.staff.update({ where: { plieCode_email: { plieCode, email: leaver } }, data: { active: false } });
    await roster();
    await expect(invite(leaver)).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, invite.');

    // Once over, who came is asked of the coordination, not of the one who left.
    await env.sleep(parisInstant(day, '10:00') + HOUR - (await env.currentTimeMs()));
    const prompt = await found(async () => (await db.message.findUnique({ where: { idempotencyKey: `collective/${action.id}/presence/1` } })) ?? undefined);
    expect(prompt.recipient).toBe(coordinator.email);
    await expect(recordCollectiveAttendance(env.client, action.id, { present: [ana], misesEnRelation: [], hires: [], actor: leaver, channel: 'cli' })).rejects.toThrow('Seule la personne qui organise l’action, ou la coordination, saisit la présence.');
    const done = await recordCollectiveAttendance(env.client, action.id, { present: [ana], misesEnRelation: [], hires: [], actor: newcomer, channel: 'cli' });
    expect(done.figures).toEqual({ invited: 1, present: 1, misesEnRelation: 0, hires: 0 });
  });
});
