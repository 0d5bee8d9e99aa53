/**
 * A participant's file: the facts, eligibility and its history, tasks, steps, barriers, contracts,
 * exits, appointments, the messages sent to the person and the timeline; and every fact a referent notes
 * on the pathway. Opened only by the referent holding the pathway or the coordination of its PLIE;
 * anyone else is told there is no such file, and every opening is recorded.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { audit, auditRead } from '../../db/audit.ts';
import type { Db } from '../../db/client.ts';
import { fromDbDate } from '../../db/dates.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { fileReference } from '../../domain/participant.ts';
import { mayAnswerTask, mayDo, REFUSED } from '../../domain/permissions.ts';
import { collectExport } from '../../rgpd/export.ts';
import { renderExportHtml } from '../../rgpd/export-html.ts';
import { isTaskKind, STAGE_LABELS, TASK_TITLES, type Stage } from '../../domain/tasks.ts';
import { EXIT_TYPE_LABELS, type ExitType } from '../../domain/exit-types.ts';
import { BARRIER_OPTIONS, CONTRACT_TYPE_OPTIONS, DECLARED_SITUATION_OPTIONS, labelOf, PRESCRIBER_OPTIONS, STEP_TYPE_OPTIONS } from '../../forms/labels.ts';
import type { RawValues } from '../../forms/fields.ts';
import { DECISION_LABELS } from '../../forms/referral-form.ts';
import { mayOpenFile } from '../../participants/file-access.ts';
import { currentPathwayId } from '../../participants/reenter.ts';
import { z } from '../../domain/validation.ts';
import type { Reason } from '../../domain/eligibility.ts';
import { createPathwayActionPage } from '../pathway-action-page.ts';
import { alert, html, join, paragraph, type Html } from '../pages/layout.ts';
import { formHtml } from '../pages/form-html.ts';
import { readForm } from '../../forms/fields.ts';
import { RECTIFICATION_FORM } from '../../forms/referral-form.ts';
import { ERASURE_FORM } from '../../forms/erasure-form.ts';
import { eraseParticipant } from '../../rgpd/erase.ts';
import { rectifyParticipant } from '../../participants/rectify.ts';
import { InvalidInputError } from '../../participants/create.ts';
import { EXTENSIONS, type ProofStore } from '../../files/proof-store.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { csrfField, facts, link, parisDateTime, sendPage, table, text } from './layout.ts';
import { sessionOf } from './request-state.ts';
import type { ConsoleSession } from './sessions.ts';
import { taskUrl } from './tasks-pages.ts';
import { deliveryLabel, messageLabel, timelineLabel } from './timeline.ts';

const uuid = z.uuid();
const day = (d: Date | null | undefined) => (d ? formatFrenchDate(fromDbDate(d)) : null);
const yesNo = (b: boolean | null | undefined) => (b === null || b === undefined ? 'non renseigné' : b ? 'oui' : 'non');

const NOT_FOUND = 'Aucun parcours pour ce participant.';
const APPOINTMENT_STATUS: Record<string, string> = { PREVU: 'prévu', HONORE: 'honoré', ABSENT: 'absence', ANNULE: 'annulé' };

/** A list of terms and their description (the file's facts). */
export interface ParticipantPageDeps {
  db: Db;
  temporal: Client;
  proofs: ProofStore;
  plieConfig: (code: string) => Promise<PlieConfig>;
}

/** The participant if this person may open the file (else the « no such file » page has been sent). */
export async function openFile(db: Db, session: ConsoleSession, id: string, res: express.Response) {
  const parsed = uuid.safeParse(id);
  const participant = parsed.success ? await db.participant.findFirst({ where: { id: parsed.data, plieCode: session.plieCode } }) : null;
  if (!participant || !(await mayOpenFile(db, participant.id, session))) {
    sendPage(res, session, { status: 404, title: 'Dossier introuvable', body: alert('warning', NOT_FOUND) });
    return null;
  }
  return participant;
}

