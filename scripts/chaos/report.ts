/** The run's results as the PLIE's engineers read them: a short table in French, then the details of anything not zero. */
import { FAULT_KEYS } from './checks.ts';
import type { ChaosResults } from './run.ts';

const LABELS: Record<(typeof FAULT_KEYS)[number], string> = {
  lost: 'Parcours perdus (en base, sans workflow)',
  stuck: 'Parcours bloqués (pas où le script les attend)',
  diverging: 'Parcours divergents (workflow ≠ base)',
  tasksDuplicated: 'Tâches en double',
  factsDuplicated: 'Faits en double (contrat, sortie, FSE+, frein)',
  emailsDuplicated: 'Emails en double',
  emailsUnrecorded: 'Emails reçus sans message enregistré',
  slackDuplicated: 'Publications Slack en double',
  undelivered: 'Messages jamais remis après reprise',
  workerCrashes: 'Arrêts non provoqués (worker, web)',
};

/** The npm start phase's counts that must be zero (a copy with the same Message-ID is not a fault). */
const NPM_START_KEYS = ['lost', 'duplicated', 'stuck', 'emailsDuplicated', 'undelivered'] as const;
const NPM_START_LABELS: Record<(typeof NPM_START_KEYS)[number], string> = {
  lost: 'Orientations perdues',
  duplicated: 'Personnes ou tâches en double',
  stuck: 'Parcours bloqués après le redémarrage',
  emailsDuplicated: 'Emails en double (même Message-ID sans panne)',
  undelivered: 'Emails jamais envoyés',
};

/** Every fault counted, the scenario's and the npm start phase's. */
export function faultCount(r: Pick<ChaosResults, 'findings' | 'npmStart'>): number {
  const scenario = FAULT_KEYS.reduce((sum, key) => sum + r.findings[key].length, 0);
  return scenario + NPM_START_KEYS.reduce((sum, key) => sum + (r.npmStart?.findings[key].length ?? 0), 0);
}

const seconds = (s: number) => `${s.toFixed(1)} s`;
const ms = (v: number | null) => (v === null ? '—' : `${(v / 1000).toFixed(1)} s`);

