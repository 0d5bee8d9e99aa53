/**
 * What participants receive, sent by the real activities through SMTP and parsed: the appointment
 * invitation with its iCalendar part, the reminder, the signed links of the proof request and the
 * questionnaire — and nothing sensitive anywhere.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.ts';
import { uuidFromKey } from '../../src/db/ids.ts';
import { verifyLink } from '../../src/links/signed-links.ts';
import type { TestInbox, ReceivedMail } from '../helpers/smtp.ts';
import type { Db } from '../../src/db/client.ts';
import { activityTestbed, type ActivityTestbed } from '../helpers/activities.ts';

const SECRET = 'secret-des-liens-du-test-des-emails-participants';
let testbed: ActivityTestbed;
let db: Db;
let inbox: TestInbox;
let activities: Activities;

beforeAll(async () => {
  testbed = await activityTestbed({ mailFrom: 'PLIE <plie@plie.test>', appUrl: 'https://plie.example.org', linkSecret: SECRET });
  ({ db, inbox, activities } = testbed);
});

afterAll(async () => {
  await testbed?.stop();
});

/** A participant on RSA with health barriers: none of it may appear in an email. */
async function participant() {
  const suffix = randomBytes(4).toString('hex');
  const participantId = randomUUID();
  const pathwayId = `parcours-${participantId}`;
  const email = `nadia.${suffix}@exemple.fr`;
  const referent = `referente-${suffix}@plie.test`;
  await db.staff.create({ data: { email: referent, name: 'Sophie Lambert', roles: ['REFERENT'] } });
  await db.participant.create({
    data: { id: participantId, firstName: 'Nadia', lastName: 'Haddad', email, identityKey: `t|${suffix}`, birthDate: new Date('1988-05-04T00:00:00Z'), createdBy: 'test', minimumIncome: 'RSA', rqth: true },
  });
  await db.barrier.create({ data: { participantId, category: 'SANTE' } });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: referent } });
  return { participantId, pathwayId, email, referent };
}

