/**
 * The word to both referents when the coordination entrusts a pathway to another one (email, and
 * the same sentences in Slack). A file reference and initials only, never the reason of the change.
 */
import type { KnownBlock } from '@slack/types';
import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { TASK_TITLES, type TaskKind } from '../domain/tasks.ts';
import { render, type RenderedEmail } from './templates.ts';

export interface ReferentChangeNotice {
  /** new: the referent who takes the pathway over; previous: the one who held it. */
  to: 'new' | 'previous';
  fileReference: string;
  initials: string;
  newReferent: string;
  previousReferent: string | null;
  /** The open tasks that follow the pathway, with the new referent's link to answer each (email only). */
  tasks: Array<{ kind: TaskKind; dueDate: CalendarDate; url?: string }>;
}

function sentences(n: ReferentChangeNotice): { subject: string; paragraphs: string[] } {
  const file = `dossier ${n.fileReference} (${n.initials})`;
  if (n.to === 'previous') {
    const count = n.tasks.length;
    return {
      subject: `[PLIE] Le ${file} est confié à ${n.newReferent}`,
      paragraphs: [
        'Bonjour,',
        `La coordination a confié le suivi du ${file} à ${n.newReferent}.`,
        count > 0
          ? `${count === 1 ? 'Sa tâche ouverte lui a été transmise' : `Ses ${count} tâches ouvertes lui ont été transmises`} : vous n’avez plus rien à faire sur ce dossier.`
          : 'Vous n’avez plus rien à faire sur ce dossier.',
        'Merci pour l’accompagnement que vous avez mené.',
      ],
    };
  }
  const lines = n.tasks.map((t) => `${TASK_TITLES[t.kind]}, échéance le ${formatFrenchDate(t.dueDate)}${t.url ? `. Répondre : ${t.url}` : ''}`);
  return {
    subject: `[PLIE] Le ${file} vous est confié`,
    paragraphs: [
      'Bonjour,',
      `La coordination vous confie le suivi du ${file}${n.previousReferent ? `, assuré jusqu’ici par ${n.previousReferent}` : ''}.`,
      ...(lines.length > 0 ? [`${lines.length === 1 ? 'Cette tâche vous revient' : 'Ces tâches vous reviennent'} :`, ...lines] : ['Aucune tâche n’attend sur ce dossier pour l’instant.']),
    ],
  };
}

export function referentChangeEmail(notice: ReferentChangeNotice): RenderedEmail {
  const { subject, paragraphs } = sentences(notice);
  return render(subject, [...paragraphs, ...(notice.tasks.some((t) => t.url) ? ['Chaque lien est personnel et ne sert qu’une fois.'] : [])]);
}

/** The same word in Slack; the tasks themselves, with their buttons, are in the App Home. */
export function referentChangeSlack(notice: ReferentChangeNotice): { text: string; blocks: KnownBlock[] } {
  const { subject, paragraphs } = sentences({ ...notice, tasks: notice.tasks.map(({ kind, dueDate }) => ({ kind, dueDate })) });
  const body = paragraphs.slice(1).join('\n');
  const home = notice.to === 'new' && notice.tasks.length > 0 ? ['Vous les retrouvez, avec leurs boutons, dans l’onglet Accueil de l’application.'] : [];
  return {
    text: subject.replace('[PLIE] ', ''),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: [body, ...home].join('\n') } }],
  };
}
