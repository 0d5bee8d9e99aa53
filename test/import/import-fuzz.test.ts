/**
 * The import against hostile exports: random files of the six kinds, mixing valid rows with rows
 * of random strings (control characters and NUL among them), impossible or implausible dates, huge
 * figures, cut or lengthened lines, other separators, unescaped quotes, dropped columns. It never
 * throws: it answers with French errors, each bad row reported at its line; a refused import writes
 * nothing, and files of valid rows only (odd names and texts included) are imported.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { BARRIERS, CONTRACT_TYPES, IAE_STRUCTURES, MINIMUM_INCOMES, PRESCRIBERS, PROCUREMENT_SECTORS, STEP_STATUSES, STEP_TYPES } from '../../src/domain/codes.ts';
import { addDays, addMonths, formatFrenchDate, parisDate } from '../../src/domain/dates.ts';
import { EXIT_TYPES, POSITIVE_KINDS, describeExit } from '../../src/domain/exit-types.ts';
import { CONTRACT_END_REASONS } from '../../src/domain/pathway-actions.ts';
import { importHistory, type ImportError } from '../../src/import/import-history.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';

const PLIE = `FUZZ_${randomBytes(3).toString('hex').toUpperCase()}`;
const today = parisDate(Date.now());
/** A French date so many days from today (dates are checked against today's). */
const frDay = (days: number) => formatFrenchDate(addDays(today, days));
const twoYearsAhead = addMonths(today, 24);
const hundredYearsAgo = addMonths(today, -100 * 12);

type Kind = 'participants' | 'steps' | 'contracts' | 'exits' | 'marches' | 'clauses';
const FILES: Record<Kind, string> = {
  participants: 'participants.csv',
  steps: 'etapes.csv',
  contracts: 'contrats.csv',
  exits: 'sorties.csv',
  marches: 'marches.csv',
  clauses: 'clauses_contrats.csv',
};
/** The export's format: required columns, then the optional ones the import reads. */
const COLUMNS: Record<Kind, string[]> = {
  participants: ['id', 'nom', 'prenom', 'sexe', 'date_naissance', 'commune', 'code_postal', 'email', 'niveau_qualification', 'minima_sociaux', 'deld', 'qpv', 'rqth', 'prescripteur', 'date_orientation', 'referent', 'date_integration', 'freins', 'souhaits_secteurs'],
  steps: ['participant_id', 'type', 'date_debut', 'date_fin', 'statut'],
  contracts: ['participant_id', 'type_contrat', 'employeur', 'secteur', 'date_debut', 'date_fin', 'heures_hebdo', 'iae', 'aide', 'secteur_marchand'],
  exits: ['participant_id', 'date_sortie', 'type_sortie', 'nature', 'cdi', 'justificatifs', 'motif'],
  marches: ['id', 'acheteur', 'intitule', 'lot', 'entreprise', 'secteur', 'heures_prevues', 'date_debut', 'date_fin'],
  clauses: ['marche_id', 'personne_id', 'participant_id', 'type_contrat', 'date_debut', 'date_fin', 'heures_realisees'],
};
const OPTIONAL: Partial<Record<Kind, string[]>> = { participants: ['freins_leves'], contracts: ['structure_iae', 'heures_payees', 'motif_fin'] };

/** A cell, or a reference to the n-th participant or marché of the run's files. */
type Cell = string | { ref: 'P' | 'M'; n: number };
type Values = Record<string, Cell>;

