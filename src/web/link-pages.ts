/**
 * The pages behind the signed links of the emails: the participant's proof upload and FSE+
 * questionnaire, the staff's task forms (a commission vote included), the reading of a proof, a
 * marché's monthly hours (the company's declaration, the facilitator's review) and a referent's
 * answer on a « mise en relation », the organiser's attendance record after a collective action,
 * and a referent's forms to note a fact on a pathway (contract, training, pause…).
 * A link shows its page as often as opened; it is used up once its form went through.
 */
import type { Client } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import multer from 'multer';
import type { Db } from '../db/client.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { isTaskKind, type TaskKind } from '../domain/tasks.ts';
import { readForm, type FormSpec, type RawValues } from '../forms/fields.ts';
import { LABOUR_MARKET_OPTIONS } from '../forms/labels.ts';
import { taskForm } from '../forms/task-forms.ts';
import { detectProofType, EXTENSIONS, MAX_PROOF_BYTES, type ProofStore } from '../files/proof-store.ts';
import { peekLink, releaseLink, useLink, verifyLink, type LinkCheck, type LinkClaims } from '../links/signed-links.ts';
import type { Logger } from '../logging.ts';
import { answerTask, castVote, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { taskAnswerSchemas } from '../domain/tasks.ts';
import { formHtml } from './pages/form-html.ts';
import { createProcurementPages } from './procurement-pages.ts';
import { createPlacementPage } from './placement-page.ts';
import { createAttendancePage } from './attendance-page.ts';
import { createPathwayActionPage } from './pathway-action-page.ts';
import { answerPathwayTask } from '../participants/pathway-action.ts';
import { referentOptions } from '../staff/directory.ts';
import { escapeHtml } from '../html.ts';
import { alert, html, join, page, paragraph, type Html } from './pages/layout.ts';
import { databaseRefusal, requestRefusal } from './input-errors.ts';

export interface LinkPagesDeps {
  db: Db;
  temporal: Client;
  secret: string;
  proofs: ProofStore;
  logger: Logger;
  now?: () => number;
  /** Proof uploads received at once (each holds up to 10 Mo in memory); beyond, « réessayez ». */
  maxUploadsAtOnce?: number;
}

/** Enough for a PLIE's participants, few enough that memory stays bounded (4 × 10 Mo). */
const MAX_UPLOADS_AT_ONCE = 4;

/** The questionnaire as the person reads it: their own words, not the administration's. */
const FSE_FORM: FormSpec = {
  title: 'Où en êtes-vous ?',
  submit: 'Envoyer ma réponse',
  intro: 'Une seule question : votre situation aujourd’hui. Votre réponse reste confidentielle et sert au bilan du programme.',
  fields: [{ id: 'labourMarketStatus', label: 'Aujourd’hui, vous êtes…', kind: 'select', options: LABOUR_MARKET_OPTIONS }],
  toValue: (raw) => ({ labourMarketStatus: typeof raw.labourMarketStatus === 'string' ? raw.labourMarketStatus : undefined }),
  schema: taskAnswerSchemas.fse_questionnaire,
};

/** The workflow behind a link has ended (a marché closed, an offer's or an action's follow-up over). */
const followUpOver = (error: unknown) => (error as Error | null)?.name === 'WorkflowNotFoundError';
const FOLLOW_UP_OVER = 'Ce suivi est terminé : il n’y a plus rien à saisir ici. Merci !';

const UPLOAD_HINT = 'Formats acceptés : PDF, JPEG ou PNG. Taille maximale : 10 Mo.';

export function createLinkPages(deps: LinkPagesDeps): express.Router {
  const router = express.Router();
  const log = deps.logger.child({ component: 'liens' });
  const now = deps.now ?? Date.now;
  const procurementPages = createProcurementPages(deps);
  const placementPage = createPlacementPage(deps);
  const attendancePage = createAttendancePage(deps);
  const pathwayActionPage = createPathwayActionPage(deps);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_PROOF_BYTES, files: 1, fields: 10 } }).single('justificatif');

  const send = (res: Response, status: number, title: string, body: Html) => {
    res.status(status).type('html').send(page({ title, body }));
  };

  /** A link that cannot be used: said plainly, with what to do. */
  const refused = (res: Response, check: Extract<LinkCheck, { ok: false }>, req: Request) => {
    log.info({ reason: check.reason, path: req.method }, 'lien refusé');
    const status = check.reason === 'expired' || check.reason === 'used' ? 410 : 400;
    send(res, status, check.reason === 'expired' ? 'Lien expiré' : check.reason === 'used' ? 'Lien déjà utilisé' : 'Lien non valide', alert('warning', check.message));
  };

  /** The link's claims if it may still be used, else the refusal page has been sent. */
  async function claimsOf(req: Request, res: Response): Promise<LinkClaims | null> {
    const token = req.params.token as string;
    const signed = verifyLink(token, deps.secret, now());
    const check = signed.ok ? await peekLink(deps.db, token, { secret: deps.secret, purpose: signed.claims.purpose, now: now() }) : signed;
    if (!check.ok) {
      refused(res, check, req);
      return null;
    }
    return check.claims;
  }

  /**
   * Claims the link before its action runs: of two sends at once, one claims it and the other is
   * refused, never both done. False (and the refusal page sent) if another use came first.
   */
  async function claim(req: Request, res: Response, claims: LinkClaims): Promise<boolean> {
    const used = await useLink(deps.db, req.params.token as string, { secret: deps.secret, purpose: claims.purpose, now: now() });
    if (!used.ok) refused(res, used, req);
    return used.ok;
  }

  async function openTask(res: Response, taskId: string) {
    const task = await deps.db.task.findUnique({ where: { id: taskId }, include: { pathway: { include: { participant: true } } } });
    if (!task || !isTaskKind(task.kind)) {
      send(res, 404, 'Demande introuvable', alert('warning', 'Cette demande n’existe plus.'));
      return null;
    }
    if (task.status !== 'open') {
      send(res, 410, 'Déjà traité', alert('info', 'C’est déjà fait : cette demande a été traitée. Merci !'));
      return null;
    }
    return { ...task, kind: task.kind };
  }

  async function staffForm(task: { kind: TaskKind; pathway: { participant: { plieCode: string } } }): Promise<FormSpec> {
    return taskForm(task.kind, { referents: await referentOptions(deps.db, task.pathway.participant.plieCode) });
  }

  router.get('/:token', async (req, res) => {
    const claims = await claimsOf(req, res);
    if (!claims) return;
    const action = req.originalUrl;
    switch (claims.purpose) {
      case 'proof-upload': {
        if (!(await openTask(res, claims.subject))) return;
        return send(res, 200, 'Déposer votre justificatif', uploadForm(action));
      }
      case 'fse-questionnaire':
        if (!(await openTask(res, claims.subject))) return;
        return send(res, 200, FSE_FORM.title, formHtml(FSE_FORM, { action }));
      case 'task-answer': {
        const task = await openTask(res, claims.subject);
        if (!task) return;
        const form = await staffForm(task);
        return send(res, 200, form.title, formHtml(form, { action, before: paragraph(`Dossier ${fileReference(task.pathway.participantId)} (${initials(task.pathway.participant.firstName, task.pathway.participant.lastName)}).`) }));
      }
      case 'proof-download': {
        const proof = await deps.db.proof.findUnique({ where: { taskId: claims.subject } });
        if (!proof) return send(res, 404, 'Justificatif introuvable', alert('warning', 'Ce justificatif n’est plus disponible.'));
        return send(
          res,
          200,
          'Consulter le justificatif',
          join(
            paragraph(`Justificatif reçu le ${proof.receivedAt?.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }) ?? '?'}. Ce lien ne sert qu’une fois : enregistrez le fichier dans le dossier de la personne.`),
            html(`<form method="post" action="${escapeHtml(action)}"><button class="fr-btn" type="submit">Télécharger le justificatif</button></form>`),
          ),
        );
      }
      case 'hours-declaration':
      case 'hours-review': {
        try {
          const shown = await procurementPages.show(claims, action);
          return send(res, shown.status, shown.title, shown.body);
        } catch (error) {
          if (!followUpOver(error)) throw error;
          return send(res, 410, 'Suivi terminé', alert('info', FOLLOW_UP_OVER));
        }
      }
      case 'placement':
      case 'attendance':
      case 'pathway-action': {
        try {
          const shown =
            claims.purpose === 'placement' ? await placementPage(claims, action) : claims.purpose === 'attendance' ? await attendancePage(claims, action) : await pathwayActionPage(claims, action);
          return send(res, shown.status, shown.title, shown.body);
        } catch (error) {
          if (!followUpOver(error)) throw error;
          return send(res, 410, 'Suivi terminé', alert('info', FOLLOW_UP_OVER));
        }
      }
      default:
        return refused(res, { ok: false, reason: 'signature', message: 'Ce lien n’est pas valide.' }, req);
    }
  });

  let uploading = 0;
  const maxUploads = deps.maxUploadsAtOnce ?? MAX_UPLOADS_AT_ONCE;
  // Forms: a few fields, never large. A file is read only behind a proof link that may still be
  // used, and only a few at once: anything else is answered before its body is read.
  router.post('/:token', async (req, res, next) => {
    if (!req.is('multipart/form-data')) return express.urlencoded({ extended: false, limit: '20kb' })(req, res, next);
    const claims = await claimsOf(req, res);
    if (!claims) return;
    if (claims.purpose !== 'proof-upload') {
      log.info({ purpose: claims.purpose }, 'fichier inattendu');
      return send(res, 400, 'Envoi non attendu', alert('warning', 'Ce lien n’attend pas de fichier.', 'Ouvrez le lien reçu par email et remplissez le formulaire.'));
    }
    if (uploading >= maxUploads) {
      log.warn({ uploading }, 'dépôts trop nombreux à la fois');
      res.set('Retry-After', '60');
      return send(res, 503, 'Déposer votre justificatif', alert('warning', 'Beaucoup d’envois en même temps', 'Réessayez dans une minute avec le même lien : il reste valable.'));
    }
    uploading += 1;
    res.once('close', () => {
      uploading -= 1;
    });
    log.info({ uploading }, 'dépôt en cours');
    upload(req, res, (error: unknown) => {
      if (!error) return next();
      const tooLarge = (error as { code?: string }).code === 'LIMIT_FILE_SIZE';
      log.info({ err: (error as Error).message }, 'dépôt refusé');
      send(res, tooLarge ? 413 : 400, 'Déposer votre justificatif', join(alert('error', tooLarge ? 'Fichier trop volumineux' : 'Envoi incomplet', tooLarge ? 'Le fichier dépasse 10 Mo : essayez une photo moins lourde ou un PDF.' : 'Le fichier n’a pas pu être reçu : réessayez.'), uploadForm(req.originalUrl)));
    });
  });

  router.post('/:token', async (req, res) => {
    const claims = await claimsOf(req, res);
    if (!claims || !(await claim(req, res, claims))) return;
    const action = req.originalUrl;
    const raw = (req.body ?? {}) as RawValues;
    // Given back unless its action went through: a form to correct, a refusal or an incident leave
    // the link usable. Given back before the answer is sent, so that a form corrected at once finds
    // it free again.
    let done = false;
    let released = false;
    const giveBack = async () => {
      if (done || released) return;
      released = true;
      await releaseLink(deps.db, req.params.token);
    };
    const answer = async (status: number, title: string, body: Html) => {
      await giveBack();
      send(res, status, title, body);
    };
    try {
      switch (claims.purpose) {
        case 'proof-upload':
          done = await receiveProof(req, res, claims, answer);
          return;
        case 'fse-questionnaire': {
          const task = await openTask(res, claims.subject);
          if (!task) return;
          const result = readForm(FSE_FORM, raw);
          if (!result.ok) return await answer(400, FSE_FORM.title, formHtml(FSE_FORM, { action, values: raw, errors: result.errors }));
          await answerTask(deps.temporal, task.pathway.participantId, { taskId: task.id, answer: result.value, actor: 'participant', channel: 'email' }, task.pathwayId);
          done = true;
          return await answer(200, 'Merci !', alert('success', 'Votre réponse est bien enregistrée.', 'Merci d’avoir pris ce temps. Bonne continuation !'));
        }
        case 'task-answer': {
          const task = await openTask(res, claims.subject);
          if (!task) return;
          const form = await staffForm(task);
          const result = readForm(form, raw);
          if (!result.ok) return await answer(400, form.title, formHtml(form, { action, values: raw, errors: result.errors }));
          const actor = claims.actor ?? '';
          if (task.kind === 'commission_vote') {
            await castVote(deps.temporal, task.commissionCaseId!, { actor, vote: result.value, channel: 'email' });
          } else {
            await answerPathwayTask(deps, task.pathway.participantId, { taskId: task.id, answer: result.value, actor, channel: 'email' }, task.pathwayId);
          }
          done = true;
          return await answer(200, 'Réponse enregistrée', alert('success', 'Votre réponse est enregistrée.', `Dossier ${fileReference(task.pathway.participantId)} : la suite du parcours est lancée.`));
        }
        case 'proof-download': {
          const proof = await deps.db.proof.findUnique({ where: { taskId: claims.subject } });
          if (!proof?.fileReference || !proof.mimeType) return await answer(404, 'Justificatif introuvable', alert('warning', 'Ce justificatif n’est plus disponible.'));
          const bytes = await deps.proofs.read(proof.fileReference);
          done = true;
          const extension = EXTENSIONS[proof.mimeType as keyof typeof EXTENSIONS] ?? 'bin';
          res.status(200).type(proof.mimeType).attachment(`justificatif-${proof.participantId.slice(0, 8)}.${extension}`).send(bytes);
          return;
        }
        case 'hours-declaration':
        case 'hours-review':
        case 'placement':
        case 'attendance':
        case 'pathway-action': {
          const result =
            claims.purpose === 'placement'
              ? await placementPage(claims, action, raw)
              : claims.purpose === 'attendance'
                ? await attendancePage(claims, action, raw)
                : claims.purpose === 'pathway-action'
                  ? await pathwayActionPage(claims, action, raw)
                  : await procurementPages.submit(claims, action, raw);
          done = result.done === true;
          return await answer(result.status, result.title, result.body);
        }
        default:
          return refused(res, { ok: false, reason: 'signature', message: 'Ce lien n’est pas valide.' }, req);
      }
    } catch (error) {
      if (followUpOver(error)) return await answer(410, 'Suivi terminé', alert('info', FOLLOW_UP_OVER));
      if (error instanceof TaskAnswerRejectedError) return await answer(422, 'Réponse non enregistrée', alert('warning', 'Votre réponse n’a pas pu être prise en compte.', error.message));
      // Refused by the database for what it says: the same answer would be again, so no « try again ».
      const refusal = databaseRefusal(error);
      if (refusal) {
        log.warn({ code: refusal.code, purpose: claims.purpose }, 'données refusées par la base');
        return await answer(refusal.status, 'Réponse non enregistrée', alert('warning', 'Votre réponse n’a pas pu être enregistrée.', refusal.message));
      }
      log.error({ err: (error as Error).message, purpose: claims.purpose }, 'formulaire en échec');
      return await answer(503, 'Service momentanément indisponible', alert('error', 'Votre envoi n’a pas pu être enregistré.', 'Le service est momentanément indisponible : réessayez dans quelques minutes avec le même lien.'));
    } finally {
      await giveBack();
    }
  });

  /** Stores the file encrypted, then answers the task; a refused answer leaves nothing behind. */
  async function receiveProof(req: Request, res: Response, claims: LinkClaims, answer: (status: number, title: string, body: Html) => Promise<void>): Promise<boolean> {
    const task = await openTask(res, claims.subject);
    if (!task) return false;
    const file = req.file;
    const type = file ? detectProofType(file.buffer) : null;
    if (!file || !type) {
      await answer(
        400,
        'Déposer votre justificatif',
        join(alert('error', file ? 'Format non accepté' : 'Aucun fichier choisi', file ? 'Le fichier doit être un PDF, une image JPEG ou PNG.' : 'Choisissez le fichier à envoyer.'), uploadForm(req.originalUrl, true)),
      );
      return false;
    }
    const reference = await deps.proofs.save(file.buffer);
    try {
      await answerTask(deps.temporal, task.pathway.participantId, { taskId: task.id, answer: { received: true, fileReference: reference }, actor: 'participant', channel: 'email' }, task.pathwayId);
    } catch (error) {
      await deps.proofs.remove(reference);
      throw error;
    }
    await deps.db.proof.upsert({
      where: { taskId: task.id },
      create: { participantId: task.pathway.participantId, kind: 'AUTRE', taskId: task.id, receivedAt: new Date(now()), fileReference: reference, mimeType: type, size: file.size },
      update: {},
    });
    log.info({ task: task.id, size: file.size, type }, 'justificatif reçu');
    send(res, 200, 'Merci, c’est bien reçu', alert('success', 'Votre justificatif est bien reçu.', 'Votre référent·e est prévenu·e. Vous n’avez rien d’autre à faire.'));
    return true;
  }

  // Anything unexpected behind a link: a page, and a log line without the path (it holds the token).
  router.use((error: unknown, req: Request, res: Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    // A form the parser could not read (malformed, a charset other than UTF-8…), or data the database refused: sent again, refused again.
    const malformed = requestRefusal(error);
    if (malformed) return send(res, malformed.status, 'Envoi refusé', alert('warning', 'Votre envoi n’a pas pu être lu.', `${malformed.message} Votre lien reste valable.`));
    const refusal = databaseRefusal(error);
    if (refusal) return send(res, refusal.status, 'Envoi refusé', alert('warning', 'Votre envoi n’a pas pu être enregistré.', `${refusal.message} Votre lien reste valable.`));
    log.error({ err: (error as Error).message, method: req.method }, 'page de lien en échec');
    send(res, 503, 'Service momentanément indisponible', alert('error', 'Un incident est survenu', 'Votre lien reste valable : réessayez dans quelques minutes.'));
  });

  return router;
}

function uploadForm(action: string, error = false): Html {
  return html(`<p>Votre référent·e vous a demandé un justificatif (par exemple votre contrat de travail ou un bulletin de salaire). Vous pouvez l’envoyer ici, depuis votre téléphone ou votre ordinateur.</p>
<form method="post" action="${escapeHtml(action)}" enctype="multipart/form-data">
<div class="fr-upload-group${error ? ' fr-upload-group--error' : ''}">
<label class="fr-label" for="justificatif">Votre justificatif<span class="fr-hint-text">${escapeHtml(UPLOAD_HINT)}</span></label>
<input class="fr-upload" type="file" id="justificatif" name="justificatif" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required${error ? ' autofocus' : ''}>
</div>
<div class="fr-mt-4w"><button class="fr-btn" type="submit">Envoyer le justificatif</button></div>
</form>`);
}
