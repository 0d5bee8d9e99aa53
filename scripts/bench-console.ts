/**
 * Benchmark of the staff console's pages on N generated participants (default 10 000, each with a
 * pathway, tasks, messages and a timeline) in a throwaway PostgreSQL. Each page is asked R times
 * (default 40) with a session's cookie (the bilan counting each person's steps, contract, barrier and exit), alternating with a bare baseline on the same server (Express
 * and one indexed Prisma read, no page): medians and 95th percentiles, and the ratio to the baseline.
 *
 *   npm run bench:console -- [N] [R]
 */
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import { createDb } from '../src/db/client.ts';
import { toDbDate } from '../src/db/dates.ts';
import { addDays, parisDate } from '../src/domain/dates.ts';
import { CASA_CONFIG } from '../src/domain/plie-config.ts';
import { STAGES } from '../src/domain/tasks.ts';
import { createProofStore } from '../src/files/proof-store.ts';
import { migrateDatabase } from '../src/infra/migrate.ts';
import { freePort } from '../src/infra/ports.ts';
import { startEmbeddedPostgres } from '../src/infra/postgres.ts';
import { makeScratchDir } from '../src/infra/scratch.ts';
import { createLogger } from '../src/logging.ts';
import { createConsole } from '../src/web/console/index.ts';
import { openSession, sessionCookieName } from '../src/web/console/sessions.ts';

const count = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 40);
const logger = createLogger('warn');
const scratch = makeScratchDir('plie-bench-console-');
const PLIE = 'CASA';

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const round = (v: number) => Math.round(v * 10) / 10;