// Valid values, odd ones included: any printable text (quotes, separators, accents, emoji) where text goes.
const printable = (s: string) => s.trim().length > 0 && s.length <= 100 && !/[\p{Cc}\uFFFD]/u.test(s);
/** Texts at the limits too: 100 characters of emoji or of Hangul (which NFD triples) for a name, within the index's reach. */
const word = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(printable) },
  { weight: 1, arbitrary: fc.constantFrom('😀'.repeat(50), '한'.repeat(100), 'Ǆ'.repeat(100), ' « x " ; y , z » ') },
);
/** Free text: up to the 1 000 characters a cell may hold. */
const freeText = fc.oneof({ weight: 10, arbitrary: word }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1000), 'ligne 1\nligne 2', 'ligne 1\r\nligne 2') });
const maybe = (arb: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), arb);
const yesNo = fc.constantFrom('oui', 'non', 'OUI', 'Non');
/** Dates of the pathway, the limits included (a day inside them, should the test run across midnight). */
const pastDay = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 3000 }).map((n) => frDay(-n)) },
  { weight: 1, arbitrary: fc.constantFrom('01/01/1950', formatFrenchDate(twoYearsAhead)) },
);
const participantRef = fc.nat(1000).map((n): Cell => ({ ref: 'P', n }));
const marcheRef = fc.nat(1000).map((n): Cell => ({ ref: 'M', n }));
const hours = (max: number) => fc.integer({ min: 0, max }).map(String);
/** The combinations the exit rules accept (src/domain/exit-types.ts as the oracle). */
const VALID_EXITS = EXIT_TYPES.flatMap((type) =>
  [null, ...POSITIVE_KINDS].flatMap((positiveKind) =>
    ['oui', 'non'].flatMap((cdi) =>
      ['oui', 'non']
        .filter((proofs) => describeExit({ type, positiveKind, cdi: cdi === 'oui', proofsComplete: proofs === 'oui' }).problems.length === 0)
        .map((proofs) => ({ type_sortie: type, nature: positiveKind ?? '', cdi, justificatifs: proofs })),
    ),
  ),
);

/** Valid rows; the ids of people and marchés are given by their rank when the file is written. */
const VALID: Record<Kind, fc.Arbitrary<Values>> = {
  participants: fc.record({
    id: fc.constant(''),
    nom: word,
    prenom: word,
    sexe: fc.constantFrom('F', 'M', 'f', 'm'),
    date_naissance: fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: 16 * 365, max: 90 * 365 }).map((n) => frDay(-n)) },
      { weight: 1, arbitrary: fc.constantFrom(frDay(0), formatFrenchDate(addDays(hundredYearsAgo, 1))) },
    ),
    commune: maybe(word),
    code_postal: maybe(fc.stringMatching(/^\d{5}$/)),
    email: maybe(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/).map((local) => `${local}@exemple.fr`)),
    niveau_qualification: fc.constantFrom('', '1', '3', '5', '8', 'VI', 'V bis', 'IV', 'I'),
    minima_sociaux: fc.constantFrom(...MINIMUM_INCOMES, 'aucun', 'rsa'),
    deld: yesNo,
    qpv: yesNo,
    rqth: yesNo,
    prescripteur: maybe(fc.constantFrom(...PRESCRIBERS)),
    date_orientation: maybe(pastDay),
    referent: maybe(freeText),
    date_integration: maybe(pastDay),
    freins: fc.subarray([...BARRIERS]).map((b) => b.join('|')),
    souhaits_secteurs: fc.array(word, { maxLength: 3 }).map((w) => w.join('|')),
    freins_leves: fc.constant(''),
  }),
  steps: fc.record({ participant_id: participantRef, type: fc.constantFrom(...STEP_TYPES), date_debut: pastDay, date_fin: maybe(pastDay), statut: fc.constantFrom(...STEP_STATUSES) }),
  contracts: fc.record({
    participant_id: participantRef,
    type_contrat: fc.constantFrom(...CONTRACT_TYPES),
    employeur: maybe(freeText),
    secteur: maybe(word),
    date_debut: pastDay,
    date_fin: maybe(pastDay),
    heures_hebdo: maybe(fc.oneof(hours(168), fc.constantFrom('24,5', '17.5', '168'))),
    iae: yesNo,
    aide: yesNo,
    secteur_marchand: yesNo,
    structure_iae: maybe(fc.constantFrom(...IAE_STRUCTURES)),
    heures_payees: maybe(fc.oneof(hours(5000), fc.constant('1000000'))),
    motif_fin: maybe(fc.constantFrom(...CONTRACT_END_REASONS)),
  }),
  exits: fc.record({ participant_id: participantRef, date_sortie: pastDay, exit: fc.constantFrom(...VALID_EXITS), motif: maybe(freeText) }).map(({ exit, ...rest }): Values => ({ ...rest, ...exit })),
  marches: fc.record({
    id: fc.constant(''),
    acheteur: word,
    intitule: word,
    lot: maybe(word),
    entreprise: maybe(word),
    secteur: fc.constantFrom(...PROCUREMENT_SECTORS),
    heures_prevues: fc.oneof(hours(100_000), fc.constant('1000000')),
    date_debut: pastDay,
    date_fin: maybe(pastDay),
  }),
  clauses: fc.record({
    marche_id: marcheRef,
    personne_id: fc.nat(50).map((n) => `C${n}`),
    participant_id: fc.oneof(fc.constant(''), participantRef),
    type_contrat: fc.constantFrom(...CONTRACT_TYPES),
    date_debut: pastDay,
    date_fin: maybe(pastDay),
    heures_realisees: fc.oneof(hours(2000), fc.constant('1000000')),
  }),
};

