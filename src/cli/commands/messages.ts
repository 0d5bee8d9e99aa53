/**
 * `plie messages`: the PLIE's messages that did not go out (`--echecs`), and sending one again
 * (`renvoyer <id>`) as the console's « Messages » does: by a worker's workflow, under the message's
 * own key (never twice). Reserved to the coordination, as in the console.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { audit } from '../../db/audit.ts';
import { isCoordinator, sameAddress } from '../../domain/permissions.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { z } from '../../domain/validation.ts';
import { resendPlan } from '../../email/resend-plan.ts';
import { nextLabel, parisDateTime, staleMessages, subjectLabel, subjectsOf, undeliveredMessages, type UndeliveredMessage } from '../../email/undelivered.ts';
import { coordinationAddress, type Services } from '../../main/services.ts';
import type { AppConfig } from '../../config/index.ts';
import { plieConfigFor } from '../../plies/registry.ts';
import { staffByEmail } from '../../staff/directory.ts';
import { deliveryLabel } from '../../web/console/timeline.ts';
import { RESEND_MARCHE_WORKFLOW, RESEND_WORKFLOW } from '../../../workflows/resend.ts';
import { CliFailure, print, withServices } from '../shared.ts';

interface MessagesOptions {
  echecs?: boolean;
  plie?: string;
  par: string;
  json?: boolean;
}

/** How long `renvoyer` waits for the message to go before saying it is on its way. */
const WAIT_MS = 30_000;

const REFUSED = 'Le suivi des messages est réservé à la coordination.';

/**
 * The PLIE `--plie` names, once the person `--par` names is its coordination: the operator at the
 * server's shell (`cli`), the PLIE's coordination address, or an active member of its staff with
 * the role (the rule of the console's « Messages »).
 */
async function coordinationOf(services: Services, cfg: AppConfig, opts: MessagesOptions): Promise<PlieConfig> {
  const plie = await plieConfigFor(services.db, cfg.env, opts.plie);
  const par = opts.par.trim();
  if (par === 'cli' || sameAddress(par, coordinationAddress(plie, cfg))) return plie;
  const staff = await staffByEmail(services.db, plie.code, par);
  if (!staff) throw new CliFailure(`--par ${par} : aucun membre actif du personnel du PLIE ${plie.code} à cette adresse.`, 1);
  if (!isCoordinator(staff)) throw new CliFailure(`${REFUSED} (${par} : ${staff.roles.join(', ')})`, 1);
  return plie;
}

function describe(m: UndeliveredMessage): string {
  const next = m.next.kind === 'resend' ? `à renvoyer : plie messages renvoyer ${m.id}` : m.next.kind === 'sweep' ? `${nextLabel(m.next)} (ou tout de suite : plie messages renvoyer ${m.id})` : nextLabel(m.next);
  const recipient = m.recipient === 'participant' ? 'la personne (sans adresse)' : m.recipient;
  const why = m.error ? m.error.slice(0, 160) : m.status === 'no_address' ? 'aucune adresse email : rectifiez la fiche, puis renvoyez' : null;
  return [`${m.id}  décidé le ${parisDateTime(m.createdAt)}`, `  ${m.label} — ${subjectLabel(m.subject)} — à ${recipient}`, `  ${m.statusLabel}${why ? ` : ${why}` : ''}`, `  ${next}`].join('\n');
}

