/**
 * Imports a PLIE's history from the CSV files other PLIE software export (one per entity, columns
 * as in the samples). All or nothing: every bad row is reported with file, line, column and reason,
 * and then nothing is written. A second run of the same files changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/client.ts';
import { toDbDate } from '../db/dates.ts';
import { Prisma } from '../generated/prisma/client.ts';
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

interface SourceRow {
  line: number;
  row: f.Row;
}

/** Reads one CSV (UTF-8, `;` or `,`); a file absent from the folder is empty, except participants. */
function readCsv(dir: string, key: keyof typeof FILES, errors: ImportError[]): SourceRow[] {
  const file = FILES[key];
  const full = path.join(dir, file);
  if (!existsSync(full)) {
    if (key === 'participants') errors.push({ file, line: 0, column: null, message: 'fichier manquant' });
    return [];
  }
  let records: Array<{ record: f.Row; info: { lines: number } }>;
  try {
    const content = readFileSync(full, 'utf8');
    const firstLine = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
    records = parse<f.Row>(content, { bom: true, columns: true, delimiter, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    errors.push({ file, line, column: null, message: `fichier illisible : ${(error as Error).message}` });
    return [];
  }
  const header = Object.keys(records[0]?.record ?? {});
  const missing = records.length > 0 ? COLUMNS[key].filter((c) => !header.includes(c)) : [];
  if (missing.length > 0) {
    errors.push({ file, line: 1, column: null, message: `colonne(s) manquante(s) : ${missing.join(', ')}` });
    return [];
  }
  return records.map(({ record, info }) => ({ line: info.lines, row: record }));
}

/** Maps each row, collecting every field error with its column; rows with an error are dropped. */
function mapRows<T>(file: string, rows: SourceRow[], errors: ImportError[], map: (read: Reader, row: f.Row) => T): Array<T & { line: number }> {
  const out: Array<T & { line: number }> = [];
  for (const { line, row } of rows) {
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

type ParticipantData = Omit<Prisma.ParticipantCreateManyInput, 'id' | 'createdBy'> & { sectorWishes: string[] };

/** One UPDATE … FROM (VALUES …) for a batch of participants (Prisma updates one row per query). */
function updateParticipants(rows: Array<{ id: string; data: ParticipantData }>): Prisma.Sql {
  const values = rows.map(
    ({ id, data: d }) =>
      Prisma.sql`(${id}::uuid, ${d.firstName}, ${d.lastName}, ${d.identityKey}, ${d.sex ?? null}, ${d.birthDate}::date,
        ${d.email ?? null}, ${d.commune ?? null}, ${d.postalCode ?? null}, ${d.qualificationLevel ?? null}::int,
        ${d.minimumIncome ?? null}, ${d.longTermJobSeeker ?? false}::boolean, ${d.qpv ?? false}::boolean,
        ${d.rqth ?? false}::boolean, ${d.prescriber ?? null}, ${d.orientationDate ?? null}::date, ${d.referentName ?? null},
        ${d.integrationDate ?? null}::date, ${d.sectorWishes}::text[])`,
  );
  return Prisma.sql`UPDATE "Participant" AS p SET
      "firstName" = v.first_name, "lastName" = v.last_name, "identityKey" = v.identity_key, "sex" = v.sex,
      "birthDate" = v.birth_date, "email" = v.email, "commune" = v.commune, "postalCode" = v.postal_code,
      "qualificationLevel" = v.qualification_level, "minimumIncome" = v.minimum_income,
      "longTermJobSeeker" = v.long_term_job_seeker, "qpv" = v.qpv, "rqth" = v.rqth, "prescriber" = v.prescriber,
      "orientationDate" = v.orientation_date, "referentName" = v.referent_name,
      "integrationDate" = v.integration_date, "sectorWishes" = v.sector_wishes
    FROM (VALUES ${Prisma.join(values)}) AS v(id, first_name, last_name, identity_key, sex, birth_date, email, commune,
      postal_code, qualification_level, minimum_income, long_term_job_seeker, qpv, rqth, prescriber, orientation_date,
      referent_name, integration_date, sector_wishes)
    WHERE p.id = v.id`;
}

export async function importHistory(db: Db, dir: string, opts: { plieCode: string; actor: string }): Promise<ImportResult> {
  const errors: ImportError[] = [];
  const raw = Object.fromEntries(
    (Object.keys(FILES) as Array<keyof typeof FILES>).map((key) => [key, readCsv(dir, key, errors)]),
  ) as Record<keyof typeof FILES, SourceRow[]>;

  const participants = mapRows(FILES.participants, raw.participants, errors, (read) => {
    const sex = read('sexe', (r, c) => f.code(r, c, ['F', 'M'] as const));
    return {
      externalId: read('id', f.text),
      lastName: read('nom', f.text),
      firstName: read('prenom', f.text),
      sex,
      birthDate: read('date_naissance', f.date),
      commune: read('commune', f.optionalText),
      postalCode: read('code_postal', f.optionalText),
      email: read('email', f.optionalEmail),
      qualificationLevel: read('niveau_qualification', f.qualification),
      minimumIncome: read('minima_sociaux', (r, c) => f.code(r, c, MINIMUM_INCOMES)),
      longTermJobSeeker: read('deld', f.yesNo),
      qpv: read('qpv', f.yesNo),
      rqth: read('rqth', f.yesNo),
      prescriber: read('prescripteur', (r, c) => f.optionalCode(r, c, PRESCRIBERS)),
      orientationDate: read('date_orientation', f.optionalDate),
      referentName: read('referent', f.optionalText),
      integrationDate: read('date_integration', f.optionalDate),
      barriers: read('freins', (r, c) => f.codeList(r, c, BARRIERS)),
      // Optional: the day each barrier was lifted (levée de freins), as the live record keeps it.
      barrierLiftings: read('freins_leves', (r, c) => f.datedCodeList(r, c, BARRIERS)),
      sectorWishes: read('souhaits_secteurs', f.textList),
    };
  });
  const steps = mapRows(FILES.steps, raw.steps, errors, (read) => ({
    participantExternalId: read('participant_id', f.text),
    type: read('type', (r, c) => f.code(r, c, STEP_TYPES)),
    start: read('date_debut', f.date),
    end: read('date_fin', f.optionalDate),
    status: read('statut', (r, c) => f.code(r, c, STEP_STATUSES)),
  }));
  const contracts = mapRows(FILES.contracts, raw.contracts, errors, (read) => ({
    participantExternalId: read('participant_id', f.text),
    type: read('type_contrat', (r, c) => f.code(r, c, CONTRACT_TYPES)),
    employer: read('employeur', f.optionalText),
    sector: read('secteur', f.optionalText),
    start: read('date_debut', f.date),
    end: read('date_fin', f.optionalDate),
    weeklyHours: read('heures_hebdo', (r, c) => (f.optionalText(r, c) ? f.number(r, c) : null)),
    iae: read('iae', f.yesNo),
    aided: read('aide', f.yesNo),
    marketSector: read('secteur_marchand', f.yesNo),
    // Optional columns: what the live record keeps of a contract (absent or empty: not known).
    iaeStructure: read('structure_iae', (r, c) => f.optionalCode(r, c, IAE_STRUCTURES)),
    hoursPaid: read('heures_payees', (r, c) => (f.optionalText(r, c) ? f.number(r, c) : null)),
    endReason: read('motif_fin', (r, c) => f.optionalCode(r, c, CONTRACT_END_REASONS)),
  }));
  const exits = mapRows(FILES.exits, raw.exits, errors, (read) => ({
    participantExternalId: read('participant_id', f.text),
    date: read('date_sortie', f.date),
    type: read('type_sortie', (r, c) => f.code(r, c, EXIT_TYPES)),
    positiveKind: read('nature', (r, c) => f.optionalCode(r, c, POSITIVE_KINDS)),
    cdi: read('cdi', (r, c) => (f.optionalText(r, c) ? f.yesNo(r, c) : false)),
    proofsComplete: read('justificatifs', (r, c) => (f.optionalText(r, c) ? f.yesNo(r, c) : false)),
    reason: read('motif', f.optionalText),
  }));
  const procurements = mapRows(FILES.marches, raw.marches, errors, (read) => ({
    externalId: read('id', f.text),
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
    procurementExternalId: read('marche_id', f.text),
    personId: read('personne_id', f.optionalText),
    participantExternalId: read('participant_id', f.optionalText),
    type: read('type_contrat', (r, c) => f.code(r, c, CONTRACT_TYPES)),
    start: read('date_debut', f.date),
    end: read('date_fin', f.optionalDate),
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
  const imported = participants.map((p) => participantId(p.externalId));

  await db.$transaction(
    async (tx) => {
      const newIds = new Set(participants.filter((p) => !knownIds.has(participantId(p.externalId))).map((p) => p.externalId));
      const rows = participants.map((p) => {
        const data: ParticipantData = {
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
        };
        return { id: participantId(p.externalId), data, isNew: newIds.has(p.externalId) };
      });
      // New people in one statement; people already imported are updated by batches.
      await tx.participant.createMany({ data: rows.filter((r) => r.isNew).map((r) => ({ id: r.id, ...r.data, createdBy: opts.actor })) });
      const updates = rows.filter((r) => !r.isNew);
      for (let i = 0; i < updates.length; i += 500) {
        await tx.$executeRaw(updateParticipants(updates.slice(i, i + 500)));
      }
      // The files carry the whole history of the people they list: it replaces what an earlier run wrote.
      const touched = [...new Set([...imported, ...steps.map((s) => participantId(s.participantExternalId)), ...contracts.map((c) => participantId(c.participantExternalId)), ...exits.map((e) => participantId(e.participantExternalId))])];
      await tx.barrier.deleteMany({ where: { participantId: { in: imported } } });
      await tx.step.deleteMany({ where: { participantId: { in: touched } } });
      await tx.workContract.deleteMany({ where: { participantId: { in: touched } } });
      await tx.exit.deleteMany({ where: { participantId: { in: touched } } });
      await tx.barrier.createMany({
        data: participants.flatMap((p) =>
          p.barriers.map((category) => ({
            participantId: participantId(p.externalId),
            category,
            openedOn: asDate(p.integrationDate ?? p.orientationDate),
            closedOn: asDate(p.barrierLiftings.find((l) => l.code === category)?.date ?? null),
          })),
        ),
      });
      await tx.step.createMany({
        data: steps.map((s) => ({ participantId: participantId(s.participantExternalId), type: s.type, start: asDate(s.start)!, end: asDate(s.end), status: s.status })),
      });
      await tx.workContract.createMany({
        data: contracts.map((c) => ({
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
      });
      await tx.exit.createMany({
        data: exits.map((e) => ({
          participantId: participantId(e.participantExternalId),
          date: asDate(e.date)!,
          type: e.type,
          positiveKind: e.positiveKind,
          cdi: e.cdi,
          proofsComplete: e.proofsComplete,
          reason: e.reason,
        })),
      });
      for (const m of procurements) {
        const id = procurementIds.get(m.externalId)!;
        const data = { plieCode: opts.plieCode, externalId: m.externalId, buyer: m.buyer, title: m.title, lot: m.lot, company: m.company, sector: m.sector, plannedHours: m.plannedHours, start: asDate(m.start)!, end: asDate(m.end) };
        await tx.procurement.upsert({ where: { id }, create: { id, ...data }, update: data });
      }
      const clauseProcurements = [...new Set(clauses.map((c) => procurementIds.get(c.procurementExternalId)!))];
      await tx.clauseContract.deleteMany({ where: { procurementId: { in: clauseProcurements } } });
      await tx.clauseContract.createMany({
        data: clauses.map((c) => ({
          procurementId: procurementIds.get(c.procurementExternalId)!,
          personId: c.personId ?? c.participantExternalId!,
          participantId: c.participantExternalId ? participantId(c.participantExternalId) : null,
          type: c.type,
          start: asDate(c.start)!,
          end: asDate(c.end),
          hoursDone: c.hoursDone,
        })),
      });
      await tx.auditEvent.create({
        data: { actor: opts.actor, channel: 'import', action: 'history.import', entityType: 'plie', entityId: opts.plieCode, details: counts },
      });
    },
    { timeout: 120_000 },
  );
  return { ok: true, counts, errors: [], warnings };
}
