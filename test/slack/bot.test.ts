/**
 * The Slack bot as deployed: Bolt's real HTTP receiver (signature checks) on the web process,
 * the real worker (workflows, activities) on the Temporal dev server, PostgreSQL, and Slack's Web
 * API played locally. A referral is registered, assigned, diagnosed, followed and voted on from
 * Slack; the workflow state, the database and the Web API calls are checked at each step. Each test
 * brings its own participant to the stage it starts from (through the pathway's client, not Slack),
 * so that any test runs alone.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { createParticipant } from '../../src/participants/create.ts';
import { answerTask, recordAction } from '../../src/temporal/pathway-client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { CASA_CONFIG, type PlieConfig } from '../../src/domain/plie-config.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';
import { postClient } from '../../src/slack/web-client.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { COMMISSION_WORKFLOW, commissionWorkflowId, type CommissionInput, type CommissionResult } from '../../workflows/pathway-messages.ts';
import { FakeSlackApi, VALID_TOKEN, type StoredMessage } from '../helpers/slack-api.ts';
import { input, postSigned, slackClientFor } from '../helpers/slack-requests.ts';
import { TEST_PAYLOAD_KEYS, testConfig, uniqueQueue } from '../helpers/settings.ts';
import { startWorkerStack, type WorkerStack } from '../helpers/worker.ts';
import { found as foundWithin } from '../helpers/found.ts';

const SECRET = 'secret-de-signature-du-bot';
const CHANNEL = 'C0COMMISSION';
const run = randomBytes(3).toString('hex').toUpperCase();
const person = (key: string, name: string, roles: string[]) => ({ id: `U${key}${run}`, email: `${key.toLowerCase()}-${run}@plie.test`.toLowerCase(), name, roles });
const coordinator = person('COORD', 'Claire Coordination', ['COORDINATEUR']);
const referentA = person('REFA', 'Alice Référente', ['REFERENT']);
const referentB = person('REFB', 'Bruno Référent', ['REFERENT']);
const members = [person('MEMA', 'Marie Membre', ['MEMBRE_COMMISSION']), person('MEMB', 'Marc Membre', ['MEMBRE_COMMISSION']), person('MEMC', 'Maya Membre', ['MEMBRE_COMMISSION'])];
const stranger = { id: `UNOBODY${run}`, email: `inconnu-${run}@ailleurs.test`, name: 'Inconnu' };
const lastName = `Durand${run}`;
/** Each test's own participant gets a name of its own (`/plie participant` finds exactly them). */
let people = 0;

const taskQueue = uniqueQueue('slack-bot');
const payloadKeys = TEST_PAYLOAD_KEYS;
const plieConfig: PlieConfig = {
  ...CASA_CONFIG,
  commission: { ...CASA_CONFIG.commission, slackChannel: CHANNEL, members: members.map((m) => ({ name: m.name, email: m.email })) },
};
let api: FakeSlackApi;
let stack: WorkerStack;
let db: Db;
let nativeConnection: NativeConnection;
let client: Client;
let web: RunningWeb;
let slack: ReturnType<typeof slackClientFor>;

/** A participant of a test's own, and their pathway. */
interface Followed {
  participantId: string;
  pathwayId: string;
  lastName: string;
}

beforeAll(async () => {
  api = await FakeSlackApi.start();
  for (const p of [coordinator, referentA, referentB, ...members, stranger]) api.addUser(p);
  const config = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    PLIE_COORDINATOR_EMAIL: coordinator.email,
    SLACK_BOT_TOKEN: VALID_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
  });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  stack = await startWorkerStack({
    connection: nativeConnection,
    taskQueue,
    payloadKeys,
    deps: { slack: postClient(config.env)!, plieConfig: async () => plieConfig },
  });
  db = stack.db;
  // Staff as the coordination records them; Slack accounts get linked by address on first use.
  for (const p of [coordinator, referentA, referentB, ...members]) await db.staff.create({ data: { email: p.email, name: p.name, roles: p.roles } });
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: dataConverter(payloadKeys, stack.db) });
  web = await runWeb({ config, db, temporal: client, apiToken: 'jeton-api-du-bot-de-test', logger: createLogger('silent'), port: 0 });
  slack = slackClientFor(`${web.url}${SLACK_EVENTS_PATH}`, SECRET);
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
  await client?.connection.close();
  await nativeConnection?.close();
  await api?.stop();
});

