/**
 * Imports a PLIE's history from the CSV files other PLIE software export (one per entity, columns
 * as in the samples). All or nothing: every bad row is reported with file, line, column and reason,
 * and then nothing is written. A second run of the same files changes nothing. The import owns
 * only the facts it wrote (marked IMPORT): a re-import replaces those of the people its files list,
 * and leaves alone what the live record wrote of them (see IMPORT below).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/client.ts';
import { uuidFromKey } from '../db/ids.ts';
import { toDbDate } from '../db/dates.ts';
import { BARRIERS, CONTRACT_TYPES, IAE_STRUCTURES, PROCUREMENT_SECTORS, MINIMUM_INCOMES, PRESCRIBERS, STEP_STATUSES, STEP_TYPES } from '../domain/codes.ts';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { EXIT_TYPES, POSITIVE_KINDS, describeExit } from '../domain/exit-types.ts';
import { identityKey } from '../domain/participant.ts';
import { CONTRACT_END_REASONS } from '../domain/pathway-actions.ts';
import * as f from './fields.ts';

export interface ImportError {
  file: string;
  line: number;
  column: string | null;
  message: string;
}

export interface ImportResult {
  ok: boolean;
  counts: Record<string, number>;
  errors: ImportError[];
  /** Written anyway, but worth a look (same shape as errors). */
  warnings: ImportError[];
}

const FILES = {
  participants: 'participants.csv',
  steps: 'etapes.csv',
  contracts: 'contrats.csv',
  exits: 'sorties.csv',
  marches: 'marches.csv',
  clauses: 'clauses_contrats.csv',
} as const;

const COLUMNS: Record<keyof typeof FILES, string[]> = {
  participants: ['id', 'nom', 'prenom', 'sexe', 'date_naissance', 'commune', 'code_postal', 'email', 'niveau_qualification', 'minima_sociaux', 'deld', 'qpv', 'rqth', 'prescripteur', 'date_orientation', 'referent', 'date_integration', 'freins', 'souhaits_secteurs'],
  steps: ['participant_id', 'type', 'date_debut', 'date_fin', 'statut'],
  contracts: ['participant_id', 'type_contrat', 'employeur', 'secteur', 'date_debut', 'date_fin', 'heures_hebdo', 'iae', 'aide', 'secteur_marchand'],
  exits: ['participant_id', 'date_sortie', 'type_sortie', 'nature', 'cdi', 'justificatifs', 'motif'],
  marches: ['id', 'acheteur', 'intitule', 'lot', 'entreprise', 'secteur', 'heures_prevues', 'date_debut', 'date_fin'],
  clauses: ['marche_id', 'personne_id', 'participant_id', 'type_contrat', 'date_debut', 'date_fin', 'heures_realisees'],
};
/** Columns read when present. */
const OPTIONAL_COLUMNS: Partial<Record<keyof typeof FILES, string[]>> = {
  participants: ['freins_leves'],
  contracts: ['structure_iae', 'heures_payees', 'motif_fin'],
};

interface SourceRow {
  line: number;
  row: f.Row;
  /** Not as many fields as the header has columns: reported once, its cells not read. */
  broken?: true;
}

/** What csv-parse's codes mean, for the person who fixes the file. */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'un guillemet ouvert n’est jamais refermé',
  CSV_INVALID_CLOSING_QUOTE: 'un guillemet fermant est suivi d’autre chose qu’un séparateur',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'un guillemet fermant est suivi d’autre chose qu’un séparateur',
};

