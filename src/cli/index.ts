/**
 * `plie`: the command line for staff and operators. It reads the same configuration and data
 * folder as `npm start`, so it finds the embedded servers a running `npm start` started.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { loadPlieConfig } from '../config/plie.ts';
import { listPlies, plieConfigFor, registerPlie } from '../plies/registry.ts';
import { importHistory } from '../import/import-history.ts';
import { startImportedPathways } from '../import/start-pathways.ts';
import { computeReport } from '../report/evaluation.ts';
import { loadReportRecords } from '../report/load-records.ts';
import { renderHtml, renderMarkdown, renderXlsx } from '../report/render.ts';
import { ConfigError, loadConfig, type AppConfig } from '../config/index.ts';
import { formatFrenchDate, parseCalendarDate } from '../domain/dates.ts';
import { STAGE_LABELS, TASK_TITLES } from '../domain/tasks.ts';
import { createLogger } from '../logging.ts';
import { openServices, pathwayDeps, type Services } from '../main/services.ts';
import {
  createParticipant,
  DuplicateParticipantError,
  InvalidInputError,
  ParcoursNotStartedError,
} from '../participants/create.ts';
import { answerTask, parcoursState, recordAction, TaskAnswerRejectedError } from '../temporal/parcours-client.ts';
import type { ParcoursState } from '../../workflows/messages.ts';
import { formatChecks, runDoctor } from './doctor.ts';
import { ScenarioError } from '../simulator/simulate.ts';
import { currentPathwayId, reenterParticipant, ReentryRefusedError } from '../participants/reenter.ts';
import { simulateFile } from '../simulator/simulate-file.ts';
import { staffInputSchema, upsertStaff } from '../staff/register.ts';
import { CLAUSE_PUBLIC_LABELS } from '../domain/clauses.ts';
import { bilanHtml, bilanMarkdown, bilanXlsx, loadMarcheBilan } from '../marches/bilan.ts';
import { DuplicateMarcheError, proposeCandidate, registerMarche } from '../marches/register.ts';
import { recordHire } from '../marches/hire.ts';
import { checkDeclaration } from '../marches/hours.ts';
import { checkInvitees, createCollectiveAction, figuresOf } from '../collective/actions.ts';
import { inviteParticipants, recordCollectiveAttendance, startCollective } from '../collective/client.ts';
import { COLLECTIVE_KIND_LABELS, type CollectiveKind } from '../domain/collective-actions.ts';
import { closeOffer, offreInput, startOffer } from '../offers/placements.ts';
import { fileReference } from '../domain/participant.ts';
import { PLACEMENT_STATUS_LABELS, type PlacementStatus } from '../domain/placements.ts';
import { marcheInput } from '../marches/start.ts';
import { closeMarche, declareHours, reviewHours, startMarche } from '../temporal/marche-client.ts';
import { offerMatches, registerOffer } from '../offers/offers.ts';

/** Exit codes: 0 done, 1 refused or unreachable, 2 bad usage or configuration. */
class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliFailure(`Fichier illisible (${file}) : ${(error as Error).message}`, 2);
  }
}

async function marcheByReference(services: Services, plieCode: string, reference: string) {
  const found = await services.db.marche.findUnique({ where: { plieCode_externalId: { plieCode, externalId: reference } } });
  if (!found) throw new CliFailure(`Aucun marché de référence ${reference}.`, 1);
  return found;
}

function config(): AppConfig {
  return loadConfig();
}

async function withServices<T>(work: (services: Services, config: AppConfig) => Promise<T>): Promise<T> {
  const cfg = config();
  const services = await openServices(cfg, { smtp: false });
  try {
    return await work(services, cfg);
  } finally {
    await services.close();
  }
}

function describeState(state: ParcoursState): string {
  const lines = [
    `Participant : ${state.participantId}`,
    `Étape       : ${STAGE_LABELS[state.stage]}`,
    ...(state.referentEmail ? [`Référent·e  : ${state.referentEmail}`] : []),
    ...(state.entryDate ? [`Entrée      : ${formatFrenchDate(state.entryDate)}`] : []),
  ];
  if (state.openTasks.length === 0) lines.push('Tâches      : aucune en attente');
  for (const task of state.openTasks) {
    const flags = [task.reminded && 'relancée', task.escalated && 'signalée à la coordination'].filter(Boolean);
    lines.push(
      `Tâche       : ${TASK_TITLES[task.kind]} — ${task.assigneeEmail ?? 'la personne accompagnée'}, échéance ${formatFrenchDate(task.dueDate)}${flags.length ? ` (${flags.join(', ')})` : ''}`,
      `              id ${task.id}`,
    );
  }
  return lines.join('\n');
}

