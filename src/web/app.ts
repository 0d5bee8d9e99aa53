import { timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { projectRoot } from '../infra/project.ts';
import { createLinkPages, type LinkPagesDeps } from './link-pages.ts';
import { z } from '../domain/validation.ts';
import type { Logger } from '../logging.ts';
import {
  createParticipant,
  DuplicateParticipantError,
  InvalidInputError,
  PathwayNotStartedError,
  type CreateParticipantDeps,
} from '../participants/create.ts';
import { answerTask, pathwayState, TaskAnswerRejectedError } from '../temporal/pathway-client.ts';
import { recordPathwayAction } from '../participants/pathway-action.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { currentPathwayId, reenterParticipant, ReentryRefusedError } from '../participants/reenter.ts';
import { ParticipantNotFoundError, rectifyParticipant } from '../participants/rectify.ts';
import { CASA_CONFIG } from '../domain/plie-config.ts';

export interface WebDeps {
  logger: Logger;
  /** Each API token opens the API of one PLIE, and only that PLIE's participants. */
  tokens: Array<{ token: string; plieCode: string }>;
  /** What creating and following pathways needs, for one PLIE. */
  pathwayDeps: (plieCode: string) => Promise<CreateParticipantDeps>;
  /** The pages behind the emails' signed links (absent: not served). */
  links?: LinkPagesDeps;
}

const answerBodySchema = z.object({
  taskId: z.string({ error: 'taskId : obligatoire' }).min(1, 'taskId : obligatoire'),
  answer: z.record(z.string(), z.unknown(), { error: 'answer : un objet JSON est attendu' }),
  actor: z.email({ error: 'actor : adresse email de la personne qui répond' }),
});

const actionBodySchema = z.object({
  action: z.record(z.string(), z.unknown(), { error: 'action : un objet JSON est attendu' }),
  actor: z.email({ error: 'actor : adresse email de la personne qui agit' }),
});

const uuid = z.uuid();

const dsfrDir = path.join(projectRoot, 'node_modules', '@gouvfr', 'dsfr', 'dist');

/** JSON API for staff tools; every route but /health needs `Authorization: Bearer <token of a PLIE>`. */
export function createWebApp(web: WebDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const log = web.logger.child({ component: 'web' });
  /** The PLIE of the request's token (set by requireToken). */
  const depsOf = async (res: Response) => await web.pathwayDeps(res.locals.plieCode as string);

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
  api.use(requireToken(web.tokens, log));

  api.post('/participants', async (req, res) => {
    const result = await createParticipant(await depsOf(res), req.body, { actor: 'api', channel: 'http' });
    res.status(201).json(result);
  });

  /** A participant of another PLIE does not exist, as far as this PLIE's API is concerned. */
  const ofThisPlie = async (deps: CreateParticipantDeps, participantId: string) =>
    (await deps.db.participant.count({ where: { id: participantId, plieCode: deps.plieCode } })) === 1;

  api.get('/participants/:id/parcours', async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) {
      res.status(400).json({ erreur: 'Identifiant de participant invalide.' });
      return;
    }
    const deps = await depsOf(res);
    if (!(await ofThisPlie(deps, id.data))) {
      res.status(404).json({ erreur: 'Aucun parcours pour ce participant.' });
      return;
    }
    res.json(await pathwayState(deps.temporal, id.data, await currentPathwayId(deps.db, id.data)));
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
    if (!(await ofThisPlie(deps, id.data))) {
      res.status(404).json({ erreur: 'Aucun parcours pour ce participant.' });
      return null;
    }
    return { deps, participantId: id.data, body: body.data, workflowId: await currentPathwayId(deps.db, id.data) };
  }

  api.post('/participants/:id/reponses', async (req, res) => {
    const r = await pathwayRequest(req, res, answerBodySchema);
    if (r) res.json(await answerTask(r.deps.temporal, r.participantId, { ...r.body, channel: 'http' }, r.workflowId));
  });

  // An action on the pathway: contact, contract, exit proposal, pause of reminders…
  api.post('/participants/:id/actions', async (req, res) => {
    const r = await pathwayRequest(req, res, actionBodySchema);
    if (r) res.json(await recordPathwayAction(r.deps, r.participantId, { ...r.body, channel: 'http' }, r.workflowId));
  });

  // Rectification of the person's facts: the keys of the referral, each optional.
  api.patch('/participants/:id', async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) {
      res.status(400).json({ erreur: 'Identifiant de participant invalide.' });
      return;
    }
    const deps = await depsOf(res);
    res.json(await rectifyParticipant({ db: deps.db, temporal: deps.temporal, plieCode: deps.plieCode, config: deps.config ?? CASA_CONFIG }, id.data, req.body, { actor: 'api', channel: 'http' }));
  });

  // A new pathway after an administrative exit, linked to the earlier one.
  api.post('/participants/:id/reentree', async (req, res) => {
    const r = await pathwayRequest(req, res, z.object({ actor: z.email({ error: 'actor : adresse email de la personne qui agit' }) }));
    if (r) res.status(201).json(await reenterParticipant(r.deps, r.participantId, { actor: r.body.actor, channel: 'http' }));
  });

  app.use('/api', api);
  app.use('/api', (_req, res) => {
    res.status(404).json({ erreur: 'Adresse inconnue.' });
  });
  app.use(errorHandler(log));
  return app;
}

function requireToken(tokens: WebDeps['tokens'], log: Logger) {
  const known = tokens.map((t) => ({ bytes: Buffer.from(t.token), plieCode: t.plieCode }));
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
    const match = known.find((t) => given.length === t.bytes.length && timingSafeEqual(given, t.bytes));
    if (match) {
      res.locals.plieCode = match.plieCode;
      next();
      return;
    }
    log.warn({ path: req.path, ip: req.ip }, 'requête API refusée : jeton absent ou invalide');
    res.status(401).json({ erreur: 'Authentification requise : jeton d’API absent ou invalide.' });
  };
}

/** Maps domain errors to clear French answers; anything unexpected is logged, never leaked. */
function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof InvalidInputError) {
      res.status(400).json({ erreur: 'Données invalides.', details: error.problems });
    } else if (error instanceof DuplicateParticipantError) {
      res.status(409).json({ erreur: error.message, participantId: error.existingId });
    } else if (error instanceof PathwayNotStartedError) {
      res.status(503).json({ erreur: error.message, participantId: error.participantId });
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
    } else {
      log.error({ path: req.path, err: (error as Error).message }, 'erreur inattendue');
      res.status(503).json({ erreur: 'Service momentanément indisponible, merci de réessayer.' });
    }
  };
}
