/**
 * A marché's email that did not go out is worth sending again only while it still asks something:
 * not once the marché is closed, nor, for the month's request or a prompt to validate or chase it,
 * once that month's hours are validated (the pace's alert, which follows the validation, still goes).
 */
import type { Db } from '../db/client.ts';
import { resendPlan } from '../email/resend-plan.ts';

type MessageRow = { id: string; idempotencyKey: string; template: string; recipient: string; pathwayId: string | null; status: string };

/** What keeps each marché message from going again, by message id (absent: it may go). */
export async function staleMarcheMessages(db: Db, messages: MessageRow[]): Promise<Map<string, string>> {
  const plans = messages.flatMap((m) => {
    const plan = resendPlan(m);
    return plan?.kind === 'marche' ? [{ message: m, plan }] : [];
  });
  if (plans.length === 0) return new Map();
  const marcheIds = [...new Set(plans.map((p) => p.plan.marcheId))];
  const [marches, validated] = await Promise.all([
    db.procurement.findMany({ where: { id: { in: marcheIds } }, select: { id: true, status: true } }),
    db.hoursDeclaration.findMany({ where: { procurementId: { in: marcheIds }, status: 'VALIDEE' }, select: { procurementId: true, month: true }, distinct: ['procurementId', 'month'] }),
  ]);
  const closed = new Set(marches.filter((m) => m.status === 'CLOS').map((m) => m.id));
  const done = new Set(validated.map((v) => `${v.procurementId}/${v.month}`));
  const stale = new Map<string, string>();
  for (const { message, plan } of plans) {
    if (plan.email === 'bilan') continue;
    if (closed.has(plan.marcheId)) stale.set(message.id, 'le marché est clos');
    // The pace's alert comes after the validation: it still holds.
    else if (!(plan.email === 'prompt' && plan.prompt === 'pace') && done.has(`${plan.marcheId}/${plan.month}`)) stale.set(message.id, 'les heures de ce mois sont validées');
  }
  return stale;
}