/** What no valid export holds. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 6 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom(
    ...['31/02/2019', '00/00/0000', '2019-13-01', '32/01/2020', '1/1/1', '12-03-2019', '99/99/9999', 'hier', '', ' ', 'NULL', 'null', 'undefined'],
    ...['__proto__', 'constructor', '=1+1', '1e400', '-1', 'NaN', 'Infinity', '0x1F', '1,5,5', '١٢', '99999999999999999999', '9'.repeat(400)],
    ...['"', '""', 'a"b', '"x', ';', ',', ';;;', '\t', '\n', '\r\n', '\r', '\uFEFF', '\uFFFD', '\u202E', '\u0085', 'é'.repeat(150), 'x'.repeat(1200), 'oui;non'],
  ),
  fc.integer({ min: 1, max: 30_000 }).map((n) => frDay(n)),
  fc.integer({ min: 1900, max: 1949 }).map((y) => `15/06/${y}`),
  fc.double().map(String),
  fc.bigInt().map(String),
);

/** A value that must be refused in that column, and what the error says. */
interface Defect {
  column: string;
  value: string;
  message: RegExp;
}
const EVENT_DATE: Partial<Record<Kind, string>> = { steps: 'date_debut', contracts: 'date_debut', exits: 'date_sortie', clauses: 'date_debut' };
function defectOf(kind: Kind): fc.Arbitrary<Defect> {
  const nul = fc.tuple(fc.constantFrom(...COLUMNS[kind]), fc.string({ unit: 'grapheme-ascii', maxLength: 5 })).map(([column, s]) => ({ column, value: `${s}\u0000${s}`, message: /^caractère nul \(code 0\)/ }));
  const dated = EVENT_DATE[kind];
  if (kind === 'participants') {
    return fc.oneof(
      nul,
      fc.integer({ min: 1, max: 3000 }).map((n) => ({ column: 'date_naissance', value: frDay(n), message: /^date de naissance dans le futur/ })),
      fc.integer({ min: 1, max: 4000 }).map((n) => ({ column: 'date_naissance', value: formatFrenchDate(addDays(hundredYearsAgo, -n)), message: /plus de 100 ans$/ })),
    );
  }
  if (!dated) return nul;
  return fc.oneof(
    nul,
    fc.integer({ min: 1900, max: 1949 }).map((y) => ({ column: dated, value: `28/02/${y}`, message: /^date trop ancienne/ })),
    fc.integer({ min: 1, max: 5000 }).map((n) => ({ column: dated, value: formatFrenchDate(addDays(twoYearsAhead, n)), message: /^date trop lointaine/ })),
  );
}

type Shape = 'valid' | 'hostile' | 'defect' | 'short' | 'long' | 'separator' | 'raw';
interface RowSpec {
  shape: Shape;
  values: Values;
  hostile: string[];
  picks: number[];
  defect: Defect | null;
}
type Header = 'standard' | 'shuffled' | 'optional' | 'extra' | 'dropped' | 'comma' | 'bom';
interface FileSpec {
  kind: Kind;
  header: Header;
  rows: RowSpec[];
  order: number[];
}

function rowOf(kind: Kind, clean: boolean): fc.Arbitrary<RowSpec> {
  const shape: fc.Arbitrary<Shape> = clean
    ? fc.constant('valid')
    : fc.oneof({ weight: 1, arbitrary: fc.constant<Shape>('valid') }, { weight: 5, arbitrary: fc.constantFrom<Shape>('hostile', 'defect', 'defect', 'short', 'long', 'separator', 'raw') });
  return fc.record({ shape, values: VALID[kind], hostile: fc.array(hostile, { minLength: 1, maxLength: 3 }), picks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), defect: fc.option(defectOf(kind), { nil: null }) });
}

