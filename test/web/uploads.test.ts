/**
 * Proof uploads behind their links, on the real link pages, PostgreSQL and HTTP: a link that
 * cannot be used is answered before the file is read (the client still holds most of its body
 * back when the answer comes), and only a few uploads are received at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { createProofStore } from '../../src/files/proof-store.ts';
import { signLink } from '../../src/links/signed-links.ts';
import { createLinkPages } from '../../src/web/link-pages.ts';

const SECRET = randomBytes(24).toString('base64');
const DAY = 86_400_000;
const logged: string[] = [];
let db: Db;
let server: http.Server;
let port: number;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
  const proofs = createProofStore(mkdtempSync(path.join(os.tmpdir(), 'plie-depots-')), randomBytes(32).toString('base64'));
  // One upload at a time, so that a second one is refused while the first is held.
  server = express().use('/l', createLinkPages({ db, temporal: new Client(), secret: SECRET, proofs, logger, maxUploadsAtOnce: 1 })).listen(0);
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.close();
  await db?.$disconnect();
});

/**
 * Starts uploading a PDF and sends only its first bytes; `finish` sends the rest. The response
 * promise settles whenever the server answers, whether or not the body is complete.
 */
function heldUpload(token: string) {
  const boundary = `plie${randomBytes(6).toString('hex')}`;
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/l/${token}`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const response = new Promise<{ status: number; retryAfter: string | undefined; text: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text }));
    });
    request.on('error', reject);
  });
  request.write(`--${boundary}\r\nContent-Disposition: form-data; name="justificatif"; filename="bulletin.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
  return { response, finish: () => request.end(`${'x'.repeat(64 * 1024)}\r\n--${boundary}--\r\n`) };
}

/** A proof request already answered: an upload that gets through is told so, without Temporal. */
async function answeredProofRequest(): Promise<string> {
  const participantId = randomUUID();
  await db.participant.create({ data: { id: participantId, firstName: 'Jade', lastName: 'Dépôt', identityKey: `depot-${participantId}`, birthDate: toDbDate('1988-08-08'), createdBy: 'test' } });
  const pathwayId = `parcours-${participantId}`;
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'followUp' } });
  const taskId = `${pathwayId}/proof_request/1`;
  await db.task.create({ data: { id: taskId, pathwayId, kind: 'proof_request', assigneeRole: 'participant', status: 'done', dueDate: toDbDate('2026-12-31'), openedAt: new Date() } });
  return taskId;
}

describe('proof uploads behind their links', () => {
  it.each<[string, () => string, number, string]>([
    ['an expired link', () => signLink({ purpose: 'proof-upload', subject: 'parcours-x/proof_request/1', expiresAt: Date.now() - DAY }, SECRET), 410, 'Lien expiré'],
    ['an altered link', () => `${signLink({ purpose: 'proof-upload', subject: 'parcours-x/proof_request/1', expiresAt: Date.now() + DAY }, SECRET)}x`, 400, 'Lien non valide'],
    ['a link that expects no file', () => signLink({ purpose: 'fse-questionnaire', subject: 'parcours-x/fse_questionnaire/1', expiresAt: Date.now() + DAY }, SECRET), 400, 'Ce lien n’attend pas de fichier.'],
  ])('answers %s before reading the file', async (_name, token, status, said) => {
    const upload = heldUpload(token());
    const answer = await upload.response;
    upload.finish();
    expect(answer.status).toBe(status);
    expect(answer.text).toContain(said);
  });

  it('receives one upload at a time here, tells the next to try again in a minute, then takes it', async () => {
    const token = signLink({ purpose: 'proof-upload', subject: await answeredProofRequest(), expiresAt: Date.now() + DAY }, SECRET);
    const admitted = () => logged.filter((line) => line.includes('dépôt en cours')).length;
    const before = admitted();
    const first = heldUpload(token);
    await vi.waitFor(() => expect(admitted()).toBe(before + 1), { timeout: 10_000, interval: 20 });

    const second = heldUpload(token);
    const busy = await second.response;
    second.finish();
    expect(busy).toMatchObject({ status: 503, retryAfter: '60' });
    expect(busy.text).toContain('Réessayez dans une minute avec le même lien : il reste valable.');

    first.finish();
    expect((await first.response).status).toBe(410);
    // Its place is free again: the next upload is read, and told the request was already answered.
    await vi.waitFor(
      async () => {
        const next = heldUpload(token);
        next.finish();
        const answer = await next.response;
        expect(answer.status).toBe(410);
        expect(answer.text).toContain('C’est déjà fait');
      },
      { timeout: 10_000, interval: 20 },
    );
  });
});
