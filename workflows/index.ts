import { stopJudgingTypedInput } from '../src/domain/validation.ts';

// What people type is judged at the boundaries: workflows replay whatever was accepted then (src/domain/validation.ts).
stopJudgingTypedInput();

export { parcoursWorkflow } from './pathway.ts';
export { commissionWorkflow } from './commission.ts';
export { dailyDigestWorkflow } from './digest.ts';
export { messageSweepWorkflow } from './message-sweep.ts';
export { retentionWorkflow } from './retention.ts';
export { marcheWorkflow } from './procurement.ts';
export { offreWorkflow } from './offer.ts';
export { collectiveActionWorkflow } from './collective.ts';
export { signInLinkWorkflow } from './sign-in.ts';
export { resendMarcheMessageWorkflow, resendMessageWorkflow } from './resend.ts';
