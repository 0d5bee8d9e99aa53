/**
 * Behind a link, the unexpected (here the database unreachable) gets a French page, never a JSON
 * error, and the log line says what failed without the path, which holds the token.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { freePort } from '../../src/infra/ports.ts';
import { signLink } from '../../src/links/signed-links.ts';
import { createLinkPages } from '../../src/web/link-pages.ts';

const SECRET = 'un-secret-de-liens-pour-ce-test-seulement';
const logged: string[] = [];
let db: Db;
let server: ReturnType<express.Express['listen']>;

beforeAll(async () => {
  // A database nobody listens on: every query fails.
  db = createDb(`postgresql://plie@127.0.0.1:${await freePort()}/absente`);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
  const proofs = createProofStore(mkdtempSync(path.join(os.tmpdir(), 'plie-liens-')), randomBytes(32).toString('base64'));
  server = express().use('/l', createLinkPages({ db, temporal: new Client(), secret: SECRET, proofs, logger })).listen(0);
});

afterAll(async () => {
  server?.close();
  await db?.$disconnect();
});

describe('a link page when something fails behind it', () => {
  it('answers with a page in French and logs no token', async () => {
    const token = signLink({ purpose: 'fse-questionnaire', subject: 'parcours-x/fse_questionnaire/1', expiresAt: Date.now() + 86_400_000 }, SECRET);
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/l/${token}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Votre lien reste valable : réessayez dans quelques minutes.');
    expect(logged.some((line) => line.includes('page de lien en échec'))).toBe(true);
    expect(logged.join('\n')).not.toContain(token);
  });
});
