/**
 * A 12-month marché from registration to bilan, on the time-skipping server (a server of its own),
 * with the real worker, PostgreSQL, a real SMTP server, the web pages behind the email links and
 * Bolt's HTTP receiver with the local Slack Web API: every month the company's contact declares
 * the hours through the emailed form, the facilitator validates them in Slack (or chases the
 * company, or asks for a correction), falls behind the pace and is alerted, and gets the bilan.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, addMonths, parisDate, parisInstant } from '../../src/domain/dates.ts';
import { clauseMonths, hoursRequestDay, monthLabel } from '../../src/domain/procurement.ts';
import { CASA_CONFIG, type PlieConfig } from '../../src/domain/plie-config.ts';
import { hoursText } from '../../src/email/procurement-templates.ts';
import { recordHire } from '../../src/procurement/hire.ts';
import { proposeCandidate, registerProcurement } from '../../src/procurement/register.ts';
import { procurementInput } from '../../src/procurement/start.ts';
import { PROCUREMENT_ACTIONS } from '../../src/slack/procurement-message.ts';
import { closeProcurement, declareHours, procurementState, reviewHours, startProcurement } from '../../src/temporal/procurement-client.ts';
import { announceRoster, staffRosterOf } from '../../src/staff/roster.ts';
import { TaskAnswerRejectedError } from '../../src/temporal/pathway-client.ts';
import { procurementWorkflowId, type ProcurementState } from '../../workflows/procurement-messages.ts';
import { FakeSlackApi, type StoredMessage } from '../helpers/slack-api.ts';
import { input } from '../helpers/slack-requests.ts';
import { uniqueQueue } from '../helpers/settings.ts';
import type { WorkerStack } from '../helpers/worker.ts';
import { startChannelsStack, type ChannelsStack } from '../helpers/time-skipping-channels.ts';
import { found } from '../helpers/found.ts';

const run = randomBytes(3).toString('hex');
const facilitator = { id: `UFACI${run}`, email: `facilitatrice-${run}@plie.test`, name: 'Fanny Facilitatrice', roles: ['FACILITATEUR'] };
const coordinator = { id: `UCOOR${run}`, email: `coordination-${run}@plie.test`, name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const referent = { id: `UREFE${run}`, email: `referente-${run}@plie.test`, name: 'Rita Référente', roles: ['REFERENT'] };
const contact = `rh-${run}@batisseurs.test`;
const taskQueue = uniqueQueue('marche');
const plieConfig: PlieConfig = { ...CASA_CONFIG, clauses: { ...CASA_CONFIG.clauses, facilitators: [facilitator.email] } };
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let api: FakeSlackApi;
let stack: WorkerStack;
let slack: ChannelsStack['slack'];
let linkOf: (text: string) => string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ env, api, stack, slack, linkOf, close } = await startChannelsStack({ taskQueue, coordinatorEmail: coordinator.email, staff: [facilitator, coordinator, referent], plieConfig }));
});

afterAll(async () => {
  await close?.();
});

const wait = { timeout: 30_000, interval: 100 };
const dm = FakeSlackApi.dmOf(facilitator.id);
const post = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const slackMessage = (match: (m: StoredMessage) => boolean) => found(() => api.messagesIn(dm).find(match));

describe('a marché run by its workflow (time-skipping)', { timeout: 300_000 }, () => {
  it('collects 12 months of hours by email, validated in Slack, alerts on the pace, and closes with the bilan', async () => {
    const { db } = stack;
    // The marché starts on the first of next month (the test server's clock is today's).
    const start = addMonths(`${parisDate(await env.currentTimeMs()).slice(0, 7)}-01`, 1);
    const end = addDays(addMonths(start, 12), -1);
    const months = clauseMonths(start, end);
    expect(months).toHaveLength(12);
    const procurement = await registerProcurement(
      db,
      'CASA',
      { reference: `VOIRIE-${run}`, buyer: 'Communauté d’agglomération', title: 'Réfection de voirie', company: 'Bâtisseurs du Sud', contactName: 'Service RH', contactEmail: contact, sector: 'BTP', clauseHours: 1200, start, end },
      facilitator.email,
    );
    for (const personId of ['C1', 'C2']) await proposeCandidate(db, plieConfig.clauses, procurement.id, { personId, birthDate: '1970-02-01', jobSeekerMonths: 20 }, facilitator.email);
    await recordHire({ db, temporal: env.client }, procurement.id, { personId: 'C1', contract: { type: 'CDD', start, end, weeklyHours: 35 } }, facilitator.email);
    // C2 works from the third month to the eighth.
    await recordHire({ db, temporal: env.client }, procurement.id, { personId: 'C2', contract: { type: 'INTERIM', start: `${months[2]}-01`, end: addDays(`${months[8]}-01`, -1), weeklyHours: 20 } }, facilitator.email);
    const workflowInput = procurementInput(procurement, plieConfig, coordinator.email);
    expect(workflowInput.facilitatorEmail).toBe(facilitator.email);
    await startProcurement(env.client, taskQueue, workflowInput);

    /** Lets the clock run to the morning the month's hours are asked, and returns the company's email. */
    const requestOf = async (month: string, kind = 'Heures d’insertion de') => {
      const due = parisInstant(hoursRequestDay(month), '08:30') + HOUR;
      const now = await env.currentTimeMs();
      if (due > now) await env.sleep(due - now);
      return await stack.inbox.waitFor((m) => m.to.includes(contact) && m.subject.startsWith(`${kind} ${monthLabel(month)}`));
    };
    const stateOf = (): Promise<ProcurementState> => procurementState(env.client, procurement.id);
    const statusOf = async (month: string) => (await stateOf()).months[month]?.status;

    // --- Month 1: declared by the company through the form, validated in Slack. ---
    const first = await requestOf(months[0]!);
    expect(first.text).toContain('1 personne(s)');
    expect(first.raw.replyTo?.text).toContain(facilitator.email);
    const form = await fetch(linkOf(first.text));
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('Salarié·e C1');
    expect(page).not.toContain('heures_2');
    const wrong = await post(linkOf(first.text), { heures_1: 'beaucoup' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('un nombre est attendu');
    const sent = await post(linkOf(first.text), { heures_1: '151,5' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Vos heures sont bien enregistrées');
    expect((await post(linkOf(first.text), { heures_1: '10' })).status).toBe(410);
    const toValidate = await slackMessage((m) => m.text.includes(`Heures de ${monthLabel(months[0]!)}`) && m.text.includes('à valider'));
    expect(toValidate.text).toContain('151,5 h pour 1 personne(s)');
    const value = JSON.stringify({ marcheId: procurement.id, month: months[0] });

    // A referent may not validate; the company's contact neither (through the workflow itself).
    await slack.click(referent.id, PROCUREMENT_ACTIONS.validate, value, { channel: dm });
    await found(() => api.ephemerals.find((e) => e.user === referent.id && e.text.includes('facilitation des clauses')));
    await expect(reviewHours(env.client, procurement.id, { month: months[0]!, decision: 'validate', actor: contact, channel: 'email' })).rejects.toThrow(TaskAnswerRejectedError);
    expect(await statusOf(months[0]!)).toBe('declared');

    await slack.click(facilitator.id, PROCUREMENT_ACTIONS.validate, value, { channel: dm, message: { ts: toValidate.ts, text: toValidate.text } });
    await vi.waitFor(async () => expect(await statusOf(months[0]!)).toBe('validated'), wait);
    const updated = await found(() => api.callsOf('chat.update').find((c) => c.args.ts === toValidate.ts));
    expect(JSON.stringify(updated.args)).toContain(`Heures de ${monthLabel(months[0]!)} validées par ${facilitator.name}`);
    expect(JSON.stringify(updated.args)).not.toContain(PROCUREMENT_ACTIONS.validate);
    expect((await db.hoursDeclaration.findFirstOrThrow({ where: { procurementId: procurement.id, month: months[0]! } })).status).toBe('VALIDEE');
    expect((await db.auditEvent.findFirst({ where: { action: 'refused.marche.review', actor: referent.email } }))).not.toBeNull();

    // --- Month 2: nothing comes; the facilitator chases; a correction is asked; then validated. ---
    const second = await requestOf(months[1]!);
    await env.sleep(plieConfig.clauses.chaseAfterDays * 24 * HOUR + HOUR);
    const chase = await slackMessage((m) => m.text.includes(`attend toujours les heures de ${monthLabel(months[1]!)}`));
    await slack.click(facilitator.id, PROCUREMENT_ACTIONS.chase, JSON.stringify({ marcheId: procurement.id, month: months[1] }), { channel: dm, message: { ts: chase.ts, text: chase.text } });
    const reminder = await stack.inbox.waitFor((m) => m.to.includes(contact) && m.subject.startsWith(`Rappel : heures d’insertion de ${monthLabel(months[1]!)}`));
    expect(linkOf(reminder.text)).not.toBe(linkOf(second.text));
    expect((await post(linkOf(reminder.text), { heures_1: '300' })).status).toBe(200);
    const second2 = await slackMessage((m) => m.text.includes(`Heures de ${monthLabel(months[1]!)}`) && m.text.includes('300 h'));
    const before = api.views.length;
    await slack.click(facilitator.id, PROCUREMENT_ACTIONS.correct, JSON.stringify({ marcheId: procurement.id, month: months[1] }), { channel: dm, message: { ts: second2.ts, text: second2.text } });
    const modal = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === 'marche_correction'));
    const meta = (modal.args.view as { private_metadata: string }).private_metadata;
    const empty = await slack.submit(facilitator.id, 'marche_correction', meta, {});
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors', errors: { comment: expect.stringContaining('obligatoire') as string } });
    await slack.submit(facilitator.id, 'marche_correction', meta, { comment: input.text('300 h pour un temps partiel : vérifiez le mois, SVP.') });
    const correction = await stack.inbox.waitFor((m) => m.to.includes(contact) && m.subject.startsWith('Correction demandée'));
    expect(correction.text).toContain('300 h pour un temps partiel');
    expect((await post(linkOf(correction.text), { heures_1: '120' })).status).toBe(200);
    await slackMessage((m) => m.text.includes(`Heures de ${monthLabel(months[1]!)}`) && m.text.includes('120 h'));
    await reviewHours(env.client, procurement.id, { month: months[1]!, decision: 'validate', actor: facilitator.email, channel: 'slack' });

    // --- Months 3 to 12: the company declares, the facilitator validates; the pace slips. ---
    for (const month of months.slice(2)) {
      const mail = await requestOf(month);
      const withC2 = month <= months[7]!;
      expect(mail.text).toContain(`${withC2 ? 2 : 1} personne(s)`);
      expect((await post(linkOf(mail.text), withC2 ? { heures_1: '40', heures_2: '20' } : { heures_1: '40' })).status).toBe(200);
      await vi.waitFor(async () => expect(await statusOf(month)).toBe('declared'), wait);
      await reviewHours(env.client, procurement.id, { month, decision: 'validate', actor: facilitator.email, channel: 'slack' });
    }

    // The alert came with the gap, as soon as the validated hours fell under 80 % of the pace.
    const state = await stateOf();
    const firstAlert = state.alerts[0]!;
    expect(firstAlert).toBeDefined();
    const paceThen = state.months[firstAlert.month]!.pace!;
    expect(paceThen.behind).toBe(true);
    expect(paceThen.realised).toBeLessThan(paceThen.expected * 0.8);
    expect(firstAlert.gap).toBe(paceThen.expected - paceThen.realised);
    const earlier = months.slice(0, months.indexOf(firstAlert.month)).map((m) => state.months[m]!.pace!);
    expect(earlier.every((p) => !p.behind)).toBe(true);
    const alert = await slackMessage((m) => m.text.includes('en retard sur son rythme'));
    expect(alert.text).toContain(`${hoursText(firstAlert.gap)} h à rattraper`);

    // --- Closing: the last month validated after the end closes the marché; the bilan goes to the facilitator. ---
    const result = (await env.client.workflow.getHandle(procurementWorkflowId(procurement.id)).result()) as ProcurementState;
    expect(result).toMatchObject({ closed: true });
    const realised = (await db.hoursDeclaration.aggregate({ where: { procurementId: procurement.id, status: 'VALIDEE' }, _sum: { hours: true } }))._sum.hours!;
    expect(realised).toBe(151.5 + 120 + 10 * 40 + 6 * 20);
    expect((await db.procurement.findUniqueOrThrow({ where: { id: procurement.id } })).status).toBe('CLOS');
    const bilan = await stack.inbox.waitFor((m) => m.to.includes(facilitator.email) && m.subject.startsWith('Bilan de la clause'));
    const files = bilan.raw.attachments.map((a) => a.filename);
    expect(files).toEqual([`bilan-VOIRIE-${run}.md`, `bilan-VOIRIE-${run}.xlsx`]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bilan.raw.attachments[1]!.content as unknown as ArrayBuffer);
    const rows = workbook.getWorksheet('Bilan')!.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows).toContainEqual(['Heures réalisées', Math.round(realised)]);
    expect(rows).toContainEqual(['Contrats', 2]);
    await slackMessage((m) => m.text.includes(`Marché VOIRIE-${run} clos`));
    // Each message once: 12 monthly requests, a chaser and a correction to the company; one prompt per declaration and per alert.
    const messages = await db.message.groupBy({ by: ['template'], where: { idempotencyKey: { startsWith: `marche/${procurement.id}/` } }, _count: { _all: true } });
    const count = (template: string) => messages.find((m) => m.template === template)?._count._all ?? 0;
    expect([count('marche.heures.request'), count('marche.heures.chase'), count('marche.heures.correction')]).toEqual([12, 1, 1]);
    // 13 declarations: one a month, and the corrected one of the second month.
    expect([count('marche.validate'), count('marche.chase'), count('marche.pace'), count('marche.bilan')]).toEqual([13, 1, state.alerts.length, 2]);
  });

  it('judges with the roster of the day: a facilitator who left gives way to another, a business-relations officer named since validates', async () => {
    const { db } = stack;
    // A PLIE of its own, so that its roster is exactly this test's.
    const plieCode = `MAR${run.toUpperCase()}`;
    const [leaver, remaining, newcomer] = ['a-partant', 'b-restante', 'c-relation'].map((who) => `${who}-${run}@plie.test`) as [string, string, string];
    await db.staff.createMany({
      data: [
        { plieCode, email: leaver, name: 'Paul Partant', roles: ['FACILITATEUR'] },
        { plieCode, email: remaining, name: 'Rose Restante', roles: ['FACILITATEUR'] },
      ],
    });
    const start = addMonths(`${parisDate(await env.currentTimeMs()).slice(0, 7)}-01`, 1);
    const month = start.slice(0, 7);
    const clauses = { ...plieConfig.clauses, facilitators: [] };
    const procurement = await registerProcurement(
      db,
      plieCode,
      { reference: `EQUIPE-${run}`, buyer: 'Ville', title: 'Entretien des espaces verts', company: 'Jardins du Sud', contactName: 'Service RH', contactEmail: contact, sector: 'AUTRE', clauseHours: 300, start, end: addDays(addMonths(start, 3), -1) },
      leaver,
    );
    await startProcurement(env.client, taskQueue, procurementInput(procurement, { clauses: { ...clauses, facilitators: [leaver] } }, coordinator.email));
    await proposeCandidate(db, clauses, procurement.id, { personId: 'C1', birthDate: '1970-02-01', jobSeekerMonths: 20 }, leaver);
    await recordHire({ db, temporal: env.client }, procurement.id, { personId: 'C1', contract: { type: 'CDD', start, end: addDays(addMonths(start, 3), -1), weeklyHours: 20 } }, leaver);

    await db.staff.create({ data: { plieCode, email: newcomer, name: 'Rémi Relation', roles: ['CHARGE_RELATION_ENTREPRISE'] } });
    await db.staff.update({ where: { plieCode_email: { plieCode, email: leaver } }, data: { active: false } });
    expect(await announceRoster(db, env.client, { code: plieCode, clauses }, coordinator.email)).toBe(1);

    await env.sleep(parisInstant(start, '09:00') - (await env.currentTimeMs()));
    await declareHours(env.client, procurement.id, { month, hours: { C1: 70 }, actor: contact, channel: 'email' });
    const prompt = await found(async () => (await db.message.findFirst({ where: { idempotencyKey: { startsWith: `marche/${procurement.id}/${month}/validate` } } })) ?? undefined);
    expect(prompt.recipient).toBe(remaining);
    const review = (actor: string) => reviewHours(env.client, procurement.id, { month, decision: 'validate', actor, channel: 'cli' });
    await expect(review(leaver)).rejects.toThrow('Seule la facilitation des clauses ou la coordination valide les heures.');
    await expect(review(newcomer)).resolves.toMatchObject({ months: { [month]: { status: 'validated' } } });
  });

  it('knows the PLIE’s staff from its start: a coordinator other than the coordination’s mailbox closes it at once', async () => {
    const { db } = stack;
    const plieCode = `MAS${run.toUpperCase()}`;
    const lea = `lea-${run}@plie.test`;
    await db.staff.create({ data: { plieCode, email: lea, name: 'Léa Coordination', roles: ['COORDINATEUR'] } });
    const start = addMonths(`${parisDate(await env.currentTimeMs()).slice(0, 7)}-01`, 1);
    const clauses = { ...plieConfig.clauses, facilitators: [] };
    const procurement = await registerProcurement(
      db,
      plieCode,
      { reference: `DEBUT-${run}`, buyer: 'Ville', title: 'Nettoyage des écoles', company: 'Net Azur', contactName: 'Service RH', contactEmail: contact, sector: 'AUTRE', clauseHours: 200, start, end: addDays(addMonths(start, 2), -1) },
      lea,
    );
    const input = procurementInput(procurement, { clauses }, coordinator.email, { roster: await staffRosterOf(db, { code: plieCode, clauses }, coordinator.email) });
    expect(input.managers).toContain(lea);
    await startProcurement(env.client, taskQueue, input);
    await closeProcurement(env.client, procurement.id, { actor: lea, channel: 'web' });
    expect(await env.client.workflow.getHandle(procurementWorkflowId(procurement.id)).result()).toMatchObject({ closed: true });
  });
});
