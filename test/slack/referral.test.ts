/**
 * A referral in Slack with the person's situation, under a PLIE whose configuration designates the
 * referent automatically: Bolt's real HTTP receiver, the worker on the Temporal dev server,
 * PostgreSQL, and Slack's Web API played locally.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CASA_CONFIG, type PlieConfig } from '../../src/domain/plie-config.ts';
import { input } from '../helpers/slack-requests.ts';
import { found } from '../helpers/found.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { startSlackWebStack, type SlackWebStack } from '../helpers/slack-web-stack.ts';

const run = randomBytes(3).toString('hex').toUpperCase();
const PLIE = `AUTO${run}`;
const coordinator = { id: `UCOORD${run}`, email: `coord-${run}@plie.test`.toLowerCase(), name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const referent = { id: `UREF${run}`, email: `ref-${run}@plie.test`.toLowerCase(), name: 'Alice Référente', roles: ['REFERENT'] };
/** This PLIE gives every eligible person to the same referent. */
const plieConfig: PlieConfig = { ...CASA_CONFIG, code: PLIE, assignment: { autoReferentEmail: referent.email } };

let served: SlackWebStack;

beforeAll(async () => {
  served = await startSlackWebStack({ plieConfig, coordinator, staff: [referent], signingSecret: 'secret-de-signature-orientation', apiToken: 'jeton-api-orientation', name: 'slack-referral' });
});

afterAll(async () => {
  await served?.stop();
});

describe('a referral with the situation, under an automatic referent rule', () => {
  it('records the situation, finds the person eligible, and gives them the referent at once', async () => {
    const { api, db, slack } = served;
    const lastName = `Nguyen${run}`;
    const before = api.views.length;
    expect((await slack.command(referent.id, 'C0EQUIPE', 'orienter')).status).toBe(200);
    const modal = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === 'referral_check'), 20_000);
    const meta = (modal.args.view as { private_metadata: string }).private_metadata;

    const checked = await slack.submit(referent.id, 'referral_check', meta, {
      lastName: input.text(lastName),
      firstName: input.text('Mai'),
      birthDate: input.date('1979-05-02'),
      sex: input.select('F'),
      commune: input.text('Antibes'),
      postalCode: input.text('06600'),
      prescriber: input.select('FRANCE_TRAVAIL'),
      prescriberContact: input.text('Mme Roux, agence d’Antibes'),
      minimumIncome: input.select('RSA'),
      activeJobSearch: input.select('oui'),
      needsSupport: input.select('oui'),
      ableAndWilling: input.select('oui'),
      qualificationLevel: input.select('3'),
      qpv: input.select('oui'),
    });
    const update = JSON.parse(checked.body) as { response_action: string; view: { private_metadata: string; blocks: unknown[] } };
    expect(update.response_action).toBe('update');
    const shown = JSON.stringify(update.view.blocks);
    expect(shown).toContain('Pré-contrôle d’éligibilité : éligible');
    expect(shown).toContain('désigné·e d’office');
    expect(await db.participant.count({ where: { lastName } })).toBe(0);

    await slack.submit(referent.id, 'referral_submit', update.view.private_metadata, {});
    const participant = await found(async () => (await db.participant.findFirst({ where: { lastName } })) ?? undefined, 20_000);
    expect(participant).toMatchObject({ plieCode: PLIE, sex: 'F', postalCode: '06600', prescriber: 'FRANCE_TRAVAIL', prescriberContact: 'Mme Roux, agence d’Antibes', minimumIncome: 'RSA', qualificationLevel: 3, qpv: true, activeJobSearch: true, needsSupport: true, ableAndWilling: true });

    // Eligible on what the referral said: the referent is designated without asking the coordination.
    const pathwayId = `parcours-${participant.id}`;
    const diagnostic = await found(async () => (await db.task.findFirst({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } })) ?? undefined, 20_000);
    expect(diagnostic.assigneeEmail).toBe(referent.email);
    expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ referentEmail: referent.email });
    expect(await db.task.count({ where: { pathwayId, kind: 'assign_referent' } })).toBe(0);
    expect((await db.participant.findUniqueOrThrow({ where: { id: participant.id } })).eligibility).toMatchObject({ decision: 'eligible' });
    await vi.waitFor(() => expect(api.ephemerals.some((e) => e.user === referent.id && e.text.includes('désigné·e d’office'))).toBe(true), { timeout: 20_000 });
  });
});

