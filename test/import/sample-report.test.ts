/**
 * The sample export of a PLIE (test/fixtures/import, a copy of the samples the PLIE provided) imported into a fresh PLIE of the test
 * database must give the figures its expected report lists, for 2015-07-01..2020-06-30.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { importHistory } from '../../src/import/import-history.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { renderHtml, renderMarkdown, renderXlsx } from '../../src/report/render.ts';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';
import { expectSubset } from '../helpers/subset.ts';

const SAMPLES = path.join(projectRoot, 'test', 'fixtures', 'import');
const PLIE = 'SAMPLE_REPORT';
let db: Db;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('sample import and report', () => {
  it('imports the sample files and reproduces the expected figures', async () => {
    const result = await importHistory(db, SAMPLES, { plieCode: PLIE, actor: 'test' });
    expect(result.errors).toEqual([]);
    expect(result.counts).toEqual({ participants: 42, etapes: 110, contrats: 24, sorties: 16, marches: 5, clauses: 12 });

    const expected = JSON.parse(readFileSync(path.join(SAMPLES, 'expected-report-subset.json'), 'utf8')) as { period: { from: string; to: string } };
    const report = await queryReport(db, PLIE, CASA_CONFIG, expected.period);
    expectSubset(report, expected);

    // Per buyer and per sector, computed here from the CSV files themselves.
    const rows = (file: string) => parse<Record<string, string>>(readFileSync(path.join(SAMPLES, file)), { delimiter: ';', columns: true, bom: true });
    const procurements = new Map(rows('marches.csv').map((m) => [m.id!, m]));
    const iso = (fr: string) => fr.split('/').reverse().join('-');
    const clauses = rows('clauses_contrats.csv').filter((c) => iso(c.date_debut!) >= expected.period.from && iso(c.date_debut!) <= expected.period.to);
    const breakdown = (keyOf: (c: Record<string, string>) => string) => {
      const keys = [...new Set(clauses.map(keyOf))];
      return keys
        .map((key) => {
          const group = clauses.filter((c) => keyOf(c) === key);
          return {
            key,
            marches: new Set(group.map((c) => c.marche_id)).size,
            hours: group.reduce((sum, c) => sum + Number(c.heures_realisees), 0),
            contracts: group.length,
            persons: new Set(group.map((c) => c.personne_id)).size,
          };
        })
        .sort((a, b) => b.hours - a.hours || a.key.localeCompare(b.key));
    };
    expect(report.clauses.byBuyer).toEqual(breakdown((c) => procurements.get(c.marche_id!)!.acheteur!));
    expect(report.clauses.bySector).toEqual(breakdown((c) => procurements.get(c.marche_id!)!.secteur!));
    expect(report.clauses.byBuyer.reduce((sum, b) => sum + b.hours, 0)).toBe(report.clauses.hours);

    const markdown = renderMarkdown(report);
    expect(markdown).toContain('Par acheteur :');
    expect(markdown).toContain(`- ${report.clauses.byBuyer[0]!.key} : ${report.clauses.byBuyer[0]!.hours} heures`);
    expect(renderHtml(report)).toContain('<li>Bâtiment et travaux publics : ');
    const workbook = new ExcelJS.Workbook();
    const bytes = await renderXlsx(report);
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = workbook.worksheets.find((w) => w.name.startsWith('Les clauses'))!;
    const cells = sheet.getSheetValues().flat().map(String);
    expect(cells).toContain(report.clauses.byBuyer[0]!.key);
  });
});
