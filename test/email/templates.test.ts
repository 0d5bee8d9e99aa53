import { describe, expect, it } from 'vitest';
import { taskNoticeEmail, type TaskNotice } from '../../src/email/templates.ts';
import { participantEmail } from '../../src/email/participant-templates.ts';

const base = {
  kind: 'diagnostic_decision' as const,
  fileReference: '7716D7EA',
  initials: 'A. D.',
  dueDate: '2026-12-05',
  assigneeEmail: 'ref@plie.fr',
  action: { url: 'https://plie.example.org/l/jeton', expiresOn: '2026-12-12' },
};

describe('task emails to staff', () => {
  it.each([
    ['opened', '[PLIE] Nouvelle tâche : Décider de l’intégration après le diagnostic', 'd’ici le 05/12/2026'],
    ['reminder', '[PLIE] Rappel : Décider de l’intégration après le diagnostic', 'attend toujours votre réponse'],
    ['escalation', '[PLIE] Tâche en retard : Décider de l’intégration après le diagnostic', 'confiée à ref@plie.fr'],
    ['received', '[PLIE] Justificatif reçu : dossier 7716D7EA (A. D.)', 'vient de déposer le justificatif'],
  ] as const)('%s: subject and wording', (notice: TaskNotice, subject, phrase) => {
    const email = taskNoticeEmail({ ...base, notice });
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(phrase);
    expect(email.text).toContain('dossier 7716D7EA (A. D.)');
    expect(email.text).toContain('https://plie.example.org/l/jeton');
    expect(email.text).toContain('valable jusqu’au 12/12/2026, une seule fois');
    expect(email.html).toContain('<html lang="fr">');
  });

  it('gives the referent a second form, to note the pathway’s other facts, when there is one', () => {
    const facts = { url: 'https://plie.example.org/l/faits', expiresOn: '2026-12-14' };
    const opened = taskNoticeEmail({ ...base, notice: 'opened', facts });
    expect(opened.text).toContain('Pour noter un autre fait sur ce parcours (contrat, formation, qualification, création d’entreprise, frein, pause des relances…), ce lien personnel (valable jusqu’au 14/12/2026, une seule fois) : https://plie.example.org/l/faits');
    // The task's own link comes first: it is what the email asks for.
    expect(opened.text.indexOf('/l/jeton')).toBeLessThan(opened.text.indexOf('/l/faits'));
    expect(taskNoticeEmail({ ...base, notice: 'opened' }).text).not.toContain('autre fait');
  });

  it('escapes HTML in what it inserts', () => {
    const email = taskNoticeEmail({ ...base, notice: 'escalation', assigneeEmail: '<b>x</b>@plie.fr' });
    expect(email.html).toContain('&lt;b&gt;x&lt;/b&gt;@plie.fr');
    expect(email.html).not.toContain('<b>x</b>');
  });
});

describe('proof requests to the person', () => {
  it.each([
    ['contrat', 'merci de nous transmettre votre contrat de travail.'],
    ['bulletins_salaire', 'merci de nous transmettre vos bulletins de salaire de vos six premiers mois dans cet emploi (un seul envoi peut les réunir).'],
    ['attestation_formation', 'merci de nous transmettre votre attestation d’entrée en formation.'],
    ['immatriculation', 'merci de nous transmettre l’extrait K-bis ou l’avis d’immatriculation de votre entreprise.'],
    [null, 'merci de nous transmettre le justificatif demandé (par exemple votre contrat ou vos bulletins de salaire).'],
  ] as const)('names what is asked (%s), and so does the reminder', (proofKind, phrase) => {
    const asked = participantEmail('proof_request', { firstName: 'Inès', link: 'https://plie.example.org/l/depot', proofKind });
    expect(asked.text).toContain(phrase);
    expect(asked.text).toContain('https://plie.example.org/l/depot');
    const reminder = participantEmail('proof_request.relance', { firstName: 'Inès', link: 'https://plie.example.org/l/depot', proofKind });
    expect(reminder.text).toContain(`Nous n’avons pas encore reçu ${phrase.replace('merci de nous transmettre ', '').replace(/ \(par exemple.*$|\.$/, '')}`);
  });
});
