/**
 * Activities of the marché workflow: who works under the clause in a month, the company's hours
 * (declared, validated), the closing, and the messages (the company's monthly form, the
 * facilitator's prompts, the bilan). Each is idempotent: a retry finds its work done.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { PaceCheck } from '../src/domain/clauses.ts';
import { checkPace } from '../src/domain/clauses.ts';
import { parisDate } from '../src/domain/dates.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import { bilanEmail, facilitatorPromptEmail, hoursRequestEmail, type FacilitatorPrompt, type HoursRequestKind, type MarcheFacts } from '../src/email/marche-templates.ts';
import { bilanMarkdown, bilanXlsx, loadMarcheBilan } from '../src/marches/bilan.ts';
import { declaredHours, personsOfMonth, recordHours } from '../src/marches/hours.ts';
import { periodOf } from '../src/marches/register.ts';
import { InvalidInputError } from '../src/participants/create.ts';
import { bilanMessage, marchePromptMessage } from '../src/slack/marche-message.ts';
import { audit } from '../src/db/audit.ts';
import { createDelivery } from './delivery.ts';
import type { NotificationDeps } from './notifications.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function createMarcheActivities(deps: NotificationDeps & { plieConfig: (code: string) => Promise<PlieConfig> }) {
  const { db } = deps;
  const { deliverOnce, link, slackUserFor } = createDelivery(deps);

  async function marcheOf(marcheId: string) {
    const marche = await db.marche.findUnique({ where: { id: marcheId } });
    if (!marche) throw ApplicationFailure.nonRetryable(`marché inconnu ${marcheId}`);
    return marche;
  }
  const factsOf = (m: { externalId: string; title: string; buyer: string; company: string | null }): MarcheFacts => ({ reference: m.externalId, title: m.title, buyer: m.buyer, company: m.company });

  /** Input refused by the records' own checks: final, a retry would refuse it again. */
  async function checked<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidInputError) throw ApplicationFailure.nonRetryable(error.problems.join(' ; '), 'InvalidInput');
      throw error;
    }
  }

  async function paceOf(marche: { id: string; plieCode: string; start: Date; end: Date | null; plannedHours: number }, at: Date): Promise<PaceCheck> {
    const { clauses } = await deps.plieConfig(marche.plieCode);
    const validated = await db.hoursDeclaration.aggregate({ where: { marcheId: marche.id, status: 'VALIDEE' }, _sum: { hours: true } });
    return checkPace(clauses, periodOf(marche), Math.round(validated._sum.hours ?? 0), parisDate(at));
  }

  return {
    /** How many persons worked under the clause in the month (none: nothing to ask the company). */
    async marchePersons(args: { marcheId: string; month: string }): Promise<number> {
      return (await personsOfMonth(db, args.marcheId, args.month)).length;
    },

    /** Emails the company's contact the month's hours form (first request, chaser, or correction). */
    async requestMarcheHours(args: { marcheId: string; month: string; kind: HoursRequestKind; comment?: string; replyTo: string; key: string; at: string }): Promise<void> {
      const marche = await marcheOf(args.marcheId);
      if (!marche.contactEmail) throw ApplicationFailure.nonRetryable(`le marché ${marche.externalId} n’a pas de contact`);
      const at = new Date(args.at);
      const persons = (await personsOfMonth(db, marche.id, args.month)).length;
      await deliverOnce({
        idempotencyKey: args.key,
        template: `marche.heures.${args.kind}`,
        recipient: marche.contactEmail,
        pathwayId: null,
        decidedAt: at,
        replyTo: args.replyTo,
        render: async () => {
          const action = link('hours-declaration', `${marche.id}/${args.month}`, at, marche.contactEmail!);
          return hoursRequestEmail({ kind: args.kind, marche: factsOf(marche), month: args.month, persons, ...action, ...(args.comment ? { comment: args.comment } : {}) });
        },
        audit: { action: `marche.hours.${args.kind}`, entityType: 'marche', entityId: marche.id },
      });
    },

    async saveMarcheHours(args: { marcheId: string; month: string; hours: Record<string, number>; actor: string; channel: string; at: string }): Promise<void> {
      const marche = await marcheOf(args.marcheId);
      const { clauses } = await deps.plieConfig(marche.plieCode);
      await checked(() => recordHours(db, clauses, marche.id, { month: args.month, hours: args.hours }, { actor: args.actor, channel: args.channel, validate: false, now: new Date(args.at) }));
    },

    /** Validates what was declared for the month; returns where the marché then stands against its pace. */
    async validateMarcheHours(args: { marcheId: string; month: string; actor: string; channel: string; at: string }): Promise<PaceCheck> {
      const marche = await marcheOf(args.marcheId);
      const { clauses } = await deps.plieConfig(marche.plieCode);
      const hours = await declaredHours(db, marche.id, args.month);
      const { pace } = await checked(() => recordHours(db, clauses, marche.id, { month: args.month, hours }, { actor: args.actor, channel: args.channel, validate: true, now: new Date(args.at) }));
      return pace;
    },

    async closeMarcheRecord(args: { marcheId: string; actor: string; at: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const marche = await tx.marche.findUniqueOrThrow({ where: { id: args.marcheId } });
        if (marche.status !== 'CLOS') await tx.marche.update({ where: { id: marche.id }, data: { status: 'CLOS', closedAt: new Date(args.at) } });
        await audit(tx, { idempotencyKey: `marche/${marche.id}/close`, actor: args.actor, channel: 'workflow', action: 'marche.close', entityType: 'marche', entityId: marche.id });
      });
    },

    /** Prompts the facilitator: in Slack when she has an account, else by email with a signed link. */
    async promptFacilitator(args: { marcheId: string; month: string; prompt: FacilitatorPrompt; requests?: number; to: string; key: string; at: string }): Promise<void> {
      const marche = await marcheOf(args.marcheId);
      const at = new Date(args.at);
      const facts = {
        marche: factsOf(marche),
        month: args.month,
        ...(args.prompt === 'validate' ? { declared: await declaredHours(db, marche.id, args.month) } : {}),
        ...(args.prompt === 'pace' ? { pace: await paceOf(marche, at) } : {}),
        ...(args.requests ? { requests: args.requests } : {}),
      };
      const user = await slackUserFor(marche.plieCode, args.to);
      await deliverOnce({
        idempotencyKey: args.key,
        template: `marche.${args.prompt}`,
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        ...(user ? { slack: { user, content: marchePromptMessage(args.prompt, facts, { marcheId: marche.id, month: args.month }) } } : {}),
        render: async () => facilitatorPromptEmail(args.prompt, facts, args.prompt === 'pace' ? null : link('hours-review', `${marche.id}/${args.month}`, at, args.to)),
        audit: { action: `marche.prompt.${args.prompt}`, entityType: 'marche', entityId: marche.id },
      });
    },

    /** The bilan to the facilitator by email, as a document and a workbook (and a word in Slack when she has it). */
    async sendMarcheBilan(args: { marcheId: string; to: string; key: string; at: string }): Promise<void> {
      const marche = await marcheOf(args.marcheId);
      const { clauses } = await deps.plieConfig(marche.plieCode);
      const at = new Date(args.at);
      const document = (await loadMarcheBilan(db, clauses, marche.id, at))!;
      const figures = document.bilan;
      await deliverOnce({
        idempotencyKey: args.key,
        template: 'marche.bilan',
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        render: async () => ({
          ...bilanEmail(factsOf(marche), figures),
          attachments: [
            { filename: `bilan-${marche.externalId.replace(/[^A-Za-z0-9._-]/g, '-')}.md`, content: bilanMarkdown(document), contentType: 'text/markdown; charset=utf-8' },
            { filename: `bilan-${marche.externalId.replace(/[^A-Za-z0-9._-]/g, '-')}.xlsx`, content: await bilanXlsx(document), contentType: XLSX },
          ],
        }),
        audit: { action: 'marche.bilan', entityType: 'marche', entityId: marche.id },
      });
      const user = await slackUserFor(marche.plieCode, args.to);
      if (!user) return;
      await deliverOnce({
        idempotencyKey: `${args.key}/slack`,
        template: 'marche.bilan',
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        slack: { user, content: bilanMessage(marche.externalId, figures) },
        render: async () => bilanEmail(factsOf(marche), figures),
        audit: { action: 'marche.bilan.slack', entityType: 'marche', entityId: marche.id },
      });
    },
  };
}
