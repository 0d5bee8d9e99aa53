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

describe('evaluation report (definitions)', () => {
  it('gives every key of the contract, zeros included, for an empty period', () => {
    const report = computeReport(CASA_CONFIG, empty, period);
    expect(Object.keys(report)).toEqual(['period', 'public', 'referrals', 'steps', 'durations', 'contracts', 'barriers', 'sectorWishes', 'exits', 'clauses', 'objectives']);
    expect(report.exits.byKind).toEqual({ EMPLOI: 0, CREATION: 0, FORMATION: 0 });
    expect(report.public.womenShare).toBe(0);
    expect(report.objectives.targets).toEqual({ accompanied: 750, accompaniedRsa: 480, positiveExitShare: 0.5, withContractShare: 0.4 });
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
        { participantId: 'b', date: '2020-01-01', type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, proofsComplete: false },
      ],
      contracts: [{ participantId: 'b', start: '2020-03-01', iae: true }],
    };
    const report = computeReport(CASA_CONFIG, records, period);
    expect(report.objectives).toMatchObject({ accompanied: 1, accompaniedRsa: 1, positiveExitShare: 1, withContractShare: 1 });
    expect(report.exits).toMatchObject({ total: 1, positive: 1, cdiAmongEmployment: 1, positiveWithoutProofs: 1 });
    expect(report.contracts).toEqual({ total: 0, persons: 0, iaeTotal: 1, iaePersons: 1 });
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
