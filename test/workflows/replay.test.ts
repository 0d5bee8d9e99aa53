/**
 * Workflows live for years: every history recorded with an earlier version of the workflow code
 * (test/fixtures/histories, made by `npm run record-history`) must replay on the current code.
 * A change that breaks this needs `patched()` in the workflow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/infra/project.ts';
import { dataConverter } from '../../src/temporal/connection.ts';
import { COMMISSION_AFTER_EXIT_PATCH, COMMISSION_ROSTER_PATCH, EXIT_RULES_PATCH, MARCHE_CONTINUE_AS_NEW_PATCH, PROOFS_SIX_MONTHS_PATCH, PAUSE_SILENCES_ALL_PATCH, PRESCRIBER_LOOP_PATCH, SCHEDULES_FROM_ORIGIN_PATCH, STATE_MACHINE_PATCH, TRANSITION_BATCH_PATCH, MESSAGES_CHAINED_PATCH } from '../../workflows/patches.ts';
import { FIXTURE_PAYLOAD_KEYS } from '../helpers/settings.ts';

const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded pathway histories', () => {
  it('has recorded histories to replay', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures)('replays %s on the current workflow code', async (file) => {
    const recorded = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { workflowId: string; history: unknown };
    const history = historyFromJSON(recorded.history);
    expect(history.events?.length).toBeGreaterThan(8);
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: dataConverter(FIXTURE_PAYLOAD_KEYS) },
      history,
      recorded.workflowId,
    );
  });

  it.each([
    ['parcoursWorkflow', SCHEDULES_FROM_ORIGIN_PATCH],
    ['commissionWorkflow', SCHEDULES_FROM_ORIGIN_PATCH],
    ['marcheWorkflow', SCHEDULES_FROM_ORIGIN_PATCH],
    ['offreWorkflow', SCHEDULES_FROM_ORIGIN_PATCH],
    ['collectiveActionWorkflow', SCHEDULES_FROM_ORIGIN_PATCH],
    ['parcoursWorkflow', STATE_MACHINE_PATCH],
    ['parcoursWorkflow', PAUSE_SILENCES_ALL_PATCH],
    ['parcoursWorkflow', PRESCRIBER_LOOP_PATCH],
    ['parcoursWorkflow', COMMISSION_AFTER_EXIT_PATCH],
    ['parcoursWorkflow', EXIT_RULES_PATCH],
    ['parcoursWorkflow', COMMISSION_ROSTER_PATCH],
    ['parcoursWorkflow', PROOFS_SIX_MONTHS_PATCH],
    ['parcoursWorkflow', TRANSITION_BATCH_PATCH],
    ['parcoursWorkflow', MESSAGES_CHAINED_PATCH],
    ['marcheWorkflow', MARCHE_CONTINUE_AS_NEW_PATCH],
  ])('%s: histories from before and after the %s patch are both replayed', (workflowType, patch) => {
    const recorded = fixtures.map((file) => {
      const { history } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { history: RecordedHistory };
      const type = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      // Patch markers carry their id in clear (the SDK's own payload, not the codec's).
      const patches = history.events.flatMap((e) =>
        Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) => d.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8'))),
      );
      return { type, patched: patches.some((p) => p.includes(`"${patch}"`)) };
    });
    const ofType = recorded.filter((r) => r.type === workflowType);
    expect(ofType.some((r) => r.patched)).toBe(true);
    expect(ofType.some((r) => !r.patched)).toBe(true);
  });

  it.each(['marcheWorkflow'])('%s: a run begun by continue-as-new, with the state its previous run carried, is replayed too', (workflowType) => {
    const carried = fixtures.filter((file) => {
      const { history } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { history: RecordedHistory };
      const started = history.events[0]?.workflowExecutionStartedEventAttributes;
      return started?.workflowType?.name === workflowType && Boolean(started.continuedExecutionRunId);
    });
    expect(carried.length).toBeGreaterThan(0);
  });
});

/** The parts of a recorded history (JSON) these checks read. */
interface RecordedHistory {
  events: Array<{
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string }; continuedExecutionRunId?: string };
    markerRecordedEventAttributes?: { details?: Record<string, { payloads: Array<{ data: string }> }> };
  }>;
}
