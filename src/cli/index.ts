/**
 * `plie`: the command line for staff and operators. It reads the same configuration and data
 * folder as `npm start`, so it finds the embedded servers a running `npm start` started. Its
 * groups are assembled here, each defined in src/cli/commands/ with its own `register…(program)`;
 * `main` turns failures into French messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { DuplicateProcurementError } from '../procurement/register.ts';
import { DuplicateParticipantError, InvalidInputError, PathwayNotStartedError } from '../participants/create.ts';
import { ParticipantNotFoundError } from '../participants/rectify.ts';
import { ReentryRefusedError } from '../participants/reenter.ts';
import { ScenarioError } from '../simulator/simulate.ts';
import { TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerParticipantCommands } from './commands/participant.ts';
import { registerTaskCommands } from './commands/task.ts';
import { registerHistoryCommands } from './commands/history.ts';
import { registerRgpdCommands } from './commands/rgpd.ts';
import { registerPlieCommands } from './commands/plies.ts';
import { registerStaffCommands } from './commands/staff.ts';
import { registerProcurementCommands } from './commands/procurement.ts';
import { registerOfferCommands } from './commands/offer.ts';
import { registerCollectiveCommands } from './commands/collective.ts';
import { registerFseCommands } from './commands/fse.ts';
import { registerSimulateCommand } from './commands/simulate.ts';
import { registerMessageCommands } from './commands/messages.ts';
import { CliFailure } from './shared.ts';

export function buildProgram(): Command {
  const program = new Command('plie')
    .description('Outils du PLIE : vérifier l’installation, créer des participants, suivre les parcours.')
    .configureOutput({ outputError: () => undefined })
    .helpOption('-h, --help', 'afficher l’aide')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .exitOverride();
  registerDoctorCommand(program);
  registerParticipantCommands(program);
  registerTaskCommands(program);
  registerHistoryCommands(program);
  registerPlieCommands(program);
  registerStaffCommands(program);
  registerProcurementCommands(program);
  registerOfferCommands(program);
  registerCollectiveCommands(program);
  registerFseCommands(program);
  registerRgpdCommands(program);
  registerMessageCommands(program);
  registerSimulateCommand(program);
  return program;
}

/** Runs the CLI; returns the exit code (messages for people are printed in French). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help was asked for, or shown because a command was missing: already printed.
      if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
        return error.exitCode;
      }
      console.error(frenchUsageError(error) ?? error.message);
      return 2;
    }
    if (error instanceof CliFailure) {
      if (error.message) console.error(error.message);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof ReentryRefusedError) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof ScenarioError) {
      console.error(`Scénario refusé :\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    if (error instanceof InvalidInputError) {
      console.error(`Données invalides :\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    if (
      error instanceof DuplicateParticipantError ||
      error instanceof ParticipantNotFoundError ||
      error instanceof DuplicateProcurementError ||
      error instanceof TaskAnswerRejectedError ||
      error instanceof PathwayNotStartedError
    ) {
      console.error(error.message);
      return 1;
    }
    if ((error as Error).name === 'WorkflowNotFoundError') {
      const id = (error as { workflowId?: string }).workflowId ?? '';
      console.error(
        id.startsWith('marche-')
          ? 'Le suivi de ce marché n’a pas démarré (marché enregistré avant lui, ou démarrage interrompu) : lancez plie marche suivre <référence>.'
          : id.startsWith('offre-') || id.startsWith('action-collective-')
            ? 'Le suivi de cet élément n’est pas en cours (terminé, ou jamais démarré).'
            : 'Aucun parcours pour ce participant.',
      );
      return 1;
    }
    console.error(`Échec : ${(error as Error).message}`);
    return 1;
  }
}

const COMMANDER_MESSAGES: Record<string, string> = {
  'commander.missingMandatoryOptionValue': 'option obligatoire manquante',
  'commander.optionMissingArgument': 'valeur manquante pour l’option',
  'commander.missingArgument': 'argument manquant',
  'commander.unknownOption': 'option inconnue',
  'commander.unknownCommand': 'commande inconnue',
  'commander.excessArguments': 'trop d’arguments',
};

/** Commander speaks English; staff read French. */
function frenchUsageError(error: CommanderError): string | undefined {
  const label = COMMANDER_MESSAGES[error.code];
  if (!label) return undefined;
  const subject = /'([^']+)'/.exec(error.message)?.[1];
  return `${label}${subject ? ` : ${subject}` : ''} (plie --help pour l’aide)`;
}
