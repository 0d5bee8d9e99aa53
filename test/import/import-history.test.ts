/**
 * Importing a PLIE's CSV history: precise French errors, nothing written when anything is wrong,
 * and a second run of the same files changes nothing.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { importHistory } from '../../src/import/import-history.ts';
import { addDays, addMonths, formatFrenchDate, parisDate } from '../../src/domain/dates.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const SAMPLES = path.join(projectRoot, 'test', 'fixtures', 'import');
let db: Db;
let scratch: string;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
  scratch = makeScratchDir('plie-import-');
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the sample folder, with some files rewritten. */
function samplesWith(name: string, changes: Record<string, (content: string) => string> = {}): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  cpSync(SAMPLES, dir, { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8')));
  }
  return dir;
}

async function rowCounts(plieCode: string) {
  const ofPlie = { participant: { plieCode } };
  return {
    participants: await db.participant.count({ where: { plieCode } }),
    barriers: await db.barrier.count({ where: ofPlie }),
    steps: await db.step.count({ where: ofPlie }),
    contracts: await db.workContract.count({ where: ofPlie }),
    exits: await db.exit.count({ where: ofPlie }),
    marches: await db.procurement.count({ where: { plieCode } }),
    clauses: await db.clauseContract.count({ where: { procurement: { plieCode } } }),
  };
}