function fileOf(kind: Kind, clean: boolean, maxRows: number): fc.Arbitrary<FileSpec> {
  const header: fc.Arbitrary<Header> = clean
    ? fc.constantFrom<Header>('standard', 'shuffled', 'optional', 'extra', 'comma', 'bom')
    : fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Header>('standard', 'shuffled', 'optional', 'extra', 'comma', 'bom') }, { weight: 1, arbitrary: fc.constant<Header>('dropped') });
  const minRows = kind === 'participants' || kind === 'marches' ? 1 : 0;
  return fc.record({ kind: fc.constant(kind), header, rows: fc.array(rowOf(kind, clean), { minLength: minRows, maxLength: maxRows, size: 'max' }), order: fc.array(fc.nat(), { minLength: 25, maxLength: 25 }) });
}

/** One run in five is of valid rows only. */
const history = fc.nat(4).chain((n) => {
  const clean = n === 0;
  return fc.record({
    clean: fc.constant(clean),
    files: fc.tuple(fileOf('participants', clean, 60), fileOf('steps', clean, 50), fileOf('contracts', clean, 40), fileOf('exits', clean, 25), fileOf('marches', clean, 6), fileOf('clauses', clean, 25)),
    // Sometimes no participants file at all.
    withoutParticipants: clean ? fc.constant(false) : fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
  });
});

/** A field as a CSV writer writes it: quoted when it holds a separator, a quote or a line break. */
const quoted = (value: string, delimiter: string) => (value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value);
const LINE_BREAKS = /\r\n|\r|\n/g;

interface Written {
  file: string;
  rows: number;
  hostileRows: number;
  /** Rows with a defect, at the line csv-parse gives their end. */
  defects: Array<{ line: number; defect: Defect }>;
  /** Lines a quote left open may swallow: defects are then not looked for line by line. */
  raw: boolean;
}

/** Writes one run's files; returns what they hold. */
function write(dir: string, spec: { files: FileSpec[]; withoutParticipants: boolean }): Written[] {
  mkdirSync(dir, { recursive: true });
  const counts = { P: spec.files[0]!.rows.length, M: spec.files[4]!.rows.length };
  return spec.files.flatMap((file): Written[] => {
    if (file.kind === 'participants' && spec.withoutParticipants) return [];
    const delimiter = file.header === 'comma' ? ',' : ';';
    let header = [...COLUMNS[file.kind]];
    if (file.header === 'optional' || file.header === 'extra') header.push(...(OPTIONAL[file.kind] ?? []));
    if (file.header === 'extra') header.push('commentaire');
    if (file.header === 'shuffled') header = header.map((c, i) => [c, file.order[i % file.order.length]! + i] as const).sort((a, b) => a[1] - b[1]).map(([c]) => c);
    if (file.header === 'dropped') header.splice(file.order[0]! % header.length, 1);
    const lines = [header.join(delimiter)];
    const defects: Written['defects'] = [];
    let line = 1;
    let hostileRows = 0;
    let raw = false;
    for (const [rank, row] of file.rows.entries()) {
      if (file.kind === 'participants') row.values.id = `P${rank}`;
      if (file.kind === 'marches') row.values.id = `M${rank}`;
      const resolve = (cell: Cell | undefined) => (cell === undefined ? '' : typeof cell === 'string' ? cell : `${cell.ref}${cell.n % Math.max(1, counts[cell.ref])}`);
      const cells = header.map((column) => resolve(row.values[column]));
      const pick = (n: number, length: number) => row.picks[n]! % length;
      let text: string;
      let shape = row.shape;
      if (shape === 'defect' && (!row.defect || !header.includes(row.defect.column))) shape = 'hostile';
      if (shape === 'hostile') row.hostile.forEach((value, n) => (cells[pick(n, cells.length)] = value));
      if (shape === 'defect') cells[header.indexOf(row.defect!.column)] = row.defect!.value;
      if (shape === 'short') cells.splice(cells.length - 1 - pick(0, cells.length - 1));
      if (shape === 'long') cells.push(...row.hostile.map(() => 'en trop'));
      if (shape === 'separator') text = cells.map((c) => c.replaceAll(delimiter, ' ')).join(delimiter === ';' ? ',' : '\t');
      else if (shape === 'raw') text = [...cells.slice(0, -1), row.hostile[0]!].join(delimiter);
      else text = cells.map((c) => quoted(c, delimiter)).join(delimiter);
      // A quote no writer escaped may open a field that swallows the next lines.
      if (shape === 'raw' || (shape === 'separator' && text.includes('"'))) raw = true;
      if (shape !== 'valid') hostileRows += 1;
      line += 1 + (text.match(LINE_BREAKS)?.length ?? 0);
      if (shape === 'defect') defects.push({ line, defect: row.defect! });
      lines.push(text);
    }
    const name = FILES[file.kind];
    writeFileSync(path.join(dir, name), `${file.header === 'bom' ? '\uFEFF' : ''}${lines.join('\n')}\n`);
    return [{ file: name, rows: file.rows.length, hostileRows, defects, raw }];
  });
}

