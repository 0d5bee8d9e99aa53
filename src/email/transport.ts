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
