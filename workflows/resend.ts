/** A message that did not go out, sent again at the coordination's request (from the console's « Messages »). */
import { resendNotices } from './proxies.ts';

export const RESEND_WORKFLOW = 'resendMessageWorkflow';

export async function resendMessageWorkflow(args: { messageId: string }): Promise<string> {
  return await resendNotices.resendMessage(args);
}