export function registerMessageCommands(program: Command): void {
  const messages = program
    .command('messages')
    .description('Messages (emails, Slack) qui ne sont pas partis : les voir (--echecs), en renvoyer un (renvoyer <id>). Réservé à la coordination.')
    .option('--echecs', 'liste les messages non envoyés du PLIE : en échec, adresse refusée, sans adresse, ou encore en cours d’essai')
    .option('--plie <code>', 'le PLIE (par défaut, celui de ce déploiement)')
    .option('--par <email>', 'qui consulte ou renvoie : la coordination (journal d’audit)', 'cli')
    .option('--json', 'résultat en JSON')
    .action(async (opts: MessagesOptions) => {
      if (!opts.echecs) throw new CliFailure('Précisez --echecs pour lister les messages non envoyés, ou « plie messages renvoyer <id> » pour en renvoyer un.', 2);
      await withServices(async (services, cfg) => {
        const plie = await coordinationOf(services, cfg, opts);
        const list = await undeliveredMessages(services.db, plie.code, { now: Date.now() });
        const text =
          list.length === 0
            ? `Aucun message non envoyé pour le PLIE ${plie.code}.`
            : [`Messages non envoyés du PLIE ${plie.code}, les plus récents d’abord (${list.length}) :`, ...list.map(describe)].join('\n\n');
        print(opts.json, list, text);
      });
    });

  messages
    .command('renvoyer')
    .description('Renvoie un message qui n’est pas parti (son identifiant : voir plie messages --echecs), sous sa propre clé : il ne part jamais deux fois. Options --par, --plie et --json : celles de plie messages.')
    .argument('<id>', 'identifiant du message')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<MessagesOptions>();
      if (!z.uuid().safeParse(id).success) throw new CliFailure('Identifiant de message invalide (voir plie messages --echecs).', 2);
      await withServices(async (services, cfg) => {
        const plie = await coordinationOf(services, cfg, opts);
        const { db } = services;
        const message = await db.message.findUnique({ where: { id } });
        const subject = message ? (await subjectsOf(db, [message], plie.code)).get(message.id) : undefined;
        if (!message || !subject) throw new CliFailure(`Aucun message du PLIE ${plie.code} avec cet identifiant.`, 1);
        if (message.status === 'sent') {
          print(opts.json, { id, status: 'sent' }, 'Ce message est déjà parti : rien à renvoyer.');
          return;
        }
        if (message.status === 'pending') throw new CliFailure('Ce message est encore en cours d’envoi automatique : son état s’affichera dans plie messages --echecs.', 1);
        const plan = resendPlan(message);
        if (!plan) throw new CliFailure('Ce message ne peut pas être renvoyé d’ici (le suivant le remplace, ou son contenu appartient au suivi en cours).', 1);
        const stale = (await staleMessages(db, [message], Date.now())).get(message.id);
        if (stale) throw new CliFailure(`Ce message ne peut plus partir : ${stale}.`, 1);
        // One resend of a message at a time: asked twice meanwhile, the second joins the first.
        const handle = await services.temporal.workflow.start(plan.kind === 'marche' ? RESEND_MARCHE_WORKFLOW : RESEND_WORKFLOW, {
          workflowId: `renvoi-${message.id}`,
          taskQueue: cfg.env.TEMPORAL_TASK_QUEUE,
          args: [{ messageId: message.id }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        await audit(db, {
          idempotencyKey: `cli/${randomUUID()}`,
          actor: opts.par.trim(),
          channel: 'cli',
          action: 'message.resend',
          entityType: subject.subject.kind === 'marche' ? 'marche' : 'pathway',
          entityId: subject.subject.kind === 'marche' ? subject.subject.marcheId : (message.pathwayId ?? message.id),
          details: { messageId: message.id, template: message.template },
        });
        let timer: NodeJS.Timeout | undefined;
        const waited = await Promise.race([
          // Refused for good, the resend's workflow fails: the message's record says how.
          (handle.result() as Promise<string>).catch(() => 'not_sent'),
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), WAIT_MS))),
        ]).finally(() => clearTimeout(timer));
        const now = await db.message.findUniqueOrThrow({ where: { id } });
        const said =
          waited === null
            ? 'Le renvoi est en cours : son état s’affichera dans plie messages --echecs.'
            : waited === 'stale'
              ? 'Ce message ne peut plus partir (le rendez-vous ou le marché a changé depuis).'
              : now.status === 'sent'
                ? 'Message renvoyé : il est parti.'
                : now.status === 'no_address'
                  ? 'Message toujours sans adresse : rectifiez la fiche de la personne, puis renvoyez.'
                  : `Le message n’est pas parti (${deliveryLabel(now.status)})${now.error ? ` : ${now.error.slice(0, 160)}` : ''}. Un nouvel essai automatique suivra.`;
        print(opts.json, { id, status: waited === 'stale' ? 'stale' : now.status, waiting: waited === null }, said);
        if (waited !== null && waited !== 'stale' && now.status !== 'sent') throw new CliFailure('', 1);
      });
    });
}