describe('a rectification while the referent is still to be designated', () => {
  it('tells the waiting pathway: found eligible, the person gets the automatic referent at once', async () => {
    const { db, web } = served;
    const lastName = `Keita${run}`;
    const call = (method: string, url: string, body?: unknown) =>
      fetch(`${web.url}${url}`, { method, headers: { authorization: 'Bearer jeton-api-orientation', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    // Referred without the situation: to review, so the coordination is asked to designate.
    const created = await call('POST', '/api/participants', { firstName: 'Fanta', lastName, birthDate: '14/07/1982', commune: 'Antibes' });
    expect(created.status).toBe(201);
    const { participantId } = (await created.json()) as { participantId: string };
    const pathwayId = `parcours-${participantId}`;
    const assign = await found(async () => (await db.task.findFirst({ where: { pathwayId, kind: 'assign_referent', status: 'open' } })) ?? undefined, 20_000);
    expect(assign.assigneeEmail).toBe(coordinator.email);

    // The first interview told the rest: corrected, eligible, and the rule applies without the coordination.
    const rectified = await call('PATCH', `/api/participants/${participantId}`, { minimumIncome: 'RSA', activeJobSearch: true, needsSupport: true, ableAndWilling: true });
    expect(((await rectified.json()) as { eligibility: { decision: string } }).eligibility.decision).toBe('eligible');
    const diagnostic = await found(async () => (await db.task.findFirst({ where: { pathwayId, kind: 'diagnostic_decision', status: 'open' } })) ?? undefined, 20_000);
    expect(diagnostic.assigneeEmail).toBe(referent.email);
    expect(await db.task.findUniqueOrThrow({ where: { id: assign.id } })).toMatchObject({ status: 'cancelled' });
    expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ stage: 'diagnostic', referentEmail: referent.email });
  });
});

describe('one workspace, two PLIEs', () => {
  it('a member of another PLIE refers into her own PLIE, whose coordination designates the referent', async () => {
    const { api, db, slack } = served;
    const other = `AUTRE${run}`;
    const mailbox = `coordination-${run}@plie-autre.test`.toLowerCase();
    await registerPlie(db, { ...CASA_CONFIG, code: other, coordinationEmail: mailbox });
    const member = { id: `UAUTRE${run}`, email: `ref-autre-${run}@plie-autre.test`.toLowerCase(), name: 'Inès Autre', roles: ['REFERENT'] };
    api.addUser(member);
    await db.staff.create({ data: { plieCode: other, email: member.email, name: member.name, roles: member.roles } });
    const lastName = `Diallo${run}`;
    const before = api.views.length;
    expect((await slack.command(member.id, 'C0EQUIPE', 'orienter')).status).toBe(200);
    const modal = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === 'referral_check'), 20_000);
    const checked = await slack.submit(member.id, 'referral_check', (modal.args.view as { private_metadata: string }).private_metadata, {
      lastName: input.text(lastName),
      firstName: input.text('Awa'),
      birthDate: input.date('1985-03-09'),
      commune: input.text('Antibes'),
      postalCode: input.text('06600'),
      prescriber: input.select('FRANCE_TRAVAIL'),
    });
    const update = JSON.parse(checked.body) as { view: { private_metadata: string; blocks: unknown[] } };
    // Her PLIE has no automatic referent: its coordination will designate one.
    expect(JSON.stringify(update.view.blocks)).toContain('La coordination désignera');
    await slack.submit(member.id, 'referral_submit', update.view.private_metadata, {});
    const participant = await found(async () => (await db.participant.findFirst({ where: { lastName } })) ?? undefined, 20_000);
    expect(participant.plieCode).toBe(other);
    const assign = await found(async () => (await db.task.findFirst({ where: { pathwayId: `parcours-${participant.id}`, kind: 'assign_referent', status: 'open' } })) ?? undefined, 20_000);
    expect(assign.assigneeEmail).toBe(mailbox);
  });
});
