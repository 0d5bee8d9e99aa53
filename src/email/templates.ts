import { formatFrenchDate, type CalendarDate } from '../domain/dates.ts';
import { TASK_TITLES, type TaskKind } from '../domain/tasks.ts';
import { escapeHtml } from '../html.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** An appointment invitation (iCalendar), offered by mail clients to add to the agenda. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; filename: string; content: string };
  /** Documents sent along (a marché's bilan). */
  attachments?: Array<{ filename: string; content: Buffer | string; contentType: string }>;
}

/** received: what the participant sent (a proof) has arrived; their referent is told. */
export type TaskNotice = 'opened' | 'reminder' | 'escalation' | 'received';


/** « Le lien est valable jusqu’au … » after a link that expires (nothing for one that does not). */
export const linkValidity = (expiresOn?: CalendarDate) => (expiresOn ? ` Le lien est valable jusqu’au ${formatFrenchDate(expiresOn)}.` : '');

/** Text and HTML from the same paragraphs, so both parts always say the same thing. */
export function render(subject: string, paragraphs: string[]): RenderedEmail {
  const signature = 'L’équipe du PLIE';
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n\n${signature}\n`,
    html: `<!doctype html><html lang="fr"><body>${paragraphs
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('')}<p>${signature}</p></body></html>`,
  };
}

/**
 * Staff emails about a task. They carry a file reference and initials only: no name,
 * no situation, nothing sensitive (the file itself is read in the application).
 */
export function taskNoticeEmail(args: {
  notice: TaskNotice;
  kind: TaskKind;
  fileReference: string;
  initials: string;
  dueDate: CalendarDate;
  assigneeEmail: string;
  /** The signed form behind the email (staff without Slack), with its expiry; else the application. */
  action: { url: string; expiresOn: CalendarDate } | { url: string; expiresOn?: undefined };
  /** For the referent of the pathway: a signed form to note any other fact on it (contract, training…). */
  facts?: { url: string; expiresOn: CalendarDate } | { url: string; expiresOn?: undefined };
}): RenderedEmail {
  const title = TASK_TITLES[args.kind];
  const who = `dossier ${args.fileReference} (${args.initials})`;
  const due = formatFrenchDate(args.dueDate);
  const link = args.action.expiresOn
    ? `Pour répondre, ce lien personnel (valable jusqu’au ${formatFrenchDate(args.action.expiresOn)}, une seule fois) : ${args.action.url}`
    : `Pour y répondre : ${args.action.url}`;
  switch (args.notice) {
    case 'opened':
      return render(`[PLIE] Nouvelle tâche : ${title}`, [
        'Bonjour,',
        `Une nouvelle tâche vous attend pour le ${who} : ${title.toLowerCase()}.`,
        `Merci d’y répondre d’ici le ${due}.`,
        link,
        ...(args.facts
          ? [
              args.facts.expiresOn
                ? `Pour noter un autre fait sur ce parcours (contrat, formation, qualification, création d’entreprise, frein, pause des relances…), ce lien personnel (valable jusqu’au ${formatFrenchDate(args.facts.expiresOn)}, une seule fois) : ${args.facts.url}`
                : `Pour noter un autre fait sur ce parcours (contrat, formation, qualification, création d’entreprise, frein, pause des relances…) : ${args.facts.url}`,
            ]
          : []),
      ]);
    case 'reminder':
      return render(`[PLIE] Rappel : ${title}`, [
        'Bonjour,',
        `Petit rappel : la tâche « ${title} » pour le ${who} attend toujours votre réponse (échéance : ${due}).`,
        'Si vous êtes empêché·e, la coordination peut prendre le relais.',
        link,
      ]);
    case 'escalation':
      return render(`[PLIE] Tâche en retard : ${title}`, [
        'Bonjour,',
        `La tâche « ${title} » pour le ${who}, confiée à ${args.assigneeEmail}, est sans réponse malgré un rappel (échéance dépassée : ${due}).`,
        'Pourriez-vous voir avec la personne concernée ou réattribuer la tâche ?',
        link,
      ]);
    case 'received':
      return render(`[PLIE] Justificatif reçu : ${who}`, [
        'Bonjour,',
        `La personne accompagnée (${who}) vient de déposer le justificatif demandé. Il est conservé chiffré.`,
        args.action.expiresOn
          ? `Pour le consulter, ce lien personnel (valable jusqu’au ${formatFrenchDate(args.action.expiresOn)}, une seule fois) : ${args.action.url}`
          : `Pour le consulter : ${args.action.url}`,
      ]);
  }
}

export interface DigestLine {
  kind: TaskKind;
  fileReference: string;
  initials: string;
  dueDate: CalendarDate;
  overdue: boolean;
  url: string;
  /** For the coordination's team section: to whom the task is given. */
  assignee?: string;
}

/** The morning digest of a member of staff without Slack: their open tasks, and the team's late ones for the coordination. */
export function digestEmail(args: { day: CalendarDate; own: DigestLine[]; team: DigestLine[]; linkDays: number }): RenderedEmail {
  const line = (l: DigestLine) =>
    `${l.overdue ? '[EN RETARD] ' : ''}${TASK_TITLES[l.kind]} : dossier ${l.fileReference} (${l.initials}), échéance le ${formatFrenchDate(l.dueDate)}${l.assignee ? `, confiée à ${l.assignee}` : ''}. Répondre : ${l.url}`;
  const overdue = args.own.filter((l) => l.overdue).length;
  const paragraphs = ['Bonjour,', `Voici vos tâches en attente au ${formatFrenchDate(args.day)} : ${args.own.length}${overdue ? `, dont ${overdue} en retard` : ''}.`, ...args.own.map(line)];
  if (args.team.length > 0) paragraphs.push(`Tâches en retard dans l’équipe : ${args.team.length}.`, ...args.team.map(line));
  paragraphs.push(`Chaque lien est personnel, valable ${args.linkDays} jours et ne sert qu’une fois.`);
  return render(`[PLIE] Vos tâches du ${formatFrenchDate(args.day)}${overdue ? ` (${overdue} en retard)` : ''}`, paragraphs);
}