/** Reads one CSV (UTF-8, `;` or `,`); a file absent from the folder is empty, except participants. */
function readCsv(dir: string, key: keyof typeof FILES, errors: ImportError[]): SourceRow[] {
  const file = FILES[key];
  const full = path.join(dir, file);
  if (!existsSync(full)) {
    if (key === 'participants') errors.push({ file, line: 0, column: null, message: 'fichier manquant' });
    return [];
  }
  let content: string;
  try {
    // One line break per CR LF: csv-parse would count one inside a quoted value as two lines,
    // and every later line number would be off.
    content = readFileSync(full, 'utf8').replaceAll('\r\n', '\n');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EISDIR' ? 'c’est un dossier' : code === 'EACCES' || code === 'EPERM' ? 'lecture non autorisée' : 'lecture impossible';
    errors.push({ file, line: 0, column: null, message: `fichier illisible : ${reason}` });
    return [];
  }
  let header: string[] = [];
  let records: Array<{ record: f.Row; info: { lines: number; error?: { record?: unknown[] } } }>;
  try {
    const firstLine = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
    // Rows of another length than the header are kept and reported one by one, not as the whole file.
    records = parse<f.Row>(content, {
      bom: true,
      columns: (names: string[]) => (header = names),
      delimiter,
      skip_empty_lines: true,
      info: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    const { code = '', lines = 0 } = error as { code?: string; lines?: number };
    const reason = CSV_PROBLEMS[code] ?? 'format CSV non reconnu';
    errors.push({ file, line: lines, column: null, message: `fichier illisible : ${reason} (une valeur qui contient le séparateur ou un guillemet s’écrit entre guillemets, ses guillemets doublés)` });
    return [];
  }
  if (header.length === 0) return [];
  const missing = COLUMNS[key].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    // One column read: the separator is neither « ; » nor « , ».
    const hint = header.length === 1 ? ' (une seule colonne lue : séparez les colonnes par « ; » ou « , »)' : '';
    errors.push({ file, line: 1, column: null, message: `colonne(s) manquante(s) : ${missing.join(', ')}${hint}` });
    return [];
  }
  // A column read twice is ambiguous (csv-parse keeps the last); other columns are not read.
  const read = [...COLUMNS[key], ...(OPTIONAL_COLUMNS[key] ?? [])];
  const twice = header.filter((c, i) => read.includes(c) && header.indexOf(c) !== i);
  if (twice.length > 0) {
    errors.push({ file, line: 1, column: null, message: `colonne(s) en double : ${[...new Set(twice)].join(', ')}` });
    return [];
  }
  return records.map(({ record, info }) => {
    const fields = info.error?.record?.length;
    if (fields === undefined) return { line: info.lines, row: record };
    errors.push({ file, line: info.lines, column: null, message: `${fields} valeur(s) au lieu de ${header.length} : vérifiez les séparateurs et les guillemets de la ligne` });
    return { line: info.lines, row: record, broken: true };
  });
}

/** Maps each row, collecting every field error with its column; rows with an error are dropped. */
function mapRows<T>(file: string, rows: SourceRow[], errors: ImportError[], map: (read: Reader, row: f.Row) => T): Array<T & { line: number }> {
  const out: Array<T & { line: number }> = [];
  for (const { line, row, broken } of rows) {
    if (broken) continue;
    let failed = false;
    const read: Reader = (column, reader) => {
      try {
        return reader(row, column);
      } catch (error) {
        if (!(error instanceof f.FieldError)) throw error;
        errors.push({ file, line, column, message: error.message });
        failed = true;
        return undefined as never;
      }
    };
    const value = map(read, row);
    if (!failed) out.push({ ...value, line });
  }
  return out;
}
type Reader = <V>(column: string, reader: (row: f.Row, column: string) => V) => V;

const asDate = (d: CalendarDate | null) => (d ? toDbDate(d) : null);

/** A person as the import writes them. */
interface ParticipantRow {
  id: string;
  plieCode: string;
  externalId: string;
  firstName: string;
  lastName: string;
  identityKey: string;
  sex: string | null;
  birthDate: Date;
  email: string | null;
  commune: string | null;
  postalCode: string | null;
  qualificationLevel: number | null;
  minimumIncome: string | null;
  longTermJobSeeker: boolean;
  qpv: boolean;
  rqth: boolean;
  prescriber: string | null;
  orientationDate: Date | null;
  referentName: string | null;
  integrationDate: Date | null;
  sectorWishes: string[];
}

/**
 * The mark of the rows the import writes (the `source` column of Barrier, Step, WorkContract, Exit
 * and ClauseContract; every other writer leaves the default, LIVE). The import owns these rows
 * only: a re-import replaces them and never touches what the workflows, hires or staff recorded
 * of the same people since (a contract a running pathway will end, an exit it recorded).
 */
const IMPORT = 'IMPORT';

/** Ids per statement: PostgreSQL takes at most 65 535 bound values in one, whatever the import's size. */
const BATCH = 1000;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** The PostgreSQL type of each column a bulk insert fills (named as the field, or as `columnOf` says). */
type ColumnTypes<R> = { [K in keyof R]-?: string };

/**
 * Inserts many rows in few statements: each batch travels as one JSON value that PostgreSQL
 * unpacks (jsonb_to_recordset), not as one bound value per cell. Prisma's createMany binds one per
 * cell (65 535 at most in a statement) and took minutes for the history of 100 000 people, past
 * the transaction's timeout. Table and column names come from this file only, never from a file.
 */
async function insertRows<R extends object>(tx: Tx, table: string, types: ColumnTypes<R>, rows: R[], columnOf: Partial<Record<keyof R, string>> = {}): Promise<void> {
  const fields = Object.keys(types) as Array<keyof R & string>;
  const sql = `INSERT INTO "${table}" (${fields.map((f) => `"${columnOf[f] ?? f}"`).join(', ')})
    SELECT ${fields.map((f) => `"${f}"`).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${fields.map((f) => `"${f}" ${types[f]}`).join(', ')})`;
  for (const batch of chunks(rows, 5000)) await tx.$executeRawUnsafe(sql, JSON.stringify(batch));
}

const PARTICIPANT_COLUMNS: ColumnTypes<ParticipantRow & { createdBy: string }> = {
  id: 'uuid',
  plieCode: 'text',
  externalId: 'text',
  firstName: 'text',
  lastName: 'text',
  identityKey: 'text',
  sex: 'text',
  birthDate: 'date',
  email: 'text',
  commune: 'text',
  postalCode: 'text',
  qualificationLevel: 'int',
  minimumIncome: 'text',
  longTermJobSeeker: 'boolean',
  qpv: 'boolean',
  rqth: 'boolean',
  prescriber: 'text',
  orientationDate: 'date',
  referentName: 'text',
  integrationDate: 'date',
  sectorWishes: 'text[]',
  createdBy: 'text',
};

/** What a new import of a person updates (not their id, PLIE, source id, nor who created them). */
const UPDATED_FIELDS = ['firstName', 'lastName', 'identityKey', 'sex', 'birthDate', 'email', 'commune', 'postalCode', 'qualificationLevel', 'minimumIncome', 'longTermJobSeeker', 'qpv', 'rqth', 'prescriber', 'orientationDate', 'referentName', 'integrationDate', 'sectorWishes'] as const;

/** Updates the people an earlier import brought, by batches, each one JSON value (as insertRows). */
async function updateParticipants(tx: Tx, rows: ParticipantRow[]): Promise<void> {
  const sql = `UPDATE "Participant" AS p SET ${UPDATED_FIELDS.map((f) => `"${f}" = v."${f}"`).join(', ')}
    FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, ${UPDATED_FIELDS.map((f) => `"${f}" ${PARTICIPANT_COLUMNS[f]}`).join(', ')})
    WHERE p.id = v.id`;
  for (const batch of chunks(rows, 5000)) await tx.$executeRawUnsafe(sql, JSON.stringify(batch));
}

/**
 * The import's rows, marked, with ids derived from their content (and their rank among identical
 * rows): a row the files still hold keeps its id and is left as it stands, with what the live
 * record attached to it since (hours paid on an imported contract, a barrier lifted); so a second
 * run of the same files changes nothing at all.
 */
function ownedRows<T extends object>(table: string, rows: T[]): Array<T & { id: string; source: typeof IMPORT }> {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const content = JSON.stringify(row);
    const rank = (seen.get(content) ?? 0) + 1;
    seen.set(content, rank);
    return { ...row, id: uuidFromKey(`import/${table}/${content}/${rank}`), source: IMPORT };
  });
}

