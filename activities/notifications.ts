import { ApplicationFailure } from '@temporalio/common';
import type { ProofStore } from '../src/files/proof-store.ts';
import type { Db } from '../src/db/client.ts';
import { fromDbDate } from '../src/db/dates.ts';
import { fileReference, initials } from '../src/domain/participant.ts';
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import { isTaskKind, type TaskKind } from '../src/domain/tasks.ts';
import { escalationMessage, openedTaskMessage, proofReceivedMessage, reminderMessage, type TaskSummary } from '../src/slack/task-message.ts';
import { displayName, staffByEmail } from '../src/staff/directory.ts';
import type { Staff } from '../src/generated/prisma/client.ts';
import { parseAppointmentKey, staleAppointmentMessages } from '../src/email/appointment-messages.ts';
import { appointmentInvitation } from '../src/email/calendar.ts';
import { prescriberAddress, prescriberNoticeEmail } from '../src/email/prescriber-notice.ts';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import type { ExitType } from '../src/domain/exit-types.ts';
import { referentChangeEmail, referentChangeSlack, type ReferentChangeNotice } from '../src/email/referent-change.ts';
import { isParticipantTemplate, participantEmail, type ParticipantTemplate } from '../src/email/participant-templates.ts';
import type { CalendarDate } from '../src/domain/dates.ts';
import { uuidFromKey } from '../src/db/ids.ts';
import { LINK_DAYS, type LinkPurpose } from '../src/links/signed-links.ts';
import type { Mailer } from '../src/email/transport.ts';
import { digestEmail, taskNoticeEmail, type DigestLine, type TaskNotice } from '../src/email/templates.ts';
import type { Logger } from '../src/logging.ts';
import { createDelivery } from './delivery.ts';
import { signInEmail } from '../src/email/sign-in.ts';
import { resendPlan } from '../src/email/resend-plan.ts';
import { messagesToSweep } from '../src/email/undelivered.ts';
import { SIGN_IN_MINUTES, signInUrl, type SignInRequest } from '../src/links/sign-in-link.ts';


export interface NotificationDeps {
  db: Db;
  mailer: Mailer;
  /** Slack's Web API for staff with a Slack account (posts never retried blindly: see postClient). */
  slack?: WebClient;
  /** Signs the links the emails carry (forms, upload, questionnaire); without it they point to the application. */
  linkSecret?: string;
  /** The configuration of a PLIE by code (eligibility rules, the commission's channel); the CASA protocol by default. */
  plieConfig?: (code: string) => Promise<PlieConfig>;
  mailFrom: string;
  /** Reply-To of participants' emails without a referent yet (else the sender's address). */
  replyTo?: string;
  appUrl: string;
  logger: Logger;
  /** The proofs' folder: the retention deletes the files whose legal hold is over. */
  proofs?: ProofStore;
}

const TASK_FLAG: Record<TaskNotice, 'remindedAt' | 'escalatedAt' | undefined> = {
  opened: undefined,
  reminder: 'remindedAt',
  escalation: 'escalatedAt',
  received: undefined,
};

/** The signed link each participant email carries (none: the email itself is the message). */
const PARTICIPANT_LINKS: Partial<Record<ParticipantTemplate, LinkPurpose>> = {
  proof_request: 'proof-upload',
  'proof_request.relance': 'proof-upload',
  fse_questionnaire: 'fse-questionnaire',
  'fse_questionnaire.relance': 'fse-questionnaire',
};

/** The appointment an appointment message is about (`parseAppointmentKey`); any other key is a bug of the caller. */
function appointmentOfKey(key: string): { appointmentId: string; sequence: number } {
  const parsed = parseAppointmentKey(key);
  if (!parsed) throw ApplicationFailure.nonRetryable(`not an appointment message key: ${key}`);
  return parsed;
}

/** The task a participant message is about: its key is <task id>/opened or <task id>/reminder/<n>. */
const taskOfKey = (key: string) => key.replace(/\/(opened|reminder\/\d+)$/, '');

/**
 * Tasks and participant messages: to staff in Slack when they have an account, else by email; to
 * participants by email. Each goes through createDelivery: one message per idempotency key.
 */
