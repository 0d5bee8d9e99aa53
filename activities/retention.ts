/** The retention's activities (src/rgpd/retention.ts), run by the retention workflow once a day. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/client.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import type { ProofStore } from '../src/files/proof-store.ts';
import type { Logger } from '../src/logging.ts';
import { applyRetention, retentionPlan, type RetentionStep } from '../src/rgpd/retention.ts';

export function createRetentionActivities(deps: { db: Db; plieConfig: (code: string) => Promise<PlieConfig>; proofs?: ProofStore; logger: Logger }) {
  const { db } = deps;
  return {
    /** The PLIEs with data in this deployment: those registered and those with people. */
    async retentionPlies(): Promise<string[]> {
      const [registered, withPeople] = await Promise.all([db.plie.findMany({ select: { code: true } }), db.participant.findMany({ distinct: ['plieCode'], select: { plieCode: true } })]);
      return [...new Set([...registered.map((p) => p.code), ...withPeople.map((p) => p.plieCode)])].sort();
    },

    /** One batch of the retention of one PLIE at `at` (the workflow's time); `dryRun` counts only. */
    async applyRetention(args: { plieCode: string; at: string; dryRun: boolean }): Promise<RetentionStep> {
      const config = await deps.plieConfig(args.plieCode);
      const now = new Date(args.at);
      if (args.dryRun) return { plieCode: args.plieCode, counts: (await retentionPlan(db, config, now)).counts, more: false };
      // Deleting proofs needs their store; a worker without it must not count them as handled.
      if (!deps.proofs) throw ApplicationFailure.nonRetryable('conservation : le worker n’a pas le dossier des justificatifs (PLIE_FILES_DIR, PLIE_FILE_KEY)');
      const step = await applyRetention({ db, proofs: deps.proofs }, config, now);
      deps.logger.info({ plieCode: args.plieCode, ...step.counts, more: step.more }, 'conservation appliquée');
      return { plieCode: args.plieCode, ...step };
    },
  };
}