function nothingSensitive(mail: ReceivedMail) {
  for (const part of [mail.text, mail.html, mail.subject]) {
    // A link's signature is random base64 and may spell « RSa » by chance: the words are looked
    // for in the message around the links. What a link carries is checked apart, decoded.
    const links = part.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
    expect(part.replace(/https?:\/\/[^\s"'<>]+/g, ' ')).not.toMatch(/RSA|RQTH|santé|Haddad|1988|handicap/i);
    for (const link of links) {
      const claims = link.split('/l/')[1]?.split('.')[0];
      // (Its ids are hexadecimal, which can spell a year by chance but not a word.)
      if (claims) expect(Buffer.from(claims, 'base64url').toString('utf8')).not.toMatch(/RSA|RQTH|santé|Haddad|handicap/i);
    }
  }
}

describe('emails to participants', () => {
  it('invite to an appointment with an iCalendar REQUEST in Paris time, the participant as attendee and the referent as organizer', async () => {
    const p = await participant();
    const appointmentId = `${p.pathwayId}/rdv/1`;
    await activities.recordPathwayFact({
      pathwayId: p.pathwayId,
      participantId: p.participantId,
      key: `${p.pathwayId}/fact/2`,
      fact: { kind: 'appointment', appointmentId, at: '2026-12-08T13:00:00.000Z', place: 'PLIE, 12 rue Clemenceau, Antibes', durationMinutes: 45, first: true },
      actor: p.referent,
      channel: 'slack',
      at: new Date().toISOString(),
    });
    await activities.notifyParticipant({ pathwayId: p.pathwayId, participantId: p.participantId, template: 'rendez_vous', key: `${appointmentId}/invitation`, at: new Date().toISOString() });
    const mail = await inbox.waitFor((m) => m.to.includes(p.email));
    expect(mail.subject).toBe('Votre premier rendez-vous au PLIE');
    expect(mail.text).toContain('mardi 8 décembre 2026 à 14h00');
    expect(mail.html).toContain('12 rue Clemenceau');
    expect(mail.raw.replyTo?.value.map((a) => a.address)).toEqual([p.referent]);
    // Long iCalendar lines are folded (CRLF + space): unfolded before reading.
    const ics = mail.raw.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString().replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('DTSTART;TZID=Europe/Paris:20261208T140000');
    expect(ics).toContain('DTEND;TZID=Europe/Paris:20261208T144500');
    expect(ics).toMatch(new RegExp(`ATTENDEE;[^\\n]*mailto:${p.email}`, 'i'));
    expect(ics).toMatch(new RegExp(`ORGANIZER;CN="?Sophie Lambert"?:mailto:${p.referent}`));
    expect(ics).toContain('BEGIN:VTIMEZONE');
    nothingSensitive(mail);
    expect(await db.appointment.findUniqueOrThrow({ where: { id: uuidFromKey(appointmentId) } })).toMatchObject({ kind: 'PREMIER_ENTRETIEN', status: 'PREVU', durationMinutes: 45 });

    await activities.notifyParticipant({ pathwayId: p.pathwayId, participantId: p.participantId, template: 'rendez_vous.rappel', key: `${appointmentId}/rappel`, at: new Date().toISOString() });
    const reminder = await inbox.waitFor((m) => m.to.includes(p.email) && m.subject.startsWith('Rappel'));
    expect(reminder.text).toContain('mardi 8 décembre 2026 à 14h00');
    nothingSensitive(reminder);
  });

  it('carry a signed upload link in the proof request, and a questionnaire link six months after the exit', async () => {
    const p = await participant();
    const taskId = `${p.pathwayId}/proof_request/3`;
    await activities.openTask({ id: taskId, pathwayId: p.pathwayId, kind: 'proof_request', assigneeEmail: '', assigneeRole: 'participant', openedAt: new Date().toISOString(), dueDate: '2026-12-05' });
    const at = '2026-11-28T10:00:00.000Z';
    await activities.notifyParticipant({ pathwayId: p.pathwayId, participantId: p.participantId, template: 'proof_request', key: `${taskId}/opened`, at });
    const mail = await inbox.waitFor((m) => m.to.includes(p.email));
    const token = /https:\/\/plie\.example\.org\/l\/([\w.-]+)/.exec(mail.text)![1]!;
    expect(mail.html).toContain(`https://plie.example.org/l/${token}`);
    const check = verifyLink(token, SECRET, Date.parse(at));
    expect(check).toMatchObject({ ok: true, claims: { purpose: 'proof-upload', subject: taskId, expiresAt: Date.parse(at) + 30 * 86_400_000 } });
    nothingSensitive(mail);

    const fseTask = `${p.pathwayId}/fse_questionnaire/9`;
    await activities.openTask({ id: fseTask, pathwayId: p.pathwayId, kind: 'fse_questionnaire', assigneeEmail: '', assigneeRole: 'participant', openedAt: new Date().toISOString(), dueDate: '2026-12-12' });
    await activities.notifyParticipant({ pathwayId: p.pathwayId, participantId: p.participantId, template: 'fse_questionnaire', key: `${fseTask}/opened`, at });
    const fse = await inbox.waitFor((m) => m.to.includes(p.email) && m.subject.startsWith('Où en êtes-vous'));
    const fseToken = /\/l\/([\w.-]+)/.exec(fse.text)![1]!;
    expect(verifyLink(fseToken, SECRET, Date.parse(at))).toMatchObject({ ok: true, claims: { purpose: 'fse-questionnaire', subject: fseTask } });
  });

  it('email staff without Slack a personal, expiring link to the task form', async () => {
    const p = await participant();
    const taskId = `${p.pathwayId}/log_contact/4`;
    await activities.openTask({ id: taskId, pathwayId: p.pathwayId, kind: 'log_contact', assigneeEmail: p.referent, openedAt: new Date().toISOString(), dueDate: '2026-12-05' });
    const at = '2026-11-28T10:00:00.000Z';
    await activities.notifyTask({ taskId, notice: 'opened', to: p.referent, at });
    const mail = await inbox.waitFor((m) => m.to.includes(p.referent));
    expect(mail.text).toContain('valable jusqu’au 12/12/2026, une seule fois');
    const token = /\/l\/([\w.-]+)/.exec(mail.text)![1]!;
    expect(verifyLink(token, SECRET, Date.parse(at))).toMatchObject({ ok: true, claims: { purpose: 'task-answer', subject: taskId, actor: p.referent } });
    expect(mail.text).not.toContain('Nadia');
  });
});
