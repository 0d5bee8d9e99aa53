/** `plie rgpd`: a person's rights over their data (RGPD), exercised for them by the coordination. */
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { linkSecrets } from '../../config/index.ts';
import { audit } from '../../db/audit.ts';
import { createProofStore, proofsFolder, type ProofStore } from '../../files/proof-store.ts';
import { collectExport, writeExport } from '../../rgpd/export.ts';
import { eraseParticipant } from '../../rgpd/erase.ts';
import { applyRetention, RETENTION_CATEGORIES, RETENTION_LABELS, retentionLimits, retentionPlan, type RetentionCounts } from '../../rgpd/retention.ts';
import type { Db } from '../../db/client.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { z } from '../../domain/validation.ts';
import { CliFailure, plieActedOn, print, withServices } from '../shared.ts';

export function registerRgpdCommands(program: Command): void {
  const rgpd = program.command('rgpd').description('Droits des personnes sur leurs données (RGPD), exercés pour elles par la coordination.');
  rgpd
    .command('export')
    .description('Droit d’accès : écrit dans un dossier tout ce que le PLIE conserve sur la personne (JSON, page HTML lisible, justificatifs déchiffrés).')
    .argument('<participantId>', 'identifiant de la personne')
    .requiredOption('--out <dossier>', 'dossier où écrire l’export (créé s’il n’existe pas)')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .option('--par <email>', 'qui répond à la demande : la coordination', 'cli')
    .option('--json', 'résultat en JSON')
    .action(async (participantId: string, opts: { out: string; plie?: string; par: string; json?: boolean }) => {
      if (!z.uuid().safeParse(participantId).success) throw new CliFailure('Identifiant de participant invalide.', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'answerDataRights');
        const data = await collectExport(services.db, plie.code, participantId, new Date());
        if (!data) throw new CliFailure('Aucune personne de ce PLIE avec cet identifiant.', 1);
        // The files' key is needed only when there are files to decrypt.
        const proofs = () => createProofStore(proofsFolder(cfg), linkSecrets(services.secrets, cfg.dataDir).fileKey);
        const written = await writeExport(opts.out, data, proofs);
        await audit(services.db, { idempotencyKey: `cli/${randomUUID()}`, actor: opts.par, channel: 'cli', action: 'rgpd.export', entityType: 'participant', entityId: participantId, details: { files: written.length } });
        print(opts.json, { folder: opts.out, files: written }, `Export du dossier écrit dans ${opts.out} : ${written.join(', ')}.`);
      });
    });
  rgpd
    .command('erase')
    .description('Droit à l’effacement : clôt le parcours en cours (sortie administrative « effacement »), puis remplace l’identité et les coordonnées de la personne par un pseudonyme partout, détruit sa clé de chiffrement des historiques Temporal, et garde les données statistiques et ce qu’impose le FSE+.')
    .argument('<participantId>', 'identifiant de la personne')
    .requiredOption('--motif <texte>', 'motif de l’effacement (la demande de la personne, sa date)')
    .requiredOption('--par <email>', 'qui répond à la demande : la coordination')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .option('--json', 'résultat en JSON')
    .action(async (participantId: string, opts: { motif: string; par: string; plie?: string; json?: boolean }) => {
      if (!z.uuid().safeParse(participantId).success) throw new CliFailure('Identifiant de participant invalide.', 2);
      const motif = opts.motif.trim();
      if (motif.length < 3 || motif.length > 500) throw new CliFailure('Motif : de 3 à 500 caractères.', 2);
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'answerDataRights');
        const done = await eraseParticipant(services, plie, participantId, { reason: motif, actor: opts.par, channel: 'cli', now: new Date() });
        if (!done) throw new CliFailure('Aucune personne de ce PLIE avec cet identifiant.', 1);
        const head =
          done.status === 'already'
            ? `Le dossier ${done.fileReference} est déjà effacé (le ${formatFrenchDate(done.erasedOn)}) : rien d’autre à faire.`
            : `Dossier ${done.fileReference} effacé${done.closedWorkflows.length > 0 ? ` (parcours clos : ${done.closedWorkflows.length} workflow(s) arrêté(s))` : ''}.`;
        print(opts.json, done, `${head}\n\nRéponse à transmettre à la personne :\n${done.answer}`);
      });
    });
  rgpd
    .command('retention')
    .description('Conservation : pseudonymise les identités et supprime les justificatifs et traces dont la durée de conservation est passée (ce que fait chaque nuit la planification). Avec --dry-run, compte sans rien faire.')
    .option('--dry-run', 'compter, par catégorie, ce qui serait supprimé ou pseudonymisé, sans le faire')
    .option('--plie <code>', 'PLIE concerné (par défaut celui de ce déploiement)')
    .option('--par <email>', 'qui le demande : la coordination', 'cli')
    .option('--json', 'résultat en JSON')
    .action(async (opts: { dryRun?: boolean; plie?: string; par: string; json?: boolean }) => {
      await withServices(async (services, cfg) => {
        const plie = await plieActedOn(services, cfg, opts, 'answerDataRights');
        const now = new Date();
        const { limits, counts } = opts.dryRun ? await retentionPlan(services.db, plie, now) : await applyAll(services.db, createProofStore(proofsFolder(cfg), linkSecrets(services.secrets, cfg.dataDir).fileKey), plie, now);
        const lines = RETENTION_CATEGORIES.map((c) => `  ${RETENTION_LABELS[c]} : ${counts[c]}`);
        const head = opts.dryRun
          ? `Conservation (${plie.code}), simulation : rien n’a été modifié. Identités des parcours finis avant le ${formatFrenchDate(limits.identityEndedBefore)}, justificatifs des sorties de ${limits.proofsExitYearAtMost} ou avant.`
          : `Conservation (${plie.code}) appliquée.`;
        print(opts.json, { plie: plie.code, dryRun: Boolean(opts.dryRun), limits, counts }, [head, ...lines].join('\n'));
      });
    });
}

/** Every batch, until nothing is left (the nightly workflow does the same). */
async function applyAll(db: Db, proofs: ProofStore, plie: PlieConfig, now: Date) {
  const counts = Object.fromEntries(RETENTION_CATEGORIES.map((c) => [c, 0])) as RetentionCounts;
  let step;
  do {
    step = await applyRetention({ db, proofs }, plie, now);
    for (const c of RETENTION_CATEGORIES) counts[c] += step.counts[c];
  } while (step.more);
  return { limits: retentionLimits(plie, now), counts };
}