export function formatReport(r: ChaosResults): string[] {
  const f = r.findings;
  const lines: string[] = [];
  const row = (label: string, value: string | number) => lines.push(`  ${label.padEnd(52)} ${String(value).padStart(6)}`);
  lines.push('');
  lines.push(`Résultats — graine ${r.seed}, ${r.options.pathways} parcours, ${r.options.faults ? `${r.faults.workerKills} kill -9` : 'sans pannes (référence)'}`);
  if (r.clockStuck) lines.push(`  ATTENTION : scénario interrompu, l’horloge du serveur de test ne saute plus (${r.clockStuck})`);
  for (const key of FAULT_KEYS) row(LABELS[key], f[key].length);
  lines.push('  (hors défauts)');
  row('Emails renvoyés avec le même Message-ID', f.emailsResentSameId.length);
  lines.push('    (panne entre l’acceptation SMTP et son enregistrement : une seule fois pour le client de messagerie)');
  if (f.sendWindowMs) lines.push(`    fenêtre entre l’acceptation SMTP et l’enregistrement « envoyé » : médiane ${f.sendWindowMs.p50} ms, p99 ${f.sendWindowMs.p99} ms, au plus ${f.sendWindowMs.max} ms`);
  row('Messages refusés exprès (adresse refusée par le serveur)', f.refusedOnPurpose);
  lines.push(`  ${f.counts.pathways} parcours, ${f.counts.tasks} tâches, ${f.counts.commissions} séances de commission, ${f.counts.emailMessages} emails (${f.counts.emailsReceived} reçus), ${f.counts.slackMessages} messages Slack (${f.counts.slackPosts} publications)`);

  const x = r.faults;
  lines.push('');
  lines.push('Pannes injectées');
  row('kill -9 du worker', x.workerKills);
  lines.push(`    redémarrage : médiane ${ms(x.workerRestartMedianMs)}, au plus ${ms(x.workerRestartMaxMs)}`);
  row('kill -9 du web (relancé sur le même port)', x.webKills);
  lines.push(`    redémarrage : médiane ${ms(x.webRestartMedianMs)}`);
  row('PostgreSQL arrêté puis relancé (worker relancé base arrêtée)', x.postgresOutages.length);
  for (const o of x.postgresOutages) lines.push(`    arrêté ${o.seconds === null ? '—' : seconds(o.seconds)}`);
  row('Serveur SMTP arrêté', x.smtpOutages.length);
  for (const o of x.smtpOutages) lines.push(`    ${o.workflowMinutes ?? '—'} min de temps du workflow (${o.seconds === null ? '—' : seconds(o.seconds)} réelles)`);
  row('Tempêtes Slack (429, 503, réponses perdues)', x.slackStorms);
  if (x.slackStorms) lines.push(`    ${x.slackFailuresQueued.total} pannes prévues (${x.slackFailuresQueued.ratelimit} × 429, ${x.slackFailuresQueued.down} × 503, ${x.slackFailuresQueued.lost} perdues), ${x.slackFailuresMet} rencontrées`);
  lines.push(`  Renvoi des messages (planification jouée par le harnais) : ${x.sweepsPlayed} passages`);

  lines.push('');
  lines.push('Durées');
  const d = r.durations;
  lines.push(`  démarrage ${seconds(d.setupSeconds)}, scénario ${seconds(d.scenarioSeconds)}, fin des traitements ${seconds(d.quiescenceSeconds)}, vérifications ${seconds(d.checksSeconds)} ; total ${seconds(d.totalSeconds)} pour ${r.workflowDays} jours de temps du workflow`);
  for (const s of r.steps) lines.push(`    ${s.name.padEnd(36)} ${seconds(s.seconds).padStart(8)}${s.incomplete ? `   ${s.incomplete} parcours non arrivés` : ''}`);

  const dr = r.drive;
  const refused = Object.values(dr.refusals).reduce((a, b) => a + b, 0);
  const errors = Object.values(dr.errors).reduce((a, b) => a + b, 0);
  lines.push('');
  lines.push(`Pilotage : ${dr.updates} Updates (${dr.accepted} acceptées, ${refused} refusées par le workflow, ${dr.timeouts} sans réponse à temps), ${errors} erreurs d’appel, ${dr.contractResends} contrats renvoyés, ${dr.creationRetries} créations reprises`);
  for (const [reason, n] of Object.entries(dr.refusals)) lines.push(`    refus ×${n} : ${reason}`);
  for (const [reason, n] of Object.entries(dr.errors).slice(0, 8)) lines.push(`    erreur ×${n} : ${reason}`);
  for (const [kind, n] of Object.entries(dr.unexpectedTasks)) lines.push(`    tâche inattendue ×${n} : ${kind}`);

  const details = FAULT_KEYS.filter((k) => f[k].length > 0);
  if (details.length) {
    lines.push('');
    lines.push('Détail');
    for (const key of details) {
      lines.push(`  ${LABELS[key]} :`);
      for (const item of f[key].slice(0, 10)) lines.push(`    ${item.about} : ${item.what}`);
      if (f[key].length > 10) lines.push(`    … et ${f[key].length - 10} autres (voir le JSON)`);
    }
  }
  const n = r.npmStart;
  if (n) {
    lines.push('');
    lines.push(`npm start tué (kill -9 de tout le groupe) pendant ${n.referrals} orientations par l’API, puis relancé sur le même dossier de données`);
    lines.push(`  ${n.answeredBeforeKill} acceptées avant le kill, ${n.sentAgain} envoyées de nouveau par le client (dont ${n.recordedBeforeKill} déjà enregistrées : la même personne) ; démarrage ${seconds(n.startSeconds)}, redémarrage ${seconds(n.restartSeconds)}`);
    if (n.answersTakenUnseen) lines.push(`  ${n.answersTakenUnseen} désignation(s) prise(s) par le parcours alors que la réponse HTTP n’est pas arrivée (le client, en renvoyant, apprend que la tâche est close)`);
    for (const key of NPM_START_KEYS) row(NPM_START_LABELS[key], n.findings[key].length);
    row('Emails renvoyés avec le même Message-ID (hors défauts)', n.findings.emailsResentSameId.length);
    for (const key of NPM_START_KEYS) for (const item of n.findings[key].slice(0, 10)) lines.push(`    ${NPM_START_LABELS[key]} — ${item.about} : ${item.what}`);
  }
  lines.push('');
  const total = faultCount(r);
  lines.push(total === 0 ? 'Aucun défaut.' : `${total} défaut${total > 1 ? 's' : ''} : à examiner.`);
  return lines;
}