/**
 * Brings the import's rows of the people (or marchés) in scope to the wanted ones: removes those
 * the files no longer hold, by batches of ids (never one list of every id), and adds the new ones.
 */
async function replaceOwned<R extends { id: string }>(
  scope: Set<string>,
  wanted: R[],
  table: { existing: () => Promise<Array<{ id: string; owner: string }>>; remove: (ids: string[]) => Promise<unknown>; add: (rows: R[]) => Promise<unknown> },
): Promise<void> {
  const existing = await table.existing();
  const wantedIds = new Set(wanted.map((r) => r.id));
  const existingIds = new Set(existing.map((r) => r.id));
  for (const ids of chunks(existing.filter((r) => scope.has(r.owner) && !wantedIds.has(r.id)).map((r) => r.id))) await table.remove(ids);
  await table.add(wanted.filter((r) => !existingIds.has(r.id)));
}

export async function importHistory(db: Db, dir: string, opts: { plieCode: string; actor: string }): Promise<ImportResult> {
  const errors: ImportError[] = [];
  const raw = Object.fromEntries(
    (Object.keys(FILES) as Array<keyof typeof FILES>).map((key) => [key, readCsv(dir, key, errors)]),
  ) as Record<keyof typeof FILES, SourceRow[]>;

  const participants = mapRows(FILES.participants, raw.participants, errors, (read) => {
    const sex = read('sexe', (r, c) => f.code(r, c, ['F', 'M'] as const));
    return {
      externalId: read('id', f.shortText),
      lastName: read('nom', f.shortText),
      firstName: read('prenom', f.shortText),
      sex,
      birthDate: read('date_naissance', f.birthDate),
      commune: read('commune', f.optionalText),
      postalCode: read('code_postal', f.optionalText),
      email: read('email', f.optionalEmail),
      qualificationLevel: read('niveau_qualification', f.qualification),
      minimumIncome: read('minima_sociaux', (r, c) => f.code(r, c, MINIMUM_INCOMES)),
      longTermJobSeeker: read('deld', f.yesNo),
      qpv: read('qpv', f.yesNo),
      rqth: read('rqth', f.yesNo),
      prescriber: read('prescripteur', (r, c) => f.optionalCode(r, c, PRESCRIBERS)),
      orientationDate: read('date_orientation', f.optionalEventDate),
      referentName: read('referent', f.optionalText),
      integrationDate: read('date_integration', f.optionalEventDate),
      barriers: read('freins', (r, c) => f.codeList(r, c, BARRIERS)),
      // Optional: the day each barrier was lifted (levée de freins), as the live record keeps it.
      barrierLiftings: read('freins_leves', (r, c) => f.datedCodeList(r, c, BARRIERS)),
      sectorWishes: read('souhaits_secteurs', f.textList),
    };
  });
  const steps = mapRows(FILES.steps, raw.steps, errors, (read) => ({
    participantExternalId: read('participant_id', f.shortText),
    type: read('type', (r, c) => f.code(r, c, STEP_TYPES)),
    start: read('date_debut', f.eventDate),
    end: read('date_fin', f.optionalEventDate),
    status: read('statut', (r, c) => f.code(r, c, STEP_STATUSES)),
  }));
  const contracts = mapRows(FILES.contracts, raw.contracts, errors, (read) => ({
    participantExternalId: read('participant_id', f.shortText),
    type: read('type_contrat', (r, c) => f.code(r, c, CONTRACT_TYPES)),
    employer: read('employeur', f.optionalText),
    sector: read('secteur', f.optionalText),
    start: read('date_debut', f.eventDate),
    end: read('date_fin', f.optionalEventDate),
    // A week has 168 hours.
    weeklyHours: read('heures_hebdo', (r, c) => (f.optionalText(r, c) ? f.number(r, c, { max: 168 }) : null)),
    iae: read('iae', f.yesNo),
    aided: read('aide', f.yesNo),
    marketSector: read('secteur_marchand', f.yesNo),
    // Optional columns: what the live record keeps of a contract (absent or empty: not known).
    iaeStructure: read('structure_iae', (r, c) => f.optionalCode(r, c, IAE_STRUCTURES)),
    hoursPaid: read('heures_payees', (r, c) => (f.optionalText(r, c) ? f.number(r, c) : null)),
    endReason: read('motif_fin', (r, c) => f.optionalCode(r, c, CONTRACT_END_REASONS)),
  }));
  const exits = mapRows(FILES.exits, raw.exits, errors, (read) => ({
    participantExternalId: read('participant_id', f.shortText),
    date: read('date_sortie', f.eventDate),
    type: read('type_sortie', (r, c) => f.code(r, c, EXIT_TYPES)),
    positiveKind: read('nature', (r, c) => f.optionalCode(r, c, POSITIVE_KINDS)),
    cdi: read('cdi', (r, c) => (f.optionalText(r, c) ? f.yesNo(r, c) : false)),
    proofsComplete: read('justificatifs', (r, c) => (f.optionalText(r, c) ? f.yesNo(r, c) : false)),
    reason: read('motif', f.optionalText),
  }));
  const procurements = mapRows(FILES.marches, raw.marches, errors, (read) => ({
    externalId: read('id', f.shortText),
    buyer: read('acheteur', f.text),
    title: read('intitule', f.text),
    lot: read('lot', f.optionalText),
    company: read('entreprise', f.optionalText),
    sector: read('secteur', (r, c) => f.code(r, c, PROCUREMENT_SECTORS)),
    plannedHours: read('heures_prevues', (r, c) => f.number(r, c, { integer: true })),
    start: read('date_debut', f.date),
    end: read('date_fin', f.optionalDate),
  }));
  const clauses = mapRows(FILES.clauses, raw.clauses, errors, (read) => ({
    procurementExternalId: read('marche_id', f.shortText),
    personId: read('personne_id', f.optionalText),
    participantExternalId: read('participant_id', f.optionalText),
    type: read('type_contrat', (r, c) => f.code(r, c, CONTRACT_TYPES)),
    start: read('date_debut', f.eventDate),
    end: read('date_fin', f.optionalEventDate),
    hoursDone: read('heures_realisees', (r, c) => f.number(r, c, { integer: true })),
  }));

  // Checks across rows and files.
  const known = await db.participant.findMany({
    where: { plieCode: opts.plieCode },
    select: { id: true, externalId: true, identityKey: true },
  });
  const idByExternal = new Map(known.filter((p) => p.externalId).map((p) => [p.externalId!, p.id]));
  const holderOfIdentity = new Map(known.map((p) => [p.identityKey, p.externalId ?? p.id]));
  const warnings: ImportError[] = [];
  const seen = new Map<string, number>();
  /** Identity key of each imported person; homonyms kept apart by the source keep their id in it. */
  const keyOf = new Map<string, string>();
  for (const p of participants) {
    const first = seen.get(p.externalId);
    if (first) errors.push({ file: FILES.participants, line: p.line, column: 'id', message: `identifiant ${p.externalId} déjà utilisé ligne ${first}` });
    seen.set(p.externalId, p.line);
    const key = identityKey(p);
    const holder = holderOfIdentity.get(key);
    if (holder === undefined || holder === p.externalId) {
      holderOfIdentity.set(key, p.externalId);
      keyOf.set(p.externalId, key);
    } else {
      warnings.push({
        file: FILES.participants,
        line: p.line,
        column: 'nom',
        message: `même nom, prénom et date de naissance que ${holder} : enregistré à part, comme dans le fichier (homonyme ou doublon à vérifier)`,
      });
      keyOf.set(p.externalId, `${key}#${p.externalId}`);
    }
  }
  // Ids of the participants file, even of rows with errors: their other rows are not « unknown ».
  const idsInFile = new Set(raw.participants.map(({ row }) => (row.id ?? '').trim()));
  const participantExists = (id: string) => idsInFile.has(id) || idByExternal.has(id);
  for (const [file, rows] of [[FILES.steps, steps], [FILES.contracts, contracts], [FILES.exits, exits]] as const) {
    for (const r of rows) {
      if (!participantExists(r.participantExternalId)) {
        errors.push({ file, line: r.line, column: 'participant_id', message: `participant ${r.participantExternalId} inconnu` });
      }
    }
  }
  for (const p of participants) {
    const opened = p.integrationDate ?? p.orientationDate;
    for (const lifting of p.barrierLiftings) {
      if (!p.barriers.includes(lifting.code)) errors.push({ file: FILES.participants, line: p.line, column: 'freins_leves', message: `frein ${lifting.code} levé mais absent de la colonne freins` });
      else if (opened && lifting.date < opened) errors.push({ file: FILES.participants, line: p.line, column: 'freins_leves', message: `frein ${lifting.code} levé avant d’avoir été repéré (le ${formatFrenchDate(opened)})` });
    }
  }
  for (const e of exits) {
    for (const problem of describeExit({ type: e.type, positiveKind: e.positiveKind, cdi: e.cdi, proofsComplete: e.proofsComplete }).problems) {
      errors.push({ file: FILES.exits, line: e.line, column: 'nature', message: problem });
    }
  }
  const knownProcurements = await db.procurement.findMany({ where: { plieCode: opts.plieCode }, select: { id: true, externalId: true } });
  const procurementIds = new Map(knownProcurements.map((m) => [m.externalId, m.id]));
  const fileProcurements = new Set(raw.marches.map(({ row }) => (row.id ?? '').trim()));
  const procurementLines = new Map<string, number>();
  for (const m of procurements) {
    const first = procurementLines.get(m.externalId);
    if (first) errors.push({ file: FILES.marches, line: m.line, column: 'id', message: `identifiant ${m.externalId} déjà utilisé ligne ${first}` });
    else procurementLines.set(m.externalId, m.line);
  }
  for (const c of clauses) {
    if (!fileProcurements.has(c.procurementExternalId) && !procurementIds.has(c.procurementExternalId)) {
      errors.push({ file: FILES.clauses, line: c.line, column: 'marche_id', message: `marché ${c.procurementExternalId} inconnu` });
    }
    if (!c.personId && !c.participantExternalId) {
      errors.push({ file: FILES.clauses, line: c.line, column: 'personne_id', message: 'personne_id ou participant_id obligatoire' });
    }
    if (c.participantExternalId && !participantExists(c.participantExternalId)) {
      errors.push({ file: FILES.clauses, line: c.line, column: 'participant_id', message: `participant ${c.participantExternalId} inconnu` });
    }
  }

  const counts = { participants: participants.length, etapes: steps.length, contrats: contracts.length, sorties: exits.length, marches: procurements.length, clauses: clauses.length };
  if (errors.length > 0) {
    return { ok: false, counts, errors: errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line), warnings };
  }

  const knownIds = new Set(idByExternal.values());
  for (const p of participants) if (!idByExternal.has(p.externalId)) idByExternal.set(p.externalId, randomUUID());
  for (const m of procurements) if (!procurementIds.has(m.externalId)) procurementIds.set(m.externalId, randomUUID());
  const participantId = (externalId: string) => idByExternal.get(externalId)!;
  const procurementId = (externalId: string) => procurementIds.get(externalId)!;

  // The files carry the whole history of the people they list, and of the marchés their clauses
  // name: it replaces what earlier imports wrote of them, and only that (the rows marked IMPORT).
  const imported = new Set(participants.map((p) => participantId(p.externalId)));
  const touched = new Set([...imported, ...[...steps, ...contracts, ...exits].map((r) => participantId(r.participantExternalId))]);
  const clauseProcurements = new Set(clauses.map((c) => procurementId(c.procurementExternalId)));
  const barrierRows = ownedRows(
    'barrier',
    participants.flatMap((p) =>
      p.barriers.map((category) => ({
        participantId: participantId(p.externalId),
        category,
        openedOn: asDate(p.integrationDate ?? p.orientationDate),
        closedOn: asDate(p.barrierLiftings.find((l) => l.code === category)?.date ?? null),
      })),
    ),
  );
  const stepRows = ownedRows(
    'step',
    steps.map((s) => ({ participantId: participantId(s.participantExternalId), type: s.type, start: asDate(s.start)!, end: asDate(s.end), status: s.status })),
  );
  const contractRows = ownedRows(
    'contract',
    contracts.map((c) => ({
      participantId: participantId(c.participantExternalId),
      type: c.type,
      employer: c.employer,
      sector: c.sector,
      start: asDate(c.start)!,
      end: asDate(c.end),
      weeklyHours: c.weeklyHours,
      // A contract in an SIAE is an IAE one, and one in an EI in an insertion company, as live.
      iae: c.iae || c.iaeStructure !== null,
      iaeStructure: c.iaeStructure,
      insertionCompany: c.iaeStructure === 'EI',
      aided: c.aided,
      marketSector: c.marketSector,
      hoursPaid: c.hoursPaid,
      endReason: c.endReason,
    })),
  );
  const exitRows = ownedRows(
    'exit',
    exits.map((e) => ({
      participantId: participantId(e.participantExternalId),
      date: asDate(e.date)!,
      type: e.type,
      positiveKind: e.positiveKind,
      cdi: e.cdi,
      proofsComplete: e.proofsComplete,
      reason: e.reason,
    })),
  );
  const clauseRows = ownedRows(
    'clause',
    clauses.map((c) => ({
      procurementId: procurementId(c.procurementExternalId),
      personId: c.personId ?? c.participantExternalId!,
      participantId: c.participantExternalId ? participantId(c.participantExternalId) : null,
      type: c.type,
      start: asDate(c.start)!,
      end: asDate(c.end),
      hoursDone: c.hoursDone,
    })),
  );

  // The PostgreSQL type of each column the rows fill (a field left out does not compile).
  const types = {
    barrier: { id: 'uuid', participantId: 'uuid', category: 'text', openedOn: 'date', closedOn: 'date', source: 'text' } satisfies ColumnTypes<(typeof barrierRows)[number]>,
    step: { id: 'uuid', participantId: 'uuid', type: 'text', start: 'date', end: 'date', status: 'text', source: 'text' } satisfies ColumnTypes<(typeof stepRows)[number]>,
    contract: {
      id: 'uuid',
      participantId: 'uuid',
      type: 'text',
      employer: 'text',
      sector: 'text',
      start: 'date',
      end: 'date',
      weeklyHours: 'float8',
      iae: 'boolean',
      iaeStructure: 'text',
      insertionCompany: 'boolean',
      aided: 'boolean',
      marketSector: 'boolean',
      hoursPaid: 'float8',
      endReason: 'text',
      source: 'text',
    } satisfies ColumnTypes<(typeof contractRows)[number]>,
    exit: { id: 'uuid', participantId: 'uuid', date: 'date', type: 'text', positiveKind: 'text', cdi: 'boolean', proofsComplete: 'boolean', reason: 'text', source: 'text' } satisfies ColumnTypes<(typeof exitRows)[number]>,
    clause: { id: 'uuid', procurementId: 'uuid', personId: 'text', participantId: 'uuid', type: 'text', start: 'date', end: 'date', hoursDone: 'int', source: 'text' } satisfies ColumnTypes<(typeof clauseRows)[number]>,
  };

  await db.$transaction(
    async (tx) => {
      const rows = participants.map((p): ParticipantRow & { isNew: boolean } => ({
        id: participantId(p.externalId),
        isNew: !knownIds.has(participantId(p.externalId)),
        plieCode: opts.plieCode,
        externalId: p.externalId,
        firstName: p.firstName,
        lastName: p.lastName,
        identityKey: keyOf.get(p.externalId)!,
        sex: p.sex,
        birthDate: asDate(p.birthDate)!,
        email: p.email,
        commune: p.commune,
        postalCode: p.postalCode,
        qualificationLevel: p.qualificationLevel,
        minimumIncome: p.minimumIncome,
        longTermJobSeeker: p.longTermJobSeeker,
        qpv: p.qpv,
        rqth: p.rqth,
        prescriber: p.prescriber,
        orientationDate: asDate(p.orientationDate),
        referentName: p.referentName,
        integrationDate: asDate(p.integrationDate),
        sectorWishes: p.sectorWishes,
      }));
      // New people inserted, people already imported updated, by batches.
      await insertRows(tx, 'Participant', PARTICIPANT_COLUMNS, rows.filter((r) => r.isNew).map(({ isNew: _, ...row }) => ({ ...row, createdBy: opts.actor })));
      await updateParticipants(tx, rows.filter((r) => !r.isNew));
      for (const m of procurements) {
        const id = procurementId(m.externalId);
        const data = { plieCode: opts.plieCode, externalId: m.externalId, buyer: m.buyer, title: m.title, lot: m.lot, company: m.company, sector: m.sector, plannedHours: m.plannedHours, start: asDate(m.start)!, end: asDate(m.end) };
        await tx.procurement.upsert({ where: { id }, create: { id, ...data }, update: data });
      }

      const ofPlie = { source: IMPORT, participant: { plieCode: opts.plieCode } };
      const byParticipant = (found: Array<{ id: string; participantId: string }>) => found.map((r) => ({ id: r.id, owner: r.participantId }));
      const select = { id: true, participantId: true } as const;
      await replaceOwned(imported, barrierRows, {
        existing: async () => byParticipant(await tx.barrier.findMany({ where: ofPlie, select })),
        remove: (ids) => tx.barrier.deleteMany({ where: { id: { in: ids }, source: IMPORT } }),
        add: (data) => insertRows(tx, 'Barrier', types.barrier, data),
      });
      await replaceOwned(touched, stepRows, {
        existing: async () => byParticipant(await tx.step.findMany({ where: ofPlie, select })),
        remove: (ids) => tx.step.deleteMany({ where: { id: { in: ids }, source: IMPORT } }),
        add: (data) => insertRows(tx, 'Step', types.step, data),
      });
      await replaceOwned(touched, contractRows, {
        existing: async () => byParticipant(await tx.workContract.findMany({ where: ofPlie, select })),
        remove: (ids) => tx.workContract.deleteMany({ where: { id: { in: ids }, source: IMPORT } }),
        add: (data) => insertRows(tx, 'WorkContract', types.contract, data),
      });
      await replaceOwned(touched, exitRows, {
        existing: async () => byParticipant(await tx.exit.findMany({ where: ofPlie, select })),
        remove: (ids) => tx.exit.deleteMany({ where: { id: { in: ids }, source: IMPORT } }),
        add: (data) => insertRows(tx, 'Exit', types.exit, data),
      });
      await replaceOwned(clauseProcurements, clauseRows, {
        existing: async () =>
          (await tx.clauseContract.findMany({ where: { source: IMPORT, procurement: { plieCode: opts.plieCode } }, select: { id: true, procurementId: true } })).map((r) => ({ id: r.id, owner: r.procurementId })),
        remove: (ids) => tx.clauseContract.deleteMany({ where: { id: { in: ids }, source: IMPORT } }),
        // The column keeps the name marcheId (schema.prisma maps it).
        add: (data) => insertRows(tx, 'ClauseContract', types.clause, data, { procurementId: 'marcheId' }),
      });
      await tx.auditEvent.create({
        data: { actor: opts.actor, channel: 'import', action: 'history.import', entityType: 'plie', entityId: opts.plieCode, details: counts },
      });
    },
    { timeout: 120_000 },
  );
  return { ok: true, counts, errors: [], warnings };
}