describe('CSV import', () => {
  it('imports once: a second run of the same files changes nothing', async () => {
    const first = await importHistory(db, SAMPLES, { plieCode: 'IMPORT_TWICE', actor: 'test' });
    expect(first.ok).toBe(true);
    const counts = await rowCounts('IMPORT_TWICE');
    const report = await queryReport(db, 'IMPORT_TWICE', CASA_CONFIG, { from: '2015-01-01', to: '2021-12-31' });
    const ids = (await db.participant.findMany({ where: { plieCode: 'IMPORT_TWICE' }, orderBy: { externalId: 'asc' } })).map((p) => p.id);

    const second = await importHistory(db, SAMPLES, { plieCode: 'IMPORT_TWICE', actor: 'test' });
    expect(second.ok).toBe(true);
    expect(await rowCounts('IMPORT_TWICE')).toEqual(counts);
    expect(counts).toEqual({ participants: 42, barriers: expect.any(Number) as number, steps: 110, contracts: 24, exits: 16, marches: 5, clauses: 12 });
    expect(await queryReport(db, 'IMPORT_TWICE', CASA_CONFIG, { from: '2015-01-01', to: '2021-12-31' })).toEqual(report);
    expect((await db.participant.findMany({ where: { plieCode: 'IMPORT_TWICE' }, orderBy: { externalId: 'asc' } })).map((p) => p.id)).toEqual(ids);
  });

  it('updates the people of an earlier import from a corrected file', async () => {
    expect((await importHistory(db, SAMPLES, { plieCode: 'IMPORT_FIX', actor: 'test' })).ok).toBe(true);
    const fixed = samplesWith('fixed', {
      'participants.csv': (c) => c.replace('P00001;Robin;Éric;M;02/08/1959;Villeneuve-Loubet;06270;', 'P00001;Robin;Éric;M;02/08/1959;Biot;06410;'),
    });
    expect((await importHistory(db, fixed, { plieCode: 'IMPORT_FIX', actor: 'test' })).ok).toBe(true);
    const robin = await db.participant.findUniqueOrThrow({ where: { plieCode_externalId: { plieCode: 'IMPORT_FIX', externalId: 'P00001' } } });
    expect(robin).toMatchObject({ commune: 'Biot', postalCode: '06410', firstName: 'Éric', qualificationLevel: 1, minimumIncome: 'RSA', qpv: true });
    expect(robin.birthDate.toISOString().slice(0, 10)).toBe('1959-08-02');
    expect(robin.sectorWishes).toEqual(['mise en rayon']);
  });

  it('keeps each PLIE’s records apart: another PLIE’s import changes nothing in this one’s report', async () => {
    const period = { from: '2015-01-01', to: '2021-12-31' };
    expect((await importHistory(db, SAMPLES, { plieCode: 'ISOLATION_A', actor: 'test' })).ok).toBe(true);
    const before = await queryReport(db, 'ISOLATION_A', CASA_CONFIG, period);
    const other = samplesWith('isolation', { 'participants.csv': (c) => c.replaceAll(';F;', ';M;') });
    expect((await importHistory(db, other, { plieCode: 'ISOLATION_B', actor: 'test' })).ok).toBe(true);
    expect(await queryReport(db, 'ISOLATION_A', CASA_CONFIG, period)).toEqual(before);
    expect((await queryReport(db, 'ISOLATION_B', CASA_CONFIG, period)).public.womenShare).toBe(0);
  });

  it('keeps apart the homonyms the source kept apart, with a warning', async () => {
    const result = await importHistory(db, SAMPLES, { plieCode: 'IMPORT_HOMONYMS', actor: 'test' });
    expect(result.warnings).toEqual([
      {
        file: 'participants.csv',
        line: 43,
        column: 'nom',
        message: 'même nom, prénom et date de naissance que X0001 : enregistré à part, comme dans le fichier (homonyme ou doublon à vérifier)',
      },
    ]);
  });

  it('reads comma-separated files too', async () => {
    const dir = samplesWith('commas', {
      'marches.csv': (c) => c.replaceAll(',', ' ').replaceAll(';', ','),
    });
    const result = await importHistory(db, dir, { plieCode: 'IMPORT_COMMAS', actor: 'test' });
    expect(result.errors).toEqual([]);
    expect(await db.procurement.count({ where: { plieCode: 'IMPORT_COMMAS' } })).toBe(5);
  });

  it('reads the optional columns of what the live record keeps of a contract: SIAE kind, hours paid, why it ended', async () => {
    const withColumns = (rows: string[]) => (content: string) => {
      const [header, ...lines] = content.trim().split(/\r?\n/);
      return `${[`${header};structure_iae;heures_payees;motif_fin`, ...lines.map((line, i) => `${line};${rows[i] ?? ';;'}`)].join('\n')}\n`;
    };
    const result = await importHistory(db, samplesWith('contract-columns', { 'contrats.csv': withColumns(['EI;910,5;periode_essai']) }), { plieCode: 'IMPORT_COLUMNS', actor: 'test' });
    expect(result.errors).toEqual([]);
    const first = await db.workContract.findFirstOrThrow({ where: { participant: { plieCode: 'IMPORT_COLUMNS', externalId: 'P00035' }, type: 'CONTRAT_PRO' } });
    expect(first).toMatchObject({ iaeStructure: 'EI', iae: true, insertionCompany: true, hoursPaid: 910.5, endReason: 'periode_essai' });
    // Left empty: not known, as before the columns existed.
    expect(await db.workContract.count({ where: { participant: { plieCode: 'IMPORT_COLUMNS' }, iaeStructure: null, hoursPaid: null, endReason: null } })).toBe((await rowCounts('IMPORT_COLUMNS')).contracts - 1);

    const bad = await importHistory(db, samplesWith('contract-columns-bad', { 'contrats.csv': withColumns(['SIAE;beaucoup;parti']) }), { plieCode: 'IMPORT_COLUMNS_BAD', actor: 'test' });
    expect(bad.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'contrats.csv', line: 2, column: 'structure_iae' }),
        expect.objectContaining({ file: 'contrats.csv', line: 2, column: 'heures_payees' }),
        expect.objectContaining({ file: 'contrats.csv', line: 2, column: 'motif_fin' }),
      ]),
    );
    expect(await db.participant.count({ where: { plieCode: 'IMPORT_COLUMNS_BAD' } })).toBe(0);
  });

  it('reads the optional freins_leves column: the day each barrier was lifted', async () => {
    // P00001 has MOBILITE|PARCOURS_PRO, integrated on 25/11/2016.
    const withLiftings = (liftings: string) => (content: string) => {
      const [header, ...lines] = content.trim().split(/\r?\n/);
      return `${[`${header};freins_leves`, ...lines.map((line) => `${line};${line.startsWith('P00001;') ? liftings : ''}`)].join('\n')}\n`;
    };
    const result = await importHistory(db, samplesWith('liftings', { 'participants.csv': withLiftings('mobilite:12/05/2017') }), { plieCode: 'IMPORT_LIFTINGS', actor: 'test' });
    expect(result.errors).toEqual([]);
    const barriers = await db.barrier.findMany({ where: { participant: { plieCode: 'IMPORT_LIFTINGS', externalId: 'P00001' } }, orderBy: { category: 'asc' } });
    expect(barriers.map((b) => [b.category, b.openedOn, b.closedOn])).toEqual([
      ['MOBILITE', new Date('2016-11-25T00:00:00Z'), new Date('2017-05-12T00:00:00Z')],
      ['PARCOURS_PRO', new Date('2016-11-25T00:00:00Z'), null],
    ]);

    for (const [liftings, message] of <Array<[string, string]>>[
      ['SANTE:12/05/2017', 'frein SANTE levé mais absent de la colonne freins'],
      ['MOBILITE:01/01/2016', 'frein MOBILITE levé avant d’avoir été repéré (le 25/11/2016)'],
      ['MOBILITE', 'attendu CODE:JJ/MM/AAAA séparés par « | », trouvé « MOBILITE »'],
    ]) {
      const bad = await importHistory(db, samplesWith(`liftings-${liftings.length}`, { 'participants.csv': withLiftings(liftings) }), { plieCode: 'IMPORT_LIFTINGS_BAD', actor: 'test' });
      expect(bad.errors).toEqual([expect.objectContaining({ file: 'participants.csv', line: 2, column: 'freins_leves', message: expect.stringContaining(message) as string })]);
    }
    expect(await db.participant.count({ where: { plieCode: 'IMPORT_LIFTINGS_BAD' } })).toBe(0);
  });

  it('reports every bad cell with file, line, column and reason, and writes nothing', async () => {
    const dir = samplesWith('bad', {
      'participants.csv': (c) => c.replace(';02/08/1959;', ';31/02/1959;').replace('P00002;Chevalier;Inès;F;', 'P00002;Chevalier;Inès;X;').replace('n.legall2@exemple.fr', 'n.legall2 @exemple'),
      'etapes.csv': (c) => c.replace('P00001;RECHERCHE_EMPLOI;16/12/2017', 'P99999;RECHERCHE_EMPLOI;16/12/2017'),
      'contrats.csv': (c) => c.replace(/;(non|oui);(non|oui);(non|oui)(\r?\n)/, ';peut-être;$2;$3$4'),
      'sorties.csv': (c) => c.replace('P00033;19/08/2019;POSITIVE;EMPLOI', 'P00033;19/08/2019;POSITIVE;'),
      'clauses_contrats.csv': (c) => c.replace('M0001;C0002', 'M9999;C0002'),
    });
    const before = await rowCounts('IMPORT_BAD');
    const result = await importHistory(db, dir, { plieCode: 'IMPORT_BAD', actor: 'test' });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      { file: 'clauses_contrats.csv', line: 2, column: 'marche_id', message: 'marché M9999 inconnu' },
      { file: 'contrats.csv', line: 2, column: 'iae', message: 'attendu « oui » ou « non », trouvé « peut-être »' },
      { file: 'etapes.csv', line: 2, column: 'participant_id', message: 'participant P99999 inconnu' },
      { file: 'participants.csv', line: 2, column: 'date_naissance', message: 'date invalide « 31/02/1959 » (attendu JJ/MM/AAAA)' },
      {
        file: 'participants.csv',
        line: 3,
        column: 'sexe',
        message: 'code inconnu « X » (attendu : F, M)',
      },
      { file: 'participants.csv', line: 4, column: 'email', message: 'adresse email invalide « n.legall2 @exemple »' },
      { file: 'sorties.csv', line: 2, column: 'nature', message: 'sortie positive : préciser emploi, création d’entreprise ou formation' },
    ]);
    expect(await rowCounts('IMPORT_BAD')).toEqual(before);
  });

  it('refuses what the database or good sense would refuse, in French: a NUL, implausible dates, huge figures, a line cut short', async () => {
    // Two days past each limit: the test may run across midnight.
    const today = parisDate(Date.now());
    const fr = (date: string) => formatFrenchDate(date);
    const [future, ancient, farAhead] = [addDays(today, 2), addMonths(today, -101 * 12), addDays(addMonths(today, 24), 2)];
    const dir = samplesWith('implausible', {
      'participants.csv': (c) =>
        c
          .replace('P00001;Robin;Éric;M;02/08/1959;', `P00001;Robin;Éric;M;${fr(future)};`)
          .replace('P00002;Chevalier;', 'P00002;Cheva\u0000lier;')
          .replace('P00003;Le Gall;Nadia;F;11/09/1981;', `P00003;Le Gall;Nadia;F;${fr(ancient)};`),
      'contrats.csv': (c) => c.replace('P00035;CONTRAT_PRO;Hôtel Juana;hôtellerie;28/11/2019;', 'P00035;CONTRAT_PRO;Hôtel Juana;hôtellerie;31/12/1949;').replace(';Régie Espaces Verts;restauration;16/04/2020;18/06/2020;28;', ';Régie Espaces Verts;restauration;16/04/2020;18/06/2020;1e3;'),
      'sorties.csv': (c) => c.replace('P00033;19/08/2019;', `P00033;${fr(farAhead)};`).replace('P00029;12/02/2018;POSITIVE;EMPLOI;non;oui;', 'P00029;12/02/2018;POSITIVE;EMPLOI;non'),
      'marches.csv': (c) => c.replace(';Vert Côte;BTP;538;', ';Vert Côte;BTP;99999999999;'),
    });
    const before = await rowCounts('IMPORT_IMPLAUSIBLE');
    const result = await importHistory(db, dir, { plieCode: 'IMPORT_IMPLAUSIBLE', actor: 'test' });
    expect(result.errors).toEqual([
      { file: 'contrats.csv', line: 2, column: 'date_debut', message: 'date trop ancienne « 31/12/1949 » (le 01/01/1950 au plus tôt)' },
      { file: 'contrats.csv', line: 3, column: 'heures_hebdo', message: 'nombre attendu de 0 à 168, trouvé « 1e3 »' },
      { file: 'marches.csv', line: 2, column: 'heures_prevues', message: 'nombre entier attendu de 0 à 1 000 000, trouvé « 99999999999 »' },
      { file: 'participants.csv', line: 2, column: 'date_naissance', message: `date de naissance dans le futur « ${fr(future)} »` },
      { file: 'participants.csv', line: 3, column: 'nom', message: 'caractère nul (code 0) dans la cellule : la base ne peut pas l’enregistrer, retirez-le du fichier' },
      { file: 'participants.csv', line: 4, column: 'date_naissance', message: `date de naissance improbable « ${fr(ancient)} » : la personne aurait plus de 100 ans` },
      { file: 'sorties.csv', line: 2, column: 'date_sortie', message: expect.stringMatching(new RegExp(`^date trop lointaine « ${fr(farAhead)} » \\(au plus deux ans après aujourd’hui, le \\d\\d/\\d\\d/\\d{4}\\)$`)) as string },
      { file: 'sorties.csv', line: 3, column: null, message: '5 valeur(s) au lieu de 7 : vérifiez les séparateurs et les guillemets de la ligne' },
    ]);
    expect(await rowCounts('IMPORT_IMPLAUSIBLE')).toEqual(before);
  });

  it('says in French where a file cannot be read as CSV, and which separator it expects', async () => {
    const quotes = samplesWith('quotes', { 'etapes.csv': (c) => c.replace('P00003;RECHERCHE_EMPLOI;15/09/2017', 'P00003;"RECHERCHE_EMPLOI;15/09/2017') });
    expect((await importHistory(db, quotes, { plieCode: 'IMPORT_UNREADABLE', actor: 'test' })).errors).toEqual([
      expect.objectContaining({ file: 'etapes.csv', column: null, message: expect.stringMatching(/^fichier illisible : un guillemet ouvert n’est jamais refermé/) as string }),
    ]);
    const tabs = samplesWith('tabs', { 'etapes.csv': (c) => c.replaceAll(';', '\t') });
    expect((await importHistory(db, tabs, { plieCode: 'IMPORT_UNREADABLE', actor: 'test' })).errors).toEqual([
      { file: 'etapes.csv', line: 1, column: null, message: 'colonne(s) manquante(s) : participant_id, type, date_debut, date_fin, statut (une seule colonne lue : séparez les colonnes par « ; » ou « , »)' },
    ]);
    expect(await db.participant.count({ where: { plieCode: 'IMPORT_UNREADABLE' } })).toBe(0);
  });

  it('says which columns are missing, or that the participants file is', async () => {
    const dir = samplesWith('columns', { 'etapes.csv': (c) => c.replace('statut', 'etat') });
    expect((await importHistory(db, dir, { plieCode: 'IMPORT_COLUMNS', actor: 'test' })).errors).toEqual([
      { file: 'etapes.csv', line: 1, column: null, message: 'colonne(s) manquante(s) : statut' },
    ]);
    const empty = path.join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    expect((await importHistory(db, empty, { plieCode: 'IMPORT_EMPTY', actor: 'test' })).errors).toEqual([
      { file: 'participants.csv', line: 0, column: null, message: 'fichier manquant' },
    ]);
  });
});
