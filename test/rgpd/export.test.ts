/**
 * The right of access: a person with a whole history in every table that can name them; the export
 * holds each part of it (and nothing of another person, nor how the commission's members voted),
 * and its folder holds the JSON, the readable page and the proofs decrypted.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { collectExport, writeExport } from '../../src/rgpd/export.ts';
import { createPersonWithHistory } from '../helpers/person-history.ts';

const run = randomBytes(3).toString('hex');
const PLIE = `RGPD_${run.toUpperCase()}`;
const scratch = makeScratchDir('plie-rgpd-export-');
const proofs = createProofStore(path.join(scratch, 'justificatifs'), Buffer.alloc(32, 7).toString('base64'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const NOW = new Date('2026-06-15T10:00:00Z');
let db: Db;

const personWithHistory = (name: string) => createPersonWithHistory(db, { plieCode: PLIE, run, name, proofs, png: PNG });

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('the right of access', () => {
  it('exports everything held on the person, and nothing of another person nor of the votes', async () => {
    const ana = await personWithHistory('Ana');
    const other = await personWithHistory('Bruno');
    const data = (await collectExport(db, PLIE, ana.id, NOW))!;
    expect(data.participant).toMatchObject({ id: ana.id, firstName: 'Ana', email: ana.email, phone: '0600000000' });
    const counts = {
      assessments: data.assessments.length,
      pathways: data.pathways.length,
      tasks: data.pathways[0]!.tasks.length,
      appointments: data.pathways[0]!.appointments.length,
      referents: data.pathways[0]!.referents.length,
      barriers: data.barriers.length,
      steps: data.steps.length,
      contracts: data.contracts.length,
      paidHours: data.contracts[0]!.paidHours.length,
      exits: data.exits.length,
      fseDataPoints: data.fseDataPoints.length,
      commissionCases: data.commissionCases.length,
      placements: data.placements.length,
      collectiveInvitations: data.collectiveInvitations.length,
      clauseCandidates: data.clauseCandidates.length,
      clauseContracts: data.clauseContracts.length,
      clauseHours: data.clauseHours.length,
      proofs: data.proofs.length,
      messages: data.messages.length,
      auditEvents: data.auditEvents.length,
    };
    expect(counts).toEqual({ assessments: 1, pathways: 1, tasks: 1, appointments: 1, referents: 1, barriers: 1, steps: 1, contracts: 1, paidHours: 1, exits: 1, fseDataPoints: 1, commissionCases: 1, placements: 1, collectiveInvitations: 1, clauseCandidates: 1, clauseContracts: 1, clauseHours: 1, proofs: 1, messages: 2, auditEvents: 2 });
    expect(data.pathways[0]!.tasks[0]!.answer).toEqual({ decision: 'integrate' });
    expect(data.commissionCases[0]).toMatchObject({ criterion: 'TEMPS_PARTIEL_COURT', outcome: 'approved' });
    const json = JSON.stringify(data);
    expect(json).not.toContain('CONTRE');
    expect(json).not.toContain('contre');
    expect(json).not.toContain(`avis-Ana-${run}`);
    expect(json).not.toContain('commission_vote');
    expect(json).not.toContain(other.id);
    expect(json).not.toContain(other.email);
    expect(await collectExport(db, 'AUTRE_PLIE', ana.id, NOW)).toBeNull();
  });

  it('writes the JSON, a page in French and the proofs decrypted into the folder', async () => {
    const ana = await personWithHistory('Chloe');
    const folder = path.join(scratch, `export-${ana.id}`);
    const written = await writeExport(folder, (await collectExport(db, PLIE, ana.id, NOW))!, proofs);
    expect(written).toEqual(['export.json', 'export.html', expect.stringMatching(/^justificatifs\/contrat-[0-9a-f]{8}\.png$/)]);
    expect((await readdir(path.join(folder, 'justificatifs'))).length).toBe(1);
    expect((await readFile(path.join(folder, written[2]!))).equals(PNG)).toBe(true);
    const page = await readFile(path.join(folder, 'export.html'), 'utf8');
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Vos données au PLIE');
    expect(page).toContain('<dt>Prénom</dt><dd>Chloe</dd>');
    expect(page).toContain('<dt>Date de naissance</dt><dd>29/02/1984</dd>');
    expect(page).toContain('<dt>Reçu le</dt><dd>02/04/2026 à 11h00</dd>');
    expect(page).toContain('Commission (sans les votes de ses membres) (1)');
    expect(page).not.toContain('CONTRE');
    const json = JSON.parse(await readFile(path.join(folder, 'export.json'), 'utf8')) as { participant: { email: string } };
    expect(json.participant.email).toBe(ana.email);
  });
});
