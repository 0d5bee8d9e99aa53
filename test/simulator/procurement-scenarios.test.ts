/**
 * `plie simulate` with a marché: the example scenario (12 months, a correction, a chaser, the pace
 * slipping at the end) played on the time-skipping server with the real marché workflow.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { ScenarioError } from '../../src/simulator/scenario.ts';
import type { Simulator } from '../../src/simulator/simulate.ts';
import { startTestSimulator } from '../helpers/simulator.ts';

let simulator: Simulator;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ simulator, close } = await startTestSimulator());
});

afterAll(async () => {
  await close?.();
});

type Event = { day: number; type: string; month?: number; hours?: Record<string, number> };
const example = JSON.parse(readFileSync(path.join(projectRoot, 'examples', 'scenarios', 'marche-voirie-12-mois.json'), 'utf8')) as { start: string; until: number; events: Event[] };

describe('simulated marchés (time-skipping)', { timeout: 240_000 }, () => {
  it('plays a 12-month marché: hours asked and validated monthly, a correction, a chaser, pace alerts, then the bilan', async () => {
    const result = await simulator.runProcurement(example);
    expect(result.marche).toMatchObject({ reference: 'VOIRIE-2026-03', start: '2026-01-01', end: '2026-12-31', status: 'CLOS' });
    // Closed by itself once the last month was validated after the end.
    const lastValidation = Math.max(...example.events.filter((e) => e.type === 'hoursValidated').map((e) => e.day));
    expect(result.marche.closedDay).toBe(lastValidation);

    // Each month counts the hours of its last declaration, once validated.
    const declared = new Map<number, Record<string, number>>();
    for (const e of example.events) if (e.type === 'hoursDeclared') declared.set(e.month!, e.hours!);
    expect(result.months.map((m) => m.validatedHours)).toEqual(result.months.map((_, i) => Object.values(declared.get(i + 1)!).reduce((a, b) => a + b, 0)));
    expect(result.months.every((m) => m.status === 'validated')).toBe(true);
    // March: the correction asked the company again; June: the facilitator chased it.
    expect(result.months.map((m) => m.requests)).toEqual([1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1]);
    const june = result.messages.filter((m) => m.template.startsWith('marche.') && m.day >= 181 && m.day < 212).map((m) => [m.template, m.day]);
    expect(june).toEqual([
      ['marche.heures.request', 181],
      ['marche.chase', 181 + CASA_CONFIG.clauses.chaseAfterDays],
      ['marche.heures.chase', 193],
      ['marche.validate', 196],
    ]);

    // Alerts exactly where the validated hours fell under 80 % of the linear pace, with the gap.
    for (const m of result.months) {
      const alert = result.alerts.find((a) => a.month === m.month);
      expect(Boolean(alert)).toBe(m.pace!.behind);
      expect(m.pace!.behind).toBe(m.pace!.realised < 0.8 * m.pace!.expected);
      if (alert) expect(alert.gap).toBe(m.pace!.expected - m.pace!.realised);
      // Alerted the day the month was validated.
      if (alert) expect(alert.day).toBe(example.events.filter((e) => e.type === 'hoursValidated' && e.month === result.months.indexOf(m) + 1).at(-1)!.day);
    }
    expect(result.alerts.length).toBeGreaterThan(0);
    expect(result.messages.filter((m) => m.template === 'marche.pace')).toHaveLength(result.alerts.length);

    const total = result.months.reduce((sum, m) => sum + m.validatedHours, 0);
    expect(result.bilan).toMatchObject({ requiredHours: 1200, realisedHours: total, contracts: 2, persons: 2, contractsByType: { CDD: 1, INTERIM: 1 } });
    expect(result.messages.at(-1)).toMatchObject({ template: 'marche.bilan', to: 'facilitation', day: lastValidation });
    // The third candidate belongs to none of the clause's publics.
    expect(result.errors).toEqual([{ day: 2, type: 'candidateProposed', reason: expect.stringContaining('Ne relève d’aucun des publics') as string }]);
  });

  it('reports refused events and refuses a scenario without exactly one marché', async () => {
    const result = await simulator.runProcurement({
      start: '2026-03-02',
      until: 70,
      events: [
        { day: 0, type: 'marcheRegistered', clauseHours: 300, months: 3 },
        { day: 1, type: 'candidateProposed', person: 'P1', birthDate: '1960-01-01', jobSeekerMonths: 14 },
        { day: 2, type: 'candidateHired', person: 'P1', contract: { type: 'CDD', start: 2, end: 80 } },
        { day: 10, type: 'hoursValidated', month: 1 },
        { day: 32, type: 'hoursDeclared', month: 1, hours: { P9: 20 } },
        { day: 65, type: 'marcheClosed' },
      ],
    });
    expect(result.errors.map((e) => [e.day, e.reason])).toEqual([
      [10, 'Aucune déclaration de 2026-03 n’attend de validation.'],
      [32, 'P9 : aucun contrat de la clause en 2026-03'],
    ]);
    // March's hours asked on April 1st (day 30), April's on May 1st (day 60); an unanswered request
    // prompts the facilitator to chase ten days later; closed by her on day 65, before its end,
    // the marché asks nothing more and sends its bilan.
    expect(result.months[0]).toMatchObject({ month: '2026-03', status: 'requested', requests: 1 });
    expect(result.messages.map((m) => [m.template, m.day])).toEqual([
      ['marche.heures.request', 30],
      ['marche.chase', 40],
      ['marche.heures.request', 60],
      ['marche.bilan', 65],
    ]);
    expect(result.marche).toMatchObject({ status: 'CLOS', closedDay: 65 });
    await expect(simulator.runProcurement({ start: '2026-03-02', until: 5, events: [{ day: 0, type: 'hoursDeclared' }] })).rejects.toThrow(ScenarioError);
  });
});
