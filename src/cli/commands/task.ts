/** `plie task answer`: answering a task of a pathway. */
import type { Command } from 'commander';
import { answerPathwayTask } from '../../participants/pathway-action.ts';
import { currentPathwayId } from '../../participants/reenter.ts';
import { CliFailure, withServices, parseJsonOption, print, describeState } from '../shared.ts';

export function registerTaskCommands(program: Command): void {
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
        const state = await answerPathwayTask(
          services,
          participantId,
          { taskId, answer, actor: String(opts.par), channel: 'cli' },
          await currentPathwayId(services.db, participantId),
        );
        print(Boolean(opts.json), state, `Réponse enregistrée.\n${describeState(state)}`);
      });
    });
}
