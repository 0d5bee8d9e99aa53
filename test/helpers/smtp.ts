import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../src/infra/ports.ts';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: ParsedMail;
}

/** A real SMTP server inside the test process; what nodemailer sends arrives here, parsed. */
export class TestInbox {
  readonly messages: ReceivedMail[] = [];
  private waiters: Array<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }> = [];
  /** Recipients for which the server answers 550 (mailbox unavailable). */
  readonly rejected = new Set<string>();
  /** Recipients whose mail waits at RCPT TO (the sender's attempt under way) until `release`. */
  readonly held = new Set<string>();
  private holding: Array<() => void> = [];

  private readonly server: SMTPServer;

  private constructor(readonly url: string) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.rejected.has(address.address)) {
          // As real servers do, the refusal quotes the address.
          callback(Object.assign(new Error(`<${address.address}> : boîte inconnue`), { responseCode: 550 }));
          return;
        }
        if (this.held.has(address.address)) {
          this.holding.push(() => callback());
          return;
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.receive(parsed);
            callback();
          })
          .catch(callback);
      },
    });
  }

  static async start(): Promise<TestInbox> {
    const port = await freePort();
    const inbox = new TestInbox(`smtp://127.0.0.1:${port}`);
    await new Promise<void>((resolve) => inbox.server.listen(port, '127.0.0.1', resolve));
    return inbox;
  }

  private receive(parsed: ParsedMail): void {
    const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) =>
      a.value.map((v) => v.address ?? ''),
    );
    const mail: ReceivedMail = {
      to,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      messageId: parsed.messageId ?? '',
      raw: parsed,
    };
    this.messages.push(mail);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(mail)) return true;
      w.resolve(mail);
      return false;
    });
  }

  /** Lets the held mail go, and what comes later pass. */
  release(): void {
    this.held.clear();
    for (const go of this.holding.splice(0)) go();
  }

  /** How many mails wait at RCPT TO. */
  get holdingCount(): number {
    return this.holding.length;
  }

  /** Resolves with the first message (already received or to come) that matches. */
  async waitFor(match: (m: ReceivedMail) => boolean): Promise<ReceivedMail> {
    const found = this.messages.find(match);
    if (found) return found;
    return await new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  count(match: (m: ReceivedMail) => boolean): number {
    return this.messages.filter(match).length;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
