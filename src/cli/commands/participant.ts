/** `plie participant …`: referrals, pathways, actions, re-entry. */
import type { Command } from 'commander';
import { MINIMUM_INCOMES, PRESCRIBERS } from '../../domain/codes.ts';
import { createLogger } from '../../logging.ts';
import { pathwayDeps } from '../../main/services.ts';
import { auditRead } from '../../db/audit.ts';
import { createParticipant } from '../../participants/create.ts';
import { rectifyParticipant } from '../../participants/rectify.ts';
import { DECISION_LABELS } from '../../forms/referral-form.ts';
import { CASA_CONFIG } from '../../domain/plie-config.ts';
import { pathwayState } from '../../temporal/pathway-client.ts';
import { recordPathwayAction } from '../../participants/pathway-action.ts';
import { currentPathwayId, reenterParticipant } from '../../participants/reenter.ts';
import { checkFileReader, CliFailure, plieActedOn, withServices, parseJsonOption, print, describeState } from '../shared.ts';
import { formatFrenchDate, parisDate } from '../../domain/dates.ts';

export function registerParticipantCommands(program: Command): void {
  const participant = program.command('participant').description('Participants du PLIE.');
  participant
    .command('reenter')
    .description('Nouvelle entrée après une sortie administrative (grossesse, déménagement, incarcération, santé), liée au parcours précédent.')
    .argument('<participant>', 'identifiant du participant')
    .requiredOption('--par <email>', 'adresse email de la personne qui agit')
    .action(async (participantId: string, opts: { par: string }) => {
      await withServices(async (services, cfg) => {
        await checkFileReader(services, cfg, participantId, opts.par);
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
        const state = await recordPathwayAction(services, participantId, { action, actor: opts.par, channel: 'cli' }, await currentPathwayId(services.db, participantId));
        print(opts.json, state, `Action enregistrée.\n${describeState(state)}`);
      });
    });
  participant
    .command('referent')
    .description('Confie le parcours à un·e autre référent·e (coordination) : ses tâches ouvertes suivent, l’ancien·ne et le ou la nouvel·le sont prévenu·es.')
    .argument('<participant>', 'identifiant du participant')
    .requiredOption('--referent <email>', 'adresse de la ou du référent·e en activité qui reprend le suivi')
    .option('--motif <texte>', 'motif, gardé au journal')
    .requiredOption('--par <email>', 'adresse email de la coordination qui décide')
    .option('--json', 'résultat en JSON')
    .action(async (participantId: string, opts: { referent: string; motif?: string; par: string; json?: boolean }) => {
      const action = { type: 'referentChanged', referentEmail: opts.referent, ...(opts.motif ? { reason: opts.motif } : {}) };
      await withServices(async (services) => {
        const state = await recordPathwayAction(services, participantId, { action, actor: opts.par, channel: 'cli' }, await currentPathwayId(services.db, participantId));
        print(opts.json, state, `Parcours confié à ${state.referentEmail}.\n${describeState(state)}`);
      });
    });
  withFactOptions(
    participant
      .command('create')
      .description('Crée un participant et démarre son parcours.')
      .requiredOption('--prenom <prénom>', 'prénom')
      .requiredOption('--nom <nom>', 'nom')
      .requiredOption('--naissance <JJ/MM/AAAA>', 'date de naissance'),
  )
    .option('--par <email>', 'qui oriente : la coordination, un·e référent·e ou un·e prescripteur·rice (journal d’audit)', 'cli')
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .option('--json', 'résultat en JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      await withServices(async (services, cfg) => {
        const by = { plie: opts.plie as string | undefined, par: String(opts.par) };
        const plie = await plieActedOn(services, cfg, by, 'refer');
        const created = await createParticipant(pathwayDeps(cfg, services.db, services.temporal, createLogger('warn'), plie), factsOf(opts), { actor: by.par, channel: 'cli' });
        print(Boolean(opts.json), created, `Participant créé : ${created.participantId}\nParcours démarré : ${created.workflowId}`);
      });
    });

  withFactOptions(
    participant
      .command('rectify')
      .description('Corrige des faits de la fiche (seuls ceux donnés changent) et réévalue l’éligibilité ; l’ancienne évaluation reste dans l’historique.')
      .argument('<id>', 'identifiant du participant')
      .option('--prenom <prénom>', 'prénom')
      .option('--nom <nom>', 'nom')
      .option('--naissance <JJ/MM/AAAA>', 'date de naissance'),
  )
    .requiredOption('--par <email>', 'qui corrige (pour le journal)')
    .option('--json', 'résultat en JSON')
    .action(async (id: string, opts: Record<string, string | boolean | undefined>) => {
      await withServices(async (services, cfg) => {
        await checkFileReader(services, cfg, id, String(opts.par));
        const deps = pathwayDeps(cfg, services.db, services.temporal, createLogger('warn'));
        const done = await rectifyParticipant({ db: services.db, temporal: services.temporal, plieCode: deps.plieCode, config: deps.config ?? CASA_CONFIG }, id, factsOf(opts), { actor: String(opts.par), channel: 'cli' });
        print(
          Boolean(opts.json),
          done,
          `${done.changed.length ? `Fiche corrigée : ${done.changed.join(', ')}.` : 'Rien n’a changé.'}\nÉligibilité réévaluée : ${DECISION_LABELS[done.eligibility.decision]}${done.eligibility.reasons.length ? ` (${done.eligibility.reasons.join(', ')})` : ''}.`,
        );
      });
    });

  participant
    .command('show')
    .description('Affiche l’étape du parcours et les tâches en attente.')
    .argument('<id>', 'identifiant du participant')
    .option('--json', 'résultat en JSON')
    .option('--par <email>', 'qui consulte (journal d’audit)', 'cli')
    .action(async (id: string, opts: { json?: boolean; par: string }) => {
      await withServices(async (services, cfg) => {
        await checkFileReader(services, cfg, id, opts.par);
        const erased = await services.db.participant.findUnique({ where: { id }, select: { erasedAt: true } });
        if (erased?.erasedAt) throw new CliFailure(`Les données de cette personne ont été effacées le ${formatFrenchDate(parisDate(erased.erasedAt))} : son parcours ne se lit plus.`, 1);
        const state = await pathwayState(services.temporal, id, await currentPathwayId(services.db, id));
        await auditRead(services.db, { actor: opts.par, channel: 'cli', participantId: id, what: 'parcours' });
        print(opts.json, state, describeState(state));
      });
    });
}

