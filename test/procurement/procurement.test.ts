/**
 * Registering a marché, proposing candidates (clause eligibility recorded with its reasons) and
 * the marché's bilan for its buyer, against the test run's PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { clauseConfigSchema } from '../../src/domain/procurement.ts';
import { bilanHtml, bilanMarkdown, bilanXlsx, loadProcurementBilan } from '../../src/procurement/bilan.ts';
import { DuplicateProcurementError, proposeCandidate, registerProcurement } from '../../src/procurement/register.ts';
import { recordHours } from '../../src/procurement/hours.ts';
import { InvalidInputError } from '../../src/participants/create.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { fileReference } from '../../src/domain/participant.ts';

const clauses = clauseConfigSchema.parse(undefined);
const PLIE = `M${randomBytes(3).toString('hex').toUpperCase()}`;
let db: Db;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

const procurement = (reference: string) => ({
  reference,
  buyer: 'Ville d’Antibes',
  title: 'Rénovation de l’école Jean-Moulin',
  lot: '2',
  company: 'Provence Travaux',
  contactName: 'Karim Haddad',
  contactEmail: 'K.Haddad@provence-travaux.test',
  sector: 'BTP',
  clauseHours: 1200,
  start: '2026-01-05',
  end: '2026-12-18',
  clauseWording: '5 % des heures travaillées réservées à des personnes éloignées de l’emploi.',
});

describe('marchés à clause d’insertion', () => {
  it('registers a marché once, refusing bad input in French without writing anything', async () => {
    const saved = await registerProcurement(db, PLIE, procurement('2026-ANT-014'), 'facilitatrice@plie.test');
    expect(saved).toMatchObject({ externalId: '2026-ANT-014', plannedHours: 1200, contactEmail: 'k.haddad@provence-travaux.test', status: 'EN_COURS' });
    await expect(registerProcurement(db, PLIE, procurement('2026-ANT-014'), 'x')).rejects.toBeInstanceOf(DuplicateProcurementError);
    const bad = await registerProcurement(db, PLIE, { ...procurement('2026-ANT-015'), sector: 'PECHE', clauseHours: -3, end: '2025-01-01' }, 'x').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidInputError);
    expect((bad as InvalidInputError).problems).toEqual(['secteur : BTP ou AUTRE', 'heures d’insertion : plus de 0']);
    await expect(registerProcurement(db, PLIE, { ...procurement('2026-ANT-016'), end: '2025-01-01' }, 'x')).rejects.toMatchObject({ problems: ['la fin du marché doit suivre son début'] });
    expect(await db.procurement.count({ where: { plieCode: PLIE } })).toBe(1);
    expect(await db.auditEvent.count({ where: { entityId: saved.id, action: 'marche.register' } })).toBe(1);
  });

  it('checks candidates against the clause publics, counting a PLIE participant as such, and records why', async () => {
    const m = await registerProcurement(db, PLIE, procurement('2026-ANT-020'), 'facilitatrice@plie.test');
    const participantId = randomUUID();
    await db.participant.create({ data: { id: participantId, plieCode: PLIE, firstName: 'Ali', lastName: 'Ben', identityKey: `clause|${participantId}`, birthDate: new Date('1992-01-01T00:00:00Z'), createdBy: 'test' } });
    const now = new Date('2026-03-01T10:00:00Z');
    expect(await proposeCandidate(db, clauses, m.id, { personId: 'C0001', birthDate: '1990-05-05', participantId }, 'f@plie.test', now)).toMatchObject({ eligible: true, publics: ['PARTICIPANT_PLIE'] });
    // Named by the file number staff see, in either case; a number of no file of the PLIE is refused.
    expect(await proposeCandidate(db, clauses, m.id, { personId: 'C0001', birthDate: '1990-05-05', participantId: fileReference(participantId).toLowerCase() }, 'f@plie.test', now)).toMatchObject({ publics: ['PARTICIPANT_PLIE'] });
    const unknown = [...fileReference(participantId)].map((c) => (c === 'F' ? '0' : 'F')).join('');
    await expect(proposeCandidate(db, clauses, m.id, { personId: 'C0009', birthDate: '1990-05-05', participantId: unknown }, 'f@plie.test', now)).rejects.toMatchObject({ problems: ['participant inconnu dans ce PLIE'] });
    await expect(proposeCandidate(db, clauses, m.id, { personId: 'C0009', birthDate: '1990-05-05', participantId: 'ABC' }, 'f@plie.test', now)).rejects.toMatchObject({
      problems: ['participant : numéro de dossier (8 caractères) ou identifiant invalide'],
    });
    expect(await proposeCandidate(db, clauses, m.id, { personId: 'C0002', birthDate: '1970-05-05', jobSeekerMonths: 30, minimumIncome: 'ASS' }, 'f@plie.test', now)).toMatchObject({
      eligible: true,
      publics: ['DELD', 'MINIMA_SOCIAUX', 'SENIOR_DEMANDEUR'],
    });
    const refused = await proposeCandidate(db, clauses, m.id, { personId: 'C0003', birthDate: '1988-05-05', minimumIncome: 'AUCUN', qualificationLevel: 5 }, 'f@plie.test', now);
    expect(refused).toEqual({ eligible: false, publics: [], reasons: ['Ne relève d’aucun des publics retenus pour les clauses d’insertion.'] });
    // Proposed again with the missing fact: the same candidate, checked again.
    await proposeCandidate(db, clauses, m.id, { personId: 'C0003', birthDate: '1988-05-05', rqth: true }, 'f@plie.test', now);
    const candidates = await db.clauseCandidate.findMany({ where: { procurementId: m.id }, orderBy: { personId: 'asc' } });
    expect(candidates.map((c) => [c.personId, c.eligible, c.publics])).toEqual([
      ['C0001', true, ['PARTICIPANT_PLIE']],
      ['C0002', true, ['DELD', 'MINIMA_SOCIAUX', 'SENIOR_DEMANDEUR']],
      ['C0003', true, ['RQTH']],
    ]);
    await expect(proposeCandidate(db, clauses, m.id, { personId: 'C 4', birthDate: '31/02/1990' }, 'f', now)).rejects.toMatchObject({
      problems: ['personne : identifiant du facilitateur (lettres, chiffres, . _ -)', 'date de naissance : date invalide, attendu JJ/MM/AAAA'],
    });
  });

  it('gives the buyer a bilan: hours against the clause, the pace, contracts by type, persons and what became of them', async () => {
    const m = await registerProcurement(db, PLIE, procurement('2026-ANT-030'), 'facilitatrice@plie.test');
    const contract = (personId: string, type: string, start: string, end: string, hoursDone: number, outcome: string | null) =>
      db.clauseContract.create({ data: { procurementId: m.id, personId, type, start: toDbDate(start), end: toDbDate(end), hoursDone, outcome } });
    await contract('C0001', 'INTERIM', '2026-02-02', '2026-03-27', 280, null);
    await contract('C0001', 'CDD', '2026-04-01', '2026-06-30', 420, 'EMPLOI');
    await contract('C0002', 'CDDI', '2026-03-02', '2026-05-29', 150, 'FORMATION');
    const document = (await loadProcurementBilan(db, clauses, m.id, new Date('2026-07-01T10:00:00Z')))!;
    expect(document.bilan).toMatchObject({ requiredHours: 1200, realisedHours: 850, contracts: 3, persons: 2, contractsByType: { INTERIM: 1, CDDI: 1, CDD: 1 }, outcomes: { FORMATION: 1, EMPLOI: 1 } });
    // 177 of 347 days: 612 hours expected by then; 850 is ahead.
    expect(document.pace).toEqual({ expected: 612, realised: 850, gap: 0, behind: false });

    const markdown = bilanMarkdown(document);
    expect(markdown).toContain('# Bilan de la clause d’insertion — marché 2026-ANT-030');
    expect(markdown).toContain('Heures d’insertion réalisées : 850 sur 1200 prévues (71 %).');
    // In the order the contracts began.
    expect(markdown).toContain('3 contrats pour 2 personnes : 1 INTERIM, 1 CDDI, 1 CDD.');
    expect(markdown).toContain('Après leur contrat : 1 en formation, 1 en emploi.');
    expect(markdown).toContain('| C0002 | CDDI | 02/03/2026 | 29/05/2026 | 150 | en formation |');
    expect(bilanHtml(document)).toContain('<th scope="col">Heures</th>');
    const workbook = new ExcelJS.Workbook();
    const bytes = await bilanXlsx(document);
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(workbook.getWorksheet('Contrats')!.getRow(2).values).toEqual([undefined, 'C0001', 'INTERIM', '02/02/2026', '27/03/2026', 280, '']);
    expect(workbook.getWorksheet('Bilan')!.getRow(1).getCell(1).value).toBe('Bilan de la clause d’insertion — marché 2026-ANT-030');
  });

  it('says when the hours fall behind the pace', async () => {
    const m = await registerProcurement(db, PLIE, procurement('2026-ANT-040'), 'facilitatrice@plie.test');
    await db.clauseContract.create({ data: { procurementId: m.id, personId: 'C0009', type: 'INTERIM', start: toDbDate('2026-02-02'), hoursDone: 200 } });
    const document = (await loadProcurementBilan(db, clauses, m.id, new Date('2026-07-01T10:00:00Z')))!;
    expect(document.pace).toEqual({ expected: 612, realised: 200, gap: 412, behind: true });
    expect(bilanMarkdown(document)).toContain('Au rythme prévu, 612 heures étaient attendues à cette date : 412 heures de retard.');
  });

  it('counts only validated hours, per person and month, and tells the facilitator when the marché falls behind', async () => {
    const m = await registerProcurement(db, PLIE, procurement('2026-ANT-050'), 'facilitatrice@plie.test');
    await db.clauseContract.create({ data: { procurementId: m.id, personId: 'C0201', type: 'CDDI', start: toDbDate('2026-02-02'), end: toDbDate('2026-08-31'), hoursDone: 0 } });
    await db.clauseContract.create({ data: { procurementId: m.id, personId: 'C0202', type: 'INTERIM', start: toDbDate('2026-03-02'), hoursDone: 0 } });
    const at = (day: string) => ({ now: new Date(`${day}T10:00:00Z`) });

    // Declared by the company: nothing counts yet.
    const declared = await recordHours(db, clauses, m.id, { month: '2026-03', hours: { C0201: 151, C0202: 80 } }, { actor: 'jo@entreprise.test', validate: false, ...at('2026-04-02') });
    expect(declared.pace.realised).toBe(0);
    expect(declared.pace.behind).toBe(true);
    // Validated by the facilitator (one corrected).
    const validated = await recordHours(db, clauses, m.id, { month: '2026-03', hours: { C0201: 151, C0202: 70 } }, { actor: 'facilitatrice@plie.test', validate: true, ...at('2026-04-03') });
    // 88 of the marché's 347 days: 304 hours expected by then.
    expect(validated.pace).toEqual({ expected: 304, realised: 221, gap: 83, behind: true });
    await recordHours(db, clauses, m.id, { month: '2026-04', hours: { C0201: 140 } }, { actor: 'facilitatrice@plie.test', validate: true, ...at('2026-05-04') });
    const contracts = await db.clauseContract.findMany({ where: { procurementId: m.id }, orderBy: { personId: 'asc' } });
    expect(contracts.map((c) => [c.personId, c.hoursDone])).toEqual([['C0201', 291], ['C0202', 70]]);

    // A validated month is not overwritten by a later declaration; an unknown person is refused.
    await expect(recordHours(db, clauses, m.id, { month: '2026-03', hours: { C0201: 10 } }, { actor: 'jo@entreprise.test', validate: false })).rejects.toMatchObject({
      problems: ['C0201 : les heures de 2026-03 sont déjà validées'],
    });
    await expect(recordHours(db, clauses, m.id, { month: '2026-01', hours: { C0201: 10, C0999: 5 } }, { actor: 'f', validate: true })).rejects.toMatchObject({
      problems: ['C0201 : aucun contrat de la clause en 2026-01', 'C0999 : aucun contrat de la clause en 2026-01'],
    });
    await expect(recordHours(db, clauses, m.id, { month: '2026-13', hours: { C0201: -1 } }, { actor: 'f', validate: true })).rejects.toMatchObject({
      problems: ['mois : attendu AAAA-MM', 'heures : pas de nombre négatif'],
    });
    expect(await db.hoursDeclaration.count({ where: { procurementId: m.id } })).toBe(3);
  });

  it('gives the PLIE’s bilan the marchés followed in its period and the hours validated in it, not those only declared', async () => {
    const plie = `${PLIE}B`;
    const running = await registerProcurement(db, plie, { ...procurement('2025-RUN-001'), start: '2025-06-02', end: '2027-06-30' }, 'facilitatrice@plie.test');
    await registerProcurement(db, plie, { ...procurement('2025-OLD-002'), start: '2025-01-06', end: '2025-12-19' }, 'facilitatrice@plie.test');
    await db.clauseContract.create({ data: { procurementId: running.id, personId: 'C0301', type: 'CDD', start: toDbDate('2025-09-01'), hoursDone: 0 } });
    await recordHours(db, clauses, running.id, { month: '2026-01', hours: { C0301: 120 } }, { actor: 'facilitatrice@plie.test', validate: true });
    await recordHours(db, clauses, running.id, { month: '2026-02', hours: { C0301: 100.5 } }, { actor: 'facilitatrice@plie.test', validate: true });
    await recordHours(db, clauses, running.id, { month: '2026-03', hours: { C0301: 90 } }, { actor: 'jo@entreprise.test', validate: false });
    const report = await queryReport(db, plie, CASA_CONFIG, { from: '2026-01-01', to: '2026-12-31' });
    // The contract began in 2025: today's figures see no marché; the followed one is counted apart.
    expect(report.clauses).toMatchObject({ marches: 0, contracts: 0, marchesFollowed: 1, hoursValidatedInPeriod: 220.5 });
  });
});
