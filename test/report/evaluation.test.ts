import { describe, expect, it } from 'vitest';
import { computeReport, type ReportParticipant, type ReportRecords } from '../../src/report/evaluation.ts';
import { renderHtml, renderMarkdown } from '../../src/report/render.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const person = (id: string, over: Partial<ReportParticipant>): ReportParticipant => ({
  id,
  sex: 'F',
  birthDate: '1980-01-01',
  commune: 'Antibes',
  qualificationLevel: 3,
  minimumIncome: 'RSA',
  qpv: false,
  prescriber: 'CD06',
  orientationDate: '2020-01-10',
  integrationDate: '2020-02-01',
  barriers: [],
  sectorWishes: [],
  ...over,
});
const empty: ReportRecords = { participants: [], steps: [], contracts: [], exits: [], clauses: [] };
const period = { from: '2020-01-01', to: '2020-12-31' };

/**
 * The report's JSON keys are a contract with whoever reads it (spreadsheets, the comité's tools):
 * keys may be added, never renamed or removed. Every key path published so far, to the leaves.
 */
const PUBLISHED_KEYS = [
  'period.from', 'period.to',
  'public.integrated', 'public.womenShare', 'public.lowQualificationShare', 'public.rsaShare', 'public.age26to44Share', 'public.age45plusShare', 'public.qpvShare', 'public.byCommune',
  'referrals.total', 'referrals.byPrescriber', 'referrals.spontaneousShare',
  'steps.total', 'steps.perPerson', 'steps.byType',
  'durations.meanMonths', 'durations.meanMonthsPositive',
  'contracts.total', 'contracts.persons', 'contracts.iaeTotal', 'contracts.iaePersons',
  'barriers.byCategoryShare',
  'sectorWishes',
  'exits.total', 'exits.positive', 'exits.positiveShare', 'exits.byType', 'exits.byKind.EMPLOI', 'exits.byKind.CREATION', 'exits.byKind.FORMATION', 'exits.cdiAmongEmployment', 'exits.positiveWithoutProofs',
  'clauses.marches', 'clauses.hours', 'clauses.contracts', 'clauses.persons', 'clauses.btpShare', 'clauses.byBuyer', 'clauses.bySector',
  'relation.misesEnRelation', 'relation.hires', 'relation.collectiveActions',
  'objectives.accompanied', 'objectives.accompaniedRsa', 'objectives.positiveExitShare', 'objectives.withContractShare',
  'objectives.targets.accompanied', 'objectives.targets.accompaniedRsa', 'objectives.targets.positiveExitShare', 'objectives.targets.withContractShare',
  // Article 7's further figures (added later, contract from then on).
  'durations.meanMonthsAccompanied', 'contracts.brokenDuringTrial', 'barriers.foundAtEntry', 'barriers.liftedInPeriod', 'barriers.liftedByCategory',
  'equalAccess.oriented', 'equalAccess.integrated', 'equalAccess.integrationRateWomen', 'equalAccess.integrationRateMen', 'pace',
  'clauses.marchesFollowed', 'clauses.hoursValidatedInPeriod', 'exits.positiveDeclared',
  'objectives.protocol', 'objectives.periodShareOfProtocol', 'objectives.proratedTargets',
];

