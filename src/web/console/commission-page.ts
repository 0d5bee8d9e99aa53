/**
 * « Commission »: the cases of the commission ad hoc, pseudonymised as in its Slack channel
 * (initials, the criterion): the open ones with the member's own vote (or the link to cast it),
 * then the results. For its members and the coordination.
 */
import express from 'express';
import type { Db } from '../../db/client.ts';
import { formatFrenchDate, parisDate } from '../../domain/dates.ts';
import { initials } from '../../domain/participant.ts';
import { seesCommissionCases } from '../../domain/permissions.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { criterionLabel } from '../../slack/commission-message.ts';
import { alert, join } from '../pages/layout.ts';
import { link, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';
import { taskUrl } from './tasks-pages.ts';

const OUTCOMES: Record<string, string> = { approved: 'Sortie positive accordée', rejected: 'Sortie positive refusée', adjourned: 'Ajourné', withdrawn: 'Retiré (données effacées)', interrupted: 'Vote interrompu : confié à la coordination' };
const VOTES: Record<string, string> = { POUR: 'Pour', CONTRE: 'Contre', ABSTENTION: 'Abstention' };

export function createCommissionPage(deps: { db: Db; plieConfig: (code: string) => Promise<PlieConfig> }): express.Router {
  const router = express.Router();
  const { db } = deps;

  router.get('/commission', async (req, res) => {
    const session = sessionOf(req)!;
    if (!seesCommissionCases(session)) return sendPage(res, session, { status: 403, title: 'Commission ad hoc', body: alert('warning', 'Les dossiers de la commission ad hoc sont réservés à ses membres et à la coordination.') });
    const rules = (await deps.plieConfig(session.plieCode)).exitCriteria;
    const ofPlie = { pathway: { participant: { plieCode: session.plieCode } } };
    const include = { pathway: { include: { participant: true } }, votes: { include: { staff: true } } } as const;
    const [open, closed, myTasks] = await Promise.all([
      db.commissionCase.findMany({ where: { ...ofPlie, outcome: 'OUVERT' }, include, orderBy: { deadline: 'asc' } }),
      db.commissionCase.findMany({ where: { ...ofPlie, outcome: { not: 'OUVERT' } }, include, orderBy: { closedAt: 'desc' }, take: 50 }),
      db.task.findMany({ where: { kind: 'commission_vote', status: 'open', assigneeEmail: { equals: session.email, mode: 'insensitive' } } }),
    ]);
    const who = (c: (typeof open)[number]) => text(`Dossier ${initials(c.pathway.participant.firstName, c.pathway.participant.lastName)}`);
    const myVote = (c: (typeof open)[number]) => {
      const task = myTasks.find((t) => t.commissionCaseId === c.id);
      if (task) return link(taskUrl(task.id), 'Voter');
      const vote = c.votes.find((v) => v.staff.email.toLowerCase() === session.email.toLowerCase());
      return text(vote ? (VOTES[vote.vote] ?? vote.vote) : '—');
    };
    sendPage(res, session, {
      title: 'Commission ad hoc',
      wide: true,
      body: join(
        table('Dossiers en cours de vote', ['Dossier', 'Critère proposé', 'Vote jusqu’au', 'Votes reçus', 'Mon vote'], open.map((c) => [who(c), text(criterionLabel(c.criterion, rules)), text(formatFrenchDate(parisDate(c.deadline))), text(String(c.votes.length)), myVote(c)])),
        table(
          'Décisions, les plus récentes d’abord',
          ['Dossier', 'Critère proposé', 'Décision', 'Par', 'Le'],
          closed.map((c) => [
            who(c),
            text(criterionLabel(c.criterion, rules)),
            text(OUTCOMES[c.outcome] ?? c.outcome),
            text(c.panel === 'coordination' ? 'la coordination' : `la commission (${['POUR', 'CONTRE', 'ABSTENTION'].map((v) => `${VOTES[v]} ${c.votes.filter((x) => x.vote === v).length}`).join(', ')})`),
            text(c.closedAt ? formatFrenchDate(parisDate(c.closedAt)) : null),
          ]),
        ),
      ),
    });
  });

  return router;
}
