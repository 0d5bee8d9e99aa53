/**
 * A job offer reaches the referents of the participants it fits (relation entreprise), on the
 * time-skipping server with the real worker, PostgreSQL, SMTP, the web pages and Bolt's HTTP
 * receiver with the local Slack Web API: a referent with Slack proposes the offer, is asked three
 * weeks later what came of it, and records the hire, which becomes a contract of the pathway; a
 * referent without Slack declines by the email's link; the offer is then filled.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { addDays, parisDate } from '../../src/domain/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { registerOffer } from '../../src/offers/offers.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { closeOffer, decidePlacement, offerInput, offerState, startOffer } from '../../src/offers/placements.ts';
import { PLACEMENT_ACTIONS } from '../../src/slack/placement-message.ts';
import { pathwayState, TaskAnswerRejectedError } from '../../src/temporal/pathway-client.ts';
import { PATHWAY_WORKFLOW, pathwayWorkflowId } from '../../workflows/pathway-messages.ts';
import { offerWorkflowId, type OfferState } from '../../workflows/offer-messages.ts';
import { FakeSlackApi } from '../helpers/slack-api.ts';
import { input } from '../helpers/slack-requests.ts';
import { uniqueQueue } from '../helpers/settings.ts';
import type { WorkerStack } from '../helpers/worker.ts';
import { startChannelsStack, type ChannelsStack } from '../helpers/time-skipping-channels.ts';
import { found } from '../helpers/found.ts';
import { announceRoster, staffRosterOf } from '../../src/staff/roster.ts';

const run = randomBytes(3).toString('hex');
const coordinator = { id: `UCOOR${run}`, email: `coordination-${run}@plie.test`, name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const alice = { id: `UALIC${run}`, email: `alice-${run}@plie.test`, name: 'Alice Référente', roles: ['REFERENT'] };
// Bruno has no Slack account: his prompts come by email.
const bruno = { email: `bruno-${run}@plie.test`, name: 'Bruno Référent', roles: ['REFERENT'] };
const taskQueue = uniqueQueue('offres');
/** A PLIE of this test's own: no other test's participant matches its offer. */
const plieCode = `OFFRE${run.toUpperCase()}`;
const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let api: FakeSlackApi;
let stack: WorkerStack;
let slack: ChannelsStack['slack'];
let linkOf: (text: string) => string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ env, api, stack, slack, linkOf, close } = await startChannelsStack({ taskQueue, coordinatorEmail: coordinator.email, staff: [coordinator, alice, bruno], plieCode }));
});

afterAll(async () => {
  await close?.();
});

const wait = { timeout: 30_000, interval: 100 };

/** A participant in an active pathway with their referent and sector wishes. */
async function participant(referent: string, wishes: string[]) {
  const id = randomUUID();
  const { db } = stack;
  await db.participant.create({
    data: { id, plieCode, firstName: 'Samir', lastName: `Test${run}`, identityKey: `offre-${id}`, birthDate: toDbDate('1984-05-05'), commune: 'Vallauris', activeJobSearch: true, needsSupport: true, ableAndWilling: true, sectorWishes: wishes, createdBy: 'test' },
  });
  await db.pathway.create({ data: { id: pathwayWorkflowId(id), participantId: id, stage: 'orientation' } });
  const today = parisDate(await env.currentTimeMs());
  await env.client.workflow.start(PATHWAY_WORKFLOW, {
    workflowId: pathwayWorkflowId(id),
    taskQueue,
    args: [{ participantId: id, coordinatorEmail: coordinator.email, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(CASA_CONFIG, { coordinatorEmail: coordinator.email }), resume: { stage: 'active', referentEmail: referent, entryDate: addDays(today, -30) } }],
  });
  await vi.waitFor(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayWorkflowId(id) } })).stage).toBe('active'), wait);
  return id;
}

