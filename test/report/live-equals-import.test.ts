/**
 * The bilan counts a pathway lived in the system exactly as the same pathway imported. A small
 * population is lived through the real channels — referrals in Slack and through the HTTP API, the
 * diagnostic, steps, a training, contracts, a barrier lifted and exits, through Bolt's HTTP receiver
 * (real signature checks) and the API, on the Temporal dev server — in one PLIE; the same
 * population is written as the import's CSV files and imported into a second PLIE. The two JSON
 * reports are the same, figure for figure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDate } from '../../src/domain/dates.ts';
import { CASA_CONFIG, type PlieConfig } from '../../src/domain/plie-config.ts';
import { importHistory } from '../../src/import/import-history.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { queryReport } from '../../src/report/report-queries.ts';
import { found } from '../helpers/found.ts';
import { input } from '../helpers/slack-requests.ts';
import { startSlackWebStack, type SlackWebStack } from '../helpers/slack-web-stack.ts';

const TOKEN = 'jeton-api-bilan';
const run = randomBytes(3).toString('hex').toUpperCase();
const LIVE = `VIF${run}`;
const IMPORTED = `IMP${run}`;
const coordinator = { id: `UCOORD${run}`, email: `coord-${run}@plie.test`.toLowerCase(), name: 'Claire Coordination', roles: ['COORDINATEUR'] };
const referent = { id: `UREF${run}`, email: `ref-${run}@plie.test`.toLowerCase(), name: 'Alice Référente', roles: ['REFERENT'] };
/** Two PLIEs with the same rules: only their records differ in how they came. */
const liveConfig: PlieConfig = { ...CASA_CONFIG, code: LIVE };
const workDir = mkdtempSync(path.join(os.tmpdir(), 'plie-bilan-vif-'));

type Day = string; // JJ/MM/AAAA, as staff type it and the import reads it

interface Person {
  id: string;
  referredIn: 'slack' | 'api';
  identity: { lastName: string; firstName: string; birthDate: Day; email?: string };
  situation: { sex: 'F' | 'M'; commune: string; postalCode: string; qualificationLevel: number; minimumIncome: string; qpv: boolean; prescriber: string; orientationDate: Day };
  diagnostic?: { entryDate: Day; barriers: string[]; sectorWishes: string[] };
  steps?: Array<{ type: string; planned: Day; done: Day }>;
  trainings?: Array<{ start: Day; end: Day }>;
  barriersLifted?: Array<{ category: string; date: Day }>;
  contracts?: Array<{ via: 'slack' | 'api'; type: string; start: Day; end: Day | null; weeklyHours: number; employer: string; iaeStructure: string | null; marketSector: boolean }>;
  exit?: { type: 'ABANDON'; date: Day; reason: string } | { type: 'POSITIVE'; date: Day; kind: 'EMPLOI'; cdi: boolean; proofs: boolean };
}

