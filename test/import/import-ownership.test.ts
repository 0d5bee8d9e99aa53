/**
 * The import owns only the rows it wrote. What the pathway workflows record of the same people
 * (steps, contracts, barriers, exits, through the real activities, with ids from uuidFromKey) and
 * the clause contracts of hires survive a re-import untouched, so that a running pathway can still
 * end its contract afterwards; the import's own rows are replaced when the files change.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPathwayActivities } from '../../activities/pathway.ts';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { uuidFromKey } from '../../src/db/ids.ts';
import { addDays, formatFrenchDate, parisDate, type CalendarDate } from '../../src/domain/dates.ts';
import { importHistory } from '../../src/import/import-history.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { pathwayWorkflowId } from '../../workflows/pathway-messages.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const run = randomBytes(4).toString('hex');
const PLIE = `OWN_${run.toUpperCase()}`;
const today = parisDate(Date.now());
/** A day relative to today: the checks of plausible dates move with the calendar. */
const day = (days: number): CalendarDate => addDays(today, days);
const fr = (days: number) => formatFrenchDate(day(days));

let db: Db;
let scratch: string;

beforeAll(() => {
  db = createDb(inject('databaseUrl'));
  scratch = makeScratchDir('plie-import-own-');
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(scratch, { recursive: true, force: true });
});

interface History {
  r1Barriers: string;
  r1Step: string;
  r2Contract: string;
  r2Exit: string[];
  clauseHours: number;
}

const FIRST: History = {
  r1Barriers: 'MOBILITE|SANTE',
  r1Step: `R1;RECHERCHE_EMPLOI;${fr(-170)};${fr(-150)};REALISEE`,
  r2Contract: `R2;INTERIM;Intérim Azur;logistique;${fr(-250)};${fr(-240)};35;non;non;oui`,
  r2Exit: [`R2;${fr(-30)};ABANDON;;non;non;Ne donne plus de nouvelles`],
  clauseHours: 120,
};

/** A small history of two people (R1 will have a running pathway), one marché and its clause. */
function writeHistory(name: string, h: History): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const csv = (file: string, lines: string[]) => writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
  csv('participants.csv', [
    'id;nom;prenom;sexe;date_naissance;commune;code_postal;email;niveau_qualification;minima_sociaux;deld;qpv;rqth;prescripteur;date_orientation;referent;date_integration;freins;souhaits_secteurs',
    `R1;Lambert${run};Sophie;F;14/03/1985;Antibes;06600;;3;RSA;oui;non;non;FRANCE_TRAVAIL;${fr(-200)};;${fr(-180)};${h.r1Barriers};vente`,
    `R2;Girard${run};Paul;M;02/10/1979;Biot;06410;;4;aucun;non;non;non;CD06;${fr(-300)};;${fr(-290)};;`,
  ]);
  csv('etapes.csv', ['participant_id;type;date_debut;date_fin;statut', h.r1Step, `R2;ATELIER;${fr(-280)};${fr(-279)};REALISEE`]);
  csv('contrats.csv', [
    'participant_id;type_contrat;employeur;secteur;date_debut;date_fin;heures_hebdo;iae;aide;secteur_marchand',
    `R1;CDD;Boulangerie du Port;vente;${fr(-140)};${fr(-60)};24;non;non;oui`,
    h.r2Contract,
  ]);
  csv('sorties.csv', ['participant_id;date_sortie;type_sortie;nature;cdi;justificatifs;motif', ...h.r2Exit]);
  csv('marches.csv', ['id;acheteur;intitule;lot;entreprise;secteur;heures_prevues;date_debut;date_fin', `M1;Ville d'Antibes;Voirie;1;Routes du Sud;BTP;1000;${fr(-365)};`]);
  csv('clauses_contrats.csv', ['marche_id;personne_id;participant_id;type_contrat;date_debut;date_fin;heures_realisees', `M1;C-${run};R1;CDD;${fr(-140)};${fr(-60)};${h.clauseHours}`]);
  return dir;
}

