import { describe, expect, it } from 'vitest';
import { ACTION_FORMS, actionForm } from '../../src/forms/action-forms.ts';
import { readForm, type RawValues } from '../../src/forms/fields.ts';
import { RECTIFICATION_FORM, REFERRAL_FORM } from '../../src/forms/referral-form.ts';
import { taskForm } from '../../src/forms/task-forms.ts';
import { modalValues } from '../../src/slack/modal.ts';
import { formModal } from '../../src/slack/modal.ts';

const referents = { referents: [{ value: 'alice@plie.test', label: 'Alice' }] };

describe('forms (read the same from Slack and the web)', () => {
  it.each<[string, ReturnType<typeof taskForm>, RawValues, unknown]>([
    ['diagnostic: integrate', taskForm('diagnostic_decision'), { decision: 'integrate', entryDate: '2026-12-01', barriers: ['MOBILITE'], project: 'Cariste' }, { decision: 'integrate', entryDate: '2026-12-01', barriers: ['MOBILITE'], project: 'Cariste' }],
    ['diagnostic: French date', taskForm('diagnostic_decision'), { decision: 'integrate', entryDate: '01/12/2026' }, { decision: 'integrate', entryDate: '2026-12-01', barriers: [] }],
    ['diagnostic: reorient', taskForm('diagnostic_decision'), { decision: 'reorient', reason: 'Suivi par la Mission locale' }, { decision: 'reorient', reason: 'Suivi par la Mission locale' }],
    ['referent chosen', taskForm('assign_referent', referents), { referentEmail: 'alice@plie.test' }, { referentEmail: 'alice@plie.test' }],
    ['follow-up: still in post, hours with a comma', taskForm('follow_up_check'), { inPost: 'oui', hours: '151,5' }, { inPost: true, hours: 151.5 }],
    ['exit refused', taskForm('confirm_exit'), { confirm: 'non', reason: 'Contrat non signé' }, { confirm: false, reason: 'Contrat non signé' }],
    ['vote with a comment', taskForm('commission_vote'), { vote: 'abstention', comment: 'Conflit d’intérêts' }, { vote: 'abstention', comment: 'Conflit d’intérêts' }],
    ['contract', ACTION_FORMS.contractSigned, { type: 'CDD', start: '2026-12-01', end: '2027-05-31', weeklyHours: '24', iaeStructure: 'AUCUNE', aided: 'non', marketSector: 'oui' }, { type: 'contractSigned', contract: { type: 'CDD', start: '2026-12-01', end: '2027-05-31', weeklyHours: 24, iae: false, aided: false, marketSector: true, insertionCompany: false } }],
    ['contract in an ACI', ACTION_FORMS.contractSigned, { type: 'CDDI', start: '2026-12-01', end: '2027-05-31', weeklyHours: '26', iaeStructure: 'ACI', aided: 'non', marketSector: 'non' }, { type: 'contractSigned', contract: { type: 'CDDI', iaeStructure: 'ACI', iae: true, aided: false, marketSector: false, insertionCompany: false } }],
    ['contract in an EI', ACTION_FORMS.contractSigned, { type: 'CDDI', start: '2026-12-01', end: '2027-05-31', weeklyHours: '35', iaeStructure: 'EI', aided: 'non', marketSector: 'oui' }, { type: 'contractSigned', contract: { iaeStructure: 'EI', iae: true, insertionCompany: true } }],
    ['aided contract, non-market', ACTION_FORMS.contractSigned, { type: 'CDD', start: '2026-12-01', end: '2027-11-30', weeklyHours: '20', iaeStructure: 'AUCUNE', aided: 'oui', marketSector: 'non' }, { type: 'contractSigned', contract: { iae: false, aided: true, marketSector: false } }],
    ['training', ACTION_FORMS.trainingStarted, { start: '2027-01-04', end: '2027-06-30', rncp: 'oui' }, { type: 'trainingStarted', start: '2027-01-04', end: '2027-06-30', rncp: true, longTraining: false }],
    ['qualification obtained', ACTION_FORMS.qualificationObtained, { date: '2027-06-30' }, { type: 'qualificationObtained', date: '2027-06-30' }],
    ['business created', ACTION_FORMS.businessCreated, { start: '2027-03-01' }, { type: 'businessCreated', start: '2027-03-01' }],
    ['reminders paused', ACTION_FORMS.remindersPaused, { until: '2027-01-15', reason: 'Hospitalisation' }, { type: 'remindersPaused', until: '2027-01-15', reason: 'Hospitalisation' }],
    ['reminders resumed', ACTION_FORMS.remindersResumed, {}, { type: 'remindersResumed' }],
    ['barrier raised', ACTION_FORMS.barrierRaised, { category: 'LOGEMENT', date: '2027-02-01' }, { type: 'barrierRaised', category: 'LOGEMENT', date: '2027-02-01' }],
    ['barrier lifted', ACTION_FORMS.barrierLifted, { category: 'MOBILITE', date: '15/03/2027' }, { type: 'barrierLifted', category: 'MOBILITE', date: '2027-03-15' }],
    ['step planned', ACTION_FORMS.stepPlanned, { stepType: 'ATELIER', date: '2027-02-01' }, { type: 'stepPlanned', stepType: 'ATELIER', date: '2027-02-01' }],
    ['a rectification: only what is filled in', RECTIFICATION_FORM, { qpv: 'oui', postalCode: '06600' }, { qpv: true, postalCode: '06600' }],
    ['referent changed', actionForm('referentChanged', referents), { referentEmail: 'alice@plie.test' }, { type: 'referentChanged', referentEmail: 'alice@plie.test' }],
    ['appointment', ACTION_FORMS.appointmentScheduled, { date: '2026-12-08', time: '14h30', place: 'PLIE Antibes' }, { type: 'appointmentScheduled', date: '2026-12-08', time: '14:30', place: 'PLIE Antibes', durationMinutes: 60 }],
  ])('%s', (_name, form, raw, expected) => {
    const result = readForm(form, raw);
    expect(result).toMatchObject({ ok: true, value: expected });
  });

  it.each<[string, ReturnType<typeof taskForm>, RawValues, Record<string, string>]>([
    ['a required choice left empty', taskForm('assign_referent', referents), {}, { referentEmail: 'Référent·e de parcours : choisissez une option' }],
    ['a choice not offered', taskForm('assign_referent', referents), { referentEmail: 'mallory@ailleurs.test' }, { referentEmail: 'Référent·e de parcours : choix inconnu' }],
    ['integration without its date', taskForm('diagnostic_decision'), { decision: 'integrate' }, { entryDate: 'date d’entrée : obligatoire (JJ/MM/AAAA)' }],
    ['reorientation without its reason', taskForm('diagnostic_decision'), { decision: 'reorient' }, { reason: 'motif de réorientation : obligatoire' }],
    ['hours that are not a number', taskForm('follow_up_check'), { inPost: 'oui', hours: 'beaucoup' }, { hours: 'Heures travaillées ce mois-ci : un nombre est attendu' }],
    ['a CDI with an end', ACTION_FORMS.contractSigned, { type: 'CDI', start: '2026-12-01', end: '2027-01-01', weeklyHours: '35', iaeStructure: 'AUCUNE', aided: 'non', marketSector: 'oui' }, { end: 'un CDI n’a pas de date de fin prévue' }],
    [
      'a contract whose nature is not said',
      ACTION_FORMS.contractSigned,
      { type: 'CDD', start: '2026-12-01', end: '2027-01-01', weeklyHours: '35' },
      { iaeStructure: 'Structure d’insertion (IAE) : choisissez une option', aided: 'Contrat aidé (PEC, CUI…) : choisissez une option', marketSector: 'Secteur marchand : choisissez une option' },
    ],
    ['a training without saying whether it is certifying', ACTION_FORMS.trainingStarted, { start: '2027-01-04' }, { rncp: 'Certifiante (inscrite au RNCP) : choisissez une option' }],
    ['a pause without its reason', ACTION_FORMS.remindersPaused, { until: '2027-01-15' }, { reason: 'Motif : obligatoire' }],
    ['a referent outside the PLIE', actionForm('referentChanged', referents), { referentEmail: 'mallory@ailleurs.test' }, { referentEmail: 'Nouveau ou nouvelle référent·e : choix inconnu' }],
    ['a barrier not in the list', ACTION_FORMS.barrierRaised, { category: 'AUTRE_CHOSE', date: '2027-02-01' }, { category: 'Frein : choix inconnu' }],
    ['an impossible time', ACTION_FORMS.appointmentScheduled, { date: '2026-12-08', time: '25:00', place: 'PLIE' }, { time: 'heure : heure invalide, attendu HH:MM' }],
    ['a referral without a name', REFERRAL_FORM, { firstName: 'Inès', birthDate: '1990-01-01' }, { lastName: 'Nom : obligatoire' }],
    // What no one types, said with the field's label; one-line fields keep to one line.
    ['a NUL in a name', REFERRAL_FORM, { lastName: 'A\u0000b', firstName: 'Inès', birthDate: '1990-01-01' }, { lastName: 'Nom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller' }],
    ['a control character in a chosen option', taskForm('assign_referent', referents), { referentEmail: 'alice@plie.test\u0007' }, { referentEmail: 'Référent·e de parcours : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller' }],
    ['a name on two lines', REFERRAL_FORM, { lastName: 'Durand\r\nMartin', firstName: 'Inès', birthDate: '1990-01-01' }, { lastName: 'Nom : tient sur une seule ligne (ni retour à la ligne ni tabulation)' }],
    ['a birth date in 2080', REFERRAL_FORM, { lastName: 'Durand', firstName: 'Inès', birthDate: '12/03/2080' }, { birthDate: 'date de naissance : elle ne peut pas être dans le futur (12/03/2080)' }],
    ['an entry date in 1900', taskForm('diagnostic_decision'), { decision: 'integrate', entryDate: '01/01/1900' }, { entryDate: 'date d’entrée : le 01/01/1900 est trop ancien (pas avant le 01/01/1950) ; vérifiez l’année' }],
  ])('refuses %s, next to the field', (_name, form, raw, errors) => {
    expect(readForm(form, raw)).toEqual({ ok: false, errors });
  });

  it('keeps the line breaks of a multi-line text', () => {
    expect(readForm(ACTION_FORMS.remindersPaused, { until: '2027-01-15', reason: 'Hospitalisation\r\nRetour prévu en février' })).toMatchObject({ ok: true, value: { reason: 'Hospitalisation\r\nRetour prévu en février' } });
  });

  it('reads a crafted modal state as values not given, never as a crash', () => {
    const form = taskForm('diagnostic_decision');
    for (const values of [undefined, null, 'x', [], { decision: null }, { decision: { value: 'integrate' } }, { barriers: { value: { selected_options: 'SANTE' } } }, { barriers: { value: { selected_options: [{ value: 3 }] } } }, { project: { value: { value: 42 } } }]) {
      expect(modalValues(form, values as never)).toEqual({});
    }
  });

  it('reads a Slack modal’s state into the same raw values', () => {
    const form = taskForm('diagnostic_decision');
    const view = formModal(form, { callbackId: 'task_form', privateMetadata: '{}' });
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(form.fields.map((f) => f.id));
    const raw = modalValues(form, {
      decision: { value: { type: 'static_select', selected_option: { value: 'integrate' } } },
      entryDate: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
      barriers: { value: { type: 'multi_static_select', selected_options: [{ value: 'SANTE' }] } },
      project: { value: { type: 'plain_text_input', value: null } },
    });
    expect(raw).toEqual({ decision: 'integrate', entryDate: '2026-12-01', barriers: ['SANTE'] });
  });

  it('never asks nor reads the sensitive priorities through Slack, even from a crafted payload', () => {
    for (const form of [REFERRAL_FORM, RECTIFICATION_FORM]) {
      const asked = formModal(form, { callbackId: 'referral_check', privateMetadata: '{}' }).blocks.map((b) => b.block_id);
      expect(asked).not.toContain('discriminationVictim');
      expect(asked).not.toContain('rqthLightRestriction');
      expect(asked).toContain('veryShortPartTime');
      const raw = modalValues(form, {
        discriminationVictim: { value: { type: 'static_select', selected_option: { value: 'oui' } } },
        rqthLightRestriction: { value: { type: 'static_select', selected_option: { value: 'oui' } } },
        veryShortPartTime: { value: { type: 'static_select', selected_option: { value: 'oui' } } },
      });
      expect(raw).toEqual({ veryShortPartTime: 'oui' });
    }
    // The web reads them (the same form, every field).
    expect(REFERRAL_FORM.fields.filter((f) => f.sensitive).map((f) => f.id)).toEqual(['rqthLightRestriction', 'discriminationVictim']);
  });
});
