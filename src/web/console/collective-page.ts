/**
 * « Actions collectives » (the coordination and the referents): the PLIE's actions with their
 * figures and their download, a new action (its workflow sends invitations, the reminder, then
 * asks the organiser who came), an action's invitations, inviting people in pathway, and the
 * attendance with what followed. The organiser or the coordination acts; the workflow says when.
 */
import type { Client } from '@temporalio/client';
import { stringify } from 'csv-stringify/sync';
import express from 'express';
import { createCollectiveAction, figuresOf, figuresOfMany } from '../../collective/actions.ts';
import { collectiveState, inviteParticipants, recordCollectiveAttendance, startCollective } from '../../collective/client.ts';
import type { Db } from '../../db/client.ts';
import { COLLECTIVE_KIND_LABELS, type CollectiveKind } from '../../domain/collective-actions.ts';
import { fileReference, initials } from '../../domain/participant.ts';
import { isCoordinator, mayDo } from '../../domain/permissions.ts';
import { CLOSED_STAGES } from '../../domain/tasks.ts';
import { z } from '../../domain/validation.ts';
import { list, readForm, type FormSpec, type RawValues } from '../../forms/fields.ts';
import { collectiveActionForm } from '../../forms/collective-form.ts';
import { InvalidInputError } from '../../participants/create.ts';
import type { CollectiveState } from '../../../workflows/collective-messages.ts';
import { attendanceForm } from '../attendance-page.ts';
import { alert, html, join, type Html } from '../pages/layout.ts';
import { consoleForm, sessionAllowedTo, facts, link, parisDateTime, sendPage, table, text } from './layout.ts';
import type { ConsoleSession } from './sessions.ts';
import { staffRosterOf } from '../../staff/roster.ts';
import { escapeHtml } from '../../html.ts';
import { FILE_REFERENCE, fileReferenceRange } from '../../participants/file-reference.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';

export interface CollectivePageDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  coordinationOf: (plieCode: string) => Promise<string>;
  /** The PLIE's configuration: with its staff, who may run an action (given to its workflow at the start). */
  plieConfig: (plieCode: string) => Promise<PlieConfig>;
}

const uuid = z.uuid();
const STATUS_LABELS: Record<string, string> = { INVITE: 'invitée', PRESENT: 'présente', ABSENT: 'absente' };
/** The people listed at once to pick from (alphabetical order); anyone the person may invite is accepted when sent. */
const MAX_INVITABLE = 300;

const inviteForm = (people: Array<{ value: string; label: string }>): FormSpec => ({
  title: 'Inviter',
  submit: 'Inviter',
  intro: 'Chaque personne reçoit l’invitation par email, avec l’évènement à ajouter à son agenda.',
  fields: [{ id: 'participantIds', label: 'Personnes en parcours', kind: 'multiselect', options: people }],
  toValue: (raw) => ({ participantIds: list(raw, 'participantIds') }),
  schema: z.object({ participantIds: z.array(z.string()).min(1, 'choisissez au moins une personne') }),
});

