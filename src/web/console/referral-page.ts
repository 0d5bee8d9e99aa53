/**
 * « Orienter »: a prescriber (or a referent, or the coordination) registers a referral with the
 * same form as Slack (a prescriber's organisation and contact filled from their record), sees the
 * eligibility pre-check, then saves it; and follows the outcome of
 * their own referrals (oriented, integrated, reoriented, exited), nothing more of the pathway.
 */
import express from 'express';
import type { Db } from '../../db/client.ts';
import { fromDbDate } from '../../db/dates.ts';
import { formatFrenchDate } from '../../domain/dates.ts';
import { fileReference } from '../../domain/participant.ts';
import type { ParticipantInput } from '../../domain/participant.ts';
import type { PlieConfig } from '../../domain/plie-config.ts';
import { REFERRAL_OUTCOME_LABELS, referralOutcome } from '../../domain/referral-outcome.ts';
import { readForm, type FormSpec, type RawValues } from '../../forms/fields.ts';
import { labelOf, PRESCRIBER_OPTIONS } from '../../forms/labels.ts';
import { DECISION_LABELS, REFERRAL_FORM, referralPreCheck } from '../../forms/referral-form.ts';
import { escapeHtml } from '../../html.ts';
import { createParticipant, DuplicateParticipantError, InvalidInputError, type CreateParticipantDeps } from '../../participants/create.ts';
import { signedByReferrer } from '../../participants/prescriber-referral.ts';
import { alert, html, join, paragraph } from '../pages/layout.ts';
import { consoleForm, csrfField, sessionAllowedTo, sendPage, table, text } from './layout.ts';
import type { ConsoleSession } from './sessions.ts';

export interface ReferralPageDeps {
  db: Db;
  plieConfig: (code: string) => Promise<PlieConfig>;
  pathwayDeps: (code: string) => Promise<CreateParticipantDeps>;
  now: () => number;
}

/** What a prescriber's referral says of who refers, filled from their staff record: not theirs to type. */
const SIGNED_BY_ORGANISATION = ['prescriber', 'prescriberContact'];

/** The referral form as this person sees it: a prescriber's organisation and contact are already known. */
const formFor = (session: ConsoleSession): FormSpec =>
  session.organisation ? { ...REFERRAL_FORM, fields: REFERRAL_FORM.fields.filter((f) => !SIGNED_BY_ORGANISATION.includes(f.id)) } : REFERRAL_FORM;

/** The values sent, with a prescriber's organisation and contact put in from their record. */
const valuesOf = (req: express.Request, session: ConsoleSession): RawValues => signedByReferrer({ ...((req.body ?? {}) as RawValues) }, session);

/** The form's values carried to the confirmation as hidden fields, and back. */
function hiddenValues(form: FormSpec, raw: RawValues): string {
  return form.fields
    .map((f) => raw[f.id])
    .flatMap((value, i) => (typeof value === 'string' && value !== '' ? [`<input type="hidden" name="${escapeHtml(form.fields[i]!.id)}" value="${escapeHtml(value)}">`] : []))
    .join('');
}

