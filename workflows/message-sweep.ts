/**
 * Every quarter of an hour (a Temporal Schedule starts it): the messages that did not go out —
 * failed, or still pending after Temporal's retries — sent again under their own key (never twice;
 * an email keeps its Message-ID), a few at a time, once the outage that stopped them is over. What
 * keeps failing is left, after a number of sweeps, to the coordination (`plie messages --echecs`).
 */
import { deliver } from './best-effort.ts';
import { sweepNotices, sweepRecords } from './proxies.ts';

export const MESSAGE_SWEEP_WORKFLOW = 'messageSweepWorkflow';

/** Messages sent again side by side. */
const AT_ONCE = 5;

/** `plieCode`: one PLIE's messages only (all by default). Counts only, never a person. */
export async function messageSweepWorkflow(input: { plieCode?: string } = {}): Promise<{ found: number; sent: number }> {
  const due = await sweepRecords.messagesToSweep({ at: new Date(Date.now()).toISOString(), ...(input.plieCode ? { plieCode: input.plieCode } : {}) });
  let sent = 0;
  for (let i = 0; i < due.length; i += AT_ONCE) {
    await Promise.all(
      due.slice(i, i + AT_ONCE).map(async (m) => {
        // Failed again: recorded by its activity; the next sweep tries again.
        await deliver(async () => {
          const status = m.marche ? await sweepNotices.resendMarcheMessage({ messageId: m.id }) : await sweepNotices.resendMessage({ messageId: m.id });
          if (status === 'sent') sent += 1;
        }, { messageId: m.id });
      }),
    );
  }
  return { found: due.length, sent };
}