export function createNotificationActivities(deps: NotificationDeps) {
  const { db } = deps;
  const { deliverOnce, link, slackUserFor } = createDelivery(deps);

  /** The open tasks of a person's digest of `day`: their own, and for the coordination the team's late ones. */
  async function digestTasks(person: Staff, day: CalendarDate) {
    const dayStart = new Date(`${day}T00:00:00Z`);
    const include = { pathway: { include: { participant: true } } } as const;
    // A pathway whose reminders are paused reminds no one until the pause ends.
    const notPaused = { OR: [{ remindersPausedUntil: null }, { remindersPausedUntil: { lte: dayStart } }] };
    const where = { status: 'open', pathway: { participant: { plieCode: person.plieCode }, ...notPaused } };
    const own = await db.task.findMany({ where: { ...where, assigneeEmail: { equals: person.email, mode: 'insensitive' } }, include, orderBy: { dueDate: 'asc' } });
    const team = person.roles.includes('COORDINATEUR')
      ? await db.task.findMany({
          where: { ...where, dueDate: { lt: dayStart }, assigneeRole: { not: 'participant' }, NOT: { assigneeEmail: { equals: person.email, mode: 'insensitive' } } },
          include,
          orderBy: { dueDate: 'asc' },
          take: 50,
        })
      : [];
    return { own, team };
  }

  const activities = {
    /** Tells a member of staff about a task (opened, reminder, escalation). */
    async notifyTask(args: { taskId: string; notice: TaskNotice; to: string; sequence?: number; at?: string }): Promise<void> {
      const idempotencyKey = `${args.taskId}/${args.notice}${args.sequence && args.sequence > 1 ? `/${args.sequence}` : ''}`;
      const decidedAt = args.at ? new Date(args.at) : null;
      const task = await db.task.findUniqueOrThrow({
        where: { id: args.taskId },
        include: { pathway: { include: { participant: true } } },
      });
      if (!isTaskKind(task.kind)) throw ApplicationFailure.nonRetryable(`unknown task kind ${task.kind}`);
      const kind = task.kind;
      const { participant } = task.pathway;
      const flag = TASK_FLAG[args.notice];
      const summary = taskSummary(task, participant);
      const user = await slackUserFor(participant.plieCode, args.to);
      // Staff answer from Slack, or from the form behind a signed link; a proof is read through one.
      const action =
        args.notice === 'received'
          ? link('proof-download', args.taskId, decidedAt ?? new Date(), args.to)
          : link('task-answer', args.taskId, decidedAt ?? new Date(), args.to);
      const slack = user
        ? {
            user,
            content:
              args.notice === 'opened'
                ? openedTaskMessage(summary)
                : args.notice === 'reminder'
                  ? reminderMessage(summary)
                  : args.notice === 'received'
                    ? proofReceivedMessage(summary, action.url)
                    : escalationMessage(summary, await displayName(db, participant.plieCode, task.assigneeEmail || 'participant')),
            ...(args.notice === 'reminder' ? { threadOf: `${args.taskId}/opened` } : {}),
          }
        : undefined;
      await deliverOnce({
        idempotencyKey,
        ...(slack ? { slack } : {}),
        template: `task.${args.notice}`,
        recipient: args.to,
        pathwayId: task.pathwayId,
        decidedAt,
        render: async () =>
          taskNoticeEmail({
            notice: args.notice,
            kind,
            fileReference: fileReference(participant.id),
            initials: initials(participant.firstName, participant.lastName),
            dueDate: fromDbDate(task.dueDate),
            assigneeEmail: task.assigneeEmail ?? 'la personne accompagnée',
            action,
            // The referent without Slack notes the pathway's other facts from a form of their own.
            ...(args.notice === 'opened' && task.assigneeRole === 'referent' ? { facts: link('pathway-action', participant.id, decidedAt ?? new Date(), args.to) } : {}),
          }),
        onSent: async (tx) => {
          if (!flag) return;
          await tx.task.update({
            where: { id: args.taskId },
            data: { [flag]: decidedAt ?? new Date(), ...(args.notice === 'reminder' ? { reminderCount: args.sequence ?? 1 } : {}) },
          });
        },
        audit: { action: `task.notice.${args.notice}`, entityType: 'task', entityId: args.taskId },
      });
    },

    /** A sign-in link asked for on the web console, to an active member of staff. */
    async sendSignInLink(args: SignInRequest): Promise<void> {
      // Checked again here: someone deactivated since the request gets nothing.
      const staff = await staffByEmail(db, args.plieCode, args.email);
      if (!staff) return;
      if (!deps.linkSecret) throw ApplicationFailure.nonRetryable('PLIE_LINK_SECRET manquant : aucun lien de connexion ne peut être signé');
      const secret = deps.linkSecret;
      const config = deps.plieConfig ? await deps.plieConfig(args.plieCode) : CASA_CONFIG;
      await deliverOnce({
        idempotencyKey: `connexion/${args.requestId}`,
        template: 'sign-in',
        recipient: staff.email,
        pathwayId: null,
        decidedAt: new Date(args.requestedAt),
        render: async () => signInEmail({ url: signInUrl(deps.appUrl, args, args.requestedAt, secret), minutes: SIGN_IN_MINUTES, plieName: config.name }),
        audit: { action: 'staff.sign_in_link', entityType: 'staff', entityId: staff.id },
      });
    },

    /**
     * Who may get the morning digest of `day`: the active staff (without a linked Slack account when
     * Slack is on) who have open tasks, or, for the coordination, late tasks in the team. Staff ids
     * only; each digest is then sent by its own activity (sendDigest), once per person and day.
     */
    async digestRecipients(args: { day: CalendarDate }): Promise<string[]> {
      const staff = await db.staff.findMany({ where: { active: true, ...(deps.slack ? { slackUserId: null } : {}) }, orderBy: { id: 'asc' } });
      const recipients: string[] = [];
      for (const person of staff) {
        const { own, team } = await digestTasks(person, args.day);
        if (own.length > 0 || team.length > 0) recipients.push(person.id);
      }
      return recipients;
    },

    /**
     * One person's morning digest: their open tasks (late ones flagged) with a signed link each,
     * the team's late ones for the coordination; once per person and day (its key), whatever the
     * retries. False when there is nothing to send: no task left, someone who left, or an account
     * in Slack (everything reaches them there).
     */
    async sendDigest(args: { staffId: string; day: CalendarDate }): Promise<boolean> {
      const person = await db.staff.findUnique({ where: { id: args.staffId } });
      if (!person?.active) return false;
      if (await slackUserFor(person.plieCode, person.email)) return false;
      const dayStart = new Date(`${args.day}T00:00:00Z`);
      const { own, team } = await digestTasks(person, args.day);
      if (own.length === 0 && team.length === 0) return false;
      const lineOf = (t: (typeof own)[number], withAssignee: boolean): DigestLine => ({
        kind: t.kind as TaskKind,
        fileReference: fileReference(t.pathway.participantId),
        initials: initials(t.pathway.participant.firstName, t.pathway.participant.lastName),
        dueDate: fromDbDate(t.dueDate),
        overdue: t.dueDate < dayStart,
        url: link('task-answer', t.id, dayStart, person.email).url,
        ...(withAssignee ? { assignee: t.assigneeEmail ?? 'la personne accompagnée' } : {}),
      });
      await deliverOnce({
        idempotencyKey: `digest/${person.plieCode}/${person.email.toLowerCase()}/${args.day}`,
        template: 'digest',
        recipient: person.email,
        pathwayId: null,
        decidedAt: dayStart,
        render: async () => digestEmail({ day: args.day, own: own.map((t) => lineOf(t, false)), team: team.map((t) => lineOf(t, true)), linkDays: LINK_DAYS['task-answer'] }),
        audit: { action: 'staff.digest', entityType: 'staff', entityId: person.id },
      });
      return true;
    },

    /**
     * Every digest of the day in one activity: what digests begun before DIGEST_PER_RECIPIENT_PATCH
     * (workflows/digest.ts) replay. Returns how many went.
     */
    async sendDailyDigests(args: { day: CalendarDate }): Promise<number> {
      let sent = 0;
      for (const staffId of await activities.digestRecipients(args)) {
        if (await activities.sendDigest({ staffId, day: args.day })) sent += 1;
      }
      return sent;
    },

    /**
     * The pathway entrusted to another referent: a word to both, and to the new one the open tasks
     * that are now theirs (in Slack they are in the App Home; by email each has its link).
     */
    async notifyReferentChange(args: { pathwayId: string; key: string; from: string | null; to: string; taskIds: string[]; at: string }): Promise<void> {
      const pathway = await db.pathway.findUniqueOrThrow({ where: { id: args.pathwayId }, include: { participant: true } });
      const { participant } = pathway;
      const tasks = await db.task.findMany({ where: { id: { in: args.taskIds }, status: 'open' }, orderBy: { dueDate: 'asc' } });
      const decidedAt = new Date(args.at);
      const common = {
        fileReference: fileReference(participant.id),
        initials: initials(participant.firstName, participant.lastName),
        newReferent: await displayName(db, participant.plieCode, args.to),
        previousReferent: args.from ? await displayName(db, participant.plieCode, args.from) : null,
      };
      // A previous referent who left the PLIE (deactivated) is told nothing more about its people.
      const left = args.from
        ? await db.staff.count({ where: { plieCode: participant.plieCode, active: false, email: { equals: args.from, mode: 'insensitive' } } })
        : 0;
      const told = args.from && left === 0 && args.from.toLowerCase() !== args.to.toLowerCase();
      const recipients = [{ who: 'new' as const, email: args.to }, ...(args.from && told ? [{ who: 'previous' as const, email: args.from }] : [])];
      for (const { who, email } of recipients) {
        const notice = (withLinks: boolean): ReferentChangeNotice => ({
          to: who,
          ...common,
          tasks: tasks.map((t) => ({ kind: t.kind as TaskKind, dueDate: fromDbDate(t.dueDate), ...(withLinks && who === 'new' ? { url: link('task-answer', t.id, decidedAt, email).url } : {}) })),
        });
        const user = await slackUserFor(participant.plieCode, email);
        await deliverOnce({
          idempotencyKey: `${args.key}/${who}`,
          template: `referent.${who}`,
          recipient: email,
          pathwayId: args.pathwayId,
          decidedAt,
          ...(user ? { slack: { user, content: referentChangeSlack(notice(false)) } } : {}),
          render: async () => referentChangeEmail(notice(true)),
          audit: { action: `pathway.referent.notice.${who}`, entityType: 'pathway', entityId: args.pathwayId },
        });
      }
    },

    /**
     * The prescriber's loop (configured per PLIE): the exit or the reorientation, in a few words, to
     * the prescriber of record. Nothing is sent when the PLIE turned it off or no address is known.
     */
    async notifyPrescriber(args: { pathwayId: string; participantId: string; event: 'exit' | 'reorientation'; key: string; at: string }): Promise<void> {
      const participant = await db.participant.findUniqueOrThrow({ where: { id: args.participantId } });
      const config = deps.plieConfig ? await deps.plieConfig(participant.plieCode) : CASA_CONFIG;
      const to = prescriberAddress(participant.prescriberContact, participant.prescriber, config.prescriberNotices.addresses);
      if (!config.prescriberNotices.enabled || !to) {
        deps.logger.info({ pathwayId: args.pathwayId, event: args.event, enabled: config.prescriberNotices.enabled }, 'prescripteur non prévenu (désactivé ou sans adresse)');
        return;
      }
      const pathway = await db.pathway.findUniqueOrThrow({ where: { id: args.pathwayId } });
      const exit = args.event === 'exit' ? await db.exit.findFirst({ where: { pathwayId: args.pathwayId } }) : null;
      if (args.event === 'exit' && !exit) throw new Error(`sortie du parcours ${args.pathwayId} pas encore enregistrée`);
      await deliverOnce({
        idempotencyKey: args.key,
        template: `prescriber.${args.event}`,
        recipient: to,
        pathwayId: args.pathwayId,
        decidedAt: new Date(args.at),
        ...(pathway.referentEmail ? { replyTo: pathway.referentEmail } : {}),
        render: async () =>
          prescriberNoticeEmail({
            plieName: config.name,
            fileReference: fileReference(participant.id),
            initials: initials(participant.firstName, participant.lastName),
            orientedOn: participant.orientationDate ? fromDbDate(participant.orientationDate) : null,
            referent: pathway.referentEmail,
            outcome: exit
              ? { event: 'exit', type: exit.type as ExitType, positiveKind: exit.positiveKind, entryDate: pathway.entryDate ? fromDbDate(pathway.entryDate) : null, exitDate: fromDbDate(exit.date) }
              : { event: 'reorientation' },
          }),
        audit: { action: `prescriber.${args.event}`, entityType: 'pathway', entityId: args.pathwayId },
      });
    },

    /**
     * Emails the participant (convocation, welcome, proof requests, FSE+ questionnaire). Without an
     * address on file the message is recorded as undeliverable and the referent sees it.
     */
    async notifyParticipant(args: { pathwayId: string; participantId: string; template: string; key: string; at: string }): Promise<void> {
      const template = args.template;
      if (!isParticipantTemplate(template)) throw ApplicationFailure.nonRetryable(`unknown participant template ${template}`);
      const participant = await db.participant.findUniqueOrThrow({ where: { id: args.participantId } });
      const pathway = await db.pathway.findUnique({ where: { id: args.pathwayId }, select: { referentEmail: true } });
      if (!participant.email) {
        await db.message.upsert({
          where: { idempotencyKey: args.key },
          create: { idempotencyKey: args.key, channel: 'email', template, recipient: 'participant', status: 'no_address', pathwayId: args.pathwayId, decidedAt: new Date(args.at) },
          update: {},
        });
        return;
      }
      // A reminder of a task already answered by then is not sent (its count stays as it was).
      const taskId = taskOfKey(args.key);
      const task = template.startsWith('proof_request') || template.endsWith('.relance') ? await db.task.findUnique({ where: { id: taskId } }) : null;
      if (template.endsWith('.relance') && task && task.status !== 'open') return;
      await deliverOnce({
        idempotencyKey: args.key,
        template,
        recipient: participant.email,
        pathwayId: args.pathwayId,
        // A reply reaches the person following them; before a referent is named, the configured box.
        ...(pathway?.referentEmail ? { replyTo: pathway.referentEmail } : deps.replyTo ? { replyTo: deps.replyTo } : {}),
        decidedAt: new Date(args.at),
        render: async () => {
          const purpose = PARTICIPANT_LINKS[template];
          const url = purpose ? link(purpose, taskId, new Date(args.at)).url : deps.appUrl;
          if (!template.startsWith('rendez_vous')) return participantEmail(template, { firstName: participant.firstName, link: url, proofKind: task?.proofKind ?? null });
          const { appointmentId, sequence } = appointmentOfKey(args.key);
          const appointment = await db.appointment.findUniqueOrThrow({ where: { id: uuidFromKey(appointmentId) } });
          const referent = pathway?.referentEmail ? await staffByEmail(db, participant.plieCode, pathway.referentEmail) : null;
          const email = participantEmail(template, {
            firstName: participant.firstName,
            link: url,
            appointment: { when: frenchDateTime(appointment.at), place: appointment.place ?? '', first: appointment.kind === 'PREMIER_ENTRETIEN' },
          });
          if (template === 'rendez_vous.rappel') return email;
          const cancelled = template === 'rendez_vous.annulation';
          const invitation = appointmentInvitation({
            uid: `${appointment.id}@plie`,
            // An older message sent again carries the appointment as it now stands, in its latest version.
            sequence: Math.max(sequence, appointment.sequence),
            cancelled,
            start: appointment.at,
            durationMinutes: appointment.durationMinutes ?? 60,
            summary: appointment.kind === 'PREMIER_ENTRETIEN' ? 'Premier entretien au PLIE' : 'Rendez-vous au PLIE',
            location: appointment.place ?? '',
            organizer: { name: referent?.name ?? 'Votre référent·e PLIE', email: pathway?.referentEmail ?? addressOf(deps.mailFrom) },
            attendee: { name: `${participant.firstName} ${participant.lastName}`, email: participant.email! },
          });
          return { ...email, icalEvent: { method: cancelled ? 'CANCEL' : 'REQUEST', filename: 'rendez-vous.ics', content: invitation } };
        },
        onSent: async (tx) => {
          if (!template.endsWith('.relance')) return;
          const sequence = Number(args.key.split('/').at(-1));
          await tx.task.update({ where: { id: taskId }, data: { remindedAt: new Date(args.at), reminderCount: sequence } });
        },
        audit: { action: `participant.email.${template}`, entityType: 'pathway', entityId: args.pathwayId },
      });
    },
  };

  return {
    ...activities,
    /**
     * What the sweep of messages sends again now: messages that failed, or stayed pending after
     * Temporal's retries, a few minutes ago or more (see src/email/undelivered.ts). Their ids, and
     * whether each is a marché's (sent again by resendMarcheMessage).
     */
    async messagesToSweep(args: { at: string; plieCode?: string }): Promise<Array<{ id: string; marche: boolean }>> {
      return await messagesToSweep(db, { now: Date.parse(args.at), ...(args.plieCode ? { plieCode: args.plieCode } : {}) });
    },
    /**
     * A message that did not go out, sent again at the coordination's request (same key: never twice).
     * Only participants' emails and tasks' notices (see resendPlan); a message sent since is left alone.
     */
    async resendMessage(args: { messageId: string }): Promise<string> {
      const message = await db.message.findUnique({ where: { id: args.messageId } });
      const plan = message ? resendPlan(message) : null;
      // A marché's email goes again through the marché's own activity (resendMarcheMessage).
      if (!message || !plan || plan.kind === 'marche') return message?.status ?? 'unknown';
      // Asked from a page read earlier: the appointment may have been cancelled or passed since.
      if ((await staleAppointmentMessages(db, [message], Date.now())).has(message.id)) return 'stale';
      const at = (message.decidedAt ?? message.createdAt).toISOString();
      if (plan.kind === 'task') {
        await activities.notifyTask({ taskId: plan.taskId, notice: plan.notice, to: plan.to, ...(plan.sequence ? { sequence: plan.sequence } : {}), at });
      } else {
        const pathway = await db.pathway.findUniqueOrThrow({ where: { id: plan.pathwayId }, select: { participantId: true } });
        if (plan.kind === 'prescriber') await activities.notifyPrescriber({ pathwayId: plan.pathwayId, participantId: pathway.participantId, event: plan.event, key: plan.key, at });
        else await activities.notifyParticipant({ pathwayId: plan.pathwayId, participantId: pathway.participantId, template: plan.template, key: plan.key, at });
      }
      // Still without an address, it stays held: say so rather than « sent ».
      return (await db.message.findUniqueOrThrow({ where: { id: message.id } })).status;
    },
  };
}