export function createReferralPage(deps: ReferralPageDeps): express.Router {
  const router = express.Router();
  const { db } = deps;


  async function myReferrals(session: ConsoleSession) {
    const people = await db.participant.findMany({
      where: { plieCode: session.plieCode, createdBy: { equals: session.email, mode: 'insensitive' } },
      include: { pathways: { orderBy: { createdAt: 'desc' }, take: 1 } },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
    return table(
      'Mes orientations, les plus récentes d’abord',
      ['Dossier', 'Personne', 'Orientée le', 'Où en est-elle ?'],
      people.map((p) => [
        text(fileReference(p.id)),
        text(`${p.firstName} ${p.lastName}`),
        text(p.orientationDate ? formatFrenchDate(fromDbDate(p.orientationDate)) : null),
        text(REFERRAL_OUTCOME_LABELS[referralOutcome(p.pathways[0]?.stage ?? null)]),
      ]),
    );
  }

  const allowed = sessionAllowedTo('refer', 'Orienter');

  const signedBy = (session: ConsoleSession) =>
    session.organisation ? paragraph(`Orientation au nom de ${labelOf(PRESCRIBER_OPTIONS, session.organisation)} (${session.name}) : l’issue du parcours vous sera communiquée.`) : html('');

  const formPage = (res: express.Response, session: ConsoleSession, opts: { raw?: RawValues; errors?: Record<string, string>; status?: number; before?: ReturnType<typeof html> } = {}) =>
    sendPage(res, session, {
      status: opts.status ?? 200,
      title: REFERRAL_FORM.title,
      body: join(opts.before ?? html(''), signedBy(session), consoleForm(formFor(session), '/orienter', session.csrfToken, opts)),
    });

  router.get('/orienter', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const saved = typeof req.query.enregistre === 'string' ? alert('success', `Orientation enregistrée : dossier ${req.query.enregistre}.`, 'La coordination est prévenue ; la personne recevra sa convocation par email.') : html('');
    sendPage(res, session, {
      title: 'Orienter une personne',
      wide: true,
      body: join(saved, html('<p><a class="fr-btn" href="/orienter/nouvelle">Nouvelle orientation</a></p>'), await myReferrals(session)),
    });
  });

  router.get('/orienter/nouvelle', (req, res) => {
    const session = allowed(req, res);
    if (session) formPage(res, session);
  });

  // The pre-check: what the referral says of the person's eligibility, before anything is saved.
  router.post('/orienter', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const raw = valuesOf(req, session);
    const result = readForm(REFERRAL_FORM, raw);
    if (req.query.corriger === '1' || !result.ok) return formPage(res, session, { raw, ...(result.ok ? {} : { errors: result.errors, status: 400 }) });
    const check = referralPreCheck(await deps.plieConfig(session.plieCode), result.value as ParticipantInput, new Date(deps.now()));
    const concerns = check.reasons.filter((r) => r.effect !== 'ok').map((r) => `<li>${escapeHtml(r.text)}</li>`).join('');
    const input = result.value as ParticipantInput;
    sendPage(res, session, {
      title: 'Vérifier l’orientation',
      body: join(
        paragraph(`${input.firstName} ${input.lastName}, né·e le ${formatFrenchDate(input.birthDate)}.`),
        signedBy(session),
        alert(check.decision === 'eligible' ? 'success' : check.decision === 'not_eligible' ? 'warning' : 'info', `Pré-contrôle d’éligibilité : ${DECISION_LABELS[check.decision]}`),
        concerns ? html(`<ul>${concerns}</ul>`) : html(''),
        html(
          `<form method="post" action="/orienter/enregistrer">${csrfField(session.csrfToken).html}${hiddenValues(formFor(session), raw)}<ul class="fr-btns-group fr-btns-group--inline-md"><li><button class="fr-btn" type="submit">Enregistrer l’orientation</button></li><li><button class="fr-btn fr-btn--secondary" type="submit" formaction="/orienter?corriger=1">Corriger</button></li></ul></form>`,
        ),
      ),
    });
  });

  router.post('/orienter/enregistrer', async (req, res) => {
    const session = allowed(req, res);
    if (!session) return;
    const raw = valuesOf(req, session);
    const result = readForm(REFERRAL_FORM, raw);
    if (!result.ok) return formPage(res, session, { raw, errors: result.errors, status: 400 });
    try {
      const created = await createParticipant(await deps.pathwayDeps(session.plieCode), result.value, { actor: session.email, channel: 'web' });
      res.redirect(303, `/orienter?enregistre=${encodeURIComponent(fileReference(created.participantId))}`);
    } catch (error) {
      if (error instanceof DuplicateParticipantError) {
        // Said without the existing file's number: a prescriber does not open it.
        return formPage(res, session, { raw, status: 409, before: alert('warning', 'Cette personne est déjà enregistrée au PLIE (même nom, prénom et date de naissance).', 'Rien n’a été enregistré : adressez-vous à la coordination.') });
      }
      if (error instanceof InvalidInputError) return formPage(res, session, { raw, status: 400, before: alert('error', 'Orientation non enregistrée', error.problems.join(' ; ')) });
      throw error;
    }
  });

  return router;
}