describe('evaluation report (definitions)', () => {
  it('keeps every key it has published (new ones may come, none goes)', () => {
    const report = computeReport(CASA_CONFIG, empty, period) as unknown as Record<string, unknown>;
    const at = (path: string) => path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && key in node ? (node as Record<string, unknown>)[key] : undefined), report);
    expect(PUBLISHED_KEYS.filter((path) => at(path) === undefined)).toEqual([]);
  });

  it('gives every key of the contract, zeros included, for an empty period', () => {
    const report = computeReport(CASA_CONFIG, empty, period);
    expect(Object.keys(report)).toEqual(['period', 'public', 'referrals', 'steps', 'durations', 'contracts', 'barriers', 'equalAccess', 'pace', 'sectorWishes', 'exits', 'clauses', 'relation', 'objectives']);
    expect(report.exits.byKind).toEqual({ EMPLOI: 0, CREATION: 0, FORMATION: 0 });
    expect(report.public.womenShare).toBe(0);
    expect(report.objectives.targets).toEqual({ accompanied: 750, accompaniedRsa: 480, positiveExitShare: 0.5, withContractShare: 0.4 });
  });

  it('article 7’s further figures: equal access, barriers lifted, trial-period breaks, pace, durations of all pathways, prorated targets', () => {
    const records: ReportRecords = {
      ...empty,
      participants: [
        person('a', { sex: 'F', orientationDate: '2020-01-10', integrationDate: '2020-02-01', barriers: ['MOBILITE', 'SANTE'], liftedBarriers: [{ category: 'MOBILITE', on: '2020-06-01' }] }),
        person('b', { sex: 'F', orientationDate: '2020-03-01', integrationDate: null }),
        person('c', { sex: 'M', orientationDate: '2020-04-01', integrationDate: '2020-04-15', barriers: ['LOGEMENT'], liftedBarriers: [{ category: 'LOGEMENT', on: '2021-02-01' }] }),
      ],
      steps: [
        { participantId: 'a', type: 'ATELIER', start: '2020-03-02' },
        { participantId: 'c', type: 'ATELIER', start: '2020-03-20' },
      ],
      contracts: [
        { participantId: 'a', start: '2020-05-04', iae: false, endReason: 'periode_essai' },
        { participantId: 'c', start: '2020-06-01', iae: false, endReason: null },
      ],
      exits: [{ participantId: 'a', date: '2020-08-01', type: 'ABANDON', positiveKind: null, cdi: false, proofsComplete: false }],
    };
    const report = computeReport(CASA_CONFIG, records, period);
    expect(report.equalAccess).toEqual({ oriented: { F: 2, M: 1 }, integrated: { F: 1, M: 1 }, integrationRateWomen: 0.5, integrationRateMen: 1 });
    // Lifted in the period only: LOGEMENT, in 2021, is not.
    expect(report.barriers).toMatchObject({ foundAtEntry: 3, liftedInPeriod: 1, liftedByCategory: { MOBILITE: 1 } });
    expect(report.contracts.brokenDuringTrial).toBe(1);
    expect(report.pace).toEqual([
      { month: '2020-03', steps: 2, contracts: 0, exits: 0 },
      { month: '2020-05', steps: 0, contracts: 1, exits: 0 },
      { month: '2020-06', steps: 0, contracts: 1, exits: 0 },
      { month: '2020-08', steps: 0, contracts: 0, exits: 1 },
    ]);
    // a: 01/02 → 01/08 (182 days); c: 15/04 → 31/12 (260 days).
    expect(report.durations.meanMonthsAccompanied).toBeCloseTo((182 + 260) / 2 / 30.4375, 10);
    // 2020 is outside the CASA protocol (2021–2023): nothing of its targets falls in it.
    expect(report.objectives).toMatchObject({ protocol: { from: '2021-01-01', to: '2023-12-31' }, periodShareOfProtocol: 0, proratedTargets: { accompanied: 0, accompaniedRsa: 0 } });
    const year2022 = computeReport(CASA_CONFIG, empty, { from: '2022-01-01', to: '2022-12-31' }).objectives;
    // 365 of the protocol's 1 095 days: a third of 750 and 480.
    expect(year2022).toMatchObject({ periodShareOfProtocol: 365 / 1095, proratedTargets: { accompanied: 250, accompaniedRsa: 160 } });
    expect(computeReport({ ...CASA_CONFIG, protocol: undefined }, empty, period).objectives).toMatchObject({ protocol: null, periodShareOfProtocol: null, proratedTargets: null });
    // Said in the bilan for people, and drawn.
    const md = renderMarkdown(computeReport(CASA_CONFIG, records, { from: '2020-01-01', to: '2020-12-31' }));
    expect(md).toContain('Orientés : 2 femmes et 1 hommes ; intégrés : 1 femmes et 1 hommes.');
    expect(md).toContain('3 freins repérés à l’entrée des personnes intégrées sur la période ; 1 levés pendant la période.');
    expect(md).toContain('1 contrat(s) rompu(s) pendant la période d’essai.');
    expect(md).toContain('- 2020-03 : 2 étape(s), 0 contrat(s), 0 sortie(s)');
    expect(md).toContain('- ateliers : 2');
    expect(renderHtml(computeReport(CASA_CONFIG, records, period))).toContain('<h2>Le rythme des actions</h2>');
  });

  it('clauses: marchés followed in the period whatever their contracts’ start, and the hours validated month by month in it', () => {
    const records: ReportRecords = {
      ...empty,
      clauses: [{ procurementId: 'm1', procurementSector: 'BTP', buyer: 'CASA', personId: 'p1', start: '2019-06-01', hoursDone: 400 }],
      procurements: [
        { id: 'm1', start: '2019-01-01', end: null }, // runs through: followed, no contract started in 2020
        { id: 'm2', start: '2019-01-01', end: '2020-01-01' }, // its last day is the period's first
        { id: 'm3', start: '2020-12-31', end: '2021-06-30' }, // its first day is the period's last
        { id: 'm4', start: '2019-01-01', end: '2019-12-31' }, // over the day before
        { id: 'm5', start: '2021-01-01', end: null }, // starts the day after
      ],
      validatedHours: [
        { procurementId: 'm1', month: '2019-12', hours: 35 },
        { procurementId: 'm1', month: '2020-01', hours: 70 },
        { procurementId: 'm1', month: '2020-12', hours: 52.5 },
        { procurementId: 'm1', month: '2021-01', hours: 20 },
      ],
    };
    expect(computeReport(CASA_CONFIG, records, period).clauses).toMatchObject({ marches: 0, hours: 0, marchesFollowed: 3, hoursValidatedInPeriod: 122.5 });
    // A period cut mid-month takes the whole month's hours: monthly hours have no day.
    expect(computeReport(CASA_CONFIG, records, { from: '2020-12-15', to: '2021-01-10' }).clauses.hoursValidatedInPeriod).toBe(72.5);
    expect(computeReport(CASA_CONFIG, empty, period).clauses).toMatchObject({ marchesFollowed: 0, hoursValidatedInPeriod: 0 });
    expect(renderMarkdown(computeReport(CASA_CONFIG, records, period))).toContain('3 marchés suivis sur la période (en cours pendant au moins un jour) ; 122,5 heures travaillées sur la période, validées mois par mois.');
  });

  it('counts the period’s bounds in, and people by their official commune', () => {
    const report = computeReport(
      CASA_CONFIG,
      {
        ...empty,
        participants: [
          person('a', { integrationDate: '2020-01-01', commune: 'Juan-les-Pins' }),
          person('b', { integrationDate: '2020-12-31', commune: 'ANTIBES' }),
          person('c', { integrationDate: '2021-01-01' }),
          person('d', { integrationDate: '2019-12-31' }),
        ],
      },
      period,
    );
    expect(report.public.integrated).toBe(2);
    expect(report.public.byCommune).toEqual({ Antibes: 2 });
  });

  it('follows people accompanied over the period: integrated by its end, not exited before its start', () => {
    const records: ReportRecords = {
      ...empty,
      participants: [person('a', { integrationDate: '2018-05-01' }), person('b', { integrationDate: '2018-05-01' }), person('c', { integrationDate: '2021-02-01' })],
      exits: [
        { participantId: 'a', date: '2019-12-31', type: 'ABANDON', positiveKind: null, cdi: false, proofsComplete: false },
        { participantId: 'b', date: '2020-01-01', type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, proofsComplete: false, declared: true },
      ],
      contracts: [{ participantId: 'b', start: '2020-03-01', iae: true }],
    };
    const report = computeReport(CASA_CONFIG, records, period);
    expect(report.objectives).toMatchObject({ accompanied: 1, accompaniedRsa: 1, positiveExitShare: 1, withContractShare: 1 });
    // Declared by the referent without proofs: positive, among those without proofs, counted apart too.
    expect(report.exits).toMatchObject({ total: 1, positive: 1, cdiAmongEmployment: 1, positiveWithoutProofs: 1, positiveDeclared: 1 });
    expect(renderMarkdown(report)).toContain('1 sorties positives n’ont pas encore leurs justificatifs (100 %), dont 1 déclarées par la personne sans justificatif.');
    expect(report.contracts).toEqual({ total: 0, persons: 0, iaeTotal: 1, iaePersons: 1, brokenDuringTrial: 0 });
    expect(report.durations.meanMonths).toBeCloseTo(20, 0);
  });

  it('writes the bilan in French, with charts in HTML', () => {
    const report = computeReport(CASA_CONFIG, { ...empty, participants: [person('a', {}), person('b', { sex: 'M', prescriber: 'SPONTANE' })] }, period);
    const md = renderMarkdown(report);
    expect(md).toContain('le PLIE a intégré 2 personnes');
    expect(md).toContain('- 50 % de femmes ;');
    expect(md).toContain('- candidatures spontanées : 1 (50 %)');
    expect(renderHtml(report)).toMatch(/<svg role="img".*Conseil Départemental.*<\/svg>/s);
    expect(renderHtml({ ...report, period: { from: '2020-01-01', to: '<script>' } })).not.toContain('<script>');
  });
});