const dm = (user: { id: string }) => FakeSlackApi.dmOf(user.id);
const wait = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const found = <T>(get: () => T | undefined | Promise<T | undefined>) => foundWithin(get, 20_000);
const blocksText = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []);
/** The modal of this callback opened by whatever happens in `act` (its private metadata). */
async function modalOpenedBy(callbackId: string, act: () => Promise<unknown>): Promise<string> {
  const before = api.views.length;
  await act();
  const view = await found(() => api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === callbackId));
  return (view.args.view as { private_metadata: string }).private_metadata;
}
const ephemeralsOf = (user: { id: string }) => api.ephemerals.filter((e) => e.user === user.id).map((e) => e.text);
/** What the bot told a person, in an ephemeral or in their DM (a click in the App Home has no channel). */
const toldTo = (user: { id: string }) => [...ephemeralsOf(user), ...api.messagesIn(dm(user)).map((m) => m.text)];
/** The Slack message that asked for the pathway's task of this kind (found through its Message record). */
async function taskMessage(p: Followed, user: { id: string }, kind: string): Promise<StoredMessage | undefined> {
  const message = await db.message.findFirst({ where: { pathwayId: p.pathwayId, channel: 'slack', template: 'task.opened', idempotencyKey: { contains: `/${kind}/` } } });
  return api.messagesIn(dm(user)).find((m) => m.ts === message?.slackTs);
}
const openTaskId = async (p: Followed, kind: string) => (await wait(async () => (await db.task.findFirstOrThrow({ where: { pathwayId: p.pathwayId, kind, status: 'open' } })).id));
const today = parisDate(new Date());

/** A participant referred by the coordination (CLI path), waiting for the choice of their referent. */
async function referred(): Promise<Followed> {
  const name = `${lastName}${String.fromCharCode(65 + people++)}`;
  const deps = {
    plieCode: 'CASA',
    db,
    temporal: client,
    taskQueue,
    coordinatorEmail: coordinator.email,
    timings: DEFAULT_TASK_TIMINGS,
    policy: pathwayPolicy(plieConfig, { coordinatorEmail: coordinator.email }),
    logger: createLogger('silent'),
  };
  const created = await createParticipant(deps, { firstName: 'Inès', lastName: name, birthDate: '14/03/1985', commune: 'Antibes' }, { actor: coordinator.email, channel: 'cli' });
  const p = { participantId: created.participantId, pathwayId: created.workflowId, lastName: name };
  await openTaskId(p, 'assign_referent');
  return p;
}

/** …followed by referent A, at the diagnostic. */
async function atDiagnostic(): Promise<Followed> {
  const p = await referred();
  const taskId = await openTaskId(p, 'assign_referent');
  const answer = { referentEmail: referentA.email, eligibilityJustification: 'Situation vérifiée avec le prescripteur.' };
  await answerTask(client, p.participantId, { taskId, answer, actor: coordinator.email, channel: 'cli' }, p.pathwayId);
  await openTaskId(p, 'diagnostic_decision');
  return p;
}

/** …in the active pathway since today. */
async function inPathway(): Promise<Followed> {
  const p = await atDiagnostic();
  const taskId = await openTaskId(p, 'diagnostic_decision');
  await answerTask(client, p.participantId, { taskId, answer: { decision: 'integrate', entryDate: today }, actor: referentA.email, channel: 'cli' }, p.pathwayId);
  return p;
}

/** …in employment (a CDI at 15 hours a week), followed up. */
async function inFollowUp(): Promise<Followed> {
  const p = await inPathway();
  const action = { type: 'contractSigned', contract: { type: 'CDI', start: today, weeklyHours: 15 } };
  await recordAction(client, p.participantId, { action, actor: referentA.email, channel: 'cli' }, p.pathwayId);
  return p;
}