/** The facts of a referral, as options: `--code-postal` gives `postalCode`, and so on. */
const FACT_OPTIONS: Array<[flags: string, description: string, key: string]> = [
  ['--email <adresse>', 'adresse email du participant', 'email'],
  ['--telephone <numéro>', 'téléphone', 'phone'],
  ['--commune <commune>', 'commune de résidence', 'commune'],
  ['--sexe <F|M>', 'sexe (H est lu comme M)', 'sex'],
  ['--code-postal <code>', 'code postal', 'postalCode'],
  ['--orientation <JJ/MM/AAAA>', 'date d’orientation (aujourd’hui par défaut)', 'orientationDate'],
  ['--prescripteur <code>', `prescripteur : ${PRESCRIBERS.join(', ')}`, 'prescriber'],
  ['--contact-prescripteur <texte>', 'qui a orienté chez le prescripteur (informé·e de la sortie)', 'prescriberContact'],
  ['--minima <code>', `minimum social : ${MINIMUM_INCOMES.join(', ')}`, 'minimumIncome'],
  ['--deld <oui|non>', 'demandeur·se d’emploi de longue durée', 'longTermJobSeeker'],
  ['--risque-exclusion <oui|non>', 'à risque d’exclusion (prévention du chômage de longue durée)', 'exclusionRisk'],
  ['--recherche-active <oui|non>', 'en recherche active d’emploi', 'activeJobSearch'],
  ['--independant <oui|non>', 'travailleur·se indépendant·e', 'selfEmployed'],
  ['--besoin-accompagnement <oui|non>', 'a besoin d’un accompagnement pour lever des freins', 'needsSupport'],
  ['--apte <oui|non>', 'apte et volontaire pour s’engager dans un parcours', 'ableAndWilling'],
  ['--niveau <niveau>', 'niveau de qualification : 1 à 8, ou VI à I', 'qualificationLevel'],
  ['--qpv <oui|non>', 'habite un quartier prioritaire', 'qpv'],
  ['--rqth <oui|non>', 'reconnaissance travailleur handicapé', 'rqth'],
  ['--monoparental <oui|non>', 'famille monoparentale', 'singleParent'],
  ['--rqth-legere <oui|non>', 'RQTH avec restriction légère (public prioritaire)', 'rqthLightRestriction'],
  ['--discrimination <oui|non>', 'victime de discrimination, déclaré par la personne (public prioritaire)', 'discriminationVictim'],
  ['--temps-partiel-reduit <oui|non>', 'travaille à temps partiel très réduit (public prioritaire)', 'veryShortPartTime'],
];
const IDENTITY_OPTIONS: Array<[attribute: string, key: string]> = [
  ['prenom', 'firstName'],
  ['nom', 'lastName'],
  ['naissance', 'birthDate'],
];
/** Commander's name for an option's value: `--code-postal` → `codePostal`. */
const attributeOf = (flags: string) => flags.split(' ')[0]!.slice(2).replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

function withFactOptions(command: Command): Command {
  for (const [flags, description] of FACT_OPTIONS) command.option(flags, description);
  return command;
}

/** What was typed, under the keys of the API and the referral form; the schema reads it. */
function factsOf(opts: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const pairs: Array<[string, string | boolean | undefined]> = [
    ...IDENTITY_OPTIONS.map(([attribute, key]): [string, string | boolean | undefined] => [key, opts[attribute]]),
    ...FACT_OPTIONS.map(([flags, , key]): [string, string | boolean | undefined] => [key, opts[attributeOf(flags)]]),
  ];
  return Object.fromEntries(pairs);
}
