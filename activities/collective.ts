/** Activities of collective actions: invitations recorded and emailed (with the event), attendance, the organiser's prompt. */
import { ApplicationFailure } from '@temporalio/common';
import type { KnownBlock } from '@slack/types';
import { checkInvitees, recordAttendance, recordInvitations } from '../src/collective/actions.ts';
import type { CollectiveFigures, CollectiveKind } from '../src/domain/collective-actions.ts';
import { appointmentInvitation } from '../src/email/calendar.ts';
import { attendancePromptEmail, collectiveParticipantEmail, type CollectiveWords } from '../src/email/collective-templates.ts';
import { InvalidInputError } from '../src/participants/create.ts';
import { createDelivery } from './delivery.ts';
import { frenchDateTime, type NotificationDeps } from './notifications.ts';

export function createCollectiveActivities(deps: NotificationDeps) {
  const { db } = deps;
  const { deliverOnce, link, slackUserFor } = createDelivery(deps);

  async function actionOf(actionId: string) {
    const action = await db.collectiveAction.findUnique({ where: { id: actionId }, include: { invitations: true } });
    if (!action) throw ApplicationFailure.nonRetryable(`action collective inconnue ${actionId}`);
    return action;
  }
  const wordsOf = (a: { kind: string; title: string; company: string | null; at: Date; place: string }): CollectiveWords => ({ kind: a.kind as CollectiveKind, title: a.title, company: a.company, when: frenchDateTime(a.at), place: a.place });

  return {
    async saveInvitations(args: { actionId: string; participantIds: string[]; actor: string }): Promise<void> {
      if (args.participantIds.length === 0) return;
      try {
        // Only the PLIE's own participants, whoever sent the ids.
        await recordInvitations(db, args.actionId, await checkInvitees(db, args.actionId, args.participantIds), args.actor);
      } catch (error) {
        if (error instanceof InvalidInputError) throw ApplicationFailure.nonRetryable(error.problems.join(' ; '), 'InvalidInput');
        throw error;
      }
    },

    async saveAttendance(args: { actionId: string; present: string[]; misesEnRelation: string[]; hires: string[]; actor: string; channel: string }): Promise<CollectiveFigures> {
      try {
        return await recordAttendance(db, args.actionId, args, args.actor, args.channel);
      } catch (error) {
        if (error instanceof InvalidInputError) throw ApplicationFailure.nonRetryable(error.problems.join(' ; '), 'InvalidInput');
        throw error;
      }
    },

    /** The participant's invitation (with the iCalendar event) or reminder; recorded as undeliverable without an address. */
    async sendCollectiveEmail(args: { actionId: string; participantId: string; kind: 'invitation' | 'rappel'; key: string; at: string }): Promise<void> {
      const action = await actionOf(args.actionId);
      const participant = await db.participant.findUniqueOrThrow({ where: { id: args.participantId } });
      const template = `collective.${args.kind}`;
      if (!participant.email) {
        await db.message.upsert({ where: { idempotencyKey: args.key }, create: { idempotencyKey: args.key, channel: 'email', template, recipient: 'participant', status: 'no_address', decidedAt: new Date(args.at) }, update: {} });
        return;
      }
      const email = participant.email;
      await deliverOnce({
        idempotencyKey: args.key,
        template,
        recipient: email,
        pathwayId: null,
        decidedAt: new Date(args.at),
        replyTo: action.organizerEmail,
        render: async () => {
          const rendered = collectiveParticipantEmail(args.kind, participant.firstName, wordsOf(action));
          if (args.kind === 'rappel') return rendered;
          const event = appointmentInvitation({
            uid: `${action.id}-${participant.id}@plie`,
            sequence: 0,
            start: action.at,
            durationMinutes: action.durationMinutes,
            summary: action.title,
            location: action.place,
            organizer: { name: 'PLIE', email: action.organizerEmail },
            attendee: { name: `${participant.firstName} ${participant.lastName}`, email },
          });
          return { ...rendered, icalEvent: { method: 'REQUEST', filename: 'invitation.ics', content: event } };
        },
        audit: { action: template, entityType: 'collective_action', entityId: action.id },
      });
    },

    /** Asks the organiser who came and what it led to: a signed link to the form, in Slack or by email. */
    async promptAttendance(args: { actionId: string; to: string; key: string; at: string }): Promise<void> {
      const action = await actionOf(args.actionId);
      const at = new Date(args.at);
      const form = link('attendance', action.id, at, args.to);
      const rendered = attendancePromptEmail(wordsOf(action), action.invitations.length, form);
      const user = await slackUserFor(action.plieCode, args.to);
      const blocks: KnownBlock[] = [
        { type: 'section', text: { type: 'mrkdwn', text: rendered.text.split('\n\n')[0]! } },
        { type: 'actions', block_id: `attendance:${action.id}`, elements: [{ type: 'button', action_id: 'attendance_open', style: 'primary', text: { type: 'plain_text', text: 'Saisir la présence' }, url: form.url }] },
      ];
      await deliverOnce({
        idempotencyKey: args.key,
        template: 'collective.presence',
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        ...(user ? { slack: { user, content: { text: rendered.subject, blocks } } } : {}),
        render: async () => rendered,
        audit: { action: 'collective.prompt', entityType: 'collective_action', entityId: action.id },
      });
    },
  };
}