describe('job offers to the referents of matched participants (time-skipping)', { timeout: 240_000 }, () => {
  it('proposes in Slack, follows the outcome, and a hire becomes a contract of the pathway; an email link declines', async () => {
    const { db } = stack;
    const mason = await participant(alice.email, ['maçon']);
    const builder = await participant(bruno.email, ['BTP – bâtiment']);
    const cook = await participant(alice.email, ['Restauration']);
    const offer = await registerOffer(db, plieCode, { company: 'Bâtisseurs du Sud', jobTitle: 'Maçon VRD', sector: 'Bâtiment', contractType: 'CDD', weeklyHours: 35, place: 'Vallauris', clause: true }, coordinator.email);
    await startOffer(env.client, taskQueue, offerInput(offer.id, coordinator.email));

    // The two whose wishes the offer answers; their referents are asked, each by their channel.
    const state = await found(async () => {
      const s = await offerState(env.client, offer.id).catch(() => undefined);
      return s && Object.keys(s.placements).length === 2 ? s : undefined;
    });
    const byParticipant = (id: string) => Object.entries(state.placements).find(([, p]) => p.participantId === id)?.[0];
    expect(byParticipant(cook)).toBeUndefined();
    const aliceOne = byParticipant(mason)!;
    const brunoOne = byParticipant(builder)!;
    const dm = FakeSlackApi.dmOf(alice.id);
    const prompt = await found(() => api.messagesIn(dm).find((m) => m.text.startsWith('Offre à proposer ?')));
    expect(prompt.text).toContain('Maçon VRD chez Bâtisseurs du Sud (CDD, 35 h/semaine, Vallauris, clause d’insertion)');
    expect(prompt.text).toContain('qui souhaite travailler dans : maçon.');
    expect(prompt.text).not.toContain('Samir');
    const mail = await stack.inbox.waitFor((m) => m.to.includes(bruno.email) && m.subject.startsWith('Relation entreprise'));
    expect(mail.text).toContain('BTP – bâtiment');

    // Bruno declines by the link: a reason is asked, then it is recorded.
    const link = linkOf(mail.text);
    expect((await fetch(link)).status).toBe(200);
    const post = (fields: Record<string, string>) => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const noReason = await post({ decision: 'decline' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Dites en quelques mots pourquoi.');
    expect((await post({ decision: 'decline', reason: 'Projet de formation en cours, pas disponible avant l’été.' })).status).toBe(200);
    expect((await db.placement.findUniqueOrThrow({ where: { id: brunoOne } })).status).toBe('NON_PROPOSEE');

    // Alice proposes in one click; her message shows it; Bruno cannot decide for her.
    await slack.click(alice.id, PLACEMENT_ACTIONS.propose, aliceOne, { channel: dm, message: { ts: prompt.ts, text: prompt.text } });
    await vi.waitFor(async () => expect((await db.placement.findUniqueOrThrow({ where: { id: aliceOne } })).status).toBe('PROPOSEE'), wait);
    const shown = await found(() => api.callsOf('chat.update').find((c) => c.args.ts === prompt.ts));
    expect(JSON.stringify(shown.args)).toContain('Proposer l’offre à la personne — Alice Référente');
    await expect(decidePlacement({ db, temporal: env.client }, aliceOne, { decision: 'hired', contract: { type: 'CDD', start: '2027-01-04', end: '2027-06-30', weeklyHours: 35 } }, bruno.email, 'email')).rejects.toThrow(TaskAnswerRejectedError);
    expect((await pathwayState(env.client, mason)).facts.contracts).toHaveLength(0);

    // Three weeks later she is asked what came of it, and records the hire with its contract.
    await env.sleep(21 * DAY + 3_600_000);
    const followUp = await found(() => api.messagesIn(dm).find((m) => m.text.startsWith('Où en est la mise en relation ?')));
    const before = api.views.length;
    await slack.click(alice.id, PLACEMENT_ACTIONS.form, aliceOne, { channel: dm, message: { ts: followUp.ts, text: followUp.text } });
    const modal = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === 'placement_form'));
    const meta = (modal.args.view as { private_metadata: string }).private_metadata;
    const incomplete = await slack.submit(alice.id, 'placement_form', meta, { decision: input.select('hired') });
    expect(JSON.parse(incomplete.body)).toMatchObject({ response_action: 'errors', errors: { type: 'type de contrat : choisissez une option' } });
    const start = addDays(parisDate(await env.currentTimeMs()), 7);
    await slack.submit(alice.id, 'placement_form', meta, { decision: input.select('hired'), type: input.select('CDD'), start: input.date(start), end: input.date(addDays(start, 180)), weeklyHours: input.text('35') });

    const final = (await env.client.workflow.getHandle(offerWorkflowId(offer.id)).result()) as OfferState;
    expect(Object.values(final.placements).map((p) => p.status).sort()).toEqual(['EMBAUCHE', 'NON_PROPOSEE']);
    const contracts = (await pathwayState(env.client, mason)).facts.contracts;
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ type: 'CDD', start, weeklyHours: 35 });
    // Recorded with the offer's company and sector.
    await vi.waitFor(async () => expect(await db.workContract.findFirst({ where: { participantId: mason } })).toMatchObject({ employer: 'Bâtisseurs du Sud', sector: 'Bâtiment', type: 'CDD' }), wait);
    expect((await db.jobOffer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('POURVUE');
    // The PLIE's report counts them: the hire is a « mise en relation » too; the offer not proposed is neither.
    expect((await queryReport(db, plieCode, CASA_CONFIG, { from: '2000-01-01', to: '2100-12-31' })).relation).toMatchObject({ misesEnRelation: 1, hires: 1 });
    expect(await db.auditEvent.count({ where: { entityType: 'placement', action: { in: ['placement.proposee', 'placement.embauche', 'placement.non_proposee'] }, entityId: { in: [aliceOne, brunoOne] } } })).toBe(3);
  });

  it('is asked again after a week, follows a change of referent, and once closed by the coordination takes no decision any more', async () => {
    const { db } = stack;
    const driver = await participant(alice.email, ['chauffeur-livreur']);
    const other = await participant(bruno.email, ['transport']);
    const offer = await registerOffer(db, plieCode, { company: 'Livraisons 06', jobTitle: 'Chauffeur-livreur', sector: 'Transport', contractType: 'INTERIM', weeklyHours: 35 }, coordinator.email);
    await startOffer(env.client, taskQueue, offerInput(offer.id, coordinator.email));
    const placementId = await found(async () => Object.entries((await offerState(env.client, offer.id).catch(() => undefined))?.placements ?? {}).find(([, p]) => p.participantId === driver)?.[0]);
    const dm = FakeSlackApi.dmOf(alice.id);
    const asked = () => api.messagesIn(dm).filter((m) => m.text.includes('Chauffeur-livreur chez Livraisons 06')).length;
    await vi.waitFor(() => expect(asked()).toBe(1), wait);
    await env.sleep(7 * DAY + 3_600_000);
    await vi.waitFor(() => expect(asked()).toBe(2), wait);
    // Once, not more.
    await env.sleep(14 * DAY);
    expect(asked()).toBe(2);

    // The driver changes referent: Bruno, now following him, takes the proposal over; the next questions go to him.
    await db.pathway.update({ where: { id: pathwayWorkflowId(driver) }, data: { referentEmail: bruno.email } });
    const taken = await decidePlacement({ db, temporal: env.client }, placementId, { decision: 'propose' }, bruno.email, 'email');
    expect(taken.placements[placementId]).toMatchObject({ status: 'PROPOSEE', referentEmail: bruno.email });

    await expect(closeOffer(env.client, offer.id, { actor: alice.email, channel: 'cli' })).rejects.toThrow('Seule la coordination clôt une offre.');
    await closeOffer(env.client, offer.id, { actor: coordinator.email, channel: 'cli' });
    await env.client.workflow.getHandle(offerWorkflowId(offer.id)).result();
    expect((await db.jobOffer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe('CLOSE');
    await expect(decidePlacement({ db, temporal: env.client }, placementId, { decision: 'interview' }, bruno.email, 'email')).rejects.toThrow('Cette offre est close.');
    expect((await db.placement.findUniqueOrThrow({ where: { id: placementId } })).status).toBe('PROPOSEE');
    // Bruno's email link now says the offer is closed, and takes nothing.
    const brunoPlacement = (await db.placement.findFirstOrThrow({ where: { offerId: offer.id, participantId: other } })).id;
    const mail = await stack.inbox.waitFor((m) => m.to.includes(bruno.email) && m.text.includes('Chauffeur-livreur chez Livraisons 06'));
    const link = linkOf(mail.text);
    const page = await fetch(link);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Cette offre est close');
    const posted = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'propose' }).toString() });
    expect(posted.status).toBe(410);
    expect((await db.placement.findUniqueOrThrow({ where: { id: brunoPlacement } })).status).toBe('A_PROPOSER');
  });

  it('judges with the roster of the day: a referent who left hands her placements to the coordination, a coordinator named since decides and closes', async () => {
    const { db } = stack;
    const dora = `dora-${run}@plie.test`;
    const nadia = `nadia-${run}@plie.test`;
    await db.staff.create({ data: { plieCode, email: dora, name: 'Dora Référente', roles: ['REFERENT'] } });
    const gardener = await participant(dora, ['jardinier']);
    const offer = await registerOffer(db, plieCode, { company: 'Jardins 06', jobTitle: 'Jardinier', sector: 'Espaces verts', contractType: 'CDD', weeklyHours: 35 }, coordinator.email);
    await startOffer(env.client, taskQueue, offerInput(offer.id, coordinator.email));
    const placementId = await found(async () => Object.entries((await offerState(env.client, offer.id).catch(() => undefined))?.placements ?? {}).find(([, p]) => p.participantId === gardener)?.[0]);

    await db.staff.create({ data: { plieCode, email: nadia, name: 'Nadia Coordination', roles: ['COORDINATEUR'] } });
    await db.staff.update({ where: { plieCode_email: { plieCode, email: dora } }, data: { active: false } });
    await expect(closeOffer(env.client, offer.id, { actor: nadia, channel: 'cli' })).rejects.toThrow('Seule la coordination clôt une offre.');
    expect(await announceRoster(db, env.client, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator.email)).toBeGreaterThanOrEqual(1);

    await vi.waitFor(async () => expect((await offerState(env.client, offer.id)).placements[placementId]).toMatchObject({ referentEmail: coordinator.email }), wait);
    await expect(decidePlacement({ db, temporal: env.client }, placementId, { decision: 'propose' }, dora, 'email')).rejects.toThrow('Seul·e le ou la référent·e de la personne, ou la coordination, décide de cette mise en relation.');
    const proposed = await decidePlacement({ db, temporal: env.client }, placementId, { decision: 'propose' }, nadia, 'slack');
    expect(proposed.placements[placementId]).toMatchObject({ status: 'PROPOSEE' });
    await closeOffer(env.client, offer.id, { actor: nadia, channel: 'cli' });
    await env.client.workflow.getHandle(offerWorkflowId(offer.id)).result();
  });

  it('records a hire once when two decisions on the same placement race (an email link and Slack): the second is refused', async () => {
    const { db } = stack;
    const painter = await participant(alice.email, ['peintre']);
    const offer = await registerOffer(db, plieCode, { company: 'Couleurs 06', jobTitle: 'Peintre', sector: 'Peinture', contractType: 'CDD', weeklyHours: 35 }, coordinator.email);
    await startOffer(env.client, taskQueue, offerInput(offer.id, coordinator.email));
    const placementId = await found(async () => Object.entries((await offerState(env.client, offer.id).catch(() => undefined))?.placements ?? {}).find(([, p]) => p.participantId === painter)?.[0]);
    await decidePlacement({ db, temporal: env.client }, placementId, { decision: 'propose' }, alice.email, 'slack');
    const start = addDays(parisDate(await env.currentTimeMs()), 7);
    const hired = { decision: 'hired' as const, contract: { type: 'CDD' as const, start, end: addDays(start, 90), weeklyHours: 35 } };
    // Both pass the offer's check before either has reached the pathway.
    const outcomes = await Promise.allSettled([
      decidePlacement({ db, temporal: env.client }, placementId, hired, alice.email, 'email'),
      decidePlacement({ db, temporal: env.client }, placementId, hired, coordinator.email, 'slack'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    // Refused by the pathway (both were under way) or by the offer (the first was already through): either way once.
    expect(String(((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as Error).message)).toMatch(
      /^(Action refusée : cette embauche est déjà enregistrée sur le parcours|Cette décision ne suit pas l’état de la mise en relation \(déjà traitée \?\)\.)$/,
    );
    expect((await pathwayState(env.client, painter)).facts.contracts).toHaveLength(1);
    await vi.waitFor(async () => expect(await db.workContract.count({ where: { participantId: painter } })).toBe(1), wait);
    expect((await db.placement.findUniqueOrThrow({ where: { id: placementId } })).status).toBe('EMBAUCHE');
  });

  it('knows the PLIE’s staff from its start: a coordinator other than the coordination’s mailbox closes it at once', async () => {
    const { db } = stack;
    const lea = `lea-${run}@plie.test`;
    await db.staff.create({ data: { plieCode, email: lea, name: 'Léa Coordination', roles: ['COORDINATEUR'] } });
    const offer = await registerOffer(db, plieCode, { company: 'Boulangerie du Port', jobTitle: 'Vendeur·se', sector: 'Commerce', contractType: 'CDD', weeklyHours: 20 }, coordinator.email);
    const roster = await staffRosterOf(db, { code: plieCode, clauses: CASA_CONFIG.clauses }, coordinator.email);
    await startOffer(env.client, taskQueue, offerInput(offer.id, coordinator.email, { roster }));
    await closeOffer(env.client, offer.id, { actor: lea, channel: 'web' });
    expect(await env.client.workflow.getHandle(offerWorkflowId(offer.id)).result()).toMatchObject({ closed: true });
  });
});
