import { describe, expect, it } from 'vitest';
import type { CollectiveKind } from '../../src/domain/collective-actions.ts';
import { attendancePromptEmail, collectiveParticipantEmail } from '../../src/email/collective-templates.ts';

const words = (kind: CollectiveKind) => ({ kind, title: 'Les métiers de l’hôtellerie', company: 'Hôtel du Cap', when: 'mardi 8 décembre 2026 à 14h00', place: 'Antibes' });

describe('collective action emails speak French', () => {
  it.each<[CollectiveKind, string, string]>([
    ['ATELIER_DECOUVERTE', 'vous invite à l’atelier découverte des métiers', 'pour l’atelier découverte des métiers'],
    ['VISITE_ENTREPRISE', 'vous invite à la visite d’entreprise', 'pour la visite d’entreprise'],
    ['JOB_DATING', 'vous invite au job dating', 'pour le job dating'],
    ['INFORMATION_COLLECTIVE', 'vous invite à l’information collective', 'pour l’information collective'],
  ])('%s', (kind, invitation, reminder) => {
    expect(collectiveParticipantEmail('invitation', 'Ana', words(kind)).text).toContain(`${invitation} « Les métiers de l’hôtellerie » avec Hôtel du Cap, le mardi 8 décembre 2026 à 14h00`);
    expect(collectiveParticipantEmail('rappel', 'Ana', words(kind)).text).toContain(`${reminder} « Les métiers de l’hôtellerie »`);
    expect(attendancePromptEmail(words(kind), 6, { url: 'http://plie.test/l/x' }).text).toContain('« Les métiers de l’hôtellerie » a eu lieu le mardi 8 décembre 2026 à 14h00. Qui était présent parmi les 6 personne(s) invitée(s)');
  });
});
