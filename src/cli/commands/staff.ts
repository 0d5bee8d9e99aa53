/** `plie staff …`: the staff, their roles and Slack accounts. */
import type { Command } from 'commander';
import { PRESCRIBERS } from '../../domain/codes.ts';
import { coordinatorsOf, ROLES } from '../../staff/directory.ts';
import { deactivateStaff, staffInputSchema, upsertStaff } from '../../staff/register.ts';
import { fileReference } from '../../domain/participant.ts';
import { announceCoordinators, announceDeparture, announceRoster } from '../../staff/roster.ts';
import { coordinationAddress, type Services } from '../../main/services.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { formatFrenchDate, parisDate, parseCalendarDate } from '../../domain/dates.ts';
import { createStaffToken, listStaffTokens, revokeStaffTokens } from '../../staff/tokens.ts';
import { CliFailure, plieActedOn, withServices } from '../shared.ts';

const plieOption = ['--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)'] as const;
const parOption = ['--par <email>', 'qui agit : la coordination ou l’administration (journal d’audit)', 'cli'] as const;

/**
 * After a change of the staff, the running workflows judge with today's roster: the pathways hear
 * a new coordination, the offers, marchés and collective actions the whole roster.
 */
async function tellRunningWorkflows(services: Services, coordination: string, plie: PlieConfig, coordinatorsBefore: string): Promise<void> {
  if ((await coordinatorsOf(services.db, plie.code)).join() !== coordinatorsBefore) {
    const told = await announceCoordinators(services.db, services.temporal, plie.code);
    console.log(`Coordination mise à jour dans ${told} parcours en cours.`);
  }
  const told = await announceRoster(services.db, services.temporal, plie, coordination);
  if (told > 0) console.log(`Personnel mis à jour dans ${told} offre(s), marché(s) ou action(s) collective(s) en cours.`);
}