/** The population, once: lived in one PLIE, imported in the other. Names carry the run, so reruns never collide. */
const POPULATION: Person[] = [
  {
    id: 'P1',
    referredIn: 'slack',
    identity: { lastName: `Traore${run}`, firstName: 'Awa', birthDate: '02/05/1979' },
    situation: { sex: 'F', commune: 'Antibes', postalCode: '06600', qualificationLevel: 3, minimumIncome: 'RSA', qpv: true, prescriber: 'FRANCE_TRAVAIL', orientationDate: '03/02/2025' },
    diagnostic: { entryDate: '17/02/2025', barriers: ['MOBILITE', 'GARDE_ENFANTS'], sectorWishes: ['aide à domicile', 'nettoyage de locaux'] },
    steps: [{ type: 'RECHERCHE_EMPLOI', planned: '03/03/2025', done: '28/03/2025' }],
    barriersLifted: [{ category: 'MOBILITE', date: '02/06/2025' }],
    contracts: [{ via: 'slack', type: 'CDDI', start: '01/04/2025', end: '30/09/2025', weeklyHours: 26, employer: 'Jardins du Loup', iaeStructure: 'ACI', marketSector: false }],
  },
  {
    id: 'P2',
    referredIn: 'api',
    identity: { lastName: `Mansouri${run}`, firstName: 'Karim', birthDate: '15/09/1968', email: 'k.mansouri@example.org' },
    situation: { sex: 'M', commune: 'Vallauris', postalCode: '06220', qualificationLevel: 5, minimumIncome: 'AUCUN', qpv: false, prescriber: 'CD06', orientationDate: '10/03/2025' },
    diagnostic: { entryDate: '24/03/2025', barriers: ['SANTE'], sectorWishes: ['BTP'] },
    trainings: [{ start: '05/05/2025', end: '30/06/2025' }],
    contracts: [{ via: 'api', type: 'CDI', start: '01/07/2025', end: null, weeklyHours: 35, employer: 'Provence Travaux', iaeStructure: null, marketSector: true }],
    // The CDI followed six months; its proof was asked for and never came.
    exit: { type: 'POSITIVE', date: '05/01/2026', kind: 'EMPLOI', cdi: true, proofs: false },
  },
  {
    id: 'P3',
    referredIn: 'slack',
    identity: { lastName: `Morel${run}`, firstName: 'Léa', birthDate: '12/12/1994' },
    situation: { sex: 'F', commune: 'Antibes', postalCode: '06600', qualificationLevel: 4, minimumIncome: 'ASS', qpv: false, prescriber: 'MISSION_LOCALE', orientationDate: '05/05/2025' },
    diagnostic: { entryDate: '19/05/2025', barriers: [], sectorWishes: ['aide à domicile'] },
    steps: [{ type: 'ATELIER', planned: '02/06/2025', done: '02/06/2025' }],
    exit: { type: 'ABANDON', date: '15/09/2025', reason: 'Ne donne plus de nouvelles' },
  },
  {
    id: 'P4',
    referredIn: 'api',
    identity: { lastName: `Haddad${run}`, firstName: 'Omar', birthDate: '30/01/1990' },
    situation: { sex: 'M', commune: 'Biot', postalCode: '06410', qualificationLevel: 2, minimumIncome: 'RSA', qpv: false, prescriber: 'SPONTANE', orientationDate: '01/09/2025' },
  },
];

const iso = (day: Day) => day.split('/').reverse().join('-');
const yesNo = (b: boolean) => (b ? 'oui' : 'non');

let served: SlackWebStack;

beforeAll(async () => {
  served = await startSlackWebStack({ plieConfig: liveConfig, coordinator, staff: [referent], signingSecret: 'secret-de-signature-bilan', apiToken: TOKEN, name: 'bilan-vif' });
  await registerPlie(served.db, { ...liveConfig, code: IMPORTED, name: 'PLIE importé' });
});