function parseJsonOption(option: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliFailure(`${option} : JSON invalide.`, 2);
  }
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

export function buildProgram(): Command {
  const program = new Command('plie')
    .description('Outils du PLIE : vérifier l’installation, créer des participants, suivre les parcours.')
    .configureOutput({ outputError: () => undefined })
    .helpOption('-h, --help', 'afficher l’aide')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .exitOverride();

  program
    .command('doctor')
    .description('Vérifie ce qui est joignable : Temporal, base de données, SMTP, Slack.')
    .option('--json', 'résultat en JSON')
    .action(async (opts: { json?: boolean }) => {
      const checks = await runDoctor(config());
      print(opts.json, checks, formatChecks(checks));
      if (!checks.every((c) => c.ok || !c.required)) throw new CliFailure('', 1);
    });

  const participant = program.command('participant').description('Participants du PLIE.');
  participant
    .command('reenter')
    .description('Nouvelle entrée après une sortie administrative (grossesse, déménagement, incarcération, santé), liée au parcours précédent.')
    .argument('<participant>', 'identifiant du participant')
    .requiredOption('--par <email>', 'adresse email de la personne qui agit')
    .action(async (participantId: string, opts: { par: string }) => {
      await withServices(async (services, cfg) => {
        const deps = pathwayDeps(cfg, services.db, services.temporal, createLogger('warn'));
        const { workflowId, previousPathwayId } = await reenterParticipant(deps, participantId, { actor: opts.par, channel: 'cli' });
        console.log(`Nouveau parcours démarré : ${workflowId} (suite de ${previousPathwayId}).`);
      });
    });
  participant
    .command('action')
    .description('Enregistre une action sur le parcours : contact, contrat, étape, proposition de sortie, pause des relances…')
    .argument('<participant>', 'identifiant du participant')
    .requiredOption('--action <json>', 'l’action en JSON, ex. {"type": "contactLogged", "date": "02/12/2026", "mode": "telephone"}')
    .requiredOption('--par <email>', 'adresse email de la personne qui agit (référent·e ou coordination)')
    .option('--json', 'résultat en JSON')
    .action(async (participantId: string, opts: { action: string; par: string; json?: boolean }) => {
      const action = parseJsonOption('--action', opts.action);
      await withServices(async (services) => {
        const state = await recordAction(services.temporal, participantId, { action, actor: opts.par, channel: 'cli' }, await currentPathwayId(services.db, participantId));
        print(opts.json, state, `Action enregistrée.\n${describeState(state)}`);
      });
    });
  participant
    .command('create')
    .description('Crée un participant et démarre son parcours.')
    .requiredOption('--prenom <prénom>', 'prénom')
    .requiredOption('--nom <nom>', 'nom')
    .requiredOption('--naissance <JJ/MM/AAAA>', 'date de naissance')
    .option('--email <adresse>', 'adresse email du participant')
    .option('--telephone <numéro>', 'téléphone')
    .option('--commune <commune>', 'commune de résidence')
    .option('--par <email>', 'qui crée la fiche (pour le journal)', process.env.USER ?? 'cli')
    .option('--json', 'résultat en JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      await withServices(async (services, cfg) => {
        const created = await createParticipant(
          pathwayDeps(cfg, services.db, services.temporal, createLogger('warn')),
          {
            firstName: opts.prenom,
            lastName: opts.nom,
            birthDate: opts.naissance,
            email: opts.email,
            phone: opts.telephone,
            commune: opts.commune,
          },
          { actor: String(opts.par), channel: 'cli' },
        );
        print(
          Boolean(opts.json),
          created,
          `Participant créé : ${created.participantId}\nParcours démarré : ${created.workflowId}`,
        );
      });
    });

  participant
    .command('show')
    .description('Affiche l’étape du parcours et les tâches en attente.')
    .argument('<id>', 'identifiant du participant')
    .option('--json', 'résultat en JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withServices(async (services) => {
        const state = await parcoursState(services.temporal, id, await currentPathwayId(services.db, id));
        print(opts.json, state, describeState(state));
      });
    });

  program
    .command('task')
    .description('Tâches des parcours.')
    .command('answer')
    .description('Répond à une tâche (désignation du référent, décision après diagnostic).')
    .argument('<participant>', 'identifiant du participant')
    .argument('<tâche>', 'identifiant de la tâche (voir plie participant show)')
    .option('--referent <email>', 'référent·e désigné·e (tâche « Désigner le ou la référent·e »)')
    .option('--integrer <JJ/MM/AAAA>', 'intégrer au PLIE à cette date (décision après diagnostic)')
    .option('--reorienter <motif>', 'ne pas intégrer : motif de réorientation (décision après diagnostic)')
    .option('--reponse <json>', 'toute autre réponse, en JSON (ex. {"inPost": true, "hours": 151} pour le suivi mensuel)')
    .requiredOption('--par <email>', 'adresse email de la personne qui répond')
    .option('--json', 'résultat en JSON')
    .action(async (participantId: string, taskId: string, opts: Record<string, string | boolean | undefined>) => {
      const answer = opts.referent
        ? { referentEmail: opts.referent }
        : opts.integrer
          ? { decision: 'integrate', entryDate: opts.integrer }
          : opts.reorienter
            ? { decision: 'reorient', reason: opts.reorienter }
            : typeof opts.reponse === 'string'
              ? parseJsonOption('--reponse', opts.reponse)
              : undefined;
      if (!answer) throw new CliFailure('Indiquez la réponse : --referent, --integrer, --reorienter ou --reponse.', 2);
      await withServices(async (services) => {
        const state = await answerTask(
          services.temporal,
          participantId,
          { taskId, answer, actor: String(opts.par), channel: 'cli' },
          await currentPathwayId(services.db, participantId),
        );
        print(Boolean(opts.json), state, `Réponse enregistrée.\n${describeState(state)}`);
      });
    });

  program
    .command('import')
    .description('Importe l’historique d’un PLIE depuis des fichiers CSV (tout ou rien).')
    .requiredOption('--dir <dossier>', 'dossier des fichiers participants.csv, etapes.csv, contrats.csv, sorties.csv, marches.csv, clauses_contrats.csv')
    .option('--records-only', 'enregistrer seulement, sans démarrer les parcours en cours')
    .option('--plie <code>', 'PLIE destinataire (par défaut celui de ce déploiement)')
    .option('--json', 'résultat en JSON')
    .action(async (opts: { dir: string; recordsOnly?: boolean; plie?: string; json?: boolean }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
        const result = await importHistory(services.db, opts.dir, { plieCode: plie.code, actor: process.env.USER ?? 'cli' });
        const started =
          result.ok && !opts.recordsOnly
            ? await startImportedPathways(pathwayDeps(cfg, services.db, services.temporal, createLogger('warn'), plie), plie.code)
            : undefined;
        const describe = (e: { file: string; line: number; column: string | null; message: string }) =>
          `  ${e.file}${e.line ? `, ligne ${e.line}` : ''}${e.column ? `, colonne ${e.column}` : ''} : ${e.message}`;
        const text = result.ok
          ? [
              `Import terminé (${plie.name}) : ${Object.entries(result.counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`,
              ...(result.warnings.length ? ['À vérifier :', ...result.warnings.map(describe)] : []),
              ...(started
                ? [`Parcours en cours démarrés : ${started.started} (déjà démarrés : ${started.alreadyRunning} ; orientés sans intégration ni sortie, non démarrés : ${started.notIntegrated}).`]
                : []),
            ].join('\n')
          : ['Import refusé, rien n’a été enregistré :', ...result.errors.map(describe)].join('\n');
        print(opts.json, { ...result, started }, text);
        if (!result.ok) throw new CliFailure('', 1);
      });
    });

  program
    .command('report')
    .description('Calcule le bilan (évaluation) d’une période.')
    .requiredOption('--from <AAAA-MM-JJ>', 'premier jour de la période')
    .requiredOption('--to <AAAA-MM-JJ>', 'dernier jour de la période')
    .option('--format <format>', 'json, md, html ou xlsx', 'json')
    .option('--out <fichier>', 'écrire dans ce fichier (obligatoire pour xlsx)')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .action(async (opts: { from: string; to: string; format: string; out?: string; plie?: string }) => {
      const from = parseCalendarDate(opts.from);
      const to = parseCalendarDate(opts.to);
      if (!from || !to || from > to) throw new CliFailure('Période invalide : --from et --to attendus en AAAA-MM-JJ, --from avant --to.', 2);
      if (!['json', 'md', 'html', 'xlsx'].includes(opts.format)) throw new CliFailure('Format inconnu : json, md, html ou xlsx.', 2);
      if (opts.format === 'xlsx' && !opts.out) throw new CliFailure('Le format xlsx s’écrit dans un fichier : ajoutez --out bilan.xlsx.', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
        const report = computeReport(plie, await loadReportRecords(services.db, plie.code), { from, to });
        const output =
          opts.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : opts.format === 'md'
              ? renderMarkdown(report)
              : opts.format === 'html'
                ? renderHtml(report)
                : await renderXlsx(report);
        if (opts.out) {
          writeFileSync(opts.out, output);
          console.log(`Bilan écrit dans ${opts.out}`);
        } else {
          process.stdout.write(output);
        }
      });
    });

  const plies = program.command('config').description('Les PLIE servis par ce déploiement et leur configuration.');
  plies
    .command('register')
    .description('Enregistre (ou met à jour) un PLIE et sa configuration, depuis un fichier JSON validé.')
    .requiredOption('--file <fichier>', 'configuration du PLIE (même forme que PLIE_CONFIG_FILE)')
    .action(async (opts: { file: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services) => {
        const plie = await registerPlie(services.db, raw);
        console.log(`PLIE ${plie.code} enregistré : ${plie.name} (${plie.territory.communes.length} communes).`);
      });
    });
  plies
    .command('list')
    .description('Liste les PLIE enregistrés.')
    .action(async () => {
      await withServices(async (services, cfg) => {
        const own = loadPlieConfig(cfg.env);
        const registered = await listPlies(services.db);
        const lines = registered.map((p) => `${p.code}  ${p.name}${p.code === own.code ? '  (ce déploiement)' : ''}`);
        if (!registered.some((p) => p.code === own.code)) lines.unshift(`${own.code}  ${own.name}  (ce déploiement, configuration par défaut)`);
        console.log(lines.join('\n'));
      });
    });

  const staff = program.command('staff').description('Le personnel du PLIE : rôles et compte Slack.');
  staff
    .command('add')
    .description('Ajoute (ou met à jour) un membre du personnel. Son compte Slack est aussi relié tout seul, par son adresse, à sa première action.')
    .requiredOption('--email <adresse>', 'adresse email professionnelle (la même que dans Slack)')
    .requiredOption('--nom <nom>', 'prénom et nom, tels qu’ils s’affichent dans les messages')
    .requiredOption('--roles <rôles>', 'COORDINATEUR, REFERENT, FACILITATEUR, MEMBRE_COMMISSION (séparés par des virgules)')
    .option('--slack <id>', 'identifiant de membre Slack (U…)')
    .option('--par <email>', 'qui fait l’ajout (journal d’audit)', 'cli')
    .action(async (opts: { email: string; nom: string; roles: string; slack?: string; par: string }) => {
      const input = { email: opts.email, name: opts.nom, roles: opts.roles.split(',').map((r) => r.trim().toUpperCase()).filter(Boolean), ...(opts.slack ? { slackUserId: opts.slack } : {}) };
      // Checked before connecting: a typo is said at once, without waiting for the servers.
      const check = staffInputSchema.safeParse(input);
      if (!check.success) throw new CliFailure(`Données invalides :\n${check.error.issues.map((i) => `  - ${i.message}`).join('\n')}`, 2);
      await withServices(async (services, cfg) => {
        const saved = await upsertStaff(services.db, loadPlieConfig(cfg.env).code, input, opts.par);
        console.log(`${saved.name} <${saved.email}> : ${saved.roles.join(', ')}${saved.slackUserId ? ` (Slack ${saved.slackUserId})` : ''}.`);
      });
    });
  staff
    .command('list')
    .description('Liste le personnel actif.')
    .action(async () => {
      await withServices(async (services, cfg) => {
        const all = await services.db.staff.findMany({ where: { plieCode: loadPlieConfig(cfg.env).code, active: true }, orderBy: { name: 'asc' } });
        console.log(all.length ? all.map((s) => `${s.name} <${s.email}>  ${s.roles.join(', ')}${s.slackUserId ? `  Slack ${s.slackUserId}` : ''}`).join('\n') : 'Personne : ajoutez le personnel avec plie staff add.');
      });
    });

  const marche = program.command('marche').description('Marchés à clause d’insertion : enregistrement, candidats, bilan.');
  marche
    .command('register')
    .description('Enregistre un marché à clause d’insertion, depuis un fichier JSON validé.')
    .requiredOption('--file <fichier>', 'reference, buyer, title, lot, company, contactName, contactEmail, sector (BTP|AUTRE), clauseHours, start, end, clauseWording')
    .option('--par <email>', 'qui enregistre (journal d’audit)', 'cli')
    .action(async (opts: { file: string; par: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const plie = loadPlieConfig(cfg.env);
        const saved = await registerMarche(services.db, plie.code, raw, opts.par);
        // Its workflow asks the company for the hours every month and prompts the facilitator.
        await startMarche(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, marcheInput(saved, plie, cfg.env.PLIE_COORDINATOR_EMAIL));
        console.log(`Marché ${saved.externalId} enregistré : ${saved.title} (${saved.buyer}), ${saved.plannedHours} heures d’insertion. Les heures seront demandées chaque mois à ${saved.contactEmail}.`);
      });
    });
  marche
    .command('candidat')
    .description('Propose une personne pour un emploi de la clause et vérifie son éligibilité aux publics de la clause.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--personne <json>', '{"personId", "birthDate", "jobSeekerMonths", "minimumIncome", "qualificationLevel", "rqth", "iaeEmployee", "participantId"}')
    .option('--par <email>', 'qui propose (journal d’audit)', 'cli')
    .action(async (reference: string, opts: { personne: string; par: string }) => {
      const raw = parseJsonOption('--personne', opts.personne);
      await withServices(async (services, cfg) => {
        const plie = loadPlieConfig(cfg.env);
        const found = await marcheByReference(services, plie.code, reference);
        const result = await proposeCandidate(services.db, plie.clauses, found.id, raw, opts.par);
        console.log(
          result.eligible
            ? `Éligible à la clause : ${result.publics.map((p) => CLAUSE_PUBLIC_LABELS[p]).join(' ; ')}.`
            : `Non éligible à la clause. ${result.reasons.join(' ')}`,
        );
      });
    });
  marche
    .command('embauche')
    .description('Enregistre l’embauche d’une personne proposée et éligible ; pour un·e participant·e du PLIE, le contrat entre aussi dans son parcours.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--personne <id>', 'identifiant de la personne (celui de plie marche candidat)')
    .requiredOption('--contrat <json>', '{"type", "start", "end", "weeklyHours", "employer"}')
    .requiredOption('--par <email>', 'le ou la facilitateur·rice (déclaré·e dans la configuration du PLIE)')
    .action(async (reference: string, opts: { personne: string; contrat: string; par: string }) => {
      const contract = parseJsonOption('--contrat', opts.contrat);
      await withServices(async (services, cfg) => {
        const found = await marcheByReference(services, loadPlieConfig(cfg.env).code, reference);
        const hire = await recordHire({ db: services.db, temporal: services.temporal }, found.id, { personId: opts.personne, contract }, opts.par);
        console.log(`Embauche enregistrée au marché ${reference}${hire.inPathway ? ', et dans le parcours de la personne' : ''}.`);
      });
    });
  marche
    .command('heures')
    .description('Déclare (ou valide, avec --valider) les heures du mois par personne ; dit où en est le marché par rapport au rythme prévu.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--mois <AAAA-MM>', 'le mois travaillé')
    .requiredOption('--heures <json>', '{"C0042": 151, "C0043": 70}')
    .option('--valider', 'le ou la facilitateur·rice valide : les heures comptent')
    .requiredOption('--par <email>', 'qui déclare ou valide')
    .action(async (reference: string, opts: { mois: string; heures: string; valider?: boolean; par: string }) => {
      const hours = parseJsonOption('--heures', opts.heures);
      await withServices(async (services, cfg) => {
        const plie = loadPlieConfig(cfg.env);
        const found = await marcheByReference(services, plie.code, reference);
        const declaration = await checkDeclaration(services.db, found.id, { month: opts.mois, hours });
        // Through the marché's workflow, which keeps each month's state (asked, declared, validated).
        let state = await declareHours(services.temporal, found.id, { ...declaration, actor: opts.par, channel: 'cli' });
        if (opts.valider) state = await reviewHours(services.temporal, found.id, { month: opts.mois, decision: 'validate', actor: opts.par, channel: 'cli' });
        const pace = state.months[opts.mois]?.pace;
        console.log(`Heures ${opts.valider ? 'validées' : 'déclarées (à valider)'} pour ${opts.mois}.${pace ? ` Heures validées du marché : ${pace.realised}, attendues à ce jour : ${pace.expected}.` : ''}`);
        if (pace?.behind) console.log(`⚠️ Le marché est en retard sur le rythme prévu : ${pace.gap} heures à rattraper.`);
      });
    });
  marche
    .command('suivre')
    .description('Démarre le suivi mensuel d’un marché qui n’en a pas (enregistré avant lui, ou démarrage interrompu) ; sans effet s’il tourne déjà.')
    .argument('<référence>', 'référence du marché')
    .action(async (reference: string) => {
      await withServices(async (services, cfg) => {
        const plie = loadPlieConfig(cfg.env);
        const found = await marcheByReference(services, plie.code, reference);
        if (found.status === 'CLOS') throw new CliFailure(`Le marché ${reference} est clos.`, 1);
        if (!found.contactEmail || !found.end) throw new CliFailure(`Le marché ${reference} n’a pas de contact dans l’entreprise ou de date de fin : ses heures ne peuvent pas être demandées.`, 1);
        await startMarche(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, marcheInput(found, plie, cfg.env.PLIE_COORDINATOR_EMAIL));
        console.log(`Suivi du marché ${reference} en cours : les heures seront demandées chaque mois à ${found.contactEmail}.`);
      });
    });
  marche
    .command('clore')
    .description('Clôt le marché : plus de demande d’heures ; le bilan est envoyé à la facilitation des clauses.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--par <email>', 'le ou la facilitateur·rice, ou la coordination')
    .action(async (reference: string, opts: { par: string }) => {
      await withServices(async (services, cfg) => {
        const found = await marcheByReference(services, loadPlieConfig(cfg.env).code, reference);
        await closeMarche(services.temporal, found.id, { actor: opts.par, channel: 'cli' });
        console.log(`Marché ${reference} clos : le bilan est envoyé à la facilitation des clauses.`);
      });
    });
  marche
    .command('bilan')
    .description('Bilan d’un marché pour son acheteur : heures réalisées et prévues, contrats, personnes, suites.')
    .argument('<référence>', 'référence du marché')
    .option('--format <format>', 'md, html ou xlsx', 'md')
    .option('--out <fichier>', 'écrire dans ce fichier (obligatoire pour xlsx)')
    .action(async (reference: string, opts: { format: string; out?: string }) => {
      if (!['md', 'html', 'xlsx'].includes(opts.format)) throw new CliFailure('--format : md, html ou xlsx', 2);
      if (opts.format === 'xlsx' && !opts.out) throw new CliFailure('--out : obligatoire pour le format xlsx', 2);
      await withServices(async (services, cfg) => {
        const plie = loadPlieConfig(cfg.env);
        const found = await marcheByReference(services, plie.code, reference);
        const document = (await loadMarcheBilan(services.db, plie.clauses, found.id))!;
        const output = opts.format === 'xlsx' ? await bilanXlsx(document) : opts.format === 'html' ? bilanHtml(document) : bilanMarkdown(document);
        if (opts.out) {
          writeFileSync(opts.out, output);
          console.log(`Bilan écrit : ${opts.out}`);
        } else {
          process.stdout.write(output);
        }
      });
    });

  const offre = program.command('offre').description('Relation entreprise : offres d’emploi et personnes à qui les proposer.');
  offre
    .command('register')
    .description('Enregistre une offre d’emploi (company, jobTitle, sector, contractType, weeklyHours, place, startDate, clause), depuis un fichier JSON.')
    .requiredOption('--file <fichier>', 'l’offre en JSON')
    .option('--par <email>', 'qui l’enregistre (journal d’audit)', 'cli')
    .action(async (opts: { file: string; par: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const saved = await registerOffer(services.db, loadPlieConfig(cfg.env).code, raw, opts.par);
        // Its workflow asks the referents of the matched participants whether to propose it, then what came of it.
        await startOffer(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, offreInput(saved.id, cfg.env.PLIE_COORDINATOR_EMAIL));
        console.log(`Offre enregistrée : ${saved.jobTitle} chez ${saved.company} (${saved.id}). Les référent·es des personnes intéressées sont sollicité·es.`);
      });
    });
  offre
    .command('clore')
    .description('Clôt le suivi d’une offre (pourvue ailleurs, retirée) : les référent·es ne sont plus sollicité·es.')
    .argument('<id>', 'identifiant de l’offre')
    .requiredOption('--par <email>', 'la coordination')
    .action(async (id: string, opts: { par: string }) => {
      await withServices(async (services) => {
        await closeOffer(services.temporal, id, { actor: opts.par, channel: 'cli' });
        console.log('Offre close : son suivi est terminé.');
      });
    });
  offre
    .command('suivi')
    .description('Les mises en relation d’une offre et où elles en sont.')
    .argument('<id>', 'identifiant de l’offre')
    .action(async (id: string) => {
      await withServices(async (services) => {
        const placements = await services.db.placement.findMany({ where: { offerId: id }, orderBy: { createdAt: 'asc' } });
        console.log(
          placements.length
            ? placements.map((p) => `Dossier ${fileReference(p.participantId)} — ${PLACEMENT_STATUS_LABELS[p.status as PlacementStatus] ?? p.status}${p.reason ? ` (${p.reason})` : ''} — référent·e : ${p.referentEmail ?? 'coordination'}`).join('\n')
            : 'Aucune mise en relation pour cette offre.',
        );
      });
    });
  offre
    .command('correspondances')
    .description('Les participant·es en parcours dont les souhaits de secteur correspondent à l’offre, avec leur référent·e.')
    .argument('<id>', 'identifiant de l’offre')
    .action(async (id: string) => {
      await withServices(async (services) => {
        const matches = await offerMatches(services.db, id);
        console.log(
          matches.length
            ? matches.map((m) => `Dossier ${m.fileReference} (${m.initials}) — souhait « ${m.wish} » — référent·e : ${m.referentEmail ?? 'à désigner'}`).join('\n')
            : 'Aucun·e participant·e en parcours ne souhaite ce secteur.',
        );
      });
    });

  const collective = program.command('action-collective').description('Relation entreprise : ateliers découverte des métiers, visites d’entreprise…');
  const ids = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  collective
    .command('creer')
    .description('Enregistre une action collective (kind, title, company, date, time, durationMinutes, place, organizerEmail) depuis un fichier JSON.')
    .requiredOption('--file <fichier>', 'l’action en JSON')
    .option('--par <email>', 'qui l’enregistre (journal d’audit)', 'cli')
    .action(async (opts: { file: string; par: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const action = await createCollectiveAction(services.db, loadPlieConfig(cfg.env).code, raw, opts.par);
        // Its workflow sends the invitations, the reminder, then asks the organiser who came.
        await startCollective(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: action.durationMinutes, organizerEmail: action.organizerEmail, coordinatorEmail: cfg.env.PLIE_COORDINATOR_EMAIL, calendarOffsetDays: 0 });
        console.log(`Action collective enregistrée : ${action.title} (${action.id}).`);
      });
    });
  collective
    .command('inviter')
    .description('Invite des participant·es : chacun·e reçoit l’invitation par email, avec l’évènement à ajouter à son agenda.')
    .argument('<id>', 'identifiant de l’action')
    .requiredOption('--participants <ids>', 'identifiants séparés par des virgules')
    .requiredOption('--par <email>', 'la personne qui organise, ou la coordination')
    .action(async (id: string, opts: { participants: string; par: string }) => {
      await withServices(async (services) => {
        const participantIds = await checkInvitees(services.db, id, ids(opts.participants));
        const state = await inviteParticipants(services.temporal, id, { participantIds, actor: opts.par, channel: 'cli' });
        console.log(`${state.invited.length} personne(s) invitée(s).`);
      });
    });
  collective
    .command('presence')
    .description('Saisit qui était présent, les mises en relation et les embauches.')
    .argument('<id>', 'identifiant de l’action')
    .option('--presents <ids>', 'identifiants des présent·es')
    .option('--mises-en-relation <ids>', 'identifiants')
    .option('--embauches <ids>', 'identifiants')
    .requiredOption('--par <email>', 'la personne qui organise, ou la coordination')
    .action(async (id: string, opts: { presents?: string; misesEnRelation?: string; embauches?: string; par: string }) => {
      await withServices(async (services) => {
        const state = await recordCollectiveAttendance(services.temporal, id, { present: ids(opts.presents), misesEnRelation: ids(opts.misesEnRelation), hires: ids(opts.embauches), actor: opts.par, channel: 'cli' });
        const f = state.figures!;
        console.log(`${f.present} présent·es sur ${f.invited} invité·es, ${f.misesEnRelation} mise(s) en relation, ${f.hires} embauche(s).`);
      });
    });
  collective
    .command('bilan')
    .description('Les actions collectives du PLIE et leurs chiffres : invité·es, présent·es, mises en relation, embauches.')
    .action(async () => {
      await withServices(async (services, cfg) => {
        const actions = await services.db.collectiveAction.findMany({ where: { plieCode: loadPlieConfig(cfg.env).code }, orderBy: { at: 'asc' } });
        const lines = [];
        for (const a of actions) {
          const f = await figuresOf(services.db, a.id);
          lines.push(`${a.at.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })} — ${COLLECTIVE_KIND_LABELS[a.kind as CollectiveKind]} « ${a.title} » : ${f.present} présent·es sur ${f.invited} invité·es, ${f.misesEnRelation} mise(s) en relation, ${f.hires} embauche(s).`);
        }
        console.log(lines.length ? lines.join('\n') : 'Aucune action collective enregistrée.');
      });
    });

  program
    .command('simulate')
    .description('Joue un scénario de parcours (jours simulés en quelques secondes) et affiche en JSON ce que le système a fait.')
    .argument('<scenario.json>', 'le scénario (voir le README, « Simulateur »)')
    .option('--out <fichier>', 'écrire le résultat dans ce fichier plutôt qu’à l’écran')
    .action(async (file: string, opts: { out?: string }) => {
      // The result goes to standard output: logs, if any, to standard error.
      const logger = createLogger(process.env.LOG_LEVEL ?? 'error', 'plie', true);
      const result = await simulateFile(file, logger);
      const json = `${JSON.stringify(result, null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, json);
      else process.stdout.write(json);
    });

  return program;
}

/** Runs the CLI; returns the exit code (messages for people are printed in French). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help was asked for, or shown because a command was missing: already printed.
      if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
        return error.exitCode;
      }
      console.error(frenchUsageError(error) ?? error.message);
      return 2;
    }
    if (error instanceof CliFailure) {
      if (error.message) console.error(error.message);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof ReentryRefusedError) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof ScenarioError) {
      console.error(`Scénario refusé :\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    if (error instanceof InvalidInputError) {
      console.error(`Données invalides :\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    if (
      error instanceof DuplicateParticipantError ||
      error instanceof DuplicateMarcheError ||
      error instanceof TaskAnswerRejectedError ||
      error instanceof ParcoursNotStartedError
    ) {
      console.error(error.message);
      return 1;
    }
    if ((error as Error).name === 'WorkflowNotFoundError') {
      const id = (error as { workflowId?: string }).workflowId ?? '';
      console.error(
        id.startsWith('marche-')
          ? 'Le suivi de ce marché n’a pas démarré (marché enregistré avant lui, ou démarrage interrompu) : lancez plie marche suivre <référence>.'
          : id.startsWith('offre-') || id.startsWith('action-collective-')
            ? 'Le suivi de cet élément n’est pas en cours (terminé, ou jamais démarré).'
            : 'Aucun parcours pour ce participant.',
      );
      return 1;
    }
    console.error(`Échec : ${(error as Error).message}`);
    return 1;
  }
}

const COMMANDER_MESSAGES: Record<string, string> = {
  'commander.missingMandatoryOptionValue': 'option obligatoire manquante',
  'commander.optionMissingArgument': 'valeur manquante pour l’option',
  'commander.missingArgument': 'argument manquant',
  'commander.unknownOption': 'option inconnue',
  'commander.unknownCommand': 'commande inconnue',
  'commander.excessArguments': 'trop d’arguments',
};

/** Commander speaks English; staff read French. */
function frenchUsageError(error: CommanderError): string | undefined {
  const label = COMMANDER_MESSAGES[error.code];
  if (!label) return undefined;
  const subject = /'([^']+)'/.exec(error.message)?.[1];
  return `${label}${subject ? ` : ${subject}` : ''} (plie --help pour l’aide)`;
}
