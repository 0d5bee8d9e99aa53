/**
 * The bot's listeners in process (fast tier): the same Bolt app and listeners as deployed, fed by a
 * receiver that hands Bolt the payloads its HTTP receiver would pass on once the signature is
 * checked (the real receiver, signatures included, is tested in bot.test.ts). What is checked here
 * needs no server: modals validated before anything is read or written, in French, next to their
 * field; unreadable metadata never crashes a listener. The database and Temporal stand-ins fail
 * the test if they are reached at all.
 */
import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { DEFAULT_TASK_TIMINGS } from '../../src/domain/tasks.ts';
import { createLogger } from '../../src/logging.ts';
import { registerListeners } from '../../src/slack/app.ts';
import type { SlackDeps } from '../../src/slack/interaction.ts';
import { input, payloads } from '../helpers/slack-requests.ts';

/** Hands payloads to Bolt as its HTTP receiver does after the signature check; returns what the listener acknowledged. */
class InProcessReceiver implements Receiver {
  private app: App | undefined;
  init(app: App): void {
    this.app = app;
  }
  start = async (): Promise<void> => undefined;
  stop = async (): Promise<void> => undefined;
  async deliver(body: Record<string, unknown>): Promise<{ acked: boolean; response: unknown }> {
    const acknowledged = { acked: false, response: undefined as unknown };
    await this.app!.processEvent({
      body,
      ack: async (response?: unknown) => {
        acknowledged.acked = true;
        acknowledged.response = response;
      },
    });
    return acknowledged;
  }
}

/** Anything reached on it fails the test: these paths must not read or write before validating. */
const untouchable = (what: string) =>
  new Proxy({}, {
    get: (_target, property) => {
      throw new Error(`${what} touché (${String(property)}) avant la validation`);
    },
  });

function bot() {
  const receiver = new InProcessReceiver();
  const errors: string[] = [];
  const logger = createLogger('silent');
  const deps = {
    db: untouchable('base de données'),
    temporal: untouchable('Temporal'),
    logger,
    pathway: { plieCode: 'CASA', db: untouchable('base de données'), temporal: untouchable('Temporal'), taskQueue: 'q', coordinatorEmail: 'coordination@plie.test', timings: DEFAULT_TASK_TIMINGS, logger },
    plieConfig: async () => CASA_CONFIG,
  } as unknown as SlackDeps;
  // The bot's own ids are given: Bolt would otherwise ask Slack who it is (auth.test).
  const app = new App({ token: 'xoxb-test', botId: 'B0PLIE', botUserId: 'U0PLIEBOT', receiver, tokenVerificationEnabled: false });
  registerListeners(app, deps);
  app.error(async (error) => {
    errors.push(error.message);
  });
  return { receiver, errors };
}

const USER = 'UREFERENTE';
const referral = {
  lastName: input.text('Martin'),
  firstName: input.text('Inès'),
  birthDate: input.date('1985-03-14'),
  commune: input.text('Antibes'),
};

describe('Slack listeners in process', () => {
  it.each([
    ['the last name missing', { firstName: input.text('Inès'), birthDate: input.date('1985-03-14') }, { lastName: 'Nom : obligatoire' }],
    ['a birth date to come', { ...referral, birthDate: input.date('2999-01-01') }, { birthDate: expect.stringContaining('naissance') as string }],
  ])('a referral with %s: the errors go back into the modal, beside their field', async (_case, values, errors) => {
    const { receiver, errors: failures } = bot();
    const { acked, response } = await receiver.deliver(payloads.submission(USER, 'referral_check', '{}', values));
    expect(acked).toBe(true);
    expect(response).toEqual({ response_action: 'errors', errors: expect.objectContaining(errors) as unknown });
    expect(failures).toEqual([]);
  });

  it.each([['{"channel":"C0EQUIPE"}'], ['pas du JSON'], ['null'], ['']])(
    'a complete referral (metadata %j) shows the eligibility pre-check before anything is saved',
    async (metadata) => {
      const { receiver, errors } = bot();
      const { response } = await receiver.deliver(payloads.submission(USER, 'referral_check', metadata, referral));
      const view = (response as { response_action: string; view: { callback_id: string; private_metadata: string; blocks: unknown[] } }).view;
      expect(response).toMatchObject({ response_action: 'update' });
      expect(view.callback_id).toBe('referral_submit');
      expect(JSON.stringify(view.blocks)).toContain('Pré-contrôle d’éligibilité');
      expect(JSON.parse(view.private_metadata)).toMatchObject({ input: { lastName: 'Martin', firstName: 'Inès', birthDate: '1985-03-14' } });
      expect(errors).toEqual([]);
    },
  );

  it('a contract with hours that are not a number: the error goes back beside the field', async () => {
    const { receiver, errors } = bot();
    const meta = JSON.stringify({ action: 'contractSigned', participantId: '6f1c3f4e-1c2b-4f7d-9a55-2d1e8f0b7a10' });
    const { response } = await receiver.deliver(
      payloads.submission(USER, 'pathway_action', meta, { type: input.select('CDI'), start: input.date('2027-01-04'), weeklyHours: input.text('beaucoup') }),
    );
    expect(response).toMatchObject({ response_action: 'errors', errors: { weeklyHours: expect.any(String) as unknown } });
    expect(errors).toEqual([]);
  });

  it.each([['pas du JSON'], ['{"action":"inconnue","participantId":"x"}'], ['{}']])(
    'a pathway action whose metadata is unreadable (%j) is acknowledged, and nothing is done',
    async (metadata) => {
      const { receiver, errors } = bot();
      const { acked, response } = await receiver.deliver(payloads.submission(USER, 'pathway_action', metadata, {}));
      expect(acked).toBe(true);
      expect(response).toBeUndefined();
      expect(errors).toEqual([]);
    },
  );
});