describe('Slack bot (HTTP mode)', () => {
  it('refuses a forged signature and a replayed old request with 401', async () => {
    const url = `${web.url}${SLACK_EVENTS_PATH}`;
    const body = new URLSearchParams({ command: '/plie', text: 'aide', user_id: referentA.id, channel_id: 'C0X' }).toString();
    const contentType = 'application/x-www-form-urlencoded';
    expect((await postSigned(url, body, { secret: 'pas-le-bon-secret', contentType })).status).toBe(401);
    expect((await postSigned(url, body, { secret: SECRET, contentType, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const fine = await postSigned(url, body, { secret: SECRET, contentType });
    expect(fine.status).toBe(200);
    expect(fine.body).toContain('/plie orienter');
  });

  it('registers a referral with /plie orienter, showing the eligibility pre-check before saving', async () => {
    const meta = await modalOpenedBy('referral_check', async () => expect((await slack.command(referentA.id, 'C0EQUIPE', 'orienter')).status).toBe(200));

    const missing = await slack.submit(referentA.id, 'referral_check', meta, { firstName: input.text('Inès'), birthDate: input.date('1985-03-14') });
    expect(JSON.parse(missing.body)).toMatchObject({ response_action: 'errors', errors: { lastName: 'Nom : obligatoire' } });

    const checked = await slack.submit(referentA.id, 'referral_check', meta, {
      lastName: input.text(lastName),
      firstName: input.text('Inès'),
      birthDate: input.date('1985-03-14'),
      commune: input.text('Antibes'),
      email: input.text(`ines-${run}@exemple.test`.toLowerCase()),
    });
    const update = JSON.parse(checked.body) as { response_action: string; view: { callback_id: string; private_metadata: string; blocks: unknown[] } };
    expect(update.response_action).toBe('update');
    expect(JSON.stringify(update.view.blocks)).toContain('Pré-contrôle d’éligibilité : à vérifier');
    expect(await db.participant.count({ where: { lastName } })).toBe(0);

    await slack.submit(referentA.id, 'referral_submit', update.view.private_metadata, {});
    const participant = await wait(async () => await db.participant.findFirstOrThrow({ where: { lastName } }));
    const p = { participantId: participant.id, pathwayId: `parcours-${participant.id}`, lastName };
    await wait(() => expect(ephemeralsOf(referentA).some((t) => t.includes(`Orientation enregistrée : dossier ${fileReference(p.participantId)}`))).toBe(true));
    // The coordination is asked, in Slack, to choose the referent.
    const ask = await found(() => taskMessage(p, coordinator, 'assign_referent'));
    expect(ask.text).toContain('Désigner le ou la référent·e');
    expect(ask.text).not.toContain(lastName);
  });

  it('refuses someone Slack knows but the PLIE does not, in French, and keeps a trace', async () => {
    const taskId = await openTaskId(await referred(), 'assign_referent');
    await slack.click(stranger.id, 'task_form', taskId, { channel: 'C0EQUIPE' });
    await wait(() => expect(ephemeralsOf(stranger).some((t) => t.includes('n’est relié à aucune fiche du personnel'))).toBe(true));
    expect(await db.auditEvent.count({ where: { action: 'refused.task.answer', entityId: stranger.id } })).toBe(1);
  });

  it('lets the coordination choose the referent in a modal; the message then shows the decision without buttons', async () => {
    const p = await referred();
    const taskId = await openTaskId(p, 'assign_referent');
    const meta = await modalOpenedBy('task_form', () => slack.click(coordinator.id, 'task_form', taskId, { channel: dm(coordinator) }));
    expect(JSON.stringify(api.views.at(-1)!.args.view)).toContain(referentB.name);
    await slack.submit(coordinator.id, 'task_form', meta, {
      referentEmail: input.select(referentA.email),
      eligibilityJustification: input.text('Situation vérifiée par téléphone avec le prescripteur.'),
    });
    await wait(async () => expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('done'));
    await wait(async () => expect((await taskMessage(p, coordinator, 'assign_referent'))?.text).toContain('✅ Référent·e désigné·e par Claire Coordination le'));
    expect(blocksText(await taskMessage(p, coordinator, 'assign_referent'))).not.toContain('"actions"');
    expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).answeredBy).toBe(coordinator.email);
    await found(() => taskMessage(p, referentA, 'diagnostic_decision'));
  });

  it('refuses a referent who does not follow the person (ephemeral, audited)', async () => {
    const taskId = await openTaskId(await atDiagnostic(), 'diagnostic_decision');
    await slack.click(referentB.id, 'task_form', taskId, { channel: dm(referentB) });
    await wait(() => expect(ephemeralsOf(referentB).some((t) => t.includes('Ce dossier ne vous est pas confié'))).toBe(true));
    expect(await db.auditEvent.count({ where: { action: 'refused.task.answer', actor: referentB.email, entityId: taskId } })).toBe(1);
    expect((await db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('open');
  });

  it('takes the diagnostic from its modal: errors beside the field, then the integration', async () => {
    const p = await atDiagnostic();
    const taskId = await openTaskId(p, 'diagnostic_decision');
    const meta = await modalOpenedBy('task_form', () => slack.click(referentA.id, 'task_form', taskId, { channel: dm(referentA) }));
    const incomplete = await slack.submit(referentA.id, 'task_form', meta, { decision: input.select('integrate') });
    expect(JSON.parse(incomplete.body)).toMatchObject({ response_action: 'errors', errors: { entryDate: expect.stringContaining('date d’entrée') as string } });
    await slack.submit(referentA.id, 'task_form', meta, {
      decision: input.select('integrate'),
      entryDate: input.date(today),
      barriers: input.multi(['MOBILITE', 'NUMERIQUE']),
      project: input.text('Aide-soignante'),
      availability: input.text('Temps plein, dès maintenant'),
    });
    await wait(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: p.pathwayId } })).stage).toBe('active'));
    await wait(async () => expect((await taskMessage(p, referentA, 'diagnostic_decision'))?.text).toContain('✅ Diagnostic validé'));
    const answer = (await db.task.findUniqueOrThrow({ where: { id: taskId } })).answer as Record<string, unknown>;
    expect(answer).toMatchObject({ project: 'Aide-soignante', barriers: ['MOBILITE', 'NUMERIQUE'] });
  });

  it('shows the caseload in App Home and records missed appointments from it; a double click answers once', async () => {
    const { participantId, ...p } = await inPathway();
    await slack.event({ type: 'app_home_opened', user: referentA.id, tab: 'home', channel: dm(referentA) });
    const home = await found(() => api.views.find((v) => v.method === 'views.publish' && v.args.user_id === referentA.id));
    expect(JSON.stringify(home.args.view)).toContain(`Dossier ${fileReference(participantId)}`);
    expect(JSON.stringify(home.args.view)).toContain('Parcours actif');
    // What the PLIE should fix is for the coordination's App Home, not a referent's.
    expect(JSON.stringify(home.args.view)).not.toContain('À régler pour le PLIE');

    for (let day = 3; day >= 1; day--) {
      const meta = await modalOpenedBy('pathway_action', () => slack.click(referentA.id, 'participant_action', `appointmentMissed|${participantId}`, { menu: true }));
      const date = new Date(Date.now() - day * 86_400_000).toISOString().slice(0, 10);
      await slack.submit(referentA.id, 'pathway_action', meta, { date: input.date(date) });
      await wait(() => expect(api.messagesIn(dm(referentA)).filter((m) => m.text.includes('Rendez-vous manqué')).length + ephemeralsOf(referentA).filter((t) => t.includes('Rendez-vous manqué')).length).toBe(4 - day));
    }
    // Three in a row: the referent is asked to review; two quick clicks answer it once.
    const taskId = await openTaskId({ participantId, ...p }, 'rupture_review');
    const message = await found(() => taskMessage({ participantId, ...p }, referentA, 'rupture_review'));
    const updatesBefore = api.callsOf('chat.update').filter((c) => c.args.ts === message.ts).length;
    await Promise.all([slack.click(referentA.id, 'task_quick:continue', taskId, { channel: dm(referentA) }), slack.click(referentA.id, 'task_quick:continue', taskId, { channel: dm(referentA) })]);
    await wait(async () => expect((await taskMessage({ participantId, ...p }, referentA, 'rupture_review'))?.text).toContain('✅ Poursuite du parcours décidée'));
    await slack.click(referentA.id, 'task_quick:continue', taskId, { channel: dm(referentA) });
    expect(await db.auditEvent.count({ where: { action: 'task.answer', entityId: taskId } })).toBe(1);
    await wait(() => expect(api.callsOf('chat.update').filter((c) => c.args.ts === message.ts).length - updatesBefore).toBe(1));
    expect(ephemeralsOf(referentA).filter((t) => t.includes('non enregistrée') || t.includes('déjà été traitée'))).toEqual([]);
  });

  it('records a contract from Slack, which opens the follow-up in employment', async () => {
    const { participantId, pathwayId } = await inPathway();
    const meta = await modalOpenedBy('pathway_action', () => slack.click(referentA.id, 'participant_action', `contractSigned|${participantId}`, { menu: true }));
    await slack.submit(referentA.id, 'pathway_action', meta, {
      type: input.select('CDI'),
      start: input.date(today),
      weeklyHours: input.text('15'),
      employer: input.text('EHPAD Les Pins'),
      iaeStructure: input.select('AUCUNE'),
      aided: input.select('non'),
      marketSector: input.select('non'),
    });
    await wait(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('followUp'));
    const contracts = await db.workContract.findMany({ where: { participantId } });
    expect(contracts).toMatchObject([{ type: 'CDI', weeklyHours: 15, employer: 'EHPAD Les Pins', iae: false, iaeStructure: null, aided: false, marketSector: false, insertionCompany: false }]);
  });

  it('pauses then resumes the reminders of a pathway from the menu of actions', async () => {
    const { participantId, pathwayId } = await inPathway();
    const paused = await modalOpenedBy('pathway_action', () => slack.click(referentA.id, 'participant_action', `remindersPaused|${participantId}`, { menu: true }));
    const until = parisDate(new Date(Date.now() + 20 * 86_400_000));
    await slack.submit(referentA.id, 'pathway_action', paused, { until: input.date(until), reason: input.text('Hospitalisation') });
    await wait(async () => expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ remindersPausedUntil: new Date(`${until}T00:00:00Z`), remindersPauseReason: 'Hospitalisation' }));
    const resumed = await modalOpenedBy('pathway_action', () => slack.click(referentA.id, 'participant_action', `remindersResumed|${participantId}`, { menu: true }));
    await slack.submit(referentA.id, 'pathway_action', resumed, {});
    await wait(async () => expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ remindersPausedUntil: null, remindersPauseReason: null }));
  });

  it('lets the coordination, and only it, entrust a pathway to another referent from the menu; both referents are told', async () => {
    const { participantId, pathwayId } = await inPathway();
    // The referent's menu has no such choice, and a forged click is refused.
    await slack.event({ type: 'app_home_opened', user: referentA.id, tab: 'home', channel: dm(referentA) });
    const home = await found(() => api.views.find((v) => v.method === 'views.publish' && v.args.user_id === referentA.id));
    expect(JSON.stringify(home.args.view)).not.toContain('referentChanged|');
    await slack.click(referentA.id, 'participant_action', `referentChanged|${participantId}`, { menu: true });
    await wait(() => expect(toldTo(referentA)).toContain('⛔ Seule la coordination peut confier ce dossier à un·e autre référent·e.'));

    const before = api.views.length;
    const meta = await modalOpenedBy('pathway_action', () => slack.click(coordinator.id, 'participant_action', `referentChanged|${participantId}`, { menu: true }));
    const modal = JSON.stringify(api.views.slice(before).map((v) => v.args.view));
    expect(modal).toContain(referentB.email);
    await slack.submit(coordinator.id, 'pathway_action', meta, { referentEmail: input.select(referentB.email), reason: input.text('Secteur réorganisé') });
    await wait(async () => expect(await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).toMatchObject({ referentEmail: referentB.email }));
    await wait(() => expect(api.messagesIn(dm(referentB)).some((m) => m.text.includes('vous est confié'))).toBe(true));
    await wait(() => expect(api.messagesIn(dm(referentA)).some((m) => m.text.includes(`est confié à ${referentB.name}`))).toBe(true));
    expect(JSON.stringify([...api.messagesIn(dm(referentA)), ...api.messagesIn(dm(referentB))])).not.toContain('Secteur réorganisé');
    await wait(() => expect(toldTo(coordinator).some((t) => t.includes('Changer de référent·e : enregistré'))).toBe(true));
  });

  it('corrects a record from the menu: only what is filled in changes, eligibility is assessed again', async () => {
    const { participantId } = await inPathway();
    const meta = await modalOpenedBy('participant_rectify', () => slack.click(referentA.id, 'participant_action', `rectify|${participantId}`, { menu: true }));
    const wrong = await slack.submit(referentA.id, 'participant_rectify', meta, { postalCode: input.text('6600') });
    expect(JSON.parse(wrong.body)).toMatchObject({ response_action: 'errors', errors: { postalCode: expect.stringContaining('code postal') as string } });
    const before = await db.participant.findUniqueOrThrow({ where: { id: participantId } });
    await slack.submit(referentA.id, 'participant_rectify', meta, { postalCode: input.text('06600'), qpv: input.select('oui') });
    await wait(async () => expect(await db.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ postalCode: '06600', qpv: true, lastName: before.lastName }));
    await wait(() => expect(toldTo(referentA).some((t) => t.includes(`Dossier ${fileReference(participantId)} : corrigé : 2 information(s). Éligibilité réévaluée`))).toBe(true));
    expect(await db.eligibilityAssessment.count({ where: { participantId, source: 'rectification' } })).toBe(1);
    // Another referent may not correct a record that is not theirs.
    await slack.click(referentB.id, 'participant_action', `rectify|${participantId}`, { menu: true });
    await wait(() => expect(toldTo(referentB).some((t) => t.includes('Ce dossier ne vous est pas confié'))).toBe(true));
  });

  it('answers /plie participant for the referent and the coordination, not for another referent', async () => {
    const { lastName } = await inPathway();
    await slack.command(referentA.id, 'C0EQUIPE', `participant ${lastName.toLowerCase()}`);
    await wait(() => expect(api.ephemerals.some((e) => e.user === referentA.id && e.text.includes('1 dossier'))).toBe(true));
    await slack.command(referentB.id, 'C0EQUIPE', `participant ${lastName}`);
    await wait(() => expect(ephemeralsOf(referentB)).toContain('Aucun dossier à ce nom ne vous est confié.'));
    await slack.command(coordinator.id, 'C0EQUIPE', 'mes-taches');
    await wait(() => expect(ephemeralsOf(coordinator).some((t) => t.includes('tâche'))).toBe(true));
    const unknown = await slack.command(referentA.id, 'C0EQUIPE', 'bonjour');
    expect(unknown.body).toContain('Commande inconnue');
  });

  it('posts a commission case to its channel; members vote with the buttons or a comment, others are refused; the post tallies, then shows the outcome', async () => {
    const { participantId, pathwayId } = await inFollowUp();
    const caseId = commissionWorkflowId(pathwayId, 90);
    const commission: CommissionInput = {
      pathwayId,
      participantId,
      session: 1,
      criterion: 'TEMPS_PARTIEL_COURT',
      members: members.map((m) => m.email),
      voteDays: 7,
      reminderAfterDays: 5,
      calendarOffsetDays: 0,
    };
    const handle = await client.workflow.start(COMMISSION_WORKFLOW, { workflowId: caseId, taskQueue, args: [commission] });
    const post = await found(() => api.messagesIn(CHANNEL)[0]);
    expect(post.text).toContain('Commission ad hoc : dossier I. D.');
    expect(blocksText(post)).toContain('CDI, 15 h par semaine');
    expect(blocksText(post)).not.toContain(lastName);

    await slack.click(referentB.id, 'commission_vote:pour', caseId, { channel: CHANNEL });
    await wait(() => expect(ephemeralsOf(referentB)).toContain('⛔ Seuls les membres de la commission ad hoc votent sur ce dossier.'));

    await slack.click(members[0]!.id, 'commission_vote:pour', caseId, { channel: CHANNEL });
    await wait(() => expect(ephemeralsOf(members[0]!).some((t) => t.includes('Votre vote « Pour » est enregistré'))).toBe(true));
    await wait(() => expect(blocksText(api.messagesIn(CHANNEL)[0])).toContain(`Ont voté : ${members[0]!.name}`));
    expect(blocksText(api.messagesIn(CHANNEL)[0])).not.toContain('Pour : 1');

    const meta = await modalOpenedBy('commission_vote', () => slack.click(members[1]!.id, 'commission_comment', caseId, { channel: CHANNEL }));
    await slack.submit(members[1]!.id, 'commission_vote', meta, {
      vote: input.select('contre'),
      comment: input.text('Le temps partiel est subi, pas choisi.'),
    });
    await wait(async () => expect(await db.commissionVote.count({ where: { caseId } })).toBe(2));
    await slack.click(members[2]!.id, 'commission_vote:pour', caseId, { channel: CHANNEL });

    const result = (await handle.result()) as CommissionResult;
    expect(result).toMatchObject({ outcome: 'approved', pour: 2, contre: 1 });
    await wait(() => expect(blocksText(api.messagesIn(CHANNEL)[0])).toContain('Sortie positive accordée'));
    expect(blocksText(api.messagesIn(CHANNEL)[0])).toContain('Pour : 2 · Contre : 1 · Abstention : 0');
    expect(blocksText(api.messagesIn(CHANNEL)[0])).not.toContain('commission_vote:pour');
    expect((await db.commissionVote.findFirstOrThrow({ where: { caseId, vote: 'CONTRE' } })).comment).toBe('Le temps partiel est subi, pas choisi.');
  });

  it('ends the pathway from Slack: the referent proposes the exit, the coordination confirms it with one click', async () => {
    const p = await inPathway();
    const { participantId, pathwayId } = p;
    const meta = await modalOpenedBy('pathway_action', () => slack.click(referentA.id, 'participant_action', `exitProposed|${participantId}`, { menu: true }));
    await slack.submit(referentA.id, 'pathway_action', meta, { exitType: input.select('ADMINISTRATIVE'), reason: input.text('Déménagement hors du territoire') });
    const taskId = await openTaskId(p, 'confirm_exit');
    await found(() => taskMessage(p, coordinator, 'confirm_exit'));
    await slack.click(coordinator.id, 'task_quick:confirm', taskId, { channel: dm(coordinator) });
    await wait(async () => expect((await db.pathway.findUniqueOrThrow({ where: { id: pathwayId } })).stage).toBe('exited'));
    await wait(async () => expect((await taskMessage(p, coordinator, 'confirm_exit'))?.text).toContain('✅ Sortie confirmée par Claire Coordination'));
    expect(await db.exit.findFirstOrThrow({ where: { participantId } })).toMatchObject({ type: 'ADMINISTRATIVE', reason: 'Déménagement hors du territoire' });
  });

  it('waits out a 429 on views.open (Retry-After) and still opens the modal', async () => {
    api.failNext('views.open', { kind: 'ratelimit', retryAfter: 1 });
    const before = api.callsOf('views.open').length;
    await modalOpenedBy('referral_check', () => slack.command(referentA.id, 'C0EQUIPE', 'orienter'));
    const calls = api.callsOf('views.open').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});
