/**
 * A write of a workflow that no retry can mend (a row gone, a value refused: see
 * src/temporal/activity-failures.ts) is told to the coordination, with the file number and what
 * could not be recorded, never the person's name; the workflow itself goes on.
 */
import { fileReference } from '../src/domain/participant.ts';
import { render } from '../src/email/templates.ts';
import { createDelivery } from './delivery.ts';
import type { NotificationDeps } from './notifications.ts';

/** What each record is, in the coordination's words. */
const RECORDS: Record<string, string> = {
  recordStage: 'le changement d’étape du parcours',
  assessEligibility: 'l’examen de l’éligibilité',
  recordTaskOpened: 'l’ouverture d’une tâche',
  recordTaskClosed: 'la clôture d’une tâche',
  recordFact: 'un fait du parcours (étape, contrat, formation…)',
  recordFseDataPoint: 'une donnée FSE+',
  recordExit: 'la sortie',
  closeInterruptedCommission: 'la clôture d’un vote interrompu de la commission',
};

export function recordWhat(command: string): string {
  return RECORDS[command] ?? command;
}

export function createRecordFailureActivities(deps: NotificationDeps) {
  const { deliverOnce } = createDelivery(deps);
  return {
    async reportRecordFailure(args: { pathwayId: string; participantId: string; command: string; reason: string; to: string; at: string }): Promise<void> {
      const reference = fileReference(args.participantId);
      const what = recordWhat(args.command);
      await deliverOnce({
        // One report per write: the workflow's time of the failure tells two apart.
        idempotencyKey: `${args.pathwayId}/enregistrement-impossible/${args.command}/${args.at}`,
        template: 'record.failed',
        recipient: args.to,
        pathwayId: args.pathwayId,
        decidedAt: new Date(args.at),
        render: async () =>
          render(`Dossier ${reference} : un enregistrement n’a pas pu être fait`, [
            `Bonjour, dans le parcours du dossier ${reference}, ${what} n’a pas pu être enregistré dans la base de données, et ne le sera pas en réessayant : ${args.reason}.`,
            `Le parcours continue. Merci de vérifier le dossier dans la console (${deps.appUrl}/participants/${args.participantId}) et de corriger ce qui manque.`,
          ]),
        audit: { action: 'pathway.record.failed', entityType: 'pathway', entityId: args.pathwayId },
      });
    },
  };
}