/** Every fact row of the two people and of the marché, in a stable order. */
async function factsOf(ids: string[]) {
  const ofPeople = { participantId: { in: ids } };
  const byId = { id: 'asc' } as const;
  return {
    barriers: await db.barrier.findMany({ where: ofPeople, orderBy: byId }),
    steps: await db.step.findMany({ where: ofPeople, orderBy: byId }),
    contracts: await db.workContract.findMany({ where: ofPeople, include: { paidHours: true }, orderBy: byId }),
    exits: await db.exit.findMany({ where: ofPeople, orderBy: byId }),
    clauses: await db.clauseContract.findMany({ where: { procurement: { plieCode: PLIE } }, orderBy: byId }),
  };
}

describe('a re-import and the live record of the same people', () => {
  it('leaves what the workflows and hires wrote untouched, and replaces only its own rows', async () => {
    const first = writeHistory('first', FIRST);
    expect((await importHistory(db, first, { plieCode: PLIE, actor: 'test' })).errors).toEqual([]);
    const person = async (externalId: string) => (await db.participant.findUniqueOrThrow({ where: { plieCode_externalId: { plieCode: PLIE, externalId } } })).id;
    const [r1, r2] = [await person('R1'), await person('R2')];
    const marche = await db.procurement.findUniqueOrThrow({ where: { plieCode_externalId: { plieCode: PLIE, externalId: 'M1' } } });

    // R1's pathway runs: its activities record what the workflow decides, with ids from its keys.
    const pathwayId = pathwayWorkflowId(r1);
    await db.pathway.create({ data: { id: pathwayId, participantId: r1, stage: 'active', entryDate: toDbDate(day(-180)) } });
    const activities = createPathwayActivities(db, async () => CASA_CONFIG);
    const at = new Date().toISOString();
    const fact = (key: string, f: Parameters<typeof activities.recordPathwayFact>[0]['fact']) =>
      activities.recordPathwayFact({ pathwayId, participantId: r1, key: `${pathwayId}/fact/${key}`, fact: f, actor: 'referente@plie.test', channel: 'slack', at });
    // A monthly check while the imported contract is the last one: its hours go with that contract.
    const check = `${pathwayId}/follow_up_check/1`;
    await activities.openTask({ id: check, pathwayId, kind: 'follow_up_check', assigneeEmail: 'referente@plie.test', openedAt: at, dueDate: day(5) });
    await activities.closeTask({ taskId: check, answer: { inPost: true, hours: 151.5 }, actor: 'referente@plie.test', channel: 'slack', answeredAt: at });
    await fact('1', { kind: 'step', stepId: `${pathwayId}/step/1`, stepType: 'ATELIER', start: day(-10), status: 'PREVUE' });
    const contractId = `${pathwayId}/contract/1`;
    const contract = { id: contractId, type: 'CDD' as const, start: day(-5), end: day(60), weeklyHours: 35, iae: false, aided: false, marketSector: true, insertionCompany: false, hoursPaid: null, endReason: null, employer: `Jardins ${run}`, sector: null };
    await fact('2', { kind: 'contract', contract });
    await fact('3', { kind: 'barrierRaised', category: 'LOGEMENT', on: day(-8) });
    // Lifts the imported MOBILITE barrier: a change of the live record to a row the import wrote.
    await fact('4', { kind: 'barrierLifted', category: 'MOBILITE', on: day(-7) });
    const exitPathway = `${pathwayId}-precedent`;
    await activities.recordExit({ pathwayId: exitPathway, participantId: r1, exit: { type: 'ADMINISTRATIVE', reason: 'Déménagement', kind: null, criterion: null, cdi: false, date: day(-190), proofsMissing: false } });
    // A hire under the marché's clause, as src/procurement/hire.ts writes it.
    const hired = await db.clauseContract.create({ data: { procurementId: marche.id, personId: `E-${run}`, participantId: r1, type: 'CDDI', start: toDbDate(day(-20)), hoursDone: 42 } });

    const workflowIds = {
      step: uuidFromKey(`${pathwayId}/step/1`),
      contract: uuidFromKey(contractId),
      barrier: uuidFromKey(`${pathwayId}/fact/3`),
      exit: uuidFromKey(`${exitPathway}/exit`),
    };
    const before = await factsOf([r1, r2]);
    expect(before.steps.map((s) => s.id)).toContain(workflowIds.step);
    expect(before.contracts.find((c) => c.employer === 'Boulangerie du Port')).toMatchObject({ hoursPaid: 151.5, paidHours: [expect.objectContaining({ hours: 151.5 })] });
    expect(before.barriers.find((b) => b.category === 'MOBILITE')?.closedOn).toEqual(toDbDate(day(-7)));

    // The same files again: nothing changes, neither the workflow's rows nor the import's own ones
    // (the hours paid on the imported contract and the barrier lifted since stay).
    const again = await importHistory(db, first, { plieCode: PLIE, actor: 'test' });
    expect(again.errors).toEqual([]);
    expect(await factsOf([r1, r2])).toEqual(before);

    // The running pathway ends its contract afterwards: the row is still there to update.
    await fact('5', { kind: 'contractEnded', contractId, end: day(-1), reason: 'Fin de mission anticipée', early: true });
    const ended = await db.workContract.findUniqueOrThrow({ where: { id: workflowIds.contract } });
    expect(ended).toMatchObject({ end: toDbDate(day(-1)), endReason: 'Fin de mission anticipée', employer: `Jardins ${run}` });
    const live = await factsOf([r1, r2]);
    const workflowRows = (facts: typeof live) => ({
      step: facts.steps.find((s) => s.id === workflowIds.step),
      contract: facts.contracts.find((c) => c.id === workflowIds.contract),
      barrier: facts.barriers.find((b) => b.id === workflowIds.barrier),
      exit: facts.exits.find((e) => e.id === workflowIds.exit),
      hire: facts.clauses.find((c) => c.id === hired.id),
    });
    const theirs = workflowRows(live);
    expect(Object.values(theirs).every(Boolean)).toBe(true);

    // Changed files: R1's step and barriers, R2's contract, R2's exit gone, the clause's hours.
    const changed = writeHistory('changed', {
      r1Barriers: 'SANTE',
      r1Step: `R1;FORMATION;${fr(-165)};${fr(-120)};REALISEE`,
      r2Contract: `R2;INTERIM;Intérim Azur ${run};logistique;${fr(-250)};${fr(-240)};35;non;non;oui`,
      r2Exit: [],
      clauseHours: 135,
    });
    expect((await importHistory(db, changed, { plieCode: PLIE, actor: 'test' })).errors).toEqual([]);
    const after = await factsOf([r1, r2]);
    // The workflow's and the hire's rows, exactly as they were.
    expect(workflowRows(after)).toEqual(theirs);
    // The import's rows, as the new files say.
    const notTheirs = <T extends { id: string }>(rows: T[]) => rows.filter((r) => !Object.values(workflowIds).includes(r.id) && r.id !== hired.id);
    expect(notTheirs(after.steps).filter((s) => s.participantId === r1).map((s) => [s.type, s.start])).toEqual([['FORMATION', toDbDate(day(-165))]]);
    expect(notTheirs(after.barriers).filter((b) => b.participantId === r1).map((b) => b.category)).toEqual(['SANTE']);
    expect(notTheirs(after.contracts).map((c) => c.employer).sort()).toEqual(['Boulangerie du Port', `Intérim Azur ${run}`]);
    expect(after.exits.filter((e) => e.participantId === r2)).toEqual([]);
    expect(notTheirs(after.clauses).map((c) => [c.personId, c.hoursDone])).toEqual([[`C-${run}`, 135]]);
    // An imported row the new files still hold is kept as it stands, with the hours paid on it.
    const kept = (facts: typeof live) => facts.contracts.find((c) => c.employer === 'Boulangerie du Port');
    expect(kept(after)).toEqual(kept(live));
    // Marked as whose they are.
    expect(new Set(notTheirs([...after.barriers, ...after.steps, ...after.contracts, ...after.clauses]).map((r) => r.source))).toEqual(new Set(['IMPORT']));
    expect(Object.values(theirs).map((r) => r?.source)).toEqual(['LIVE', 'LIVE', 'LIVE', 'LIVE', 'LIVE']);
  });
});
