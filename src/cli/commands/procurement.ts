/** `plie marche …`: procurements, i.e. marchés with a social clause (clauses d'insertion); the command keeps its French name. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { plieConfigFor } from '../../plies/registry.ts';
import type { Services } from '../../main/services.ts';
import { CLAUSE_PUBLIC_LABELS } from '../../domain/procurement.ts';
import { bilanHtml, bilanMarkdown, bilanXlsx, loadProcurementBilan } from '../../procurement/bilan.ts';
import { proposeCandidate, registerProcurement } from '../../procurement/register.ts';
import { recordHire } from '../../procurement/hire.ts';
import { checkDeclaration } from '../../procurement/hours.ts';
import { procurementInput } from '../../procurement/start.ts';
import { closeProcurement, declareHours, reviewHours, startProcurement } from '../../temporal/procurement-client.ts';
import { CliFailure, plieActedOn, readJsonFile, withServices, parseJsonOption } from '../shared.ts';
import { coordinationAddress } from '../../main/services.ts';
import { staffRosterOf } from '../../staff/roster.ts';

async function procurementByReference(services: Services, plieCode: string, reference: string) {
  const found = await services.db.procurement.findUnique({ where: { plieCode_externalId: { plieCode, externalId: reference } } });
  if (!found) throw new CliFailure(`Aucun marché de référence ${reference}.`, 1);
  return found;
}

/** The marché's PLIE; its workflow judges who acts on it (the company's contact declares hours too). */
const plieOption = ['--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)'] as const;

