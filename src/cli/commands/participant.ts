/** `plie participant …`: referrals, pathways, actions, re-entry. */
import type { Command } from 'commander';
import { createLogger } from '../../logging.ts';
import { pathwayDeps } from '../../main/services.ts';
import { createParticipant } from '../../participants/create.ts';
import { pathwayState, recordAction } from '../../temporal/pathway-client.ts';
import { currentPathwayId, reenterParticipant } from '../../participants/reenter.ts';
import { withServices, parseJsonOption, print, describeState } from '../shared.ts';

export function registerParticipantCommands(program: Command): void {
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
        const state = await pathwayState(services.temporal, id, await currentPathwayId(services.db, id));
        print(opts.json, state, describeState(state));
      });
    });
}
