/**
 * Behind a link, the unexpected (here the database unreachable) gets a French page, never a JSON
 * error, and the log line says what failed without the path, which holds the token; an upload's
 * link is checked before its file is read, and only a few are read at once.
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { freePort } from '../../src/infra/ports.ts';
import { signLink } from '../../src/links/signed-links.ts';
import { createLinkPages, MAX_CONCURRENT_UPLOADS } from '../../src/web/link-pages.ts';

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

  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/l/`;
  const uploadLink = () => signLink({ purpose: 'proof-upload', subject: 'parcours-x/proof_request/1', expiresAt: Date.now() + 86_400_000 }, SECRET);
  const upload = (token: string) => {
    const form = new FormData();
    form.append('justificatif', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'contrat.pdf');
    return fetch(`${base()}${token}`, { method: 'POST', body: form });
  };

  it('checks the link before reading an upload', async () => {
    const forged = await upload(`${uploadLink().slice(0, -4)}AAAA`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Lien non valide');
    // A valid link for something else is no upload link.
    const other = await upload(signLink({ purpose: 'fse-questionnaire', subject: 's', expiresAt: Date.now() + 86_400_000 }, SECRET));
    expect(other.status).toBe(400);
  });

  it('reads a few uploads at once at most; the next sender is asked to retry', async () => {
    // Uploads that never finish sending their file hold their place.
    const held = Array.from({ length: MAX_CONCURRENT_UPLOADS }, () => {
      const request = http.request(`${base()}${uploadLink()}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' } });
      request.on('error', () => undefined);
      request.write('--x\r\nContent-Disposition: form-data; name="justificatif"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF');
      return request;
    });
    try {
      // Once they are all read, the next one is turned away (an earlier try may still get through).
      await vi.waitFor(async () => {
        const next = await upload(uploadLink());
        expect(next.status).toBe(503);
        expect(next.headers.get('retry-after')).toBe('30');
        expect(await next.text()).toContain('Beaucoup d’envois en ce moment');
      }, { timeout: 30_000, interval: 50 });
    } finally {
      for (const request of held) request.destroy();
    }
  });
});
