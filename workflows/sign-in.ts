/** A sign-in link asked for on the web console, sent by email with a few quick retries (it is valid 15 minutes). */
import type { SignInRequest } from '../src/links/sign-in-link.ts';
import { signInNotices } from './proxies.ts';

export const SIGN_IN_WORKFLOW = 'signInLinkWorkflow';

export const signInWorkflowId = (requestId: string) => `connexion-${requestId}`;

export async function signInLinkWorkflow(request: SignInRequest): Promise<void> {
  await signInNotices.sendSignInLink(request);
}
