export { parcoursWorkflow } from './parcours.ts';
export { commissionWorkflow } from './commission.ts';
export { dailyDigestWorkflow } from './digest.ts';
export { marcheWorkflow } from './marche.ts';
export { offreWorkflow } from './offre.ts';
export { collectiveActionWorkflow } from './collective.ts';