describe('relation entreprise in the report', () => {
  it('counts the offers’ mises en relation and hires, and lists the collective actions of the period with their figures', () => {
    const report = computeReport(
      CASA_CONFIG,
      {
        ...empty,
        placements: [
          { date: '2020-03-02', status: 'PROPOSEE' },
          { date: '2020-04-10', status: 'EMBAUCHE' },
          { date: '2020-04-11', status: 'NON_PROPOSEE' },
          { date: '2020-05-11', status: 'A_PROPOSER' },
          { date: '2021-01-05', status: 'EMBAUCHE' },
        ],
        // The actions the PLIE's activity report describes.
        collectiveActions: [
          { date: '2020-10-06', kind: 'ATELIER_DECOUVERTE', title: 'Les métiers de la collecte des déchets', present: 5, misesEnRelation: 3, hires: 3 },
          { date: '2020-06-16', kind: 'ATELIER_DECOUVERTE', title: 'Les métiers du nautisme', present: 12, misesEnRelation: 2, hires: 0 },
          { date: '2019-12-01', kind: 'VISITE_ENTREPRISE', title: 'Avant la période', present: 4, misesEnRelation: 3, hires: 0 },
        ],
      },
      period,
    );
    expect(report.relation).toMatchObject({ misesEnRelation: 2, hires: 1 });
    expect(report.relation.collectiveActions.map((a) => a.title)).toEqual(['Les métiers du nautisme', 'Les métiers de la collecte des déchets']);
    const md = renderMarkdown(report);
    expect(md).toContain('Offres d’emploi : 2 mise(s) en relation, dont 1 embauche(s).');
    expect(md).toContain('- 16/06/2020, atelier découverte des métiers « Les métiers du nautisme » : 12 participants présents, 2 mises en relation, 0 embauche');
    expect(md).toContain('« Les métiers de la collecte des déchets » : 5 participants présents, 3 mises en relation, 3 embauches');
    expect(renderMarkdown(computeReport(CASA_CONFIG, empty, period))).toContain('Aucune action collective sur la période.');
  });
});
