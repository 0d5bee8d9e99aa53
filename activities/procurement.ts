/**
 * Activities of the procurement (marché à clause d'insertion) workflow: who works under the clause in a month, the company's hours
 * (declared, validated), the closing, and the messages (the company's monthly form, the
 * facilitator's prompts, the bilan). Each is idempotent: a retry finds its work done.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { PaceCheck } from '../src/domain/procurement.ts';
import { checkPace } from '../src/domain/procurement.ts';
import { parisDate } from '../src/domain/dates.ts';
import type { PlieConfig } from '../src/domain/plie-config.ts';
import { bilanEmail, facilitatorPromptEmail, hoursRequestEmail, type FacilitatorPrompt, type HoursRequestKind, type ProcurementFacts } from '../src/email/procurement-templates.ts';
import { bilanMarkdown, bilanXlsx, loadProcurementBilan } from '../src/procurement/bilan.ts';
import { declaredHours, personsOfMonth, recordHours } from '../src/procurement/hours.ts';
import { periodOf } from '../src/procurement/register.ts';
import { InvalidInputError } from '../src/participants/create.ts';
import { bilanMessage, procurementPromptMessage } from '../src/slack/procurement-message.ts';
import { audit } from '../src/db/audit.ts';
import { createDelivery } from './delivery.ts';
import { resendPlan } from '../src/email/resend-plan.ts';
import { facilitatorOf } from '../src/procurement/start.ts';
import { staleMarcheMessages } from '../src/procurement/stale-messages.ts';
import type { NotificationDeps } from './notifications.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function createProcurementActivities(deps: NotificationDeps & { plieConfig: (code: string) => Promise<PlieConfig> }) {
  const { db } = deps;
  const { deliverOnce, link, slackUserFor } = createDelivery(deps);

  async function procurementOf(procurementId: string) {
    const procurement = await db.procurement.findUnique({ where: { id: procurementId } });
    if (!procurement) throw ApplicationFailure.nonRetryable(`marché inconnu ${procurementId}`);
    return procurement;
  }
  const factsOf = (m: { externalId: string; title: string; buyer: string; company: string | null }): ProcurementFacts => ({ reference: m.externalId, title: m.title, buyer: m.buyer, company: m.company });

  /** Input refused by the records' own checks: final, a retry would refuse it again. */
  async function checked<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidInputError) throw ApplicationFailure.nonRetryable(error.problems.join(' ; '), 'InvalidInput');
      throw error;
    }
  }

  async function paceOf(procurement: { id: string; plieCode: string; start: Date; end: Date | null; plannedHours: number }, at: Date): Promise<PaceCheck> {
    const { clauses } = await deps.plieConfig(procurement.plieCode);
    const validated = await db.hoursDeclaration.aggregate({ where: { procurementId: procurement.id, status: 'VALIDEE' }, _sum: { hours: true } });
    return checkPace(clauses, periodOf(procurement), Math.round(validated._sum.hours ?? 0), parisDate(at));
  }

  const activities = {
    /** How many persons worked under the clause in the month (none: nothing to ask the company). */
    async marchePersons(args: { marcheId: string; month: string }): Promise<number> {
      return (await personsOfMonth(db, args.marcheId, args.month)).length;
    },

    /** Emails the company's contact the month's hours form (first request, chaser, or correction). */
    async requestMarcheHours(args: { marcheId: string; month: string; kind: HoursRequestKind; comment?: string; replyTo: string; key: string; at: string }): Promise<void> {
      const procurement = await procurementOf(args.marcheId);
      if (!procurement.contactEmail) throw ApplicationFailure.nonRetryable(`le marché ${procurement.externalId} n’a pas de contact`);
      const at = new Date(args.at);
      const persons = (await personsOfMonth(db, procurement.id, args.month)).length;
      await deliverOnce({
        idempotencyKey: args.key,
        template: `marche.heures.${args.kind}`,
        recipient: procurement.contactEmail,
        pathwayId: null,
        decidedAt: at,
        replyTo: args.replyTo,
        render: async () => {
          const action = link('hours-declaration', `${procurement.id}/${args.month}`, at, procurement.contactEmail!);
          return hoursRequestEmail({ kind: args.kind, procurement: factsOf(procurement), month: args.month, persons, ...action, ...(args.comment ? { comment: args.comment } : {}) });
        },
        audit: { action: `marche.hours.${args.kind}`, entityType: 'marche', entityId: procurement.id },
      });
    },

    async saveMarcheHours(args: { marcheId: string; month: string; hours: Record<string, number>; actor: string; channel: string; at: string }): Promise<void> {
      const procurement = await procurementOf(args.marcheId);
      const { clauses } = await deps.plieConfig(procurement.plieCode);
      await checked(() => recordHours(db, clauses, procurement.id, { month: args.month, hours: args.hours }, { actor: args.actor, channel: args.channel, validate: false, now: new Date(args.at) }));
    },

    /** Validates what was declared for the month; returns where the marché then stands against its pace. */
    async validateMarcheHours(args: { marcheId: string; month: string; actor: string; channel: string; at: string }): Promise<PaceCheck> {
      const procurement = await procurementOf(args.marcheId);
      const { clauses } = await deps.plieConfig(procurement.plieCode);
      const hours = await declaredHours(db, procurement.id, args.month);
      const { pace } = await checked(() => recordHours(db, clauses, procurement.id, { month: args.month, hours }, { actor: args.actor, channel: args.channel, validate: true, now: new Date(args.at) }));
      return pace;
    },

    async closeMarcheRecord(args: { marcheId: string; actor: string; at: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const procurement = await tx.procurement.findUniqueOrThrow({ where: { id: args.marcheId } });
        if (procurement.status !== 'CLOS') await tx.procurement.update({ where: { id: procurement.id }, data: { status: 'CLOS', closedAt: new Date(args.at) } });
        await audit(tx, { idempotencyKey: `marche/${procurement.id}/close`, actor: args.actor, channel: 'workflow', action: 'marche.close', entityType: 'marche', entityId: procurement.id });
      });
    },

    /** Prompts the facilitator: in Slack when she has an account, else by email with a signed link. */
    async promptFacilitator(args: { marcheId: string; month: string; prompt: FacilitatorPrompt; requests?: number; to: string; key: string; at: string }): Promise<void> {
      const procurement = await procurementOf(args.marcheId);
      const at = new Date(args.at);
      const facts = {
        procurement: factsOf(procurement),
        month: args.month,
        ...(args.prompt === 'validate' ? { declared: await declaredHours(db, procurement.id, args.month) } : {}),
        ...(args.prompt === 'pace' ? { pace: await paceOf(procurement, at) } : {}),
        ...(args.requests ? { requests: args.requests } : {}),
      };
      const user = await slackUserFor(procurement.plieCode, args.to);
      await deliverOnce({
        idempotencyKey: args.key,
        template: `marche.${args.prompt}`,
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        ...(user ? { slack: { user, content: procurementPromptMessage(args.prompt, facts, { marcheId: procurement.id, month: args.month }) } } : {}),
        render: async () => facilitatorPromptEmail(args.prompt, facts, args.prompt === 'pace' ? null : link('hours-review', `${procurement.id}/${args.month}`, at, args.to)),
        audit: { action: `marche.prompt.${args.prompt}`, entityType: 'marche', entityId: procurement.id },
      });
    },

    /**
     * A marché's email that did not go out, sent again at the coordination's request under its own
     * key (never twice): the month's request to the company (its answers reach the facilitator), a
     * prompt to the facilitator, or the bilan.
     */
    async resendMarcheMessage(args: { messageId: string }): Promise<string> {
      const message = await db.message.findUnique({ where: { id: args.messageId } });
      const plan = message ? resendPlan(message) : null;
      if (!message || plan?.kind !== 'marche') return message?.status ?? 'unknown';
      // Asked from a page read earlier: the marché may have been closed, or the month validated, since.
      if ((await staleMarcheMessages(db, [message])).has(message.id)) return 'stale';
      // Its links are signed now: those of the first sending may have expired.
      const at = new Date().toISOString();
      if (plan.email === 'request') {
        const procurement = await procurementOf(plan.marcheId);
        const config = await deps.plieConfig(procurement.plieCode);
        const replyTo = facilitatorOf(procurement, config, config.coordinationEmail ?? deps.replyTo ?? (/<([^>]+)>/.exec(deps.mailFrom)?.[1] ?? deps.mailFrom));
        await activities.requestMarcheHours({ marcheId: plan.marcheId, month: plan.month, kind: plan.request, replyTo, key: plan.key, at });
      } else if (plan.email === 'prompt') {
        const requests = await db.message.count({ where: { idempotencyKey: { startsWith: `marche/${plan.marcheId}/${plan.month}/request/` } } });
        await activities.promptFacilitator({ marcheId: plan.marcheId, month: plan.month, prompt: plan.prompt, requests, to: plan.to, key: plan.key, at });
      } else {
        await activities.sendMarcheBilan({ marcheId: plan.marcheId, to: plan.to, key: plan.key, at });
      }
      return (await db.message.findUniqueOrThrow({ where: { id: message.id } })).status;
    },

    /** The bilan to the facilitator by email, as a document and a workbook (and a word in Slack when she has it). */
    async sendMarcheBilan(args: { marcheId: string; to: string; key: string; at: string }): Promise<void> {
      const procurement = await procurementOf(args.marcheId);
      const { clauses } = await deps.plieConfig(procurement.plieCode);
      const at = new Date(args.at);
      const document = (await loadProcurementBilan(db, clauses, procurement.id, at))!;
      const figures = document.bilan;
      await deliverOnce({
        idempotencyKey: args.key,
        template: 'marche.bilan',
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        render: async () => ({
          ...bilanEmail(factsOf(procurement), figures),
          attachments: [
            { filename: `bilan-${procurement.externalId.replace(/[^A-Za-z0-9._-]/g, '-')}.md`, content: bilanMarkdown(document), contentType: 'text/markdown; charset=utf-8' },
            { filename: `bilan-${procurement.externalId.replace(/[^A-Za-z0-9._-]/g, '-')}.xlsx`, content: await bilanXlsx(document), contentType: XLSX },
          ],
        }),
        audit: { action: 'marche.bilan', entityType: 'marche', entityId: procurement.id },
      });
      const user = await slackUserFor(procurement.plieCode, args.to);
      if (!user) return;
      await deliverOnce({
        idempotencyKey: `${args.key}/slack`,
        template: 'marche.bilan',
        recipient: args.to,
        pathwayId: null,
        decidedAt: at,
        // The bilan itself went by email just before: Slack refusing this word sends nothing again.
        slack: { user, content: bilanMessage(procurement.externalId, figures), noEmailFallback: true },
        render: async () => bilanEmail(factsOf(procurement), figures),
        audit: { action: 'marche.bilan.slack', entityType: 'marche', entityId: procurement.id },
      });
    },
  };
  return activities;
}
