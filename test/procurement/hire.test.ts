/**
 * A hire under a clause counts in the marché and, for a PLIE participant, in their pathway too:
 * the real worker on the dev server, PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toDbDate } from '../../src/db/dates.ts';
import { clauseConfigSchema } from '../../src/domain/procurement.ts';
import { addMonths, parisDate } from '../../src/domain/dates.ts';
import { pathwayPolicy } from '../../src/domain/pathway-policy.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { recordHire } from '../../src/procurement/hire.ts';
import { proposeCandidate, registerProcurement } from '../../src/procurement/register.ts';
import { InvalidInputError } from '../../src/participants/create.ts';
import { answerTaskUpdate, PATHWAY_WORKFLOW, pathwayWorkflowId, stateQuery } from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { COORDINATOR, startWorkerAndClient } from '../helpers/worker.ts';

const REFERENT = 'referente.clause@plie.test';
const clauses = clauseConfigSchema.parse(undefined);
let running: Awaited<ReturnType<typeof startWorkerAndClient>>;

beforeAll(async () => {
  running = await startWorkerAndClient('hire');
});

afterAll(async () => {
  await running?.stop();
});

describe('hiring under a clause', () => {
  it('records the clause contract and the participant’s work contract; refuses someone not proposed or not eligible', async () => {
    const { stack, client, taskQueue } = running;
    const db = stack.db;
    const participantId = randomUUID();
    await db.participant.create({
      data: { id: participantId, firstName: 'Rayan', lastName: 'Clause', identityKey: `hire|${participantId}`, birthDate: toDbDate('1989-04-04'), commune: 'Antibes', minimumIncome: 'RSA', activeJobSearch: true, needsSupport: true, ableAndWilling: true, createdBy: 'test' },
    });
    const workflowId = pathwayWorkflowId(participantId);
    await db.pathway.create({ data: { id: workflowId, participantId, stage: 'orientation' } });
    const config = { ...CASA_CONFIG, assignment: { autoReferentEmail: REFERENT }, clauses: { ...CASA_CONFIG.clauses, facilitators: ['facilitatrice@plie.test'] } };
    const handle = await client.workflow.start(PATHWAY_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ participantId, coordinatorEmail: COORDINATOR, timings: DEFAULT_TASK_TIMINGS, policy: pathwayPolicy(config, { coordinatorEmail: COORDINATOR }) }],
    });
    const diagnostic = await vi.waitFor(
      async () => {
        const task = (await handle.query(stateQuery)).openTasks.find((t) => t.kind === 'diagnostic_decision');
        if (!task) throw new Error('pas encore');
        return task;
      },
      { timeout: 20_000, interval: 100 },
    );
    const today = parisDate(new Date());
    await handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: diagnostic.id, answer: { decision: 'integrate', entryDate: today }, actor: REFERENT, channel: 'cli' }] });

    const m = await registerProcurement(db, `H${randomBytes(3).toString('hex').toUpperCase()}`, {
      reference: 'HIRE-1', buyer: 'CASA', title: 'Pôle d’échanges', company: 'Bâtir 06', contactName: 'Jo Martin', contactEmail: 'jo@batir06.test', sector: 'BTP', clauseHours: 500, start: addMonths(today, -6), end: addMonths(today, 7),
    }, 'facilitatrice@plie.test');
    // Dates from today: the marché runs around it, whatever the day of the run.
    const contract = { type: 'CDD', start: today, end: addMonths(today, 6), weeklyHours: 35, employer: 'Bâtir 06' };

    await expect(recordHire({ db, temporal: client }, m.id, { personId: 'C0100', contract }, 'facilitatrice@plie.test')).rejects.toMatchObject({ problems: ['C0100 n’a pas été proposé·e pour ce marché (plie marche candidat)'] });
    await proposeCandidate(db, clauses, m.id, { personId: 'C0101', birthDate: '1985-01-01', minimumIncome: 'AUCUN', qualificationLevel: 5 }, 'f@plie.test');
    await expect(recordHire({ db, temporal: client }, m.id, { personId: 'C0101', contract }, 'f@plie.test')).rejects.toBeInstanceOf(InvalidInputError);

    // The participant is still in the PLIE's own marché: same PLIE code needed for the check.
    await db.participant.update({ where: { id: participantId }, data: { plieCode: m.plieCode } });
    await proposeCandidate(db, clauses, m.id, { personId: 'C0102', birthDate: '1989-04-04', participantId }, 'f@plie.test');
    // Someone who is not a facilitator of this PLIE cannot put a contract into the pathway: nothing is written.
    await expect(recordHire({ db, temporal: client }, m.id, { personId: 'C0102', contract }, 'intrus@plie.test')).rejects.toThrow('Seul·e le ou la référent·e');
    expect(await db.clauseContract.count({ where: { procurementId: m.id } })).toBe(0);
    expect(await recordHire({ db, temporal: client }, m.id, { personId: 'C0102', contract }, 'facilitatrice@plie.test')).toMatchObject({ inPathway: true });

    expect(await db.clauseContract.findFirstOrThrow({ where: { procurementId: m.id } })).toMatchObject({ personId: 'C0102', participantId, type: 'CDD', hoursDone: 0 });
    expect((await db.clauseCandidate.findFirstOrThrow({ where: { procurementId: m.id, personId: 'C0102' } })).status).toBe('EMBAUCHE');
    const state = await handle.query(stateQuery);
    expect(state.facts.contracts).toMatchObject([{ type: 'CDD', weeklyHours: 35 }]);
    // The pathway's contract takes the marché's sector.
    expect(await db.workContract.count({ where: { participantId, type: 'CDD', employer: 'Bâtir 06', sector: 'BTP' } })).toBe(1);
    await handle.terminate('fin du test');
  });
});