export function createParticipantPage(deps: ParticipantPageDeps): express.Router {
  const router = express.Router();
  const { db } = deps;
  const actionPage = createPathwayActionPage(deps);
  const fileFor = (session: ConsoleSession, id: string, res: express.Response) => openFile(db, session, id, res);

  router.get('/participants/:id', async (req, res) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id, res);
    if (!participant) return;
    const pathwayId = await currentPathwayId(db, participant.id);
    const [pathways, assessments, barriers, steps, contracts, proofs, exits] = await Promise.all([
      db.pathway.findMany({ where: { participantId: participant.id }, orderBy: { createdAt: 'asc' } }),
      db.eligibilityAssessment.findMany({ where: { participantId: participant.id }, orderBy: { at: 'desc' } }),
      db.barrier.findMany({ where: { participantId: participant.id }, orderBy: { openedOn: 'asc' } }),
      db.step.findMany({ where: { participantId: participant.id }, orderBy: { start: 'asc' } }),
      db.workContract.findMany({ where: { participantId: participant.id }, orderBy: { start: 'asc' } }),
      db.proof.findMany({ where: { participantId: participant.id, fileReference: { not: null } }, orderBy: { receivedAt: 'asc' } }),
      db.exit.findMany({ where: { participantId: participant.id }, orderBy: { date: 'asc' } }),
    ]);
    const pathwayIds = pathways.map((p) => p.id);
    const [tasks, appointments, messages, events] = await Promise.all([
      db.task.findMany({ where: { pathwayId: { in: pathwayIds }, status: 'open' }, orderBy: { dueDate: 'asc' } }),
      db.appointment.findMany({ where: { pathwayId: { in: pathwayIds } }, orderBy: { at: 'desc' }, take: 50 }),
      db.message.findMany({ where: { pathwayId: { in: pathwayIds } }, orderBy: { createdAt: 'desc' }, take: 50 }),
      db.auditEvent.findMany({
        where: {
          OR: [
            // The file's readings are kept for the person's right of access, not shown among what happened.
            { entityType: 'participant', entityId: participant.id, action: { not: 'participant.read' } },
            { entityType: 'pathway', entityId: { in: pathwayIds } },
            ...pathwayIds.map((id) => ({ entityType: 'task', entityId: { startsWith: `${id}/` } })),
          ],
        },
        orderBy: { at: 'desc' },
        take: 100,
      }),
    ]);
    await auditRead(db, { actor: session.email, channel: 'web', participantId: participant.id, what: 'dossier' });
    const pathway = pathways.find((p) => p.id === pathwayId);
    const saved = req.query.enregistre === '1' ? alert('success', 'C’est enregistré.') : req.query.rectifie === '1' ? alert('success', 'Les informations sont rectifiées ; l’éligibilité a été réexaminée.') : html('');
    const body = join(
      saved,
      facts('Parcours', [
        ['Étape', pathway ? (STAGE_LABELS[pathway.stage as Stage] ?? pathway.stage) : 'sans parcours'],
        ['Référent·e', pathway?.referentEmail ?? 'à désigner'],
        ['Entrée dans le PLIE', day(pathway?.entryDate)],
        ['Relances', pathway?.remindersPausedUntil ? `suspendues jusqu’au ${day(pathway.remindersPausedUntil)} (${pathway.remindersPauseReason ?? 'sans motif'})` : 'actives'],
      ]),
      pathway && !['exited', 'reoriented'].includes(pathway.stage)
        ? html(`<p><a class="fr-btn fr-btn--secondary" href="/participants/${participant.id}/action">Noter un fait sur le parcours</a></p>`)
        : html(''),
      facts('La personne', [
        ['Née ou né le', day(participant.birthDate)],
        ['Email', participant.email],
        ['Téléphone', participant.phone],
        ['Commune', [participant.postalCode, participant.commune].filter(Boolean).join(' ') || null],
        ['Prescripteur', [participant.prescriber && labelOf(PRESCRIBER_OPTIONS, participant.prescriber), participant.prescriberContact].filter(Boolean).join(' — ') || null],
        ['Orientation le', day(participant.orientationDate)],
        ['Niveau de qualification', participant.qualificationLevel?.toString()],
        ['Minima sociaux', participant.minimumIncome],
        ['Demandeur d’emploi de longue durée', yesNo(participant.longTermJobSeeker)],
        ['Quartier prioritaire (QPV)', yesNo(participant.qpv)],
        ['RQTH', yesNo(participant.rqth)],
      ]),
      html(`<p><a class="fr-link" href="/participants/${participant.id}/rectifier">Rectifier les informations de la personne</a></p>`),
      mayDo(session, 'answerDataRights')
        ? html(
            `<p>Droit d’accès de la personne : <a class="fr-link" href="/participants/${participant.id}/donnees.html" download>ses données (page lisible)</a>, <a class="fr-link" href="/participants/${participant.id}/donnees.json" download>ses données (JSON)</a>.` +
              (participant.erasedAt ? ` Données d’identité effacées le ${day(participant.erasedAt)}.</p>` : ` Droit à l’effacement : <a class="fr-link" href="/participants/${participant.id}/effacer">effacer ses données</a>.</p>`),
          )
        : html(''),
      table(
        'Examens de l’éligibilité, du plus récent au plus ancien',
        ['Le', 'Décision', 'Motifs', 'Par'],
        assessments.map((a) => [
          text(day(a.on)),
          text(DECISION_LABELS[a.decision as keyof typeof DECISION_LABELS] ?? a.decision),
          text(((a.reasons as Reason[] | null) ?? []).filter((r) => r.effect !== 'ok').map((r) => r.text).join(' ; ') || 'toutes les conditions sont remplies'),
          text(a.actor),
        ]),
      ),
      table(
        'Tâches ouvertes',
        ['Échéance', 'Tâche', 'Confiée à'],
        tasks.map((t) => [
          text(day(t.dueDate)),
          mayAnswerTask(session, t, pathway?.referentEmail ?? null) && t.assigneeRole !== 'participant' ? link(taskUrl(t.id), isTaskKind(t.kind) ? TASK_TITLES[t.kind] : t.kind) : text(isTaskKind(t.kind) ? TASK_TITLES[t.kind] : t.kind),
          text(t.assigneeEmail ?? 'la personne accompagnée'),
        ]),
      ),
      html('<h2 class="fr-h4 fr-mt-4w">Étapes, freins et contrats</h2>'),
      table('Étapes', ['Type', 'Début', 'Fin', 'Statut'], steps.map((s) => [text(labelOf(STEP_TYPE_OPTIONS, s.type)), text(day(s.start)), text(day(s.end)), text(s.status)])),
      table('Freins', ['Frein', 'Repéré le', 'Levé le'], barriers.map((b) => [text(labelOf(BARRIER_OPTIONS, b.category)), text(day(b.openedOn)), text(b.closedOn ? day(b.closedOn) : 'ouvert')])),
      table('Contrats', ['Type', 'Employeur', 'Début', 'Fin', 'Heures par semaine'], contracts.map((c) => [text(labelOf(CONTRACT_TYPE_OPTIONS, c.type)), text(c.employer), text(day(c.start)), text(day(c.end)), text(c.weeklyHours?.toString())])),
      table(
        'Documents reçus (justificatifs)',
        ['Reçu le', 'Type', 'Taille', ''],
        proofs.map((p) => [text(parisDateTime(p.receivedAt)), text(p.mimeType), text(p.size ? `${Math.ceil(p.size / 1024)} Ko` : null), link(`/participants/${participant.id}/justificatifs/${p.id}`, 'Télécharger')]),
      ),
      table(
        'Sorties',
        ['Le', 'Type', 'Situation', 'En CDI', 'Justificatifs'],
        exits.map((e) => [
          text(day(e.date)),
          text(EXIT_TYPE_LABELS[e.type as ExitType] ?? e.type),
          text(e.positiveKind ? labelOf(DECLARED_SITUATION_OPTIONS, e.positiveKind) : null),
          text(e.positiveKind ? yesNo(e.cdi) : null),
          text(e.type !== 'POSITIVE' ? null : e.declared ? 'déclarée sans justificatif' : e.proofsComplete ? 'complets' : 'attendus'),
        ]),
      ),
      html('<h2 class="fr-h4 fr-mt-4w">Rendez-vous et messages</h2>'),
      table(
        'Rendez-vous',
        ['Le', 'Nature', 'Lieu', 'Statut', ''],
        appointments.map((a) => [
          text(parisDateTime(a.at)),
          text(a.kind),
          text(a.place),
          text(APPOINTMENT_STATUS[a.status] ?? a.status),
          // One still to come, sent with its invitation: moved or cancelled from its own page.
          a.status === 'PREVU' && a.place && a.at.getTime() > Date.now() ? link(`/participants/${participant.id}/rendez-vous/${a.id}`, `Déplacer ou annuler le rendez-vous du ${parisDateTime(a.at)}`) : text(''),
        ]),
      ),
      table('Messages envoyés', ['Décidé le', 'Modèle', 'Destinataire', 'Canal', 'État'], messages.map((m) => [text(parisDateTime(m.createdAt)), text(messageLabel(m.template)), text(m.recipient), text(m.channel), text(deliveryLabel(m.status))])),
      table('Historique du dossier, du plus récent au plus ancien', ['Le', 'Quoi', 'Qui', 'Canal'], events.map((e) => [text(parisDateTime(e.at)), text(timelineLabel(e.action, e.details)), text(e.actor), text(e.channel)])),
    );
    sendPage(res, session, { title: `Dossier ${fileReference(participant.id)} — ${participant.firstName} ${participant.lastName}`, wide: true, body });
  });

  /** The facts a referent notes on the pathway: the forms of Slack's action menu and the emails' links. */
  const action = async (req: express.Request, res: express.Response, raw?: RawValues) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id as string, res);
    if (!participant) return;
    const claims = { purpose: 'pathway-action', subject: participant.id, actor: session.email, expiresAt: Number.MAX_SAFE_INTEGER };
    const shown = await actionPage(claims, req.originalUrl, raw, { channel: 'web', hidden: csrfField(session.csrfToken) });
    if (shown.done) return res.redirect(303, `/participants/${participant.id}?enregistre=1`);
    sendPage(res, session, { status: shown.status, title: shown.title, body: join(shown.body, html(`<p><a href="/participants/${participant.id}">Revenir au dossier</a></p>`)) });
  };
  router.get('/participants/:id/action', (req, res) => action(req, res));

  // A proof, decrypted for whoever may open the file; each download is recorded.
  router.get('/participants/:id/justificatifs/:proof', async (req, res) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id, res);
    if (!participant) return;
    const proofId = uuid.safeParse(req.params.proof);
    const proof = proofId.success ? await db.proof.findFirst({ where: { id: proofId.data, participantId: participant.id } }) : null;
    if (!proof?.fileReference || !proof.mimeType) return sendPage(res, session, { status: 404, title: 'Document introuvable', body: alert('warning', 'Ce document n’est plus disponible.') });
    const bytes = await deps.proofs.read(proof.fileReference);
    await auditRead(db, { actor: session.email, channel: 'web', participantId: participant.id, what: `justificatif ${proof.id}` });
    res.type(proof.mimeType).attachment(`justificatif-${fileReference(participant.id)}.${EXTENSIONS[proof.mimeType as keyof typeof EXTENSIONS] ?? 'bin'}`).send(bytes);
  });

  // Access (RGPD article 15), for the coordination: everything held on the person; the proofs themselves download one by one above.
  router.get('/participants/:id/donnees.:format', async (req, res) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id, res);
    if (!participant) return;
    if (!mayDo(session, 'answerDataRights') || !['html', 'json'].includes(req.params.format)) return sendPage(res, session, { status: 403, title: 'Données de la personne', body: alert('warning', REFUSED.answerDataRights) });
    const data = (await collectExport(db, participant.plieCode, participant.id, new Date()))!;
    await audit(db, { idempotencyKey: `web/${randomUUID()}`, actor: session.email, channel: 'web', action: 'rgpd.export', entityType: 'participant', entityId: participant.id, details: { format: req.params.format } });
    const name = `donnees-${fileReference(participant.id)}.${req.params.format}`;
    if (req.params.format === 'json') return res.type('application/json').attachment(name).send(`${JSON.stringify(data, null, 2)}\n`);
    res.type('html').attachment(name).send(renderExportHtml(data, { withFiles: false }));
  });

  // Rectification (RGPD article 16): only the fields filled in change; eligibility is examined again.
  const rectify = async (req: express.Request, res: express.Response, raw?: RawValues) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id as string, res);
    if (!participant) return;
    const before = join(csrfField(session.csrfToken), paragraph(`Dossier ${fileReference(participant.id)} — ${participant.firstName} ${participant.lastName}.`));
    const back = html(`<p><a href="/participants/${participant.id}">Revenir au dossier</a></p>`);
    const formPage = (status: number, extra: Html, values?: RawValues, errors?: Record<string, string>) =>
      sendPage(res, session, { status, title: RECTIFICATION_FORM.title, body: join(extra, formHtml(RECTIFICATION_FORM, { action: req.originalUrl, before, ...(values ? { values } : {}), ...(errors ? { errors } : {}) }), back) });
    if (!raw) return formPage(200, html(''));
    const result = readForm(RECTIFICATION_FORM, raw);
    if (!result.ok) return formPage(400, html(''), raw, result.errors);
    try {
      await rectifyParticipant({ db, temporal: deps.temporal, plieCode: participant.plieCode, config: await deps.plieConfig(participant.plieCode) }, participant.id, result.value, { actor: session.email, channel: 'web' });
    } catch (error) {
      if (error instanceof InvalidInputError) return formPage(400, alert('error', 'Rien n’a été rectifié', error.problems.join(' ; ')), raw);
      throw error;
    }
    res.redirect(303, `/participants/${participant.id}?rectifie=1`);
  };
  router.get('/participants/:id/rectifier', (req, res) => rectify(req, res));

  // Erasure (RGPD article 17), for the coordination: the answer to give the person is shown once done.
  const erase = async (req: express.Request, res: express.Response, raw?: RawValues) => {
    const session = sessionOf(req)!;
    const participant = await fileFor(session, req.params.id as string, res);
    if (!participant) return;
    const back = html(`<p><a href="/participants/${participant.id}">Revenir au dossier</a></p>`);
    if (!mayDo(session, 'answerDataRights')) return sendPage(res, session, { status: 403, title: ERASURE_FORM.title, body: join(alert('warning', REFUSED.answerDataRights), back) });
    const before = join(csrfField(session.csrfToken), paragraph(`Dossier ${fileReference(participant.id)}.`));
    const formPage = (status: number, values?: RawValues, errors?: Record<string, string>) =>
      sendPage(res, session, { status, title: ERASURE_FORM.title, body: join(formHtml(ERASURE_FORM, { action: req.originalUrl, before, ...(values ? { values } : {}), ...(errors ? { errors } : {}) }), back) });
    if (!raw) return formPage(200);
    const result = readForm(ERASURE_FORM, raw);
    if (!result.ok) return formPage(400, raw, result.errors);
    const { reason } = result.value as { reason: string };
    const done = (await eraseParticipant({ db, temporal: deps.temporal }, await deps.plieConfig(participant.plieCode), participant.id, { reason, actor: session.email, channel: 'web', now: new Date() }))!;
    const head = done.status === 'already' ? `Ces données étaient déjà effacées (le ${formatFrenchDate(done.erasedOn)}).` : `Les données d’identité du dossier ${done.fileReference} sont effacées.`;
    sendPage(res, session, { title: ERASURE_FORM.title, body: join(alert('success', head, 'Réponse à transmettre à la personne :'), paragraph(done.answer), back) });
  };
  router.get('/participants/:id/effacer', (req, res) => erase(req, res));
  router.post('/participants/:id/effacer', (req, res) => erase(req, res, (req.body ?? {}) as RawValues));
  router.post('/participants/:id/rectifier', (req, res) => rectify(req, res, (req.body ?? {}) as RawValues));
  router.post('/participants/:id/action', (req, res) => action(req, res, (req.body ?? {}) as RawValues));

  return router;
}