type TaskRow = { id: string; kind: string; dueDate: Date };
type ParticipantRow = { id: string; firstName: string; lastName: string; eligibility: unknown };

export function taskSummary(task: TaskRow, participant: ParticipantRow): TaskSummary {
  const assessed = participant.eligibility as { decision?: string; reasons?: Array<{ effect?: string; text?: string }> } | null;
  const eligibility = assessed?.decision ?? null;
  // The notices' texts are the rule's, never the person's: they may go to Slack.
  const eligibilityNotices = (assessed?.reasons ?? []).flatMap((r) => (r.effect === 'notice' && r.text ? [r.text] : []));
  return {
    taskId: task.id,
    kind: task.kind as TaskKind,
    fileReference: fileReference(participant.id),
    initials: initials(participant.firstName, participant.lastName),
    dueDate: fromDbDate(task.dueDate),
    ...(task.kind === 'assign_referent' ? { eligibility, ...(eligibilityNotices.length ? { eligibilityNotices } : {}) } : {}),
  };
}

/** « mardi 8 décembre 2026 à 14h00 », in Paris time. */
export function frenchDateTime(at: Date): string {
  return DateTime.fromJSDate(at).setZone('Europe/Paris').setLocale('fr').toFormat("cccc d LLLL yyyy 'à' HH'h'mm");
}

/** The address inside « Name <address> ». */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}
