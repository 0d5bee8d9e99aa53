import { describe, expect, it } from 'vitest';
import { timelineLabel } from '../../src/web/console/timeline.ts';

describe('the timeline of a file, in French', () => {
  it.each([
    ['pathway.stage', { stage: 'active' }, 'Étape : Parcours actif'],
    ['pathway.stage', { stage: 'inconnue' }, 'pathway.stage'],
    ['task.open', { kind: 'log_contact' }, 'Tâche ouverte : Reprendre contact avec la personne accompagnée'],
    ['pathway.contract', {}, 'Contrat signé'],
    ['pathway.referentChanged', { from: 'a', to: 'b' }, 'Changement de référent·e'],
    ['pathway.contact', {}, 'Contact noté'],
    ['pathway.toString', {}, 'pathway.toString'],
    ['participant.read', null, 'Dossier consulté'],
    ['quelque.chose', undefined, 'quelque.chose'],
    ['participant.email.entree', {}, 'Email à la personne : Bienvenue dans le PLIE'],
    ['participant.email.inconnu', {}, 'Email à la personne : inconnu'],
    ['task.notice.escalation', {}, 'Retard signalé à la coordination'],
    ['task.expired', {}, 'Tâche close sans réponse (plus nécessaire)'],
    ['task.cancelled', {}, 'Tâche annulée'],
  ])('%s %j → %s', (action, details, label) => {
    expect(timelineLabel(action, details)).toBe(label);
  });
});
