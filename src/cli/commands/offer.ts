/** `plie offre …`: job offers (relation entreprise). */
import type { Command } from 'commander';
import { z } from 'zod';
import { coordinationAddress } from '../../main/services.ts';
import { closeOffer, offerInput, startOffer } from '../../offers/placements.ts';
import { fileReference } from '../../domain/participant.ts';
import { PLACEMENT_STATUS_LABELS, type PlacementStatus } from '../../domain/placements.ts';
import { offerMatches, registerOffer } from '../../offers/offers.ts';
import { CliFailure, plieActedOn, readJsonFile, withServices } from '../shared.ts';
import type { Services } from '../../main/services.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { staffRosterOf } from '../../staff/roster.ts';

const plieOption = ['--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)'] as const;
const parOption = ['--par <email>', 'qui consulte : la relation entreprises ou la coordination', 'cli'] as const;

/** The offer, if it is one of this PLIE's: the people it matched are shown to its staff only. */
async function offerOf(services: Services, plie: PlieConfig, id: string) {
  const offer = z.uuid().safeParse(id).success ? await services.db.jobOffer.findFirst({ where: { id, plieCode: plie.code } }) : null;
  if (!offer) throw new CliFailure(`Aucune offre ${id} dans le PLIE ${plie.code}.`, 1);
  return offer;
}

export function registerOfferCommands(program: Command): void {
  const offre = program.command('offre').description('Relation entreprise : offres d’emploi et personnes à qui les proposer.');
  offre
    .command('register')
    .description('Enregistre une offre d’emploi (company, jobTitle, sector, contractType, weeklyHours, place, startDate, clause), depuis un fichier JSON.')
    .requiredOption('--file <fichier>', 'l’offre en JSON')
    .option('--par <email>', 'qui l’enregistre : la relation entreprises ou la coordination (journal d’audit)', 'cli')
    .option(...plieOption)
    .action(async (opts: { file: string; par: string; plie?: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'publishOffers');
        const saved = await registerOffer(services.db, plie.code, raw, opts.par);
        // Its workflow asks the referents of the matched participants whether to propose it, then what came of it.
        await startOffer(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, offerInput(saved.id, coordinationAddress(plie, cfg), { roster: await staffRosterOf(services.db, plie, coordinationAddress(plie, cfg)) }));
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
    .option(...plieOption)
    .option(...parOption)
    .action(async (id: string, opts: { plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        await offerOf(services, await plieActedOn(services, cfg, opts, 'publishOffers'), id);
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
    .option(...plieOption)
    .option(...parOption)
    .action(async (id: string, opts: { plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        await offerOf(services, await plieActedOn(services, cfg, opts, 'publishOffers'), id);
        const matches = await offerMatches(services.db, id);
        console.log(
          matches.length
            ? matches.map((m) => `Dossier ${m.fileReference} (${m.initials}) — souhait « ${m.wish} » — référent·e : ${m.referentEmail ?? 'à désigner'}`).join('\n')
            : 'Aucun·e participant·e en parcours ne souhaite ce secteur.',
        );
      });
    });
}