let db: Db;
let scratch: string;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
  scratch = makeScratchDir('plie-import-fuzz-');
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every row an import of this PLIE may write. */
async function rowCounts() {
  const ofPlie = { participant: { plieCode: PLIE } };
  return Promise.all([
    db.participant.count({ where: { plieCode: PLIE } }),
    db.barrier.count({ where: ofPlie }),
    db.step.count({ where: ofPlie }),
    db.workContract.count({ where: ofPlie }),
    db.exit.count({ where: ofPlie }),
    db.procurement.count({ where: { plieCode: PLIE } }),
    db.clauseContract.count({ where: { procurement: { plieCode: PLIE } } }),
    db.auditEvent.count({ where: { entityType: 'plie', entityId: PLIE } }),
  ]);
}

/** A message for the person who fixes the file: French, once what it quotes of the file is left out. */
function expectFrench(e: ImportError) {
  const own = e.message
    .replace(/«[^»]*»/g, '« »')
    .replace(/^(identifiant|participant|marché) .* (déjà utilisé ligne \d+|inconnu)$/s, '$1 … $2')
    .replace(/^(même nom, prénom et date de naissance que) .* (: enregistré à part)/s, '$1 … $2');
  expect(own).toMatch(/\b(de|du|des|le|la|les|au|ou|à|attendu|inconnue?s?|manquante?s?|obligatoire|invalide|fichier|ligne|sortie)\b/i);
  expect(own).not.toMatch(/\b(invalid|error|expected?|got|quote|record|undefined|NaN|object)\b|\[object/i);
  expect(e.message).not.toMatch(/(?![\t\n\r])\p{Cc}/u);
}

describe('the import against hostile files', () => {
  it('never throws: it answers in French, reports each bad row, and a refused import writes nothing', async () => {
    const kinds = new Set(Object.values(FILES));
    let runs = 0;
    let rows = 0;
    let hostileRows = 0;
    let imported = 0;
    await fc.assert(
      fc.asyncProperty(history, async (spec) => {
        runs += 1;
        const dir = path.join(scratch, `run-${runs}`);
        const written = write(dir, spec);
        rows += written.reduce((sum, w) => sum + w.rows, 0);
        hostileRows += written.reduce((sum, w) => sum + w.hostileRows, 0);
        const before = await rowCounts();
        const result = await importHistory(db, dir, { plieCode: PLIE, actor: 'fuzz' });
        rmSync(dir, { recursive: true, force: true });
        for (const e of [...result.errors, ...result.warnings]) {
          expect(kinds.has(e.file)).toBe(true);
          expect(Number.isInteger(e.line) && e.line >= 0).toBe(true);
          expectFrench(e);
        }
        if (spec.clean) expect(result.errors).toEqual([]);
        expect(result.ok).toBe(result.errors.length === 0);
        if (!result.ok) expect(await rowCounts()).toEqual(before);
        else imported += 1;
        // Each row with a known defect is reported at its line and column, unless the whole file was refused.
        for (const w of written) {
          const ofFile = result.errors.filter((e) => e.file === w.file);
          if (w.raw || ofFile.some((e) => /^(fichier|colonne)/.test(e.message))) continue;
          for (const { line, defect } of w.defects) {
            expect(ofFile).toContainEqual({ file: w.file, line, column: defect.column, message: expect.stringMatching(defect.message) as string });
          }
        }
      }),
      { numRuns: 220 },
    );
    expect(rows).toBeGreaterThanOrEqual(10_000);
    expect(hostileRows).toBeGreaterThanOrEqual(10_000);
    // Some runs were clean, and were imported.
    expect(imported).toBeGreaterThan(0);
  }, 180_000);
});
