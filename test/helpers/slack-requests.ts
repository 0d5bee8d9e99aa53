/**
 * Requests as Slack sends them to the app: interactions (form field `payload`), slash commands
 * (form fields) and events (JSON), signed with the signing secret (v0, HMAC-SHA256).
 */
import { createHmac } from 'node:crypto';

export interface Signed {
  status: number;
  body: string;
}

export async function postSigned(
  url: string,
  body: string,
  opts: { secret: string; contentType: string; timestamp?: number; signature?: string },
): Promise<Signed> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? `v0=${createHmac('sha256', opts.secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': opts.contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  return { status: response.status, body: await response.text() };
}

const FORM = 'application/x-www-form-urlencoded';
const WORKSPACE = { team: { id: 'T0PLIE' }, api_app_id: 'A0PLIE', token: 'legacy' };
let triggers = 0;

/** The payloads Slack sends for interactions, as Bolt receives them once the request is verified. */
export const payloads = {
  /** A click on a button (or a choice in a menu) of a message or of the App Home. */
  click: (user: string, actionId: string, value: string, opts: { channel?: string; menu?: boolean; message?: { ts: string; text: string } } = {}) => ({
    ...WORKSPACE,
    type: 'block_actions',
    user: { id: user, team_id: 'T0PLIE' },
    trigger_id: `trigger-${++triggers}`,
    container: opts.channel ? { type: 'message', channel_id: opts.channel, ...(opts.message ? { message_ts: opts.message.ts } : {}) } : { type: 'view', view_id: 'VHOME' },
    ...(opts.channel ? { channel: { id: opts.channel } } : {}),
    ...(opts.message ? { message: { type: 'message', ...opts.message } } : {}),
    actions: [
      opts.menu
        ? { type: 'static_select', action_id: actionId, block_id: 'b', selected_option: { text: { type: 'plain_text', text: 'x' }, value }, action_ts: '1' }
        : { type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'x' }, action_ts: '1' },
    ],
  }),
  /** A modal submitted with these values (block id → the element's state). */
  submission: (user: string, callbackId: string, privateMetadata: string, values: Record<string, Record<string, unknown>>) => ({
    ...WORKSPACE,
    type: 'view_submission',
    user: { id: user, team_id: 'T0PLIE' },
    trigger_id: `trigger-${++triggers}`,
    view: {
      id: `V${++triggers}`,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values: Object.fromEntries(Object.entries(values).map(([block, state]) => [block, { value: state }])) },
    },
  }),
};

export function slackClientFor(url: string, secret: string) {
  const interaction = (payload: Record<string, unknown>) => postSigned(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret, contentType: FORM });
  return {
    click: (...args: Parameters<typeof payloads.click>) => interaction(payloads.click(...args)),
    submit: (...args: Parameters<typeof payloads.submission>) => interaction(payloads.submission(...args)),
    command: (user: string, channel: string, text: string) =>
      postSigned(
        url,
        new URLSearchParams({
          command: '/plie',
          text,
          user_id: user,
          channel_id: channel,
          team_id: 'T0PLIE',
          trigger_id: `trigger-${++triggers}`,
          response_url: 'http://127.0.0.1:9/unused',
          api_app_id: 'A0PLIE',
          token: 'legacy',
        }).toString(),
        { secret, contentType: FORM },
      ),
    event: (event: Record<string, unknown>) =>
      postSigned(url, JSON.stringify({ type: 'event_callback', team_id: 'T0PLIE', api_app_id: 'A0PLIE', event, event_id: `Ev${++triggers}`, event_time: 1 }), {
        secret,
        contentType: 'application/json',
      }),
  };
}

/** Element states as Slack reports them in `view.state.values`. */
export const input = {
  text: (value: string) => ({ type: 'plain_text_input', value }),
  date: (date: string) => ({ type: 'datepicker', selected_date: date }),
  select: (value: string) => ({ type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } }),
  multi: (values: string[]) => ({ type: 'multi_static_select', selected_options: values.map((value) => ({ value, text: { type: 'plain_text', text: value } })) }),
};
