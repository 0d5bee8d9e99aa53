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
import { computeReport } from '../../src/report/evaluation.ts';
import { loadReportRecords } from '../../src/report/load-records.ts';
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
    const report = computeReport(CASA_CONFIG, await loadReportRecords(db, PLIE), expected.period);
    expectSubset(report, expected);
  });
});
