import { randomUUID, timingSafeEqual } from 'node:crypto';
import { audit } from '../db/audit.ts';
import { staffByEmail } from '../staff/directory.ts';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { projectRoot } from '../infra/project.ts';
import { createLinkPages, type LinkPagesDeps } from './link-pages.ts';
import { createConsole, type ConsoleDeps } from './console/index.ts';
import { z } from '../domain/validation.ts';
import type { Logger } from '../logging.ts';
import {
  createParticipant,
  DuplicateParticipantError,
  InvalidInputError,
  PathwayNotStartedError,
  type CreateParticipantDeps,
} from '../participants/create.ts';
import { pathwayState, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { answerPathwayTask, recordPathwayAction } from '../participants/pathway-action.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { mayDo, mayRefer, REFUSED } from '../domain/permissions.ts';
import { collectExport } from '../rgpd/export.ts';
import { eraseParticipant } from '../rgpd/erase.ts';
import { erasureRequestSchema } from '../forms/erasure-form.ts';
import { mayOpenFile } from '../participants/file-access.ts';
import { signedByReferrer, type Referrer } from '../participants/prescriber-referral.ts';
import { auditRead } from '../db/audit.ts';
import { currentPathwayId, reenterParticipant, ReentryRefusedError } from '../participants/reenter.ts';
import { ParticipantNotFoundError, rectifyParticipant } from '../participants/rectify.ts';
import { CASA_CONFIG } from '../domain/plie-config.ts';
import { pathwayActionSchema } from '../domain/pathway-actions.ts';
import { isTaskKind } from '../domain/tasks.ts';
import { taskAnswerSchema } from '../forms/task-forms.ts';
import { databaseRefusal, requestRefusal } from './input-errors.ts';

export interface WebDeps {
  logger: Logger;
  /** Each API token opens the API of one PLIE, and only that PLIE's participants. */
  tokens: Array<{ token: string; plieCode: string }>;
  /** A personal token's owner (`plie staff token create`), or null. */
  personalToken?: (token: string) => Promise<{ plieCode: string; email: string; name: string; roles: string[]; organisation: string | null } | null>;
  /** What creating and following pathways needs, for one PLIE. */
  pathwayDeps: (plieCode: string) => Promise<CreateParticipantDeps>;
  /** The pages behind the emails' signed links (absent: not served). */
  links?: LinkPagesDeps;
  /** The staff's web console (absent: not served). */
  console?: ConsoleDeps;
}

// `actor`: who acts. A personal token acts as its owner (the field may be left out); the PLIE's token names the person.
const actorField = z.email({ error: 'actor : adresse email de la personne qui agit' }).optional();

const answerBodySchema = z.object({
  taskId: z.string({ error: 'taskId : obligatoire' }).min(1, 'taskId : obligatoire'),
  answer: z.record(z.string(), z.unknown(), { error: 'answer : un objet JSON est attendu' }),
  actor: actorField,
});

const actionBodySchema = z.object({
  action: z.record(z.string(), z.unknown(), { error: 'action : un objet JSON est attendu' }),
  actor: actorField,
});

/** A token used to act in the name of someone it may not act for. */
class ActingRefusedError extends Error {}

const uuid = z.uuid();

const dsfrDir = path.join(projectRoot, 'node_modules', '@gouvfr', 'dsfr', 'dist');

/** JSON API for staff tools; every route but /health needs `Authorization: Bearer <token of a PLIE>`. */
export function createWebApp(web: WebDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const log = web.logger.child({ component: 'web' });
  /** The PLIE of the request's token (set by requireToken). */
  const depsOf = async (res: Response) => await web.pathwayDeps(res.locals.plieCode as string);
  /**
   * Who acts: a personal token's owner (a different `actor` is refused); for the PLIE's token, the
   * active member of its staff that `actor` names, or its coordination when it names no one.
   */
  const actorOf = async (res: Response, deps: CreateParticipantDeps, given: string | undefined, entityId: string): Promise<string> => {
    const owner = res.locals.owner as string | undefined;
    if (owner) {
      if (given && given.trim().toLowerCase() !== owner) throw new ActingRefusedError(`Ce jeton est celui de ${owner} : il n’agit au nom de personne d’autre.`);
      return owner;
    }
    // The PLIE's service account: on behalf of an active member of its staff, or as its coordination.
    const coordination = deps.coordinatorEmail.toLowerCase();
    const actor = given?.trim().toLowerCase() ?? coordination;
    if (actor !== coordination && !(await staffByEmail(deps.db, deps.plieCode, actor))) {
      throw new ActingRefusedError(`actor : ${actor} n’est pas un membre actif du personnel de ce PLIE.`);
    }
    // Audited as both: the service account here, the person in the record of what was done.
    await audit(deps.db, {
      idempotencyKey: `api/${randomUUID()}`,
      actor: `jeton-du-plie:${deps.plieCode}`,
      channel: 'http',
      action: 'api.on_behalf',
      entityType: 'participant',
      entityId,
      details: { onBehalfOf: actor, route: `${res.req.method} ${res.req.originalUrl.split('?')[0] ?? ''}` },
    });
    return actor;
  };

  app.get('/health', (_req, res) => {
    res.json({ statut: 'ok' });
  });

  if (web.links) {
    // The DSFR's styles, fonts and icons, from the package (no third-party host).
    app.use('/dsfr', express.static(dsfrDir, { immutable: true, maxAge: '7d', index: false }));
    // Pages only: no script, nothing from elsewhere; a form posts to this site only.
    app.use(
      '/l',
      helmet({ contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'script-src': ["'none'"] } }, referrerPolicy: { policy: 'no-referrer' } }),
      createLinkPages(web.links),
    );
  }

  const api = express.Router();
  api.use(express.json({ limit: '100kb' }));
  api.use(requireToken(web, log));

  api.post('/participants', async (req, res) => {
    if (res.locals.owner && !mayRefer({ roles: res.locals.ownerRoles as string[] })) {
      res.status(403).json({ erreur: REFUSED.refer });
      return;
    }
    // A prescriber's token refers in their organisation's name, as the console does.
    const referrer = res.locals.referrer as Referrer | undefined;
    const body: unknown = referrer && typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? signedByReferrer(req.body as Record<string, unknown>, referrer) : req.body;
    const result = await createParticipant(await depsOf(res), body, { actor: (res.locals.owner as string | undefined) ?? 'api', channel: 'http' });
    res.status(201).json(result);
  });

  /**
   * A participant of another PLIE does not exist, as far as this PLIE's API is concerned; nor, for a
   * referent's personal token, one whose pathway another referent holds (the same 404 everywhere).
   */
  const ofThisPlie = async (deps: CreateParticipantDeps, participantId: string, res: Response) => {
    // An erased person has no pathway left to read or act on.
    if ((await deps.db.participant.count({ where: { id: participantId, plieCode: deps.plieCode, erasedAt: null } })) !== 1) return false;
    const owner = res.locals.owner as string | undefined;
    if (!owner) return true;
    return await mayOpenFile(deps.db, participantId, { email: owner, roles: res.locals.ownerRoles as string[] });
  };

  api.get('/participants/:id/parcours', async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) {
      res.status(400).json({ erreur: 'Identifiant de participant invalide.' });
      return;
    }
    const deps = await depsOf(res);
    if (!(await ofThisPlie(deps, id.data, res))) {
      res.status(404).json({ erreur: 'Aucun parcours pour ce participant.' });
      return;
    }
    const state = await pathwayState(deps.temporal, id.data, await currentPathwayId(deps.db, id.data));
    await auditRead(deps.db, { actor: (res.locals.owner as string | undefined) ?? 'api', channel: 'http', participantId: id.data, what: 'parcours' });
    res.json(state);
  });

  /**
   * Who answers a person's data rights: the owner of a coordinator's personal token (the PLIE's own
   * token names nobody); anyone else is answered 403 here, and null returned.
   */
  function dataRightsAnswerer(res: Response, request: string): string | null {
    const owner = res.locals.owner as string | undefined;
    if (owner && mayDo({ roles: res.locals.ownerRoles as string[] }, 'answerDataRights')) return owner;
    res.status(403).json({ erreur: owner ? REFUSED.answerDataRights : `${request} se demande avec le jeton personnel d’un membre de la coordination.` });
    return null;
  }

  /**
   * The right of access, answered by the coordination: everything held on the person, as JSON (the
   * proofs listed; their files come with `plie rgpd export`). A named person only: the PLIE's own
   * token, which names nobody, may not.
   */
  api.get('/participants/:id/export', async (req, res) => {
    const owner = dataRightsAnswerer(res, 'Un export des données d’une personne');
    if (!owner) return;
    const id = uuid.safeParse(req.params.id);
    if (!id.success) {
      res.status(400).json({ erreur: 'Identifiant de participant invalide.' });
      return;
    }
    const deps = await depsOf(res);
    const data = await collectExport(deps.db, deps.plieCode, id.data, new Date());
    if (!data) {
      res.status(404).json({ erreur: 'Aucune personne de ce PLIE avec cet identifiant.' });
      return;
    }
    await audit(deps.db, { idempotencyKey: `http/${randomUUID()}`, actor: owner, channel: 'http', action: 'rgpd.export', entityType: 'participant', entityId: id.data });
    res.json(data);
  });

  /**
   * The right to erasure, for a coordinator's personal token: the pathway closed, the identity
   * pseudonymised, the answer to give the person in the reply; a second call says it is done.
   */
  api.post('/participants/:id/erase', async (req, res) => {
    const owner = dataRightsAnswerer(res, 'Un effacement');
    if (!owner) return;
    const id = uuid.safeParse(req.params.id);
    const body = erasureRequestSchema.safeParse(req.body);
    if (!id.success || !body.success) {
      res.status(400).json({ erreur: 'Requête invalide.', details: [...(id.success ? [] : ['identifiant de participant invalide']), ...(body.success ? [] : body.error.issues.map((i) => i.message))] });
      return;
    }
    const deps = await depsOf(res);
    const done = await eraseParticipant(deps, deps.config ?? CASA_CONFIG, id.data, { reason: body.data.reason, actor: owner, channel: 'http', now: new Date() });
    if (!done) {
      res.status(404).json({ erreur: 'Aucune personne de ce PLIE avec cet identifiant.' });
      return;
    }
    res.json(done);
  });

  /**
   * The id and body of a request on a participant's pathway, validated; answers 400 (bad request)
   * or 404 (not a participant of this PLIE) itself and returns null then.
   */
  async function pathwayRequest<T>(req: Request, res: Response, schema: z.ZodType<T>) {
    const id = uuid.safeParse(req.params.id);
    const body = schema.safeParse(req.body);
    if (!id.success || !body.success) {
      const problems = [...(id.success ? [] : ['identifiant de participant invalide']), ...(body.success ? [] : body.error.issues.map((i) => i.message))];
      res.status(400).json({ erreur: 'Requête invalide.', details: problems });
      return null;
    }
    const deps = await depsOf(res);
    if (!(await ofThisPlie(deps, id.data, res))) {
      res.status(404).json({ erreur: 'Aucun parcours pour ce participant.' });
      return null;
    }
    return { deps, participantId: id.data, body: body.data, workflowId: await currentPathwayId(deps.db, id.data) };
  }

  /** The workflow's own refusal of what the request says, given here: it never travels to the workflow, nor is anything audited for it. */
  const refusedAs = (prefix: string, issues: readonly { message: string }[]) =>
    new TaskAnswerRejectedError(`${prefix} : ${issues.map((i) => i.message).join(' ; ')}`, REFUSAL_CODES.invalid);

  api.post('/participants/:id/reponses', async (req, res) => {
    const r = await pathwayRequest(req, res, answerBodySchema);
    if (!r) return;
    // An open task of this pathway: its answer is checked as the workflow checks it, its dates for plausibility too.
    const task = await r.deps.db.task.findFirst({ where: { id: r.body.taskId, pathwayId: r.workflowId, status: 'open' }, select: { kind: true } });
    const check = task && isTaskKind(task.kind) ? taskAnswerSchema(task.kind).safeParse(r.body.answer) : null;
    if (check && !check.success) throw refusedAs('Réponse invalide', check.error.issues);
    res.json(await answerPathwayTask(r.deps, r.participantId, { ...r.body, actor: await actorOf(res, r.deps, r.body.actor, r.participantId), channel: 'http' }, r.workflowId));
  });

  // An action on the pathway: contact, contract, exit proposal, pause of reminders…
  api.post('/participants/:id/actions', async (req, res) => {
    const r = await pathwayRequest(req, res, actionBodySchema);
    if (!r) return;
    const check = pathwayActionSchema.safeParse(r.body.action);
    if (!check.success) throw refusedAs('Action refusée', check.error.issues);
    res.json(await recordPathwayAction(r.deps, r.participantId, { ...r.body, actor: await actorOf(res, r.deps, r.body.actor, r.participantId), channel: 'http' }, r.workflowId));
  });

  // Rectification of the person's facts: the keys of the referral, each optional.
  api.patch('/participants/:id', async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) {
      res.status(400).json({ erreur: 'Identifiant de participant invalide.' });
      return;
    }
    const deps = await depsOf(res);
    if (!(await ofThisPlie(deps, id.data, res))) throw new ParticipantNotFoundError();
    res.json(await rectifyParticipant({ db: deps.db, temporal: deps.temporal, plieCode: deps.plieCode, config: deps.config ?? CASA_CONFIG }, id.data, req.body, { actor: (res.locals.owner as string | undefined) ?? 'api', channel: 'http' }));
  });

  // A new pathway after an administrative exit, linked to the earlier one.
  api.post('/participants/:id/reentree', async (req, res) => {
    const r = await pathwayRequest(req, res, z.object({ actor: actorField }));
    if (r) res.status(201).json(await reenterParticipant(r.deps, r.participantId, { actor: await actorOf(res, r.deps, r.body.actor, r.participantId), channel: 'http' }));
  });

  app.use('/api', api);
  app.use('/api', (_req, res) => {
    res.status(404).json({ erreur: 'Adresse inconnue.' });
  });
  app.use(errorHandler(log));
  if (web.console) app.use(createConsole(web.console));
  return app;
}

