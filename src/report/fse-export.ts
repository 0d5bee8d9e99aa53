/**
 * `plie fse export`: the FSE+ common output indicators at entry, one line per participant who
 * entered the PLIE in the period (live and imported pathways alike, from the same record), then the
 * totals by gender, in columns a PLIE pastes into its FSE+ reporting. CSV (semicolons, UTF-8 with a
 * byte-order mark, as French spreadsheets open it) or XLSX.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { fromDbDate } from '../db/dates.ts';
import type { Db } from '../db/client.ts';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { FSE_COLUMNS, fseEntry, type FseEntry } from '../domain/fse.ts';
import { fileReference } from '../domain/participant.ts';

export interface FseRow {
  fileReference: string;
  entryDate: CalendarDate;
  entry: FseEntry;
}

/** Everyone whose entry (integration date) falls in the period, in the order they entered. */
export async function fseRows(db: Db, plieCode: string, period: { from: CalendarDate; to: CalendarDate }): Promise<FseRow[]> {
  const people = await db.participant.findMany({
    where: { plieCode, integrationDate: { gte: new Date(`${period.from}T00:00:00Z`), lte: new Date(`${period.to}T00:00:00Z`) } },
    orderBy: [{ integrationDate: 'asc' }, { id: 'asc' }],
  });
  return people.map((p) => {
    const entryDate = fromDbDate(p.integrationDate!);
    const facts = { ...p, birthDate: fromDbDate(p.birthDate) };
    return { fileReference: fileReference(p.id), entryDate, entry: fseEntry(facts, entryDate) };
  });
}

const GENDER_LABELS = { F: 'Femme', M: 'Homme' } as const;

/** The table: a header, a line per participant (1 or 0 per indicator), then the totals by gender. */
export function fseTable(rows: FseRow[]): { header: string[]; lines: Array<Array<string | number>> } {
  const header = ['Dossier', 'Date d’entrée', 'Genre', 'Âge à l’entrée', 'Participants', ...FSE_COLUMNS.map(([, label]) => label)];
  const lines: Array<Array<string | number>> = rows.map((r) => [
    r.fileReference,
    formatFrenchDate(r.entryDate),
    r.entry.gender ? GENDER_LABELS[r.entry.gender] : 'Non renseigné',
    r.entry.age,
    1,
    ...FSE_COLUMNS.map(([, , has]) => (has(r.entry) ? 1 : 0)),
  ]);
  const total = (label: string, of: FseRow[]) => [label, '', '', '', of.length, ...FSE_COLUMNS.map(([, , has]) => of.filter((r) => has(r.entry)).length)];
  lines.push(
    total('Total femmes', rows.filter((r) => r.entry.gender === 'F')),
    total('Total hommes', rows.filter((r) => r.entry.gender === 'M')),
    total('Total genre non renseigné', rows.filter((r) => r.entry.gender === null)),
    total('Total', rows),
  );
  return { header, lines };
}

export function renderFseCsv(rows: FseRow[]): string {
  const { header, lines } = fseTable(rows);
  return `\uFEFF${stringify([header, ...lines], { delimiter: ';' })}`;
}

export async function renderFseXlsx(rows: FseRow[]): Promise<Buffer> {
  const { header, lines } = fseTable(rows);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'PLIE';
  const sheet = workbook.addWorksheet('FSE+ entrées');
  sheet.addRow(header).font = { bold: true };
  for (const line of lines) sheet.addRow(line);
  for (let i = lines.length - 3; i <= lines.length; i++) sheet.getRow(i + 1).font = { bold: true };
  sheet.getColumn(1).width = 26;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
