/**
 * Messages that did not go out (email or Slack), as the coordination sees them — its App Home,
 * `plie messages --echecs` — and as the sweep sends them again. A message names no PLIE: the
 * pathway it is about, the marché its key begins with (marche/<id>/…), or the digest's key
 * (digest/<PLIE>/…) say whose it is.
 */
import { DateTime } from 'luxon';
import type { Db } from '../db/client.ts';
import { fileReference } from '../domain/participant.ts';
import { parisDate } from '../domain/dates.ts';
import { staleMarcheMessages } from '../procurement/stale-messages.ts';
import type { UndeliveredRow } from '../slack/home.ts';
import { deliveryLabel, messageLabel } from '../web/console/timeline.ts';
import { staleAppointmentMessages } from './appointment-messages.ts';
import { resendPlan } from './resend-plan.ts';

/** What did not go out: still being retried, failed, refused by the server, held for want of an address. */
export const NOT_SENT = ['pending', 'failed', 'refused', 'no_address'] as const;

const MINUTE_MS = 60_000;

/**
 * The sweep sends again what failed at least this long ago (the failure is fresh: a few minutes
 * give the outage its chance to end), and what is still pending after Temporal's own retries are
 * surely over (ten attempts over about forty minutes, each of at most five: two hours).
 */
export const SWEEP = {
  failedAfterMinutes: 5,
  pendingAfterMinutes: 120,
  /** Older messages are out of date: the coordination decides (they stay listed). */
  withinDays: 3,
  /** Attempts in all (Temporal's and the sweep's) after which the coordination decides. */
  maxAttempts: 40,
  /** Messages taken per sweep. */
  batch: 50,
} as const;

type MessageRow = {
  id: string;
  idempotencyKey: string;
  template: string;
  recipient: string;
  pathwayId: string | null;
  status: string;
  error: string | null;
  createdAt: Date;
  attempts: number;
};

/** What a message is about, in the PLIE's words: a file (its reference), a marché (its reference), a member of staff's digest. */
export type MessageSubject = { kind: 'dossier'; participantId: string; fileReference: string } | { kind: 'marche'; marcheId: string; reference: string } | { kind: 'recapitulatif' };

export interface UndeliveredMessage {
  id: string;
  createdAt: Date;
  template: string;
  /** « Nouvelle tâche », « Convocation au premier entretien »… */
  label: string;
  subject: MessageSubject;
  recipient: string;
  status: string;
  /** « échec », « adresse refusée », « sans adresse », « en attente ». */
  statusLabel: string;
  /** The server's or Slack's words, masked of addresses when recorded. */
  error: string | null;
  /** What the coordination can do: send it again, wait for the sweep, or nothing (why). */
  next: { kind: 'resend' } | { kind: 'sweep' } | { kind: 'retrying' } | { kind: 'none'; why: string };
}

const MARCHE_KEY = /^marche\/([0-9a-f-]{36})\//;
const DIGEST_KEY = /^digest\/([^/]+)\//;

/** « 01/12/2026 à 10h05 », Paris time. */
export function parisDateTime(at: Date): string {
  return DateTime.fromJSDate(at).setZone('Europe/Paris').toFormat("dd/LL/yyyy 'à' HH'h'mm");
}

export const templateLabel = (template: string) => (template === 'digest' ? 'Récapitulatif du matin' : template === 'sign-in' ? 'Lien de connexion' : messageLabel(template));

/** The subject of each message that belongs to a PLIE (to `plieCode` only, when given), by message id. */
export async function subjectsOf(db: Db, messages: Array<Pick<MessageRow, 'id' | 'idempotencyKey' | 'pathwayId'>>, plieCode?: string): Promise<Map<string, { plieCode: string; subject: MessageSubject }>> {
  const pathwayIds = [...new Set(messages.flatMap((m) => m.pathwayId ?? []))];
  const marcheIds = [...new Set(messages.flatMap((m) => (m.pathwayId ? [] : (MARCHE_KEY.exec(m.idempotencyKey)?.[1] ?? []))))];
  const only = plieCode ? { plieCode } : {};
  const [pathways, marches] = await Promise.all([
    pathwayIds.length ? db.pathway.findMany({ where: { id: { in: pathwayIds }, participant: only }, select: { id: true, participantId: true, participant: { select: { plieCode: true } } } }) : [],
    marcheIds.length ? db.procurement.findMany({ where: { id: { in: marcheIds }, ...only }, select: { id: true, externalId: true, plieCode: true } }) : [],
  ]);
  const pathwayOf = new Map(pathways.map((p) => [p.id, p]));
  const marcheOf = new Map(marches.map((m) => [m.id, m]));
  const found = new Map<string, { plieCode: string; subject: MessageSubject }>();
  for (const m of messages) {
    const pathway = m.pathwayId ? pathwayOf.get(m.pathwayId) : undefined;
    const marche = m.pathwayId ? undefined : marcheOf.get(MARCHE_KEY.exec(m.idempotencyKey)?.[1] ?? '');
    const digestPlie = DIGEST_KEY.exec(m.idempotencyKey)?.[1];
    if (pathway) found.set(m.id, { plieCode: pathway.participant.plieCode, subject: { kind: 'dossier', participantId: pathway.participantId, fileReference: fileReference(pathway.participantId) } });
    else if (marche) found.set(m.id, { plieCode: marche.plieCode, subject: { kind: 'marche', marcheId: marche.id, reference: marche.externalId } });
    else if (!m.pathwayId && digestPlie && (!plieCode || digestPlie === plieCode)) found.set(m.id, { plieCode: digestPlie, subject: { kind: 'recapitulatif' } });
  }
  return found;
}

