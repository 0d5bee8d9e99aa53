import nodemailer, { type Transporter } from 'nodemailer';

export type Mailer = Transporter;

/** Pooled SMTP transport (nodemailer); the URL carries host, port, credentials and TLS. */
export function createMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  url.searchParams.set('pool', 'true');
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
