/**
 * The codec endpoint of the Temporal Web UI (« Remote Codec Endpoint », `POST /codec/decode` and
 * `/codec/encode`): the UI only ever holds ciphertext, and shows clear payloads to an operator the
 * console knows — signed in, and of the coordination or the administration. Every call is audited.
 * The UI calls it from its own origin with the console's cookie (« include cross-origin
 * credentials »): that origin alone is allowed (`TEMPORAL_UI_ORIGIN`), and a cookie that is
 * SameSite=Lax never comes with another site's request — so the UI must be on the console's site
 * (temporal.plie.fr beside plie.fr, or both on localhost).
 */
import { randomUUID } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/client.ts';
import { isCoordinator } from '../../domain/permissions.ts';
import { z } from '../../domain/validation.ts';
import type { Logger } from '../../logging.ts';
import { sessionOf } from './request-state.ts';

export const CODEC_PATHS = /^\/codec\/(?:decode|encode)$/;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const bodySchema = z.object({ payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(1000) });

const toPayload = (p: { metadata?: Record<string, string>; data?: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function createCodecEndpoint(deps: { db: Db; codecs: PayloadCodec[]; uiOrigin?: string; servedPlies: number; logger: Logger }): express.Router {
  const router = express.Router();
  const log = deps.logger.child({ component: 'codec' });

  // The UI's origin only, with its credentials; the headers it sends.
  router.use('/codec', (req: Request, res: Response, next: NextFunction) => {
    if (deps.uiOrigin && req.get('origin') === deps.uiOrigin) {
      res.set({ 'Access-Control-Allow-Origin': deps.uiOrigin, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': 'Content-Type, X-Namespace', 'Access-Control-Allow-Methods': 'POST', Vary: 'Origin' });
    }
    if (req.method === 'OPTIONS') return res.status(204).end();
    next();
  });

  router.post('/codec/:operation', express.json({ limit: '4mb' }), async (req, res) => {
    const operation = req.params.operation;
    const session = sessionOf(req);
    if (!session) return res.status(401).json({ erreur: 'Connectez-vous à l’espace des équipes pour lire les données de Temporal.' });
    if (!isCoordinator(session) && !session.roles.includes('ADMIN')) return res.status(403).json({ erreur: 'Les données de Temporal en clair sont réservées à la coordination et à l’administration.' });
    // One deployment's keys open every PLIE it serves: a PLIE's staff would read the others'.
    if (deps.servedPlies > 1) return res.status(403).json({ erreur: 'Ce déploiement sert plusieurs PLIE : leurs données de Temporal ne se déchiffrent pas dans l’interface.' });
    const body = bodySchema.safeParse(req.body);
    if (!body.success || (operation !== 'decode' && operation !== 'encode')) return res.status(400).json({ erreur: 'Requête de codec invalide.' });
    let payloads = body.data.payloads.map(toPayload);
    try {
      // Encoded in the codecs' order, decoded in the reverse one (as the SDK does).
      if (operation === 'decode') for (const codec of [...deps.codecs].reverse()) payloads = await codec.decode(payloads);
      else for (const codec of deps.codecs) payloads = await codec.encode(payloads);
    } catch (error) {
      log.warn({ operation, err: (error as Error).name }, 'données de Temporal non déchiffrables');
      return res.status(400).json({ erreur: 'Ces données ne se déchiffrent pas avec les clés de ce déploiement.' });
    }
    await audit(deps.db, {
      idempotencyKey: `web/${randomUUID()}`,
      actor: session.email,
      channel: 'web',
      action: `temporal.${operation}`,
      entityType: 'temporal',
      entityId: req.get('x-namespace') ?? 'default',
      details: { payloads: payloads.length },
    });
    res.json({ payloads: payloads.map(fromPayload) });
  });

  return router;
}
