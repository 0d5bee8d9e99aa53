import path from 'node:path';
import { importDevOnly } from './dev-only.ts';

export interface RunningMailCatcher {
  smtpUrl: string;
  uiUrl: string;
  stop: () => Promise<void>;
}

/**
 * MailDev: an SMTP server that keeps every message (in the data folder) and shows them in a
 * browser, so a developer reads exactly what participants and staff would receive. A devDependency,
 * loaded on first use (production sends through SMTP_URL).
 */
export async function startMailCatcher(opts: {
  dataDir: string;
  smtpPort: number;
  uiPort: number;
}): Promise<RunningMailCatcher> {
  const { MailDev } = await importDevOnly(
    'maildev',
    'Boîte de réception locale MailDev',
    () => import('maildev'),
    'Installez les dépendances de développement (npm install), ou donnez un relais SMTP dans SMTP_URL.',
  );
  const maildev = new MailDev({
    smtp: opts.smtpPort,
    ip: '127.0.0.1',
    web: opts.uiPort,
    webIp: '127.0.0.1',
    mailDirectory: path.join(opts.dataDir, 'mail'),
    silent: true,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () => maildev.stop(),
  };
}
