/**
 * The bilan of a procurement (marché) for its buyer, at closing or on demand: hours realised against the clause,
 * contracts by type, persons and what became of them, the pace, as a French document (Markdown
 * or HTML) and a workbook (XLSX). Persons appear by the facilitator's identifier only.
 */
import ExcelJS from 'exceljs';
import type { Db } from '../db/client.ts';
import { fromDbDate } from '../db/dates.ts';
import { checkPace, procurementBilan, type ProcurementBilan, type PaceCheck } from '../domain/procurement.ts';
import { formatFrenchDate, parisDate, type CalendarDate } from '../domain/dates.ts';
import { periodOf } from './register.ts';
import type { ClauseConfig } from '../domain/procurement.ts';
import { escapeHtml } from '../html.ts';

export interface ProcurementBilanDocument {
  reference: string;
  buyer: string;
  title: string;
  lot: string | null;
  company: string | null;
  sector: string;
  start: CalendarDate;
  end: CalendarDate | null;
  on: CalendarDate;
  closed: boolean;
  bilan: ProcurementBilan;
  pace: PaceCheck;
  contracts: Array<{ personId: string; type: string; start: CalendarDate; end: CalendarDate | null; hoursDone: number; outcome: string | null }>;
}

export async function loadProcurementBilan(db: Db, clauses: Pick<ClauseConfig, 'paceAlertShare'>, procurementId: string, now = new Date()): Promise<ProcurementBilanDocument | null> {
  const m = await db.procurement.findUnique({ where: { id: procurementId }, include: { contracts: { orderBy: [{ start: 'asc' }, { id: 'asc' }] } } });
  if (!m) return null;
  const on = parisDate(now);
  const contracts = m.contracts.map((c) => ({ personId: c.personId, type: c.type, start: fromDbDate(c.start), end: c.end ? fromDbDate(c.end) : null, hoursDone: c.hoursDone, outcome: c.outcome }));
  const bilan = procurementBilan(m.plannedHours, contracts);
  return {
    reference: m.externalId,
    buyer: m.buyer,
    title: m.title,
    lot: m.lot,
    company: m.company,
    sector: m.sector,
    start: fromDbDate(m.start),
    end: m.end ? fromDbDate(m.end) : null,
    on,
    closed: m.status === 'CLOS',
    bilan,
    pace: checkPace(clauses, periodOf(m), bilan.realisedHours, on),
    contracts,
  };
}

const OUTCOME_LABELS: Record<string, string> = { EMPLOI: 'en emploi', FORMATION: 'en formation', RECHERCHE_EMPLOI: 'en recherche d’emploi', CREATION: 'a créé son activité', INACTIF: 'sans activité' };
const percent = (x: number) => `${Math.round(x * 100)} %`;

/** The bilan's title, its sentences and its table of contracts (each format lays them out). */
export function bilanLines(d: ProcurementBilanDocument): { title: string; paragraphs: string[]; table: string[][] } {
  const b = d.bilan;
  const title = `Bilan de la clause d’insertion — marché ${d.reference}`;
  const paragraphs = [
    `${d.title}${d.lot ? `, lot ${d.lot}` : ''} — acheteur : ${d.buyer} ; entreprise attributaire : ${d.company ?? 'non précisée'} ; secteur : ${d.sector === 'BTP' ? 'bâtiment et travaux publics' : 'autre que le BTP'}.`,
    `Période du marché : du ${formatFrenchDate(d.start)}${d.end ? ` au ${formatFrenchDate(d.end)}` : ''}. Bilan ${d.closed ? 'final' : 'intermédiaire'} au ${formatFrenchDate(d.on)}.`,
    `Heures d’insertion réalisées : ${b.realisedHours} sur ${b.requiredHours} prévues (${percent(b.completion)}).`,
    d.closed || d.pace.gap === 0 ? '' : `Au rythme prévu, ${d.pace.expected} heures étaient attendues à cette date : ${d.pace.gap} heures de retard.`,
    `${b.contracts} contrat${b.contracts > 1 ? 's' : ''} pour ${b.persons} personne${b.persons > 1 ? 's' : ''} : ${Object.entries(b.contractsByType).map(([t, n]) => `${n} ${t}`).join(', ') || 'aucun'}.`,
    Object.keys(b.outcomes).length
      ? `Après leur contrat : ${Object.entries(b.outcomes).map(([o, n]) => `${n} ${OUTCOME_LABELS[o] ?? o}`).join(', ')}.`
      : 'Situation des personnes après leur contrat : non renseignée.',
  ].filter(Boolean);
  const table = [['Personne', 'Contrat', 'Début', 'Fin', 'Heures', 'Après'], ...d.contracts.map((c) => [c.personId, c.type, formatFrenchDate(c.start), c.end ? formatFrenchDate(c.end) : '', String(c.hoursDone), c.outcome ? (OUTCOME_LABELS[c.outcome] ?? c.outcome) : ''])];
  return { title, paragraphs, table };
}

export function bilanMarkdown(d: ProcurementBilanDocument): string {
  const { title, paragraphs, table } = bilanLines(d);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return `# ${title}\n\n${paragraphs.join('\n\n')}\n\n${row(table[0]!)}\n${row(table[0]!.map(() => '---'))}\n${table.slice(1).map(row).join('\n')}\n`;
}


export function bilanHtml(d: ProcurementBilanDocument): string {
  const { title, paragraphs, table } = bilanLines(d);
  const head = `<tr>${table[0]!.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = table.slice(1).map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem .6rem}</style></head><body><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<table><caption>Contrats de la clause</caption><thead>${head}</thead><tbody>${body}</tbody></table></body></html>\n`;
}

export async function bilanXlsx(d: ProcurementBilanDocument): Promise<Buffer> {
  const { title, paragraphs, table } = bilanLines(d);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'PLIE';
  const summary = workbook.addWorksheet('Bilan');
  summary.getColumn(1).width = 90;
  summary.addRow([title]).font = { bold: true, size: 14 };
  for (const p of paragraphs) summary.addRow([p]);
  summary.addRow([]);
  summary.addRow(['Heures prévues', d.bilan.requiredHours]);
  summary.addRow(['Heures réalisées', d.bilan.realisedHours]);
  summary.addRow(['Contrats', d.bilan.contracts]);
  summary.addRow(['Personnes', d.bilan.persons]);
  const contracts = workbook.addWorksheet('Contrats');
  for (const [i, row] of table.entries()) {
    const added = contracts.addRow(i === 0 ? row : [...row.slice(0, 4), Number(row[4]), row[5]]);
    if (i === 0) added.font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
