/**
 * Error texts from outside (SMTP, Slack, PostgreSQL) may quote an address, a phone number or a name.
 * Before such a text reaches a failure, a log line, the audit or a message's record, what could name
 * a person is masked: every email address, every phone number, and the names the caller knows.
 */
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
// French and international numbers: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0612345678.
const PHONE = /(?:\+\d{2}[\s.-]?|\b0)\d(?:[\s.-]?\d{2}){4}\b/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function withoutPersonalData(text: string, knownNames: Array<string | null | undefined> = []): string {
  let clean = text.replace(EMAIL, '[adresse]').replace(PHONE, '[téléphone]');
  for (const name of knownNames) {
    // Names of two letters or less would mask ordinary words.
    if (name && name.trim().length > 2) clean = clean.replace(new RegExp(escapeRegExp(name.trim()), 'gi'), '[nom]');
  }
  return clean;
}
