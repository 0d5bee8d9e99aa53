/** A message that did not go out, sent again at the coordination's request (from the console's « Messages »). */
import { resendMarcheNotices, resendNotices } from './proxies.ts';

export const RESEND_WORKFLOW = 'resendMessageWorkflow';
/** A marché's email (the month's request, a prompt to the facilitator, the bilan). */
export const RESEND_MARCHE_WORKFLOW = 'resendMarcheMessageWorkflow';

export async function resendMessageWorkflow(args: { messageId: string }): Promise<string> {
  return await resendNotices.resendMessage(args);
}

export async function resendMarcheMessageWorkflow(args: { messageId: string }): Promise<string> {
  return await resendMarcheNotices.resendMarcheMessage(args);
}
