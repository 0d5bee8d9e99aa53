/** `plie action-collective …`: collective actions. */
import type { Command } from 'commander';
import { coordinationAddress } from '../../main/services.ts';
import { checkInvitees, createCollectiveAction, figuresOf } from '../../collective/actions.ts';
import { inviteParticipants, recordCollectiveAttendance, startCollective } from '../../collective/client.ts';
import { COLLECTIVE_KIND_LABELS, type CollectiveKind } from '../../domain/collective-actions.ts';
import { plieActedOn, readJsonFile, withServices } from '../shared.ts';
import { staffRosterOf } from '../../staff/roster.ts';

export function registerCollectiveCommands(program: Command): void {
  const collective = program.command('action-collective').description('Relation entreprise : ateliers découverte des métiers, visites d’entreprise…');
  const ids = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  collective
    .command('creer')
    .description('Enregistre une action collective (kind, title, company, date, time, durationMinutes, place, organizerEmail) depuis un fichier JSON.')
    .requiredOption('--file <fichier>', 'l’action en JSON')
    .option('--par <email>', 'qui l’enregistre : la coordination ou un·e référent·e (journal d’audit)', 'cli')
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .action(async (opts: { file: string; par: string; plie?: string }) => {
      const raw = readJsonFile(opts.file);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'runCollectiveActions');
        const action = await createCollectiveAction(services.db, plie.code, raw, opts.par);
        // Its workflow sends the invitations, the reminder, then asks the organiser who came.
        await startCollective(services.temporal, cfg.env.TEMPORAL_TASK_QUEUE, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: action.durationMinutes, organizerEmail: action.organizerEmail, coordinatorEmail: coordinationAddress(plie, cfg), calendarOffsetDays: 0, roster: await staffRosterOf(services.db, plie, coordinationAddress(plie, cfg)) });
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
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .option('--par <email>', 'qui consulte', 'cli')
    .action(async (opts: { plie?: string; par: string }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'runCollectiveActions');
        const actions = await services.db.collectiveAction.findMany({ where: { plieCode: plie.code }, orderBy: { at: 'asc' } });
        const lines = [];
        for (const a of actions) {
          const f = await figuresOf(services.db, a.id);
          lines.push(`${a.at.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })} — ${COLLECTIVE_KIND_LABELS[a.kind as CollectiveKind]} « ${a.title} » : ${f.present} présent·es sur ${f.invited} invité·es, ${f.misesEnRelation} mise(s) en relation, ${f.hires} embauche(s).`);
        }
        console.log(lines.length ? lines.join('\n') : 'Aucune action collective enregistrée.');
      });
    });
}