function requireToken(web: WebDeps, log: Logger) {
  const known = web.tokens.map((t) => ({ bytes: Buffer.from(t.token), plieCode: t.plieCode }));
  const served = new Set(web.tokens.map((t) => t.plieCode));
  return (req: Request, res: Response, next: NextFunction) => {
    const text = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const given = Buffer.from(text);
    const match = known.find((t) => given.length === t.bytes.length && timingSafeEqual(given, t.bytes));
    if (match) {
      res.locals.plieCode = match.plieCode;
      next();
      return;
    }
    void (async () => {
      // A personal token: its owner acts, in their own PLIE (one this API serves).
      const owner = text && web.personalToken ? await web.personalToken(text) : null;
      if (owner && served.has(owner.plieCode)) {
        res.locals.plieCode = owner.plieCode;
        res.locals.owner = owner.email;
        res.locals.ownerRoles = owner.roles;
        res.locals.referrer = { name: owner.name, email: owner.email, organisation: owner.organisation } satisfies Referrer;
        next();
        return;
      }
      log.warn({ path: req.path, ip: req.ip }, 'requête API refusée : jeton absent, invalide, révoqué ou expiré');
      res.status(401).json({ erreur: 'Authentification requise : jeton d’API absent, invalide, révoqué ou expiré.' });
    })().catch(next);
  };
}

