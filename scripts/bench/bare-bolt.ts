/**
 * The bare Bolt baseline of the benchmark: the same receiver as the application (ExpressReceiver,
 * signatures checked) on its own Express app, with one listener that only acknowledges.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';

const secret = process.env.SLACK_SIGNING_SECRET;
const port = Number(process.env.PORT);
if (!secret || !port) throw new Error('SLACK_SIGNING_SECRET et PORT attendus');
const web = express();
const receiver = new ExpressReceiver({ signingSecret: secret, endpoints: '/slack/events', app: web });
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.action(/.*/, async ({ ack }) => {
  await ack();
});
const server = web.listen(port, '127.0.0.1', () => console.log('BARE_BOLT_READY'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
