/**
 * Six months after the exit, the participant answers the FSE+ questionnaire from the email's
 * link: the page behind the link, the real worker and the time-skipping server (a server of its
 * own: a worker stopped on a shared one would leave its clock locked).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { createLogger } from '../../src/logging.ts';
import { createLinkPages } from '../../src/web/link-pages.ts';
import { answerTaskUpdate, PATHWAY_WORKFLOW, pathwayWorkflowId, recordActionUpdate, stateQuery, type PathwayState } from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { TEST_PAYLOAD_KEYS, uniqueQueue } from '../helpers/settings.ts';
import { COORDINATOR, LINK_SECRET, startTimeSkipping, startWorkerStack, type WorkerStack } from '../helpers/worker.ts';

const DAY = 86_400_000;
const REFERENT = 'referente.fse@plie.test';
const taskQueue = uniqueQueue('fse');
const payloadKeys = TEST_PAYLOAD_KEYS;
let env: TestWorkflowEnvironment;
let closeTemporal: (() => Promise<void>) | undefined;
let stack: WorkerStack;
let server: ReturnType<ReturnType<typeof express>['listen']>;

beforeAll(async () => {
  ({ env, close: closeTemporal } = await startTimeSkipping(payloadKeys));
  stack = await startWorkerStack({ connection: env.nativeConnection, taskQueue, payloadKeys });
  const proofs = createProofStore(mkdtempSync(path.join(os.tmpdir(), 'plie-fse-')), randomBytes(32).toString('base64'));
  server = express().use('/l', createLinkPages({ db: stack.db, temporal: env.client, secret: LINK_SECRET, proofs, logger: createLogger('silent') })).listen(0);
});

afterAll(async () => {
  server?.close();
  await stack?.stop();
  await closeTemporal?.();
});

describe('the FSE+ questionnaire (time-skipping)', { timeout: 240_000 }, () => {
  it('six months after the exit, the participant answers from the email’s link, which ends the pathway', async () => {
    const participantId = randomUUID();
    const email = `yasmine.${randomBytes(3).toString('hex')}@exemple.fr`;
    await stack.db.participant.create({
      data: { id: participantId, firstName: 'Yasmine', lastName: 'Test', identityKey: `fse-${participantId}`, birthDate: toDbDate('1985-09-09'), email, commune: 'Biot', minimumIncome: 'RSA', activeJobSearch: true, needsSupport: true, ableAndWilling: true, createdBy: 'test' },
    });
    const workflowId = pathwayWorkflowId(participantId);
    await stack.db.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
    const config = { ...CASA_CONFIG, assignment: { autoReferentEmail: REFERENT } };
    const handle = await env.client.workflow.start(PATHWAY_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ participantId, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(config, { coordinatorEmail: COORDINATOR }) }],
    });
    const openTask = async (kind: string) =>
      await vi.waitFor(
        async () => {
          const task = (await handle.query(stateQuery)).openTasks.find((t) => t.kind === kind);
          if (!task) throw new Error(`pas encore de tâche ${kind}`);
          return task;
        },
        { timeout: 60_000, interval: 100 },
      );

    await openTask('diagnostic_decision');
    await handle.executeUpdate(recordActionUpdate, {
      args: [{ action: { type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement hors du territoire' }, actor: REFERENT, channel: 'cli' }],
    });
    const confirm = await openTask('confirm_exit');
    await handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: confirm.id, answer: { confirm: true }, actor: COORDINATOR, channel: 'cli' }] });
    await env.sleep(190 * DAY);
    await openTask('fse_questionnaire');
    const mail = await stack.inbox.waitFor((m) => m.to.includes(email) && m.subject.startsWith('Où en êtes-vous'));
    const link = `http://127.0.0.1:${(server.address() as { port: number }).port}${/http:\/\/plie\.test(\/l\/[\w.-]+)/.exec(mail.text)![1]!}`;

    const form = await fetch(link);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Aujourd’hui, vous êtes…');
    const post = (body: string) => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    // A form to correct gives the link back: it is claimed only by a send that goes through.
    expect((await post('labourMarketStatus=')).status).toBe(400);
    // Two sends at once: the link is claimed before the answer goes, so one is taken and the other refused, never both.
    const both = await Promise.all([post('labourMarketStatus=EMPLOI'), post('labourMarketStatus=EMPLOI')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
    const sent = both.find((r) => r.status === 200)!;
    expect(await sent.text()).toContain('Votre réponse est bien enregistrée.');
    expect(await both.find((r) => r.status === 410)!.text()).toContain('Lien déjà utilisé');
    expect(((await handle.result()) as PathwayState).finished).toBe(true);
    expect(await stack.db.fseDataPoint.findUniqueOrThrow({ where: { participantId_moment: { participantId, moment: 'SIX_MOIS_APRES' } } })).toMatchObject({ labourMarketStatus: 'EMPLOI' });
    // Used: the link says so.
    expect((await fetch(link)).status).toBe(410);
  });
});