afterAll(async () => {
  await served?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function call(method: string, url: string, body?: unknown) {
  const response = await fetch(`${served.web.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  if (response.status >= 300) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** The modal of this callback opened by `act`: its private metadata. */
async function modalOpenedBy(callbackId: string, act: () => Promise<unknown>) {
  const before = served.api.views.length;
  await act();
  const view = await found(() => served.api.views.slice(before).find((v) => (v.args.view as { callback_id?: string }).callback_id === callbackId));
  return view.args.view as { private_metadata: string };
}

async function referInSlack(p: Person): Promise<string> {
  const s = p.situation;
  const modal = await modalOpenedBy('referral_check', () => served.slack.command(referent.id, 'C0EQUIPE', 'orienter'));
  const checked = await served.slack.submit(referent.id, 'referral_check', modal.private_metadata, {
    lastName: input.text(p.identity.lastName),
    firstName: input.text(p.identity.firstName),
    birthDate: input.date(iso(p.identity.birthDate)),
    sex: input.select(s.sex),
    commune: input.text(s.commune),
    postalCode: input.text(s.postalCode),
    orientationDate: input.date(iso(s.orientationDate)),
    prescriber: input.select(s.prescriber),
    minimumIncome: input.select(s.minimumIncome),
    qualificationLevel: input.select(String(s.qualificationLevel)),
    qpv: input.select(yesNo(s.qpv)),
  });
  const update = JSON.parse(checked.body) as { view: { private_metadata: string } };
  await served.slack.submit(referent.id, 'referral_submit', update.view.private_metadata, {});
  const participant = await found(async () => (await served.db.participant.findFirst({ where: { lastName: p.identity.lastName } })) ?? undefined);
  return participant.id;
}

async function referThroughApi(p: Person): Promise<string> {
  const created = await call('POST', '/api/participants', { ...p.identity, ...p.situation });
  return created.body.participantId as string;
}

/** Opens the Slack menu's action form for this participant and submits it. */
async function actInSlack(actionType: string, participantId: string, values: Record<string, Record<string, unknown>>) {
  const modal = await modalOpenedBy('pathway_action', () => served.slack.click(referent.id, 'participant_action', `${actionType}|${participantId}`, { menu: true }));
  await served.slack.submit(referent.id, 'pathway_action', modal.private_metadata, values);
}

async function live(p: Person): Promise<void> {
  const id = p.referredIn === 'slack' ? await referInSlack(p) : await referThroughApi(p);
  const openTask = (kind: string) =>
    found(async () => ((await call('GET', `/api/participants/${id}/parcours`)).body.openTasks as Array<{ id: string; kind: string }>).find((t) => t.kind === kind)?.id);
  const answer = async (kind: string, value: unknown, actor: string) => call('POST', `/api/participants/${id}/reponses`, { taskId: await openTask(kind), answer: value, actor });
  const act = (action: unknown) => call('POST', `/api/participants/${id}/actions`, { action, actor: referent.email });
  const stage = (expected: string) => found(async () => ((await call('GET', `/api/participants/${id}/parcours`)).body.stage === expected ? true : undefined));
  if (!p.diagnostic) return;

  await answer('assign_referent', { referentEmail: referent.email }, coordinator.email);
  await answer('diagnostic_decision', { decision: 'integrate', ...p.diagnostic }, referent.email);
  await stage('active');
  for (const step of p.steps ?? []) {
    await act({ type: 'stepPlanned', stepType: step.type, date: step.planned });
    await act({ type: 'stepDone', stepType: step.type, date: step.done });
  }
  for (const t of p.trainings ?? []) await act({ type: 'trainingStarted', start: t.start, end: t.end, rncp: false });
  for (const lifted of p.barriersLifted ?? []) await actInSlack('barrierLifted', id, { category: input.select(lifted.category), date: input.date(iso(lifted.date)) });
  for (const c of p.contracts ?? []) {
    if (c.via === 'api') {
      await act({ type: 'contractSigned', contract: { type: c.type, start: c.start, end: c.end, weeklyHours: c.weeklyHours, employer: c.employer, marketSector: c.marketSector, ...(c.iaeStructure ? { iaeStructure: c.iaeStructure } : {}) } });
    } else {
      await actInSlack('contractSigned', id, {
        type: input.select(c.type),
        start: input.date(iso(c.start)),
        ...(c.end ? { end: input.date(iso(c.end)) } : {}),
        weeklyHours: input.text(String(c.weeklyHours)),
        employer: input.text(c.employer),
        iaeStructure: input.select(c.iaeStructure ?? 'AUCUNE'),
        aided: input.select('non'),
        marketSector: input.select(yesNo(c.marketSector)),
      });
    }
  }
  // Every fact of the channels is written before the exit closes the pathway.
  await found(async () => ((await served.db.workContract.count({ where: { participantId: id } })) === (p.contracts ?? []).length ? true : undefined));
  await found(async () => ((await served.db.barrier.count({ where: { participantId: id, closedOn: { not: null } } })) === (p.barriersLifted ?? []).length ? true : undefined));

  const exit = p.exit;
  if (exit?.type === 'ABANDON') {
    await actInSlack('exitProposed', id, { exitType: input.select('ABANDON'), reason: input.text(exit.reason) });
    await answer('confirm_exit', { confirm: true, date: exit.date }, coordinator.email);
  } else if (exit?.type === 'POSITIVE') {
    // The CDI's six months of follow-up are over: the exit is proposed to the referent at once.
    await answer('confirm_exit', { confirm: true, date: exit.date }, referent.email);
  }
  if (exit) await stage('exited');
}

/** The same population as the import's files (the columns of the samples, and the optional ones the live record adds). */
function writeImportFiles(dir: string): void {
  const csv = (file: string, header: string[], rows: string[][]) => writeFileSync(path.join(dir, file), [header, ...rows].map((r) => r.join(';')).join('\n') + '\n');
  csv(
    'participants.csv',
    ['id', 'nom', 'prenom', 'sexe', 'date_naissance', 'commune', 'code_postal', 'email', 'niveau_qualification', 'minima_sociaux', 'deld', 'qpv', 'rqth', 'prescripteur', 'date_orientation', 'referent', 'date_integration', 'freins', 'souhaits_secteurs', 'freins_leves'],
    POPULATION.map((p) => [
      p.id,
      p.identity.lastName,
      p.identity.firstName,
      p.situation.sex,
      p.identity.birthDate,
      p.situation.commune,
      p.situation.postalCode,
      p.identity.email ?? '',
      String(p.situation.qualificationLevel),
      p.situation.minimumIncome,
      'non',
      yesNo(p.situation.qpv),
      'non',
      p.situation.prescriber,
      p.situation.orientationDate,
      p.diagnostic ? referent.name : '',
      p.diagnostic?.entryDate ?? '',
      (p.diagnostic?.barriers ?? []).join('|'),
      (p.diagnostic?.sectorWishes ?? []).join('|'),
      (p.barriersLifted ?? []).map((b) => `${b.category}:${b.date}`).join('|'),
    ]),
  );
  csv(
    'etapes.csv',
    ['participant_id', 'type', 'date_debut', 'date_fin', 'statut'],
    POPULATION.flatMap((p) => [
      ...(p.steps ?? []).map((s) => [p.id, s.type, s.planned, s.done, 'REALISEE']),
      ...(p.trainings ?? []).map((t) => [p.id, 'FORMATION', t.start, t.end, 'EN_COURS']),
    ]),
  );
  csv(
    'contrats.csv',
    ['participant_id', 'type_contrat', 'employeur', 'secteur', 'date_debut', 'date_fin', 'heures_hebdo', 'iae', 'aide', 'secteur_marchand', 'structure_iae'],
    POPULATION.flatMap((p) =>
      (p.contracts ?? []).map((c) => [p.id, c.type, c.employer, '', c.start, c.end ?? '', String(c.weeklyHours), yesNo(c.iaeStructure !== null), 'non', yesNo(c.marketSector), c.iaeStructure ?? '']),
    ),
  );
  csv(
    'sorties.csv',
    ['participant_id', 'date_sortie', 'type_sortie', 'nature', 'cdi', 'justificatifs', 'motif'],
    POPULATION.flatMap((p) => {
      const e = p.exit;
      if (!e) return [];
      return [e.type === 'POSITIVE' ? [p.id, e.date, e.type, e.kind, yesNo(e.cdi), yesNo(e.proofs), ''] : [p.id, e.date, e.type, '', 'non', 'non', e.reason]];
    }),
  );
}

describe('the bilan of live pathways', () => {
  it('is the bilan of the same pathways imported, figure for figure', async () => {
    for (const person of POPULATION) await live(person);

    writeImportFiles(workDir);
    const imported = await importHistory(served.db, workDir, { plieCode: IMPORTED, actor: 'test' });
    expect(imported.errors).toEqual([]);

    const period = { from: '2025-01-01', to: parisDate(new Date()) };
    const liveReport = await queryReport(served.db, LIVE, liveConfig, period);
    const importedReport = await queryReport(served.db, IMPORTED, liveConfig, period);
    // Not two empty reports: the population is there, in every part of the bilan it touches.
    expect(liveReport).toMatchObject({
      public: { integrated: 3 },
      referrals: { total: 4 },
      steps: { total: 3 },
      contracts: { total: 1, iaeTotal: 1 },
      exits: { total: 2, positive: 1, positiveWithoutProofs: 1 },
    });
    expect(Object.keys(liveReport.barriers.byCategoryShare).sort()).toEqual(['GARDE_ENFANTS', 'MOBILITE', 'SANTE']);
    expect(liveReport).toEqual(importedReport);
  });
});
