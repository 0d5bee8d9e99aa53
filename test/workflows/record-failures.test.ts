/**
 * A database write that no retry can mend (here: the contract row a contract's end updates is
 * gone) used to be retried for ever, holding the pathway and every Update behind it. It now fails
 * for good, the coordination is told (file number, what could not be recorded), and the pathway
 * goes on. On the dev server with the real worker, PostgreSQL and SMTP.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { recordActionUpdate } from '../../workflows/pathway-messages.ts';
import { recordPathwayAction } from '../../src/participants/pathway-action.ts';
import { startResumedPathway } from '../helpers/resumed-pathway.ts';
import { COORDINATOR, startWorkerAndClient } from '../helpers/worker.ts';

let t: Awaited<ReturnType<typeof startWorkerAndClient>>;
const REFERENT = 'referente.enregistrement@plie.test';
const WAIT = { timeout: 60_000, interval: 100 };

beforeAll(async () => {
  t = await startWorkerAndClient('record-failures');
});

afterAll(async () => {
  await t?.stop();
});

describe('a database write that will never succeed', { timeout: 120_000 }, () => {
  it('is reported to the coordination, and the pathway goes on', async () => {
    const { stack } = t;
    const { participantId, workflowId, act, today, suffix } = await startResumedPathway(t, { referent: REFERENT, firstName: 'Maëlle', lastName: 'Costa', birthDate: '1990-03-21' });
    await act({ type: 'contractSigned', contract: { type: 'CDD', start: addDays(today, -20), end: addDays(today, 60), weeklyHours: 24 } });
    const contract = await vi.waitFor(async () => {
      const row = await stack.db.workContract.findFirst({ where: { participantId } });
      expect(row).not.toBeNull();
      return row!;
    }, WAIT);
    // The row is gone (as a re-import of an older version used to do).
    await stack.db.workContract.delete({ where: { id: contract.id } });

    const ended = await act({ type: 'contractEnded', date: today, reason: 'demission' });
    expect(ended.facts.contracts[0]).toMatchObject({ end: today, endReason: 'demission' });
    const mail = await stack.inbox.waitFor((m) => m.to.includes(COORDINATOR) && m.subject === `Dossier ${fileReference(participantId)} : un enregistrement n’a pas pu être fait`);
    expect(mail.text).toContain('un fait du parcours (étape, contrat, formation…) n’a pas pu être enregistré');
    expect(mail.text).toContain('erreur P2025');
    expect(mail.text).not.toContain(suffix);
    expect(await stack.db.auditEvent.count({ where: { entityId: workflowId, action: 'pathway.record.failed' } })).toBe(1);
    // The pathway still takes what comes next.
    const logged = await act({ type: 'contactLogged', date: today, mode: 'telephone' });
    expect(logged.lastContactOn).toBe(today);
  });

  it('judges typed input at the boundary, not in the workflow: what an older version accepted replays as it ran', async () => {
    const { stack, client } = t;
    const { participantId, workflowId, handle } = await startResumedPathway(t, { referent: REFERENT, firstName: 'Loan', lastName: 'Pires', birthDate: '1983-07-02' });
    // A contract dated 1949: refused where people type it…
    const old = { type: 'contractSigned', contract: { type: 'CDI', start: '1949-06-01', weeklyHours: 35 } };
    await expect(recordPathwayAction({ db: stack.db, temporal: client }, participantId, { action: old, actor: REFERENT, channel: 'cli' }, workflowId)).rejects.toThrow('trop ancien');
    // …while the workflow takes it as an older version did (its histories replay unchanged).
    const accepted = await handle.executeUpdate(recordActionUpdate, { args: [{ action: old, actor: REFERENT, channel: 'cli' }] });
    expect(accepted.facts.contracts[0]).toMatchObject({ start: '1949-06-01' });
  });
});
