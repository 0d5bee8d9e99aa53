/**
 * The right of access as a page a person can read: a self-contained HTML file (no stylesheet or
 * script from elsewhere, it is opened from a folder), in French, one section per kind of record.
 */
import { DateTime } from 'luxon';
import { formatFrenchDate } from '../domain/dates.ts';
import { escapeHtml } from '../html.ts';
import type { ParticipantExport } from './export.ts';

/** The fields' names as a person reads them; a field not listed shows its own name. */
const LABELS: Record<string, string> = {
  id: 'Identifiant',
  plieCode: 'PLIE',
  externalId: 'Identifiant dans le logiciel précédent',
  firstName: 'Prénom',
  lastName: 'Nom',
  identityKey: 'Clé d’identité',
  sex: 'Sexe',
  birthDate: 'Date de naissance',
  email: 'Email',
  phone: 'Téléphone',
  commune: 'Commune',
  postalCode: 'Code postal',
  qualificationLevel: 'Niveau de qualification',
  minimumIncome: 'Minimum social',
  longTermJobSeeker: 'Demandeur·se d’emploi de longue durée',
  exclusionRisk: 'Risque d’exclusion durable',
  qpv: 'Quartier prioritaire',
  rqth: 'Reconnaissance travailleur handicapé',
  singleParent: 'Parent isolé',
  prescriber: 'Prescripteur',
  prescriberContact: 'Contact du prescripteur',
  orientationDate: 'Orientation',
  integrationDate: 'Entrée',
  sectorWishes: 'Secteurs souhaités',
  eligibility: 'Éligibilité',
  createdAt: 'Enregistré le',
  createdBy: 'Par',
  stage: 'Étape',
  referentEmail: 'Référent·e',
  entryDate: 'Entrée',
  kind: 'Nature',
  status: 'État',
  dueDate: 'Échéance',
  openedAt: 'Ouverte le',
  answeredAt: 'Répondue le',
  answeredBy: 'Par',
  channel: 'Canal',
  answer: 'Réponse',
  at: 'Le',
  place: 'Lieu',
  category: 'Catégorie',
  openedOn: 'Repéré le',
  closedOn: 'Levé le',
  type: 'Type',
  start: 'Début',
  end: 'Fin',
  employer: 'Employeur',
  date: 'Date',
  reason: 'Motif',
  decision: 'Décision',
  reasons: 'Raisons',
  source: 'Source',
  actor: 'Par',
  criterion: 'Critère',
  outcome: 'Issue',
  template: 'Message',
  recipient: 'Destinataire',
  sentAt: 'Envoyé le',
  error: 'Erreur',
  action: 'Action',
  details: 'Détails',
  receivedAt: 'Reçu le',
  file: 'Fichier (dans ce dossier)',
  moment: 'Moment',
};

/** Fields that say nothing to the person (internal links between records). */
const HIDDEN = new Set(['participantId', 'pathwayId', 'idempotencyKey', 'fileReference', 'taskId', 'contractId', 'offerId', 'actionId', 'procurementId', 'commissionCaseId', 'staffId', 'smtpMessageId', 'slackChannel', 'slackTs', 'tokenHash']);

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  // A day (stored at midnight UTC) shows as a day; an instant, to the minute, in Paris.
  if (v instanceof Date) return v.toISOString().endsWith('T00:00:00.000Z') ? formatFrenchDate(v.toISOString().slice(0, 10)) : DateTime.fromJSDate(v).setZone('Europe/Paris').toFormat("dd/MM/yyyy 'à' HH'h'mm");
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ') || '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}

/** One record as a list of its fields. */
function record(row: Record<string, unknown>): string {
  const items = Object.entries(row)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, v]) => `<dt>${escapeHtml(LABELS[key] ?? key)}</dt><dd>${escapeHtml(value(v))}</dd>`);
  return `<dl>${items.join('')}</dl>`;
}

function section(title: string, rows: Array<Record<string, unknown>>, empty = 'Rien d’enregistré.'): string {
  return `<section><h2>${escapeHtml(title)} (${rows.length})</h2>${rows.length ? rows.map(record).join('') : `<p>${escapeHtml(empty)}</p>`}</section>`;
}

/** `withFiles`: the page is written in a folder beside the proofs' files (else they are handed over apart). */
export function renderExportHtml(data: ParticipantExport, opts: { withFiles: boolean }): string {
  const p = data.participant;
  const sections = [
    section('Votre fiche', [p]),
    section('Vérifications d’éligibilité', data.assessments),
    ...data.pathways.map((pathway, i) =>
      [
        section(`Parcours ${i + 1}`, [{ stage: pathway.stage, entryDate: pathway.entryDate, createdAt: pathway.createdAt }]),
        section(`Parcours ${i + 1} — référent·es`, pathway.referents),
        section(`Parcours ${i + 1} — tâches et réponses`, pathway.tasks),
        section(`Parcours ${i + 1} — rendez-vous`, pathway.appointments),
      ].join(''),
    ),
    section('Étapes', data.steps),
    section('Contrats de travail', data.contracts),
    section('Freins', data.barriers),
    section('Sorties', data.exits),
    section('Données pour le Fonds social européen (FSE+)', data.fseDataPoints),
    section('Commission (sans les votes de ses membres)', data.commissionCases),
    section('Offres d’emploi proposées', data.placements.map(({ offer, ...rest }) => ({ ...rest, offre: offer ? `${offer.jobTitle} — ${offer.company}` : null }))),
    section('Actions collectives', data.collectiveInvitations.map(({ action, ...rest }) => ({ ...rest, action: `${action.title} (${action.place})`, at: action.at }))),
    section('Clauses d’insertion : propositions', data.clauseCandidates.map(({ procurement, ...rest }) => ({ ...rest, marché: `${procurement.externalId} — ${procurement.title}` }))),
    section('Clauses d’insertion : contrats', data.clauseContracts.map(({ procurement, ...rest }) => ({ ...rest, marché: `${procurement.externalId} — ${procurement.title}` }))),
    section('Clauses d’insertion : heures déclarées chaque mois', data.clauseHours.map(({ procurement, ...rest }) => ({ ...rest, marché: `${procurement.externalId} — ${procurement.title}` }))),
    section('Justificatifs', data.proofs),
    section('Messages envoyés', data.messages),
    section('Journal des actions sur votre dossier', data.auditEvents),
  ];
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vos données au PLIE — dossier ${escapeHtml(data.fileReference)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}dl{display:grid;grid-template-columns:16rem 1fr;gap:.2rem 1rem;border-top:1px solid #ccc;padding-top:.5rem}dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}</style>
</head>
<body>
<main>
<h1>Vos données au PLIE — dossier ${escapeHtml(data.fileReference)}</h1>
<p>Voici tout ce que le PLIE conserve à votre sujet, au ${escapeHtml(data.exportedAt.slice(0, 10).split('-').reverse().join('/'))}. ${opts.withFiles ? 'Les justificatifs que vous avez transmis sont dans le dossier « justificatifs » à côté de cette page.' : 'La coordination vous remet aussi les justificatifs que vous avez transmis.'} Pour faire corriger ou effacer une information, répondez au dernier email de votre référent·e ou adressez-vous à la coordination du PLIE.</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