/** Maps domain errors to clear French answers; anything unexpected is logged, never leaked. */
function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const malformed = requestRefusal(error);
    const refusal = databaseRefusal(error);
    if (error instanceof InvalidInputError) {
      res.status(400).json({ erreur: 'Données invalides.', details: error.problems });
    } else if (error instanceof DuplicateParticipantError) {
      res.status(409).json({ erreur: error.message, participantId: error.existingId });
    } else if (error instanceof PathwayNotStartedError) {
      res.status(503).json({ erreur: error.message, participantId: error.participantId });
    } else if (error instanceof ActingRefusedError) {
      res.status(403).json({ erreur: error.message });
    } else if (error instanceof ParticipantNotFoundError) {
      res.status(404).json({ erreur: error.message });
    } else if (error instanceof ReentryRefusedError) {
      res.status(409).json({ erreur: error.message });
    } else if (error instanceof TaskAnswerRejectedError) {
      // Not this person's to do: 403; anything else the workflow refused: 422. The code says which refusal.
      res.status(error.code === REFUSAL_CODES.notAllowed ? 403 : 422).json({ erreur: error.message, code: error.code });
    } else if ((error as { type?: string }).type === 'entity.parse.failed') {
      log.info({ path: req.path }, 'corps JSON illisible');
      res.status(400).json({ erreur: 'Le corps de la requête n’est pas du JSON valide.' });
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ erreur: 'Requête trop volumineuse.' });
    } else if ((error as Error).name === 'WorkflowNotFoundError') {
      res.status(404).json({ erreur: 'Aucun parcours pour ce participant.' });
    } else if (malformed) {
      res.status(malformed.status).json({ erreur: malformed.message });
    } else if (refusal) {
      // The data itself was refused by the database: the same request would be again, so no « try again ».
      log.warn({ path: req.path, code: refusal.code }, 'données refusées par la base');
      res.status(refusal.status).json({ erreur: refusal.message });
    } else {
      log.error({ path: req.path, err: (error as Error).message }, 'erreur inattendue');
      res.status(503).json({ erreur: 'Service momentanément indisponible, merci de réessayer.' });
    }
  };
}