export function registerStaffCommands(program: Command): void {
  const staff = program.command('staff').description('Le personnel du PLIE : rôles et compte Slack.');
  staff
    .command('add')
    .description('Ajoute (ou met à jour) un membre du personnel. Son compte Slack est aussi relié tout seul, par son adresse, à sa première action.')
    .requiredOption('--email <adresse>', 'adresse email professionnelle (la même que dans Slack)')
    .requiredOption('--nom <nom>', 'prénom et nom, tels qu’ils s’affichent dans les messages')
    .requiredOption('--roles <rôles>', `${ROLES.join(', ')} (séparés par des virgules)`)
    .option('--slack <id>', 'identifiant de membre Slack (U…)')
    .option('--organisme <code>', `pour un·e prescripteur·rice, son organisme : ${PRESCRIBERS.join(', ')}`)
    .option('--par <email>', 'qui fait l’ajout (journal d’audit)', 'cli')
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .action(async (opts: { email: string; nom: string; roles: string; slack?: string; organisme?: string; par: string; plie?: string }) => {
      const input = {
        email: opts.email,
        name: opts.nom,
        roles: opts.roles.split(',').map((r) => r.trim().toUpperCase()).filter(Boolean),
        ...(opts.slack ? { slackUserId: opts.slack } : {}),
        ...(opts.organisme ? { organisation: opts.organisme.trim().toUpperCase() } : {}),
      };
      // Checked before connecting: a typo is said at once, without waiting for the servers.
      const check = staffInputSchema.safeParse(input);
      if (!check.success) throw new CliFailure(`Données invalides :\n${check.error.issues.map((i) => `  - ${i.message}`).join('\n')}`, 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'manageStaff');
        const before = (await coordinatorsOf(services.db, plie.code)).join();
        const saved = await upsertStaff(services.db, plie.code, input, opts.par);
        console.log(`${saved.name} <${saved.email}> : ${saved.roles.join(', ')}${saved.organisation ? ` — ${saved.organisation}` : ''}${saved.slackUserId ? ` (Slack ${saved.slackUserId})` : ''}.`);
        await tellRunningWorkflows(services, coordinationAddress(plie, cfg), plie, before);
      });
    });
  staff
    .command('list')
    .description('Liste le personnel actif.')
    .option(...plieOption)
    .option(...parOption)
    .action(async (opts: { plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        const plieCode = (await plieActedOn(services, cfg, opts, 'manageStaff')).code;
        const all = await services.db.staff.findMany({ where: { plieCode, active: true }, orderBy: { name: 'asc' } });
        console.log(all.length ? all.map((s) => `${s.name} <${s.email}>  ${s.roles.join(', ')}${s.organisation ? ` (${s.organisation})` : ''}${s.slackUserId ? `  Slack ${s.slackUserId}` : ''}`).join('\n') : 'Personne : ajoutez le personnel avec plie staff add.');
      });
    });

  staff
    .command('deactivate')
    .description('Désactive un membre du personnel : plus aucun canal ne le reconnaît, ses jetons sont révoqués, ses parcours et tâches ouvertes reviennent à la coordination.')
    .requiredOption('--email <adresse>', 'le membre du personnel')
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .option('--par <email>', 'qui désactive (journal d’audit)', 'cli')
    .action(async (opts: { email: string; plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'manageStaff');
        const plieCode = plie.code;
        const before = (await coordinatorsOf(services.db, plieCode)).join();
        const done = await deactivateStaff(services.db, plieCode, opts.email, opts.par, new Date());
        console.log(`${done.staff.name} <${done.staff.email}> : ${done.wasActive ? 'désactivé·e' : 'déjà désactivé·e'} ; ${done.tokensRevoked} jeton(s) révoqué(s).`);
        await tellRunningWorkflows(services, coordinationAddress(plie, cfg), plie, before);
        // What they held goes to the coordination at once; entrusting it again is the coordination's decision.
        const moved = await announceDeparture(services.db, services.temporal, plieCode, done.staff.email, { actor: opts.par, channel: 'cli' });
        if (moved > 0) console.log(`${moved} parcours revenu(s) à la coordination, avec ${done.openTasks} tâche(s) ouverte(s).`);
        if (done.pathwaysHeld.length > 0) {
          console.log(`À confier à un·e autre référent·e (${done.pathwaysHeld.length} parcours) :`);
          for (const p of done.pathwaysHeld) console.log(`  dossier ${fileReference(p.participantId)}  (plie participant referent ${p.participantId} --referent … --par …)`);
        }
      });
    });
  const token = staff.command('token').description('Jetons d’API personnels : la personne qui s’en sert est celle qui agit.');
  token
    .command('create')
    .description('Crée un jeton personnel, affiché une seule fois (seule son empreinte est gardée).')
    .requiredOption('--email <adresse>', 'le membre du personnel à qui il appartient')
    .option(...plieOption)
    .option(...parOption)
    .option('--expire <JJ/MM/AAAA>', 'dernier jour où il fonctionne (sans date : jusqu’à sa révocation)')
    .action(async (opts: { email: string; plie?: string; par: string; expire?: string }) => {
      const expiresOn = opts.expire === undefined ? undefined : parseCalendarDate(opts.expire);
      if (opts.expire !== undefined && !expiresOn) throw new CliFailure('--expire : date invalide, attendu JJ/MM/AAAA.', 2);
      await withServices(async (services, cfg) => {
        const plieCode = (await plieActedOn(services, cfg, opts, 'manageStaff')).code;
        const created = await createStaffToken(services.db, plieCode, opts.email, { ...(expiresOn ? { expiresOn } : {}), today: parisDate(new Date()) });
        console.log(`Jeton personnel de ${created.owner} (PLIE ${plieCode})${expiresOn ? `, valable jusqu’au ${formatFrenchDate(expiresOn)} inclus` : ''}. Il ne sera plus jamais affiché : gardez-le comme un mot de passe.`);
        // Alone on the last line, for scripts.
        console.log(created.token);
      });
    });
  token
    .command('revoke')
    .description('Révoque tous les jetons d’une personne : refusés aussitôt.')
    .requiredOption('--email <adresse>', 'le membre du personnel')
    .option(...plieOption)
    .option(...parOption)
    .action(async (opts: { email: string; plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        const plieCode = (await plieActedOn(services, cfg, opts, 'manageStaff')).code;
        const count = await revokeStaffTokens(services.db, plieCode, opts.email, new Date());
        console.log(count ? `${count} jeton(s) de ${opts.email.trim()} révoqué(s).` : `Aucun jeton en service pour ${opts.email.trim()}.`);
      });
    });
  token
    .command('list')
    .description('Liste les jetons personnels (jamais les jetons eux-mêmes).')
    .option(...plieOption)
    .option(...parOption)
    .action(async (opts: { plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        const today = parisDate(new Date());
        const rows = await listStaffTokens(services.db, (await plieActedOn(services, cfg, opts, 'manageStaff')).code);
        const state = (t: (typeof rows)[number]) =>
          t.revokedAt ? `révoqué le ${formatFrenchDate(parisDate(t.revokedAt))}` : !t.ownerActive ? 'titulaire désactivé·e' : t.expiresOn && t.expiresOn < today ? `expiré le ${formatFrenchDate(t.expiresOn)}` : t.expiresOn ? `en service jusqu’au ${formatFrenchDate(t.expiresOn)}` : 'en service';
        console.log(
          rows.length
            ? rows.map((t) => `${t.name} <${t.email}>  créé le ${formatFrenchDate(parisDate(t.createdAt))}  ${state(t)}${t.lastUsedAt ? `  dernier usage le ${formatFrenchDate(parisDate(t.lastUsedAt))}` : ''}`).join('\n')
            : 'Aucun jeton personnel.',
        );
      });
    });
}
