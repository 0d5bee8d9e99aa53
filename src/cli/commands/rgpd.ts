/** `plie rgpd`: a person's rights over their data (RGPD), exercised for them by the coordination. */
import type { Command } from 'commander';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { linkSecrets } from '../../config/index.ts';
import { audit } from '../../db/audit.ts';
import { createProofStore } from '../../files/proof-store.ts';
import { collectExport, writeExport } from '../../rgpd/export.ts';
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
        const proofs = () => createProofStore(cfg.env.PLIE_FILES_DIR ?? path.join(cfg.dataDir, 'justificatifs'), linkSecrets(services.secrets, cfg.dataDir).fileKey);
        const written = await writeExport(opts.out, data, proofs);
        await audit(services.db, { idempotencyKey: `cli/${randomUUID()}`, actor: opts.par, channel: 'cli', action: 'rgpd.export', entityType: 'participant', entityId: participantId, details: { files: written.length } });
        print(opts.json, { folder: opts.out, files: written }, `Export du dossier écrit dans ${opts.out} : ${written.join(', ')}.`);
      });
    });
}
