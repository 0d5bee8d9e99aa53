export { parcoursWorkflow } from './pathway.ts';
export { commissionWorkflow } from './commission.ts';
export { dailyDigestWorkflow } from './digest.ts';
export { retentionWorkflow } from './retention.ts';
export { marcheWorkflow } from './procurement.ts';
export { offreWorkflow } from './offer.ts';
export { collectiveActionWorkflow } from './collective.ts';
export { signInLinkWorkflow } from './sign-in.ts';
export { resendMarcheMessageWorkflow, resendMessageWorkflow } from './resend.ts';
