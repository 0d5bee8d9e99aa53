/**
 * The harness's mail server: a real SMTP server (smtp-server, as test/helpers/smtp.ts) that can be
 * stopped and started again on the same port, and that keeps every message it accepted with its
 * Message-ID and the instant it accepted it (a copy sent twice is seen twice).
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../src/infra/ports.ts';

export interface AcceptedMail {
  messageId: string;
  to: string[];
  subject: string;
  /** Wall-clock instant the server accepted it (ms). */
  at: number;
}

export class ChaosInbox {
  readonly received: AcceptedMail[] = [];
  /** Recipients refused for good (550), on purpose: their messages end « refused », not lost. */
  readonly refused = new Set<string>();
  private server: SMTPServer | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  static async start(): Promise<ChaosInbox> {
    const inbox = new ChaosInbox(await freePort());
    await inbox.resume();
    return inbox;
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A stop is an outage: open connections are cut after a moment, not after 30 s.
      closeTimeout: 200,
      onRcptTo: (address, _session, callback) => {
        if (this.refused.has(address.address.toLowerCase())) {
          callback(Object.assign(new Error(`<${address.address}> : boîte inconnue`), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
            this.received.push({ messageId: parsed.messageId ?? '', to, subject: parsed.subject ?? '', at: Date.now() });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Stops listening and cuts the open connections (the outage begins). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