const pg = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), port: await freePort(), logger });
const db = createDb(pg.url);
const server = http.createServer();
try {
  await migrateDatabase(pg.url, logger);
  const referents = Array.from({ length: 25 }, (_, i) => `referent${i}@plie.test`);
  await db.staff.createMany({
    data: [{ email: 'coordination@plie.test', name: 'Coordination', roles: ['COORDINATEUR'], plieCode: PLIE }, ...referents.map((email, i) => ({ email, name: `Référent ${i}`, roles: ['REFERENT'], plieCode: PLIE }))],
  });
  const today = parisDate(Date.now());
  const communes = CASA_CONFIG.territory.communes.map((c) => c.name);
  const t0 = performance.now();
  for (let from = 0; from < count; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, count - from) }, () => randomUUID());
    await db.participant.createMany({
      data: ids.map((id, i) => ({ id, plieCode: PLIE, firstName: `Prénom${from + i}`, lastName: `Nom${from + i}`, identityKey: `nom${from + i}|prenom|1980-01-01`, birthDate: toDbDate('1980-01-01'), commune: pick(communes), createdBy: 'bench', orientationDate: toDbDate(addDays(today, -Math.floor(random() * 700))), integrationDate: random() < 0.8 ? toDbDate(addDays(today, -Math.floor(random() * 600))) : null, sex: pick(['F', 'M']), minimumIncome: pick(['RSA', 'ASS', 'AUCUN']), qualificationLevel: pick([2, 3, 4, 5]), prescriber: pick(['CD06', 'FRANCE_TRAVAIL', 'SPONTANE']), sectorWishes: [pick(['Propreté', 'BTP', 'Logistique'])] })),
    });
    // The history the bilan counts: two steps, a contract and a barrier each, an exit for two in five.
    const day = () => toDbDate(addDays(today, -Math.floor(random() * 500)));
    await db.step.createMany({ data: ids.flatMap((participantId) => [0, 1].map(() => ({ participantId, type: pick(['FORMATION', 'STAGE', 'ACCOMPAGNEMENT']), start: day(), status: 'TERMINEE' }))) });
    await db.workContract.createMany({ data: ids.map((participantId) => ({ participantId, type: pick(['CDD', 'CDI']), start: day(), iae: random() < 0.3 })) });
    await db.barrier.createMany({ data: ids.map((participantId) => ({ participantId, category: pick(['MOBILITE', 'SANTE', 'LOGEMENT']), closedOn: random() < 0.5 ? day() : null })) });
    await db.exit.createMany({ data: ids.filter(() => random() < 0.4).map((participantId) => ({ participantId, date: day(), type: pick(['POSITIVE', 'ADMINISTRATIVE']), positiveKind: 'EMPLOI', cdi: random() < 0.5 })) });
    await db.pathway.createMany({ data: ids.map((id) => ({ id: `parcours-${id}`, participantId: id, stage: pick(STAGES), referentEmail: pick(referents), entryDate: toDbDate(addDays(today, -Math.floor(random() * 600))) })) });
    await db.task.createMany({
      data: ids.flatMap((id) => [0, 1, 2].map((n) => ({ id: `parcours-${id}/log_contact/${n}`, pathwayId: `parcours-${id}`, kind: 'log_contact', assigneeEmail: pick(referents), status: n === 2 ? 'open' : 'done', dueDate: toDbDate(addDays(today, Math.floor(random() * 60) - 30)), openedAt: new Date() }))),
    });
    await db.message.createMany({ data: ids.flatMap((id) => [0, 1, 2].map((n) => ({ idempotencyKey: `parcours-${id}/m/${n}`, channel: 'email', template: 'convocation', recipient: `p-${id}@exemple.fr`, pathwayId: `parcours-${id}`, status: 'sent' }))) });
    await db.auditEvent.createMany({
      data: ids.flatMap((id) => [
        ...Array.from({ length: 6 }, (_, n) => ({ actor: 'système', channel: 'workflow', action: 'pathway.stage', entityType: 'pathway', entityId: `parcours-${id}`, details: { stage: pick(STAGES) }, idempotencyKey: `${id}/s/${n}` })),
        ...Array.from({ length: 3 }, (_, n) => ({ actor: 'système', channel: 'workflow', action: 'task.open', entityType: 'task', entityId: `parcours-${id}/log_contact/${n}`, details: { kind: 'log_contact' }, idempotencyKey: `${id}/t/${n}` })),
        { actor: 'bench', channel: 'http', action: 'participant.create', entityType: 'participant', entityId: id, idempotencyKey: `${id}/c` },
      ]),
    });
  }
  // The relation entreprises' and the facilitation's records: 100 offers with 10 « mises en relation »
  // each, 100 collective actions with 10 invitations each, 50 marchés with 4 candidates each.
  const people = await db.participant.findMany({ select: { id: true }, take: Math.min(count, 2000) });
  // Everyone has said a sector they want, and the first 2,000 two more: the offers' matches read them.
  await db.participant.updateMany({ where: { id: { in: people.map((p) => p.id) } }, data: { sectorWishes: ['Propreté', 'Espaces verts'] } });
  for (let o = 0; o < 100; o++) {
    const offer = await db.jobOffer.create({ data: { plieCode: PLIE, company: `Entreprise ${o}`, jobTitle: `Poste ${o}`, sector: 'Propreté', contractType: 'CDD', createdBy: 'bench' } });
    await db.placement.createMany({ data: people.slice(o * 10, o * 10 + 10).map((p) => ({ offerId: offer.id, participantId: p.id, referentEmail: pick(referents), wish: 'Propreté', status: 'PROPOSEE' })) });
    const action = await db.collectiveAction.create({ data: { plieCode: PLIE, kind: 'ATELIER_DECOUVERTE', title: `Atelier ${o}`, at: new Date(Date.now() - o * 86_400_000), durationMinutes: 120, place: 'Antibes', organizerEmail: 'coordination@plie.test', createdBy: 'bench' } });
    await db.collectiveInvitation.createMany({ data: people.slice(o * 10, o * 10 + 10).map((p, i) => ({ actionId: action.id, participantId: p.id, status: i % 2 ? 'PRESENT' : 'ABSENT' })) });
    if (o < 50) {
      const marche = await db.procurement.create({ data: { plieCode: PLIE, externalId: `M-${o}`, buyer: 'CASA', title: `Marché ${o}`, company: `Entreprise ${o}`, sector: 'BTP', plannedHours: 1000, start: toDbDate(addDays(today, -200)), end: toDbDate(addDays(today, 200)), contactEmail: `rh-${o}@exemple.fr`, createdBy: 'bench' } });
      await db.clauseCandidate.createMany({ data: [0, 1, 2, 3].map((n) => ({ procurementId: marche.id, personId: `C${o}-${n}`, eligible: n % 2 === 0, publics: [], reasons: [], proposedBy: 'bench' })) });
    }
  }
  const generated = performance.now() - t0;
  const one = await db.pathway.findFirstOrThrow({ where: { referentEmail: referents[0] } });

  // GET pages only: Temporal is never called, so a lazy connection that never connects will do.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = express();
  app.get('/nu', async (_req, res) => {
    res.type('html').send(`<p>${await db.participant.count({ where: { id: one.participantId } })}</p>`);
  });
  app.use(
    createConsole({
      db,
      temporal,
      taskQueue: 'bench',
      secret: 'secret-du-banc-d-essai-assez-long-pour-hmac',
      served: new Set([PLIE]),
      secureCookies: false,
      plieConfig: () => Promise.resolve(CASA_CONFIG),
      pathwayDeps: () => Promise.reject(new Error('pas d’orientation ici')),
      proofs: createProofStore(path.join(scratch, 'justificatifs'), Buffer.alloc(32, 1).toString('base64')),
      logger,
    }),
  );
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cookieOf = async (email: string) => `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: PLIE, email, method: 'email-link' }, Date.now())}`;
  const coordination = await cookieOf('coordination@plie.test');
  const referent = await cookieOf(referents[0]!);

  const pages: Array<[string, string, string]> = [
    ['Mes tâches (référent·e)', '/taches', referent],
    ['Mes tâches (coordination, retards de l’équipe)', '/taches', coordination],
    ['Parcours (référent·e)', '/parcours', referent],
    ['Parcours (coordination, tout le PLIE)', '/parcours', coordination],
    ['Parcours filtrés (retard, commune)', `/parcours?etape=toutes&retard=1&commune=${encodeURIComponent(communes[0]!)}`, coordination],
    ['Parcours, page 100', '/parcours?etape=toutes&page=100', coordination],
    ['Dossier d’une personne', `/participants/${one.participantId}`, referent],
    ['Bilan (protocole ou année)', '/bilan', coordination],
    ['Orienter (ses orientations)', '/orienter', coordination],
    ['Commission', '/commission', coordination],
    ['Messages non envoyés', '/messages', coordination],
    ['Offres (100)', '/offres', coordination],
    ['Une offre et ses correspondances (10 000 souhaits)', `/offres/${(await db.jobOffer.findFirstOrThrow()).id}`, coordination],
    ['Actions collectives (100)', '/actions-collectives', coordination],
    ['Marchés (50)', '/marches', coordination],
  ];
  const timed = async (url: string, cookie?: string) => {
    const start = performance.now();
    const response = await fetch(`${base}${url}`, { headers: cookie ? { cookie } : {} });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} : ${response.status}`);
    return performance.now() - start;
  };
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]! };
  };
  console.log(`${count} participants, ${count * 3} tâches, ${count * 3} messages, ${count * 10} événements d’audit générés en ${(generated / 1000).toFixed(1)} s ; ${rounds} requêtes par page.`);
  console.log('page | médiane (ms) | 95e centile (ms) | référence nue, médiane (ms) | rapport des médianes');
  const rows: Array<{ page: string; p50Ms: number; p95Ms: number; bareP50Ms: number; ratio: number }> = [];
  for (const [label, url, cookie] of pages) {
    await timed(url, cookie);
    const page: number[] = [];
    const bare: number[] = [];
    // Alternated, so that the machine's load weighs on both alike.
    for (let i = 0; i < rounds; i++) {
      page.push(await timed(url, cookie));
      bare.push(await timed('/nu'));
    }
    const p = stats(page);
    const b = stats(bare);
    console.log(`${label} | ${p.median.toFixed(1)} | ${p.p95.toFixed(1)} | ${b.median.toFixed(1)} | ${(p.median / b.median).toFixed(1)}`);
    rows.push({ page: label, p50Ms: round(p.median), p95Ms: round(p.p95), bareP50Ms: round(b.median), ratio: round(p.median / b.median) });
  }
  // npm run bench reads the figures from this file.
  if (process.env.PLIE_BENCH_JSON) writeFileSync(process.env.PLIE_BENCH_JSON, JSON.stringify({ participants: count, rounds, pages: rows }));
} finally {
  server.close();
  await db.$disconnect();
  await pg.stop();
  rmSync(scratch, { recursive: true, force: true });
}
