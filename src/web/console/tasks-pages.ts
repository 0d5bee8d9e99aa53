/**
 * « Mes tâches »: the open tasks of the person signed in (and, for the coordination, the team's
 * overdue ones), each answered with the same form as in Slack and behind the emails' links.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../../db/client.ts';
import { toDbDate } from '../../db/dates.ts';
import { parisDate } from '../../domain/dates.ts';
import { fileReference, initials } from '../../domain/participant.ts';
import { isCoordinator, mayAnswerTask } from '../../domain/permissions.ts';
import { isTaskKind, TASK_TITLES } from '../../domain/tasks.ts';
import { readForm, type RawValues } from '../../forms/fields.ts';
import { taskForm } from '../../forms/task-forms.ts';
import { answerPathwayTask } from '../../participants/pathway-action.ts';
import { referentOptions } from '../../staff/directory.ts';
import { castVote } from '../../temporal/pathway-client.ts';
import { formHtml } from '../pages/form-html.ts';
import { alert, html, join, paragraph, type Html } from '../pages/layout.ts';
import { csrfField, dueDate, link, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';
import type { ConsoleSession } from './sessions.ts';

const taskInclude = { pathway: { include: { participant: true } } } as const;

export const taskUrl = (taskId: string) => `/taches/${encodeURIComponent(taskId)}`;

export function createTaskPages(deps: { db: Db; temporal: Client; now: () => number }): express.Router {
  const router = express.Router();
  const { db } = deps;

  router.get('/taches', async (req, res) => {
    const session = sessionOf(req)!;
    const today = toDbDate(parisDate(deps.now()));
    const where = { status: 'open', pathway: { participant: { plieCode: session.plieCode } } };
    const own = await db.task.findMany({ where: { ...where, assigneeEmail: { equals: session.email, mode: 'insensitive' } }, include: taskInclude, orderBy: { dueDate: 'asc' }, take: 200 });
    const team = isCoordinator(session)
      ? await db.task.findMany({
          where: { ...where, dueDate: { lt: today }, assigneeRole: { not: 'participant' }, NOT: { assigneeEmail: { equals: session.email, mode: 'insensitive' } } },
          include: taskInclude,
          orderBy: { dueDate: 'asc' },
          take: 50,
        })
      : [];
    type Row = (typeof own)[number];
    const row = (t: Row, withAssignee: boolean): Html[] => [
      dueDate(t.dueDate, today),
      link(taskUrl(t.id), isTaskKind(t.kind) ? TASK_TITLES[t.kind] : t.kind),
      link(`/participants/${t.pathway.participantId}`, `${fileReference(t.pathway.participantId)} (${initials(t.pathway.participant.firstName, t.pathway.participant.lastName)})`),
      ...(withAssignee ? [text(t.assigneeEmail)] : []),
    ];
    const saved = req.query.enregistre === '1' ? alert('success', 'Votre réponse est enregistrée.', 'La suite du parcours est lancée.') : html('');
    sendPage(res, session, {
      title: 'Mes tâches',
      wide: true,
      body: join(
        saved,
        table('Mes tâches ouvertes, les plus urgentes d’abord', ['Échéance', 'Tâche', 'Dossier'], own.map((t) => row(t, false))),
        ...(isCoordinator(session) ? [table('Tâches en retard de l’équipe', ['Échéance', 'Tâche', 'Dossier', 'Confiée à'], team.map((t) => row(t, true)))] : []),
      ),
    });
  });

  /** The open task if this person may answer it; otherwise the page saying it cannot be found has been sent. */
  async function taskFor(session: ConsoleSession, taskId: string, res: express.Response) {
    const task = await db.task.findUnique({ where: { id: taskId }, include: taskInclude });
    const mine = task && task.pathway.participant.plieCode === session.plieCode && mayAnswerTask(session, task, task.pathway.referentEmail);
    if (!task || !mine || !isTaskKind(task.kind)) {
      sendPage(res, session, { status: 404, title: 'Tâche introuvable', body: alert('warning', 'Cette tâche n’existe pas ou ne vous est pas confiée.') });
      return null;
    }
    if (task.status !== 'open') {
      sendPage(res, session, { status: 410, title: 'Déjà traitée', body: join(alert('info', 'Cette tâche a déjà été traitée. Merci !'), html('<p><a href="/taches">Revenir à mes tâches</a></p>')) });
      return null;
    }
    const form = taskForm(task.kind, { referents: await referentOptions(db, session.plieCode) });
    const before = join(csrfField(session.csrfToken), paragraph(`Dossier ${fileReference(task.pathway.participantId)} (${initials(task.pathway.participant.firstName, task.pathway.participant.lastName)}).`));
    return { task, kind: task.kind, form, before };
  }

  router.get('/taches/:id', async (req, res) => {
    const session = sessionOf(req)!;
    const found = await taskFor(session, req.params.id, res);
    if (found) sendPage(res, session, { title: found.form.title, body: formHtml(found.form, { action: req.originalUrl, before: found.before }) });
  });

  router.post('/taches/:id', async (req, res) => {
    const session = sessionOf(req)!;
    const found = await taskFor(session, req.params.id, res);
    if (!found) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(found.form, raw);
    if (!result.ok) return sendPage(res, session, { status: 400, title: found.form.title, body: formHtml(found.form, { action: req.originalUrl, values: raw, errors: result.errors, before: found.before }) });
    const { task } = found;
    if (found.kind === 'commission_vote') {
      await castVote(deps.temporal, task.commissionCaseId!, { actor: session.email, vote: result.value, channel: 'web' });
    } else {
      await answerPathwayTask(deps, task.pathway.participantId, { taskId: task.id, answer: result.value, actor: session.email, channel: 'web' }, task.pathwayId);
    }
    res.redirect(303, '/taches?enregistre=1');
  });

  return router;
}