export function registerProcurementCommands(program: Command): void {
  const procurement = program.command('marche').description('Marchés à clause d’insertion : enregistrement, candidats, bilan.');
  procurement
    .command('register')
    .description('Enregistre un marché à clause d’insertion, depuis un fichier JSON validé.')
    .requiredOption('--file <fichier>', 'reference, buyer, title, lot, company, contactName, contactEmail, sector (BTP|AUTRE), clauseHours, start, end, clauseWording')
    .option('--par <email>', 'qui enregistre : la facilitation des clauses, la relation entreprises ou la coordination (journal d’audit)', 'cli')
    .option(...plieOption)
    .action(async (opts: { file: string; par: string; plie?: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'followMarches');
        const saved = await registerProcurement(services.db, plie.code, raw, opts.par);
        // Its workflow asks the company for the hours every month and prompts the facilitator.
        await startProcurement(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, procurementInput(saved, plie, coordinationAddress(plie, cfg), { roster: await staffRosterOf(services.db, plie, coordinationAddress(plie, cfg)) }));
        console.log(`Marché ${saved.externalId} enregistré : ${saved.title} (${saved.buyer}), ${saved.plannedHours} heures d’insertion. Les heures seront demandées chaque mois à ${saved.contactEmail}.`);
      });
    });
  procurement
    .command('candidat')
    .description('Propose une personne pour un emploi de la clause et vérifie son éligibilité aux publics de la clause.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--personne <json>', '{"personId", "birthDate", "jobSeekerMonths", "minimumIncome", "qualificationLevel", "rqth", "iaeEmployee", "participantId" (numéro de dossier ou identifiant)}')
    .option('--par <email>', 'qui propose (journal d’audit)', 'cli')
    .option(...plieOption)
    .action(async (reference: string, opts: { personne: string; par: string; plie?: string }) => {
      const raw = parseJsonOption('--personne', opts.personne);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'followMarches');
        const found = await procurementByReference(services, plie.code, reference);
        const result = await proposeCandidate(services.db, plie.clauses, found.id, raw, opts.par);
        console.log(
          result.eligible
            ? `Éligible à la clause : ${result.publics.map((p) => CLAUSE_PUBLIC_LABELS[p]).join(' ; ')}.`
            : `Non éligible à la clause. ${result.reasons.join(' ')}`,
        );
      });
    });
  procurement
    .command('embauche')
    .description('Enregistre l’embauche d’une personne proposée et éligible ; pour un·e participant·e du PLIE, le contrat entre aussi dans son parcours.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--personne <id>', 'identifiant de la personne (celui de plie marche candidat)')
    .requiredOption('--contrat <json>', '{"type", "start", "end", "weeklyHours", "employer"}')
    .requiredOption('--par <email>', 'le ou la facilitateur·rice, la relation entreprises ou la coordination')
    .option(...plieOption)
    .action(async (reference: string, opts: { personne: string; contrat: string; par: string; plie?: string }) => {
      const contract = parseJsonOption('--contrat', opts.contrat);
      await withServices(async (services, cfg) => {
        const found = await procurementByReference(services, (await plieActedOn(services, cfg, opts, 'followMarches')).code, reference);
        const hire = await recordHire({ db: services.db, temporal: services.temporal }, found.id, { personId: opts.personne, contract }, opts.par);
        console.log(`Embauche enregistrée au marché ${reference}${hire.inPathway ? ', et dans le parcours de la personne' : ''}.`);
      });
    });
  procurement
    .command('heures')
    .description('Déclare (ou valide, avec --valider) les heures du mois par personne ; dit où en est le marché par rapport au rythme prévu.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--mois <AAAA-MM>', 'le mois travaillé')
    .requiredOption('--heures <json>', '{"C0042": 151, "C0043": 70}')
    .option('--valider', 'le ou la facilitateur·rice valide : les heures comptent')
    .requiredOption('--par <email>', 'qui déclare ou valide')
    .option(...plieOption)
    .action(async (reference: string, opts: { mois: string; heures: string; valider?: boolean; par: string; plie?: string }) => {
      const hours = parseJsonOption('--heures', opts.heures);
      await withServices(async (services, cfg) => {
        const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
        const found = await procurementByReference(services, plie.code, reference);
        const declaration = await checkDeclaration(services.db, found.id, { month: opts.mois, hours });
        // Through the marché's workflow, which keeps each month's state (asked, declared, validated).
        let state = await declareHours(services.temporal, found.id, { ...declaration, actor: opts.par, channel: 'cli' });
        if (opts.valider) state = await reviewHours(services.temporal, found.id, { month: opts.mois, decision: 'validate', actor: opts.par, channel: 'cli' });
        const pace = state.months[opts.mois]?.pace;
        console.log(`Heures ${opts.valider ? 'validées' : 'déclarées (à valider)'} pour ${opts.mois}.${pace ? ` Heures validées du marché : ${pace.realised}, attendues à ce jour : ${pace.expected}.` : ''}`);
        if (pace?.behind) console.log(`⚠️ Le marché est en retard sur le rythme prévu : ${pace.gap} heures à rattraper.`);
      });
    });
  procurement
    .command('suivre')
    .description('Démarre le suivi mensuel d’un marché qui n’en a pas (enregistré avant lui, ou démarrage interrompu) ; sans effet s’il tourne déjà.')
    .argument('<référence>', 'référence du marché')
    .option(...plieOption)
    .action(async (reference: string, opts: { plie?: string }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'followMarches');
        const found = await procurementByReference(services, plie.code, reference);
        if (found.status === 'CLOS') throw new CliFailure(`Le marché ${reference} est clos.`, 1);
        if (!found.contactEmail || !found.end) throw new CliFailure(`Le marché ${reference} n’a pas de contact dans l’entreprise ou de date de fin : ses heures ne peuvent pas être demandées.`, 1);
        await startProcurement(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, procurementInput(found, plie, coordinationAddress(plie, cfg), { roster: await staffRosterOf(services.db, plie, coordinationAddress(plie, cfg)) }));
        console.log(`Suivi du marché ${reference} en cours : les heures seront demandées chaque mois à ${found.contactEmail}.`);
      });
    });
  procurement
    .command('clore')
    .description('Clôt le marché : plus de demande d’heures ; le bilan est envoyé à la facilitation des clauses.')
    .argument('<référence>', 'référence du marché')
    .requiredOption('--par <email>', 'le ou la facilitateur·rice, ou la coordination')
    .option(...plieOption)
    .action(async (reference: string, opts: { par: string; plie?: string }) => {
      await withServices(async (services, cfg) => {
        const found = await procurementByReference(services, (await plieConfigFor(services.db, cfg.env, opts.plie)).code, reference);
        await closeProcurement(services.temporal, found.id, { actor: opts.par, channel: 'cli' });
        console.log(`Marché ${reference} clos : le bilan est envoyé à la facilitation des clauses.`);
      });
    });
  procurement
    .command('bilan')
    .description('Bilan d’un marché pour son acheteur : heures réalisées et prévues, contrats, personnes, suites.')
    .argument('<référence>', 'référence du marché')
    .option('--format <format>', 'md, html ou xlsx', 'md')
    .option('--out <fichier>', 'écrire dans ce fichier (obligatoire pour xlsx)')
    .option(...plieOption)
    .option('--par <email>', 'qui consulte', 'cli')
    .action(async (reference: string, opts: { format: string; out?: string; plie?: string; par: string }) => {
      if (!['md', 'html', 'xlsx'].includes(opts.format)) throw new CliFailure('--format : md, html ou xlsx', 2);
      if (opts.format === 'xlsx' && !opts.out) throw new CliFailure('--out : obligatoire pour le format xlsx', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'followMarches');
        const found = await procurementByReference(services, plie.code, reference);
        const document = (await loadProcurementBilan(services.db, plie.clauses, found.id))!;
        const output = opts.format === 'xlsx' ? await bilanXlsx(document) : opts.format === 'html' ? bilanHtml(document) : bilanMarkdown(document);
        if (opts.out) {
          writeFileSync(opts.out, output);
          console.log(`Bilan écrit : ${opts.out}`);
        } else {
          process.stdout.write(output);
        }
      });
    });
}
