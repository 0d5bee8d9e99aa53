/**
 * The FSE+ export over a PLIE's record in PostgreSQL: who entered in the period, one line each with
 * its indicators, the totals by gender; the CSV and XLSX say the same.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { fileReference } from '../../src/domain/participant.ts';
import { fseRows, renderFseCsv, renderFseXlsx } from '../../src/report/fse-export.ts';

const PLIE = `FSE_${randomUUID().slice(0, 8)}`;
let db: Db;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  const people = [
    // A woman, DELD, CAP, 52 at entry: unemployed (long-term), ISCED 3.
    { key: 'awa', sex: 'F', birthDate: '1972-05-01', integrationDate: '2024-03-04', qualificationLevel: 3, longTermJobSeeker: true, activeJobSearch: true, rqth: false },
    // A man of 22, no diploma, RQTH, not searching, not DELD: inactive.
    { key: 'tom', sex: 'M', birthDate: '2001-09-30', integrationDate: '2024-06-10', qualificationLevel: 1, longTermJobSeeker: false, activeJobSearch: false, rqth: true },
    // A woman of 56, self-employed, a degree.
    { key: 'lea', sex: 'F', birthDate: '1968-01-15', integrationDate: '2024-11-20', qualificationLevel: 6, selfEmployed: true },
    // Oriented but never integrated, and someone who entered after the period: not listed.
    { key: 'sam', sex: 'M', birthDate: '1990-01-01', integrationDate: null },
    { key: 'zoe', sex: 'F', birthDate: '1990-01-01', integrationDate: '2025-01-02' },
  ];
  for (const { key, birthDate, integrationDate, ...facts } of people) {
    const id = randomUUID();
    ids[key] = id;
    await db.participant.create({
      data: {
        id,
        plieCode: PLIE,
        firstName: key,
        lastName: 'Test',
        identityKey: `${PLIE}|${key}`,
        birthDate: new Date(`${birthDate}T00:00:00Z`),
        integrationDate: integrationDate ? new Date(`${integrationDate}T00:00:00Z`) : null,
        createdBy: 'test',
        ...facts,
      },
    });
  }
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('plie fse export', () => {
  it('lists who entered in the period with their indicators, then the totals by gender (CSV)', async () => {
    const rows = await fseRows(db, PLIE, { from: '2024-01-01', to: '2024-12-31' });
    const table: string[][] = parse(renderFseCsv(rows), { delimiter: ';', bom: true });
    const [header, ...lines] = table;
    expect(header!.slice(0, 5)).toEqual(['Dossier', 'Date d’entrée', 'Genre', 'Âge à l’entrée', 'Participants']);
    const column = (label: string) => header!.indexOf(label);
    const pick = (line: string[], labels: string[]) => labels.map((l) => line[column(l)]);
    const indicators = ['Chômeurs, y compris de longue durée', 'Chômeurs de longue durée', 'Personnes inactives', 'Personnes exerçant un emploi, y compris indépendantes', 'De 18 à 29 ans', '55 ans et plus', 'Enseignement secondaire inférieur ou moins (CITE 0 à 2)', 'Deuxième cycle du secondaire ou post-secondaire non supérieur (CITE 3 ou 4)', 'Enseignement supérieur (CITE 5 à 8)', 'Participants handicapés (RQTH)'];
    expect(lines.map((l) => l.slice(0, 4))).toEqual([
      [fileReference(ids.awa!), '04/03/2024', 'Femme', '51'],
      [fileReference(ids.tom!), '10/06/2024', 'Homme', '22'],
      [fileReference(ids.lea!), '20/11/2024', 'Femme', '56'],
      ['Total femmes', '', '', ''],
      ['Total hommes', '', '', ''],
      ['Total genre non renseigné', '', '', ''],
      ['Total', '', '', ''],
    ]);
    expect(lines.map((l) => pick(l, ['Participants', ...indicators]).join(' '))).toEqual([
      '1 1 1 0 0 0 0 0 1 0 0',
      '1 0 0 1 0 1 0 1 0 0 1',
      '1 0 0 0 1 0 1 0 0 1 0',
      '2 1 1 0 1 0 1 0 1 1 0',
      '1 0 0 1 0 1 0 1 0 0 1',
      '0 0 0 0 0 0 0 0 0 0 0',
      '3 1 1 1 1 1 1 1 1 1 1',
    ]);
  });

  it('writes the same table as XLSX', async () => {
    const rows = await fseRows(db, PLIE, { from: '2024-01-01', to: '2024-12-31' });
    const workbook = new ExcelJS.Workbook();
    const bytes = await renderFseXlsx(rows);
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet('FSE+ entrées')!;
    expect(sheet.rowCount).toBe(1 + 3 + 4);
    expect(sheet.getRow(8).getCell(1).value).toBe('Total');
    expect(sheet.getRow(8).getCell(5).value).toBe(3);
    expect(sheet.getRow(8).font?.bold).toBe(true);
  });
});