export function createCollectivePage(deps: CollectivePageDeps): express.Router {
  const router = express.Router();
  const { db } = deps;

  const allowed = sessionAllowedTo('runCollectiveActions', 'Actions collectives');

  async function organisers(plieCode: string) {
    const staff = await db.staff.findMany({ where: { plieCode, active: true }, orderBy: { name: 'asc' } });
    return staff.filter((s) => mayDo(s, 'runCollectiveActions')).map((s) => ({ value: s.email, label: s.name }));
  }

  async function actionFor(session: ConsoleSession, id: string, res: express.Response) {
    const action = uuid.safeParse(id).success ? await db.collectiveAction.findFirst({ where: { id, plieCode: session.plieCode }, include: { invitations: { orderBy: { invitedAt: 'asc' } } } }) : null;
    if (!action) sendPage(res, session, { status: 404, title: 'Action introuvable', body: alert('warning', 'Aucune action collective de ce numéro dans votre PLIE.') });
    return action;
  }

  /**
   * The people in pathway this person may invite (their own caseload; the coordination's, the PLIE's),
   * among `among` if given, or those whose name or file number holds `search`.
   */
  async function invitable(session: ConsoleSession, already: string[], among?: string[], search?: string) {
    const words = (search ?? '').trim();
    const pathways = await db.pathway.findMany({
      where: {
        stage: { notIn: [...CLOSED_STAGES] },
        participant: {
          plieCode: session.plieCode,
          // Each word in the first or the last name (« Malik Atelier » finds him), or a file number.
          ...(words
            ? {
                AND: words.split(/\s+/).map((word) => ({
                  OR: [
                    { lastName: { contains: word, mode: 'insensitive' as const } },
                    { firstName: { contains: word, mode: 'insensitive' as const } },
                    ...(FILE_REFERENCE.test(word) ? [{ id: fileReferenceRange(word) }] : []),
                  ],
                })),
              }
            : {}),
        },
        participantId: { notIn: already, ...(among ? { in: among.filter((id) => uuid.safeParse(id).success) } : {}) },
        ...(isCoordinator(session) ? {} : { referentEmail: { equals: session.email, mode: 'insensitive' } }),
      },
      include: { participant: true },
      orderBy: [{ participant: { lastName: 'asc' } }, { participant: { firstName: 'asc' } }],
      ...(among ? {} : { take: MAX_INVITABLE }),
    });
    return pathways.map((p) => ({ value: p.participantId, label: `${p.participant.lastName} ${p.participant.firstName} — dossier ${fileReference(p.participantId)}` }));
  }

  const newActionPage = async (res: express.Response, session: ConsoleSession, opts: { raw?: RawValues; errors?: Record<string, string>; status?: number; before?: Html } = {}) => {
    const form = collectiveActionForm(await organisers(session.plieCode));
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: 'Nouvelle action collective',
      body: join(opts.before ?? html(''), consoleForm(form, '/actions-collectives', session.csrfToken, { raw: opts.raw ?? { organizerEmail: session.email }, errors: opts.errors })),
    });
  };

  router.get('/actions-collectives', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const actions = await db.collectiveAction.findMany({ where: { plieCode: session.plieCode }, orderBy: { at: 'desc' }, take: 100 });
    const figures = await figuresOfMany(db, actions.map((a) => a.id));
    const rows = actions.map((a) => {
      const f = figures.get(a.id)!;
      return [
        text(parisDateTime(a.at)),
        link(`/actions-collectives/${a.id}`, `${COLLECTIVE_KIND_LABELS[a.kind as CollectiveKind] ?? a.kind} « ${a.title} »`),
        text(a.organizerEmail),
        text(String(f.invited)),
        text(String(f.present)),
        text(String(f.misesEnRelation)),
        text(String(f.hires)),
      ];
    });
    sendPage(res, session, {
      title: 'Actions collectives',
      wide: true,
      body: join(
        html('<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="/actions-collectives/nouvelle">Nouvelle action</a></li><li><a class="fr-btn fr-btn--tertiary" href="/actions-collectives/bilan.csv" download>Bilan des actions (CSV)</a></li></ul>'),
        table('Les actions du PLIE, les plus récentes d’abord', ['Le', 'Action', 'Qui organise', 'Invité·es', 'Présent·es', 'Mises en relation', 'Embauches'], rows),
      ),
    });
  });

  router.get('/actions-collectives/bilan.csv', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const actions = await db.collectiveAction.findMany({ where: { plieCode: session.plieCode }, orderBy: { at: 'asc' } });
    const figures = await figuresOfMany(db, actions.map((a) => a.id));
    const rows: Array<Array<string | number>> = [['Date', 'Type', 'Intitulé', 'Entreprise', 'Invité·es', 'Présent·es', 'Mises en relation', 'Embauches']];
    for (const a of actions) {
      const f = figures.get(a.id)!;
      rows.push([parisDateTime(a.at) ?? '', COLLECTIVE_KIND_LABELS[a.kind as CollectiveKind] ?? a.kind, a.title, a.company ?? '', f.invited, f.present, f.misesEnRelation, f.hires]);
    }
    res.type('text/csv; charset=utf-8').attachment(`actions-collectives-${session.plieCode}.csv`).send(`\uFEFF${stringify(rows, { delimiter: ';' })}`);
  });

  router.get('/actions-collectives/nouvelle', async (req, res) => {
    const session = allowed(req, res);
    if (session) await newActionPage(res, session);
  });

  router.post('/actions-collectives', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(collectiveActionForm(await organisers(session.plieCode)), raw);
    if (!result.ok) return await newActionPage(res, session, { raw, errors: result.errors, status: 400 });
    try {
      const action = await createCollectiveAction(db, session.plieCode, result.value, session.email, 'web');
      const coordination = await deps.coordinationOf(session.plieCode);
      const roster = await staffRosterOf(db, await deps.plieConfig(session.plieCode), coordination);
      await startCollective(deps.temporal, deps.taskQueue, { actionId: action.id, startsAt: action.at.getTime(), durationMinutes: action.durationMinutes, organizerEmail: action.organizerEmail, coordinatorEmail: coordination, calendarOffsetDays: 0, roster });
      res.redirect(303, `/actions-collectives/${action.id}?enregistree=1`);
    } catch (error) {
      if (error instanceof InvalidInputError) return await newActionPage(res, session, { raw, status: 400, before: alert('error', 'Action non enregistrée', error.problems.join(' ; ')) });
      throw error;
    }
  });

  /** The action's workflow state; none when it can no longer be asked (ended long ago). */
  async function stateOf(actionId: string): Promise<CollectiveState | null> {
    try {
      return await collectiveState(deps.temporal, actionId);
    } catch {
      return null;
    }
  }

  async function actionPage(req: express.Request, res: express.Response, session: ConsoleSession, opts: { raw?: RawValues; errors?: Record<string, string>; status?: number; form?: 'inviter' | 'presence' } = {}) {
    const action = await actionFor(session, req.params.id as string, res);
    if (!action) return;
    const ids = action.invitations.map((i) => i.participantId);
    const people = await db.participant.findMany({ where: { id: { in: ids } }, select: { id: true, firstName: true, lastName: true } });
    const who = (id: string) => {
      const p = people.find((x) => x.id === id);
      return `Dossier ${fileReference(id)} (${p ? initials(p.firstName, p.lastName) : '?'})`;
    };
    const manages = isCoordinator(session) || action.organizerEmail.toLowerCase() === session.email.toLowerCase();
    const state = manages ? await stateOf(action.id) : null;
    // What was sent comes back in the form it was sent from only.
    const shown = (form: 'inviter' | 'presence') => (opts.form === form ? opts : {});
    // Before the action: invitations; once the workflow asked who came: the attendance.
    const forms: Html[] = [];
    if (state && !state.figures && state.attendancePrompts === 0) {
      const search = typeof req.query.recherche === 'string' ? req.query.recherche.slice(0, 100) : '';
      const people = await invitable(session, ids, undefined, search);
      const form = inviteForm(people);
      const found = search.trim()
        ? `${people.length} personne(s) en parcours pour « ${search.trim()} »${people.length >= MAX_INVITABLE ? ` : les ${MAX_INVITABLE} premières` : ''}.`
        : people.length >= MAX_INVITABLE ? `Les ${MAX_INVITABLE} premières personnes par ordre alphabétique : cherchez les autres par leur nom ou leur numéro de dossier.` : '';
      forms.push(
        html('<h2 class="fr-h4 fr-mt-4w">Inviter</h2>'),
        html(
          `<form method="get" action="/actions-collectives/${action.id}" class="fr-mb-2w"><div class="fr-search-bar" role="search"><label class="fr-label" for="recherche-invites">Chercher une personne (nom ou numéro de dossier)</label><input class="fr-input" type="search" id="recherche-invites" name="recherche" value="${escapeHtml(search)}"><button class="fr-btn" type="submit" title="Chercher">Chercher</button></div></form>${found ? `<p>${escapeHtml(found)}</p>` : ''}`,
        ),
        people.length ? consoleForm(form, `/actions-collectives/${action.id}/inviter`, session.csrfToken, shown('inviter')) : html(`<p>${search.trim() ? 'Personne d’autre à inviter sous ce nom ou ce numéro.' : 'Personne d’autre à inviter parmi les parcours en cours.'}</p>`),
      );
    }
    if (state && !state.figures && state.attendancePrompts > 0) {
      const form = attendanceForm(ids.map((id) => ({ value: id, label: who(id) })));
      forms.push(html('<h2 class="fr-h4 fr-mt-4w">Présence et suites</h2>'), consoleForm(form, `/actions-collectives/${action.id}/presence`, session.csrfToken, shown('presence')));
    }
    const f = await figuresOf(db, action.id);
    const notice = req.query.enregistree === '1' ? alert('success', 'Action enregistrée.', 'Invitez maintenant les personnes qu’elle concerne.') : req.query.invitees === '1' ? alert('success', 'Invitations envoyées.') : req.query.presence === '1' ? alert('success', 'La présence est enregistrée.', `${f.present} présent·es sur ${f.invited} invité·es, ${f.misesEnRelation} mise(s) en relation, ${f.hires} embauche(s).`) : html('');
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: `${COLLECTIVE_KIND_LABELS[action.kind as CollectiveKind] ?? action.kind} « ${action.title} »`,
      wide: true,
      body: join(
        notice,
        facts('L’action', [
          ['Le', parisDateTime(action.at)],
          ['Durée', `${action.durationMinutes} minutes`],
          ['Lieu', action.place],
          ['Entreprise', action.company],
          ['Qui organise', action.organizerEmail],
        ]),
        table('Invitations', ['Personne', 'Présence', 'Mise en relation', 'Embauche'], action.invitations.map((i) => [text(who(i.participantId)), text(STATUS_LABELS[i.status] ?? i.status), text(i.miseEnRelation ? 'oui' : 'non'), text(i.hired ? 'oui' : 'non')])),
        ...forms,
        html('<p><a class="fr-link" href="/actions-collectives">Toutes les actions</a></p>'),
      ),
    });
  }

  router.get('/actions-collectives/:id', async (req, res) => {
    const session = allowed(req, res);
    if (session) await actionPage(req, res, session);
  });

  router.post('/actions-collectives/:id/inviter', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const action = await actionFor(session, req.params.id, res);
    if (!action) return;
    const raw = (req.body ?? {}) as RawValues;
    const chosen = list(raw, 'participantIds');
    // Only people this person may invite: anything else sent is refused as unknown.
    const offered = (await invitable(session, action.invitations.map((i) => i.participantId), chosen)).map((p) => p.value);
    const result = readForm(inviteForm(offered.map((value) => ({ value, label: value }))), raw);
    if (!result.ok) return await actionPage(req, res, session, { raw, errors: result.errors, status: 400, form: 'inviter' });
    await inviteParticipants(deps.temporal, action.id, { participantIds: chosen, actor: session.email, channel: 'web' });
    res.redirect(303, `/actions-collectives/${action.id}?invitees=1`);
  });

  router.post('/actions-collectives/:id/presence', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const action = await actionFor(session, req.params.id, res);
    if (!action) return;
    const raw = (req.body ?? {}) as RawValues;
    const result = readForm(attendanceForm(action.invitations.map((i) => ({ value: i.participantId, label: i.participantId }))), raw);
    if (!result.ok) return await actionPage(req, res, session, { raw, errors: result.errors, status: 400, form: 'presence' });
    const value = result.value as { present: string[]; misesEnRelation: string[]; hires: string[] };
    await recordCollectiveAttendance(deps.temporal, action.id, { ...value, actor: session.email, channel: 'web' });
    res.redirect(303, `/actions-collectives/${action.id}?presence=1`);
  });

  return router;
}