/** Why each message may no longer go (an appointment cancelled or past, a marché closed…), by message id. */
export async function staleMessages(db: Db, messages: MessageRow[], now: number): Promise<Map<string, string>> {
  // Judged as the coordination would resend them: whatever their status now.
  const asFailed = messages.map((m) => ({ ...m, status: 'failed' }));
  return new Map([...(await staleAppointmentMessages(db, asFailed, now)), ...(await staleMarcheMessages(db, asFailed))]);
}

/** Whether the sweep will send `m` again, now or once old enough (its status, age and attempts, a way to resend it). */
function sweptLater(m: MessageRow, now: number): boolean {
  if (m.status !== 'failed' && m.status !== 'pending') return false;
  if (m.attempts >= SWEEP.maxAttempts || m.createdAt.getTime() < now - SWEEP.withinDays * 1440 * MINUTE_MS) return false;
  return resendPlan({ ...m, status: 'failed' }) !== null;
}

/** The PLIE's messages not sent, most recent first (at most `limit`), with what can be done about each. */
export async function undeliveredMessages(db: Db, plieCode: string, opts: { now: number; limit?: number }): Promise<UndeliveredMessage[]> {
  const limit = opts.limit ?? 200;
  const rows = await db.message.findMany({
    where: { status: { in: [...NOT_SENT] }, OR: [{ pathwayId: { not: null } }, { idempotencyKey: { startsWith: 'marche/' } }, { idempotencyKey: { startsWith: `digest/${plieCode}/` } }] },
    orderBy: { createdAt: 'desc' },
    take: 2000,
  });
  const subjects = await subjectsOf(db, rows, plieCode);
  const ours = rows.filter((m) => subjects.has(m.id)).slice(0, limit);
  const stale = await staleMessages(db, ours, opts.now);
  return ours.map((m): UndeliveredMessage => {
    const plan = resendPlan(m);
    const why = stale.get(m.id);
    const retrying = m.status === 'pending' && m.createdAt.getTime() > opts.now - SWEEP.pendingAfterMinutes * MINUTE_MS;
    const next: UndeliveredMessage['next'] = why
      ? { kind: 'none', why: `ne part plus : ${why}` }
      : retrying
        ? { kind: 'retrying' }
        : sweptLater(m, opts.now)
          ? { kind: 'sweep' }
          : plan
            ? { kind: 'resend' }
            : { kind: 'none', why: m.template === 'digest' ? 'le récapitulatif du lendemain le remplace' : 'ne peut pas être renvoyé d’ici' };
    return {
      id: m.id,
      createdAt: m.createdAt,
      template: m.template,
      label: templateLabel(m.template),
      subject: subjects.get(m.id)!.subject,
      recipient: m.recipient,
      status: m.status,
      statusLabel: deliveryLabel(m.status),
      error: m.error,
      next,
    };
  });
}

/**
 * What the sweep sends again now: failed a few minutes ago or more, or still pending long after
 * Temporal's retries (recorded as failed first, so that the resend activities take them), with a
 * way to resend them and not out of date. Each is counted as an attempt here: a message that keeps
 * failing stops being swept after SWEEP.maxAttempts, and stays listed for the coordination.
 */
export async function messagesToSweep(db: Db, opts: { now: number; plieCode?: string }): Promise<Array<{ id: string; marche: boolean }>> {
  const since = new Date(opts.now - SWEEP.withinDays * 1440 * MINUTE_MS);
  const rows = await db.message.findMany({
    where: {
      attempts: { lt: SWEEP.maxAttempts },
      OR: [
        { status: 'failed', createdAt: { gte: since, lte: new Date(opts.now - SWEEP.failedAfterMinutes * MINUTE_MS) } },
        { status: 'pending', createdAt: { gte: since, lte: new Date(opts.now - SWEEP.pendingAfterMinutes * MINUTE_MS) } },
      ],
    },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
  const subjects = await subjectsOf(db, rows, opts.plieCode);
  const resendable = rows.filter((m) => subjects.has(m.id) && sweptLater(m, opts.now));
  const stale = await staleMessages(db, resendable, opts.now);
  const due = resendable.filter((m) => !stale.has(m.id)).slice(0, SWEEP.batch);
  if (due.length === 0) return [];
  const ids = due.map((m) => m.id);
  await db.$transaction([
    // Temporal gave up on these long ago: failed, for the resend activities to take them.
    db.message.updateMany({ where: { id: { in: ids }, status: 'pending' }, data: { status: 'failed' } }),
    db.message.updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 } } }),
  ]);
  return due.map((m) => ({ id: m.id, marche: resendPlan({ ...m, status: 'failed' })?.kind === 'marche' }));
}

/** The subject in a few words: « dossier 7716D7EA », « marché 2026-VOIRIE-12 », « récapitulatif du matin ». */
export function subjectLabel(subject: MessageSubject): string {
  return subject.kind === 'dossier' ? `dossier ${subject.fileReference}` : subject.kind === 'marche' ? `marché ${subject.reference}` : 'récapitulatif du matin';
}

/** What comes next for a message, in a few words. */
export function nextLabel(next: UndeliveredMessage['next']): string {
  switch (next.kind) {
    case 'resend':
      return 'à renvoyer';
    case 'sweep':
      return 'renvoi automatique prévu';
    case 'retrying':
      return 'nouvel essai automatique en cours';
    case 'none':
      return next.why;
  }
}

/** The same, for the coordination's App Home in Slack: no address, a file's reference only. */
export async function undeliveredForHome(db: Db, plieCode: string, now: number): Promise<UndeliveredRow[]> {
  return (await undeliveredMessages(db, plieCode, { now })).map((m) => ({
    id: m.id,
    label: m.label,
    about: subjectLabel(m.subject),
    status: m.statusLabel,
    next: nextLabel(m.next),
    decidedOn: parisDate(m.createdAt),
  }));
}
