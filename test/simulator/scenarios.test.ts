/**
 * The protocol's timelines, each played by the simulator on the time-skipping server with the
 * real workflows and activities (the test run's PostgreSQL): months pass in a few seconds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { simulationConfig, type SimulationResult, type Simulator } from '../../src/simulator/simulate.ts';
import { startTestSimulator } from '../helpers/simulator.ts';

let db: Db;
let simulator: Simulator;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, simulator, close } = await startTestSimulator());
});

afterAll(async () => {
  await close?.();
});

const PARTICIPANT = { birthDate: '1979-03-02', commune: 'Vallauris', minimumIncome: 'RSA', qualificationLevel: 3, activeJobSearch: true, selfEmployed: false };
const START = { day: 0, type: 'referral', prescriber: 'CD06' };
const INTEGRATE = { day: 9, type: 'diagnosticDone', decision: 'integrate', barriers: ['MOBILITE'] };
const run = (events: object[], until: number, extra: object = {}) =>
  simulator.run({ start: '2024-01-08', participant: PARTICIPANT, events: [START, ...events], until, ...extra });
const tasksOf = (result: SimulationResult, kind: string) => result.tasks.filter((t) => t.kind === kind);
const emailsOf = (result: SimulationResult, template: string) => result.participantEmails.filter((e) => e.template === template).map((e) => e.day);
const example = (name: string) => JSON.parse(readFileSync(path.join(projectRoot, 'examples', 'scenarios', name), 'utf8')) as unknown;

// A half-time-or-more CDI signed on day 40, starting on day 42 (2024-02-19).
const CDI = { day: 40, type: 'contractSigned', contract: { type: 'CDI', weeklyHours: 35, iae: false, aided: false, marketSector: true, start: 42 } };

// Each scenario walks months of a pathway; on two busy cores that can take a minute or more.
describe('simulated pathways (time-skipping)', { timeout: 240_000 }, () => {
  it('CDI: positive exit six months after the first day, FSE+ questionnaire six months after the exit', async () => {
    const result = await simulator.run(example('cdi-sortie-positive.json'));
    expect(result).toMatchObject({
      stage: 'exited',
      exit: { type: 'POSITIVE', kind: 'EMPLOI', date: '2024-08-19', criterion: 'CDI_OU_CDD_LONG' },
      commission: null,
      errors: [],
    });
    // Referent by rule: straight to the diagnostic, whose task was answered late (day 9, due day 7).
    expect(tasksOf(result, 'assignReferent')).toEqual([]);
    expect(tasksOf(result, 'diagnostic')).toEqual([
      { kind: 'diagnostic', assigneeRole: 'referent', createdDay: 0, dueDay: 7, answeredDay: 9, status: 'done', reminders: 1, escalatedDay: null },
    ]);
    // 2024-08-19 is day 224: the confirmation opens then and is answered on day 230.
    expect(tasksOf(result, 'confirmExit')).toMatchObject([{ assigneeRole: 'referent', createdDay: 224, answeredDay: 230, status: 'done' }]);
    // Monthly checks from the first month of the contract; the first answered, the others chased.
    const checks = tasksOf(result, 'followUpCheck');
    expect(checks.map((t) => t.createdDay)).toEqual([71, 102, 132, 163, 193]);
    expect(checks[0]).toMatchObject({ answeredDay: 75, reminders: 0, escalatedDay: null });
    // 2025-02-19 (six months after the exit) is day 408.
    expect(tasksOf(result, 'fseQuestionnaire')).toMatchObject([{ assigneeRole: 'participant', createdDay: 408, dueDay: 422, status: 'open', reminders: 0 }]);
    expect(emailsOf(result, 'convocation')).toEqual([0]);
    expect(emailsOf(result, 'entree')).toEqual([9]);
    expect(emailsOf(result, 'fse_questionnaire')).toEqual([408]);
  });

  it('a CDI from a 31st: one check a month counted from its first day (28/02, 31/03, 30/04…), none on the exit’s day', async () => {
    // Started 2027-01-02: day 29 is 2027-01-31, the contract's first day.
    const result = await simulator.run(example('cdi-fin-de-mois.json'));
    expect(result.errors).toEqual([]);
    const checks = tasksOf(result, 'followUpCheck');
    // 2027-02-28, 03-31, 04-30, 05-31, 06-30 (chained from each other: 02-28, 03-28, 04-28… and a sixth on 07-28).
    expect(checks.map((t) => t.createdDay)).toEqual([57, 88, 118, 149, 179]);
    // The exit is due 2027-07-31 (day 210); refused on day 212, the follow-up goes on to its next
    // monthly date, 2027-08-31 (day 241), where the exit is proposed again instead of a check.
    expect(tasksOf(result, 'confirmExit').map((t) => [t.createdDay, t.answeredDay])).toEqual([
      [210, 212],
      [241, 243],
    ]);
    expect(result).toMatchObject({ stage: 'exited', exit: { type: 'POSITIVE', date: '2027-08-31', criterion: 'CDI_OU_CDD_LONG' } });
    // Six months after 2027-08-31 is 2028-02-29 (day 423), a leap day.
    expect(tasksOf(result, 'fseQuestionnaire')).toMatchObject([{ createdDay: 423 }]);
    // Unanswered checks are reminded every 7 days from their opening, whatever the month's length.
    expect(checks.slice(1).map((t) => t.reminders)).toEqual([1, 1, 1, 1]);
  });

  it('appointments: the first is the convocation, each is reminded two days before unless it comes too soon', async () => {
    const result = await run(
      [
        { day: 2, type: 'appointmentScheduled', date: 9, time: '14:00' },
        INTEGRATE,
        { day: 20, type: 'appointmentScheduled', date: 21, time: '09:30' },
        { day: 22, type: 'appointmentScheduled', date: 30, time: '10:00' },
      ],
      40,
    );
    expect(result.errors).toEqual([]);
    expect(emailsOf(result, 'rendez_vous')).toEqual([2, 20, 22]);
    // Day 9's appointment is reminded on day 7; day 21's comes too soon; day 30's on day 28.
    expect(emailsOf(result, 'rendez_vous.rappel')).toEqual([7, 28]);
    const appointments = await db.appointment.findMany({ where: { pathwayId: result.workflowId, status: 'PREVU' }, orderBy: { at: 'asc' } });
    expect(appointments.map((a) => [a.kind, a.at.toISOString()])).toEqual([
      // 2024-01-17 14:00 in Paris (winter time, UTC+1).
      ['PREMIER_ENTRETIEN', '2024-01-17T13:00:00.000Z'],
      ['ENTRETIEN', '2024-01-29T08:30:00.000Z'],
      ['ENTRETIEN', '2024-02-07T09:00:00.000Z'],
    ]);
  });

  it('during the follow-up, the participant gets a monthly word as the referent gets the monthly check', async () => {
    const result = await run([INTEGRATE, CDI], 140);
    const checks = tasksOf(result, 'followUpCheck').map((t) => t.createdDay);
    expect(checks.length).toBeGreaterThan(0);
    expect(emailsOf(result, 'suivi_mensuel')).toEqual(checks);
  });

  it('proofs never sent: the exit is positive and flagged, and chasing stops after three reminders', async () => {
    const result = await simulator.run(example('cdi-sortie-positive.json'));
    expect(result.exit).toMatchObject({ type: 'POSITIVE', proofsMissing: true });
    // The contract when the follow-up opens; the pay slips of the six months when the exit is due (article 5's proofs).
    expect(tasksOf(result, 'proofRequest')).toEqual([
      { kind: 'proofRequest', assigneeRole: 'participant', createdDay: 40, dueDay: 47, answeredDay: null, status: 'expired', reminders: 3, escalatedDay: 68 },
      { kind: 'proofRequest', assigneeRole: 'participant', createdDay: 224, dueDay: 231, answeredDay: null, status: 'expired', reminders: 0, escalatedDay: null },
    ]);
    expect(emailsOf(result, 'proof_request')).toEqual([40, 224]);
    expect(emailsOf(result, 'proof_request.relance')).toEqual([47, 54, 61]);

    // The contract alone is not all of it: the pay slips are missing still.
    const contractOnly = await run([INTEGRATE, CDI, { day: 50, type: 'proofReceived', kind: 'contrat' }, { day: 230, type: 'exitConfirmed' }], 240);
    expect(contractOnly.exit).toMatchObject({ type: 'POSITIVE', proofsMissing: true });
    const withProof = await run([INTEGRATE, CDI, { day: 50, type: 'proofReceived', kind: 'contrat' }, { day: 226, type: 'proofReceived', kind: 'bulletins_salaire' }, { day: 230, type: 'exitConfirmed' }], 240);
    expect(withProof.exit).toMatchObject({ type: 'POSITIVE', proofsMissing: false });
    expect(tasksOf(withProof, 'proofRequest')).toMatchObject([{ answeredDay: 50, status: 'done', reminders: 1 }, { answeredDay: 226, status: 'done', reminders: 0 }]);
    expect(emailsOf(withProof, 'proof_request.relance')).toEqual([47]);
  });

  it('temporary missions reaching 910 hours within 9 months: positive exit the day they are reached', async () => {
    const result = await run(
      [
        INTEGRATE,
        // 2024-02-07 → 2024-05-07: 91 days at 35 h a week = 455 h; nothing can be reached yet.
        { day: 28, type: 'contractSigned', contract: { type: 'INTERIM', weeklyHours: 35, start: 30, end: 120 } },
        // 2024-05-15 → 2024-08-31: 455 more hours 91 days in, on 2024-08-13 (day 218).
        { day: 126, type: 'contractSigned', contract: { type: 'INTERIM', weeklyHours: 35, start: 128, end: 236 } },
        { day: 220, type: 'exitConfirmed' },
      ],
      230,
    );
    expect(result.errors).toEqual([]);
    expect(result.exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', criterion: 'HEURES_CUMULEES', date: '2024-08-13' });
    expect(tasksOf(result, 'confirmExit')).toMatchObject([{ createdDay: 218, answeredDay: 220 }]);
  });

  it('910 hours reached only after 9 months: no positive exit, the pathway goes on', async () => {
    const result = await run(
      [
        INTEGRATE,
        { day: 28, type: 'contractSigned', contract: { type: 'INTERIM', weeklyHours: 35, start: 30, end: 120 } },
        // Starts after a long gap: within any 9-month window the hours stay under 910.
        { day: 318, type: 'contractSigned', contract: { type: 'INTERIM', weeklyHours: 35, start: 320, end: 400 } },
        { day: 420, type: 'exitConfirmed' },
      ],
      430,
    );
    expect(result.stage).toBe('active');
    expect(result.exit).toBeNull();
    expect(tasksOf(result, 'confirmExit')).toEqual([]);
    expect(result.errors).toEqual([{ day: 420, type: 'exitConfirmed', reason: 'aucune tâche « confirmExit » n’est ouverte à ce moment du parcours' }]);
  });

  it('a CDI ended during the trial period sends the person back to the active pathway, and is counted', async () => {
    const result = await run([INTEGRATE, CDI, { day: 60, type: 'contractEnded', reason: 'periode_essai' }], 120);
    expect(result).toMatchObject({ stage: 'active', exit: null, earlyContractEnds: 1, errors: [] });
    // The follow-up ended with it: no monthly check; the contract recorded on day 40 answered the
    // « no contact » prompt of day 39, which comes back 30 days after that contact.
    expect(tasksOf(result, 'followUpCheck')).toEqual([]);
    expect(tasksOf(result, 'logContact')).toMatchObject([
      { createdDay: 39, answeredDay: 40, status: 'done' },
      { createdDay: 70, status: 'open' },
    ]);
  });

  it('part-time under 17h30 for six months goes to the commission, which approves', async () => {
    const result = await run(
      [
        INTEGRATE,
        { day: 40, type: 'contractSigned', contract: { type: 'CDD', weeklyHours: 15, start: 42, end: 224 } },
        { day: 225, type: 'commissionVote', member: 1, vote: 'pour' },
        { day: 225, type: 'commissionVote', member: 2, vote: 'pour' },
        { day: 226, type: 'commissionVote', member: 3, vote: 'contre' },
        { day: 226, type: 'commissionVote', member: 4, vote: 'pour' },
        { day: 227, type: 'commissionVote', member: 5, vote: 'abstention' },
      ],
      240,
    );
    expect(result.errors).toEqual([]);
    expect(result.commission).toEqual({ invoked: true, outcome: 'approved', date: '2024-08-22', sessions: 1 });
    expect(result.exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', criterion: 'TEMPS_PARTIEL_COURT', date: '2024-08-22' });
    const votes = tasksOf(result, 'commissionVote');
    expect(votes).toHaveLength(5);
    expect(votes.every((v) => v.assigneeRole === 'commission_member' && v.createdDay === 224 && v.status === 'done')).toBe(true);
  });

  it('a tie adjourns the case; it comes back to the next session and is voted again', async () => {
    const votes = (day: number, list: string[]) => list.map((vote, i) => ({ day, type: 'commissionVote', member: i + 1, vote }));
    const result = await run(
      [
        INTEGRATE,
        { day: 40, type: 'contractSigned', contract: { type: 'CDD', weeklyHours: 15, start: 42, end: 224 } },
        { day: 225, type: 'commissionVote', member: 1, vote: 'pour' },
        { day: 225, type: 'commissionVote', member: 9, vote: 'pour' },
        // Member 1 changes their vote before it closes: only the latest counts, 2 for, 2 against.
        ...votes(226, ['contre', 'pour', 'pour', 'contre', 'abstention']),
        // Next session 30 days after the adjournment (day 256).
        ...votes(257, ['pour', 'pour', 'pour', 'contre', 'abstention']),
      ],
      270,
    );
    expect(result.errors).toEqual([{ day: 225, type: 'commissionVote', reason: 'Seuls les membres de la commission ad hoc votent.' }]);
    expect(result.commission).toMatchObject({ invoked: true, outcome: 'approved', sessions: 2, date: '2024-09-21' });
    expect(tasksOf(result, 'commissionVote').map((t) => t.createdDay)).toEqual([224, 224, 224, 224, 224, 256, 256, 256, 256, 256]);
    expect(result.exit).toMatchObject({ type: 'POSITIVE', criterion: 'TEMPS_PARTIEL_COURT', date: '2024-09-21' });
  });

  it('nobody votes: the vote closes at its deadline, adjourned for lack of quorum, after one reminder', async () => {
    const result = await run([INTEGRATE, { day: 40, type: 'contractSigned', contract: { type: 'CDD', weeklyHours: 15, start: 42, end: 224 } }], 240);
    expect(result.commission).toMatchObject({ invoked: true, outcome: 'adjourned', date: '2024-08-26', sessions: 1 });
    expect(result.stage).toBe('exitPending');
    const votes = tasksOf(result, 'commissionVote');
    expect(votes).toHaveLength(5);
    expect(votes.every((v) => v.status === 'expired' && v.reminders === 1 && v.dueDay === 231)).toBe(true);
  });

  it('24 months in pathway: the referent is asked about a « parcours long » exit', async () => {
    // A contact every 25 days (never 30 days without one).
    const contacts = Array.from({ length: 29 }, (_, i) => ({ day: 30 + i * 25, type: 'contactLogged' }));
    const result = await run([INTEGRATE, ...contacts, { day: 745, type: 'parcoursLongDecided', decision: 'exit' }], 750);
    // Entry 2024-01-17 + 24 months = 2026-01-17, day 740.
    expect(tasksOf(result, 'parcoursLong')).toMatchObject([{ assigneeRole: 'referent', createdDay: 740, answeredDay: 745 }]);
    expect(result.exit).toMatchObject({ type: 'PARCOURS_LONG', date: '2026-01-22' });
    // Never 30 days without a contact: never prompted.
    expect(tasksOf(result, 'logContact')).toEqual([]);
  });

  it('a diagnostic overdue is reminded to the referent, then escalated to the coordinator', async () => {
    const result = await run([], 20);
    expect(result.stage).toBe('diagnostic');
    expect(tasksOf(result, 'diagnostic')).toEqual([
      { kind: 'diagnostic', assigneeRole: 'referent', createdDay: 0, dueDay: 7, answeredDay: null, status: 'open', reminders: 1, escalatedDay: 15 },
    ]);
  });

  it('reminders to the participant wait for the end of a pause, and never go twice within 24 hours', async () => {
    const result = await run(
      [
        INTEGRATE,
        CDI,
        { day: 41, type: 'remindersPaused', until: 70, reason: 'Hospitalisation' },
        // Broken, then a new job: a second proof request, whose reminders fall due during the pause too.
        { day: 44, type: 'contractEnded', reason: 'periode_essai' },
        { day: 45, type: 'contractSigned', contract: { type: 'CDD', weeklyHours: 35, start: 46, end: 300 } },
      ],
      100,
    );
    expect(result.errors).toEqual([]);
    const proofs = tasksOf(result, 'proofRequest');
    expect(proofs.map((t) => t.createdDay)).toEqual([40, 45]);
    // Both first reminders fell in the pause and went when it ended (day 70): one email that day.
    expect(emailsOf(result, 'proof_request.relance')).toEqual([70, 77, 84]);
    // Whichever came first that day was sent; the other one, the same email, was not.
    expect(proofs.map((t) => t.reminders).sort()).toEqual([0, 3]);
  });

  it('refuses events that do not fit the pathway, with the reason staff would see', async () => {
    const result = await run(
      [
        { day: 1, type: 'contactLogged' },
        INTEGRATE,
        { day: 10, type: 'contractEnded', reason: 'periode_essai' },
        { day: 11, type: 'exitProposed', exitType: 'POSITIVE', reason: 'Trouvé un emploi' },
        { day: 12, type: 'followUpConfirmed', inPost: true },
        { day: 13, type: 'exitProposed', exitType: 'ADMINISTRATIVE', reason: 'Déménagement' },
        { day: 14, type: 'exitConfirmed' },
      ],
      20,
    );
    expect(result.errors.map((e) => [e.day, e.reason])).toEqual([
      [1, 'Action refusée : impossible à cette étape du parcours (diagnostic)'],
      [10, 'Action refusée : aucun contrat en cours'],
      [11, expect.stringContaining('type de sortie : abandon, parcours long, administrative ou autre')],
      [12, 'aucune tâche « followUpCheck » n’est ouverte à ce moment du parcours'],
    ]);
    // A proposed exit is confirmed by the coordination.
    expect(result.exit).toMatchObject({ type: 'ADMINISTRATIVE', reason: 'Déménagement', date: '2024-01-22' });
    expect(tasksOf(result, 'confirmExit')).toMatchObject([{ assigneeRole: 'coordinator', createdDay: 13, answeredDay: 14 }]);
  });

  it('FSE+: the questionnaire answered six months after the exit ends the pathway', async () => {
    const result = await run([INTEGRATE, CDI, { day: 230, type: 'exitConfirmed' }, { day: 410, type: 'fseQuestionnaireAnswered', labourMarketStatus: 'EMPLOI' }], 420);
    expect(tasksOf(result, 'fseQuestionnaire')).toMatchObject([{ createdDay: 408, answeredDay: 410, status: 'done' }]);
    expect(result.stage).toBe('exited');
  });

  it('continues as new when the history grows long, and carries the pathway on', async () => {
    const monthlyContacts = Array.from({ length: 5 }, (_, i) => ({ day: 30 + i * 7, type: 'contactLogged' }));
    const result = await simulator.run(
      { start: '2024-01-08', participant: PARTICIPANT, events: [START, INTEGRATE, ...monthlyContacts.slice(0, 5), CDI], until: 200 },
      { maxHistoryEvents: 120 },
    );
    expect(result.continuedAsNew).toBeGreaterThan(0);
    expect(result.errors).toEqual([]);
    expect(result.stage).toBe('followUp');
    expect(tasksOf(result, 'followUpCheck').length).toBeGreaterThan(0);
  });

  // Article 5 as the protocol words it (examples/scenarios/): 01/30/2024 is day 22; six months on, 30/07/2024, day 204.
  describe('the exit rules as article 5 words them', () => {
    it('six months of a CDDI in an ACI: a step of the pathway, no exit', async () => {
      const result = await simulator.run(example('cddi-aci-6-mois.json'));
      expect(result).toMatchObject({ stage: 'active', exit: null, commission: null, errors: [] });
      expect(tasksOf(result, 'confirmExit')).toEqual([]);
    });

    it('an ETTI mission reaches 910 hours: positive exit on that day', async () => {
      const result = await simulator.run(example('etti-910-heures.json'));
      // 35 h a week is 5 h a day: 182 days from 30/01/2024, on 29/07/2024 (day 203).
      expect(result).toMatchObject({ stage: 'exited', exit: { type: 'POSITIVE', kind: 'EMPLOI', criterion: 'HEURES_CUMULEES', date: '2024-07-29' }, commission: null, errors: [] });
      expect(tasksOf(result, 'confirmExit')).toMatchObject([{ createdDay: 203, answeredDay: 205 }]);
    });

    it.each([
      ['a non-market aided CDD of 12 months: the commission, not the 910 hours', 'cdd-aide-non-marchand-12-mois.json', 'CONTRAT_AIDE_LONG'],
      ['a part-time aided contract under 17h30 held six months: the commission', 'temps-partiel-aide-6-mois.json', 'TEMPS_PARTIEL_COURT'],
    ])('%s', async (_label, file, criterion) => {
      const result = await simulator.run(example(file));
      expect(result.errors).toEqual([]);
      expect(result.commission).toMatchObject({ invoked: true, outcome: 'approved', sessions: 1 });
      expect(result.exit).toMatchObject({ type: 'POSITIVE', criterion });
      expect(tasksOf(result, 'commissionVote').every((t) => t.createdDay === 204)).toBe(true);
    });

    it('a PLIE whose commission decides by unanimity: one « contre » among the « pour » rejects', async () => {
      const scenario = example('temps-partiel-aide-6-mois.json') as { events: object[] };
      const config = simulationConfig();
      const result = await simulator.run({
        ...scenario,
        events: [...scenario.events, { day: 205, type: 'commissionVote', member: 4, vote: 'contre' }],
        config: { ...config, commission: { ...config.commission, decision: 'unanimity' } },
      });
      expect(result.errors).toEqual([]);
      // Three for and one against: approved by a majority, rejected by unanimity.
      expect(result.commission).toMatchObject({ invoked: true, outcome: 'rejected', sessions: 1 });
      expect(result).toMatchObject({ stage: 'active', exit: null });
    });

    it('a commission without members: the coordination decides the case at once', async () => {
      const scenario = example('temps-partiel-aide-6-mois.json') as { events: Array<{ type: string }> };
      const config = simulationConfig();
      const result = await simulator.run({
        ...scenario,
        events: [...scenario.events.filter((e) => e.type !== 'commissionVote'), { day: 205, type: 'commissionVote', member: 'c1@simulation.invalid', vote: 'pour' }],
        config: { ...config, commission: { ...config.commission, members: [] } },
      });
      expect(result.errors).toEqual([]);
      expect(result.commission).toMatchObject({ invoked: true, outcome: 'approved', sessions: 1 });
      expect(result.exit).toMatchObject({ type: 'POSITIVE', criterion: 'TEMPS_PARTIEL_COURT' });
      expect(await db.commissionCase.findMany({ where: { pathwayId: result.workflowId }, select: { panel: true, panelWhy: true } })).toEqual([{ panel: 'coordination', panelWhy: 'no_member' }]);
      expect(tasksOf(result, 'commissionVote')).toHaveLength(1);
    });

    it('a case adjourned twice by the commission goes to the coordination, which decides it', async () => {
      const result = await simulator.run(example('commission-ajournee-deux-fois.json'));
      expect(result.errors).toEqual([]);
      // One vote of five, then none: no quorum, adjourned on days 211 and 248; the coordination sits on day 278.
      expect(result.commission).toMatchObject({ invoked: true, outcome: 'approved', sessions: 3 });
      expect(result.exit).toMatchObject({ type: 'POSITIVE', criterion: 'TEMPS_PARTIEL_COURT' });
      const cases = await db.commissionCase.findMany({ where: { pathwayId: result.workflowId }, orderBy: { openedAt: 'asc' }, select: { panel: true, panelWhy: true, outcome: true } });
      expect(cases).toEqual([
        { panel: 'commission', panelWhy: null, outcome: 'adjourned' },
        { panel: 'commission', panelWhy: null, outcome: 'adjourned' },
        { panel: 'coordination', panelWhy: 'adjourned', outcome: 'approved' },
      ]);
    });

    it('a positive exit the referent declares without proofs: positive, flagged, counted apart in the bilan', async () => {
      const result = await simulator.run(example('sortie-positive-declaree.json'));
      expect(result.errors).toEqual([]);
      expect(result.exit).toMatchObject({ type: 'POSITIVE', kind: 'EMPLOI', proofsMissing: true, declared: true });
      expect(await db.exit.findFirstOrThrow({ where: { pathwayId: result.workflowId } })).toMatchObject({ type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, proofsComplete: false, declared: true });
    });

    it('rejected by the commission, then a CDI: positive exit six months after its first day', async () => {
      const result = await simulator.run(example('refus-commission-puis-cdi.json'));
      expect(result.errors).toEqual([]);
      expect(result.commission).toMatchObject({ invoked: true, outcome: 'rejected', sessions: 1 });
      // The CDI starts on 15/08/2024 (day 220): the exit is due on 15/02/2025 (day 404).
      expect(result).toMatchObject({ stage: 'exited', exit: { type: 'POSITIVE', criterion: 'CDI_OU_CDD_LONG', date: '2025-02-15' } });
    });
  });
});
