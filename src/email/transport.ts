import nodemailer, { type Transporter } from 'nodemailer';

export type Mailer = Transporter;

/**
 * How long a send may wait on the SMTP server, unless the URL says otherwise (nodemailer's own
 * defaults reach ten minutes): a send ends, sent or failed, well within its activity's attempt, so
 * that Temporal never starts the retry while it is still going.
 */
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as const;

/** Pooled SMTP transport (nodemailer); the URL carries host, port, credentials and TLS. */
export function createMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
  for (const [name, ms] of Object.entries(TIMEOUTS)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  return nodemailer.createTransport(url.toString());
}

/** SMTP answered 5xx: retrying the same message will not help. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The server refused the recipient (RCPT TO answered 5xx): the address does not receive mail. */
export function isRefusedRecipient(error: unknown): boolean {
  const e = error as { code?: string; command?: string; responseCode?: number };
  return isPermanentSmtpFailure(error) && (e.code === 'EENVELOPE' || e.command === 'RCPT TO');
}
