export { parcoursWorkflow } from './parcours.ts';
