/**
 * The whole `npm start` (embedded PostgreSQL, Temporal dev server, MailDev, worker and web in one
 * process group) killed -9 while referrals arrive through its API, then started again on the same
 * data folder. A client whose request got no answer sends it again, as a partner's software would.
 * Then every person referred must be there once, with one pathway whose workflow runs and answers,
 * one task « désigner le ou la référent·e », its email sent once (by Message-ID, in MailDev's
 * folder, which survives the restart), and the pathway must go on to the diagnostic.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../../src/db/client.ts';
import { freePort } from '../../src/infra/ports.ts';
import { projectRoot } from '../../src/infra/project.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import type { Finding } from './checks.ts';
import type { Rng } from './rng.ts';

export interface NpmStartResults {
  referrals: number;
  /** Referrals answered 201 before the kill. */
  answeredBeforeKill: number;
  /** Referrals sent again after the restart (no answer, or an error, before the kill). */
  sentAgain: number;
  /** Of those, how many the system had recorded before the kill (answered 409: the same person). */
  recordedBeforeKill: number;
  /** Designations whose reply was lost (none within 15 s) though the pathway took them: the next try was refused, the stage moved on. */
  answersTakenUnseen: number;
  startSeconds: number;
  restartSeconds: number;
  findings: {
    lost: Finding[];
    duplicated: Finding[];
    stuck: Finding[];
    emailsDuplicated: Finding[];
    emailsResentSameId: Finding[];
    undelivered: Finding[];
  };
}

const BANNER = 'tout est démarré';
const WAIT_MS = 90_000;
const REFERENT = 'referente.redemarrage@chaos.test';

interface Started {
  child: ChildProcess;
  output: () => string;
  app: string;
  mail: string;
  /** When it was killed -9 (wall clock), 0 while it runs. */
  killedAt: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `get` until it returns something other than undefined, or the deadline passes (undefined then). */
async function until<T>(get: () => Promise<T | undefined>, ms = WAIT_MS): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await get().catch(() => undefined);
    if (value !== undefined) return value;
    await pause(250);
  }
  return undefined;
}

export async function npmStartCrash(opts: { referrals: number; rng: Rng; runTag: string; print: (line: string) => void }): Promise<NpmStartResults> {
  const dataDir = makeScratchDir('plie-chaos-start-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    LOG_LEVEL: 'warn',
    PLIE_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    PLIE_DEV_POSTGRES_PORT: String(await freePort()),
    PLIE_DEV_TEMPORAL_PORT: String(await freePort()),
    PLIE_DEV_TEMPORAL_UI_PORT: String(await freePort()),
    PLIE_DEV_SMTP_PORT: String(await freePort()),
    PLIE_DEV_MAIL_UI_PORT: String(await freePort()),
  };
  let current: Started | null = null;
  try {
    const t0 = Date.now();
    current = await npmStart(env);
    const startSeconds = (Date.now() - t0) / 1000;
    const plie = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'plie.js'), 'staff', 'add', '--email', REFERENT, '--nom', 'Référente Redémarrage', '--roles', 'REFERENT'], { cwd: projectRoot, env, encoding: 'utf8' });
    if (plie.status !== 0) throw new Error(`plie staff add : ${plie.stderr || plie.stdout}`);
    const { apiToken } = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { apiToken: string };
    const post = async (app: string, route: string, body: unknown) => {
      const response = await fetch(`${app}/api${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const referrals = Array.from({ length: opts.referrals }, (_, i) => ({
      firstName: `Relance${i}`,
      lastName: `Redemarrage-${opts.runTag}`,
      birthDate: `${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/198${i % 10}`,
      email: `relance${i}@participants.chaos.test`,
    }));

    // The referrals, one every 200 ms; the kill -9 of the whole group comes once some are answered,
    // others under way or not sent yet.
    const answers: Array<string | null> = referrals.map(() => null);
    const killAt = opts.rng.int(1, Math.max(1, referrals.length - 2));
    const app = current.app;
    let answered!: () => void;
    const enough = new Promise<void>((resolve) => (answered = resolve));
    const sending = referrals.map(async (referral, i) => {
      await pause(i * 200);
      const answer = await post(app, '/participants', referral).catch(() => null);
      if (answer?.status === 201) answers[i] = String(answer.body.participantId);
      if (answers.filter((a) => a !== null).length >= killAt) answered();
    });
    await Promise.race([enough, Promise.all(sending)]);
    const victim = current;
    current = null;
    await killGroup(victim);
    await Promise.all(sending);
    const answeredBeforeKill = answers.filter((a) => a !== null).length;
    opts.print(`  npm start : ${answeredBeforeKill} orientations sur ${referrals.length} acceptées avant le kill -9`);

    const t1 = Date.now();
    current = await npmStart(env);
    const restartSeconds = (Date.now() - t1) / 1000;
    const db = createDb((JSON.parse(readFileSync(path.join(dataDir, 'runtime.json'), 'utf8')) as { databaseUrl: string }).databaseUrl);
    const findings: NpmStartResults['findings'] = { lost: [], duplicated: [], stuck: [], emailsDuplicated: [], emailsResentSameId: [], undelivered: [] };
    try {
      // The client sends again what got no answer: created meanwhile (409, the same person), or created now.
      let sentAgain = 0;
      let recordedBeforeKill = 0;
      for (const [i, referral] of referrals.entries()) {
        if (answers[i]) continue;
        sentAgain += 1;
        answers[i] =
          (await until(async () => {
            const answer = await post(current!.app, '/participants', referral);
            if (answer.status === 409) recordedBeforeKill += 1;
            if (answer.status === 201 || answer.status === 409) return String(answer.body.participantId);
            return undefined;
          })) ?? null;
        if (!answers[i]) findings.lost.push({ about: `orientation ${i}`, what: 'toujours refusée après le redémarrage' });
      }

      for (const [i, referral] of referrals.entries()) {
        const people = await db.participant.findMany({ where: { firstName: referral.firstName, lastName: referral.lastName }, select: { id: true } });
        if (people.length === 0) findings.lost.push({ about: `orientation ${i}`, what: 'aucune personne enregistrée' });
        if (people.length > 1) findings.duplicated.push({ about: `orientation ${i}`, what: `${people.length} personnes enregistrées` });
      }
      const ids = answers.filter((a): a is string => a !== null);
      let answersTakenUnseen = 0;
      const headers = { authorization: `Bearer ${apiToken}` };
      const stageOf = async (id: string) => {
        const response = await fetch(`${current!.app}/api/participants/${id}/parcours`, { headers, signal: AbortSignal.timeout(10_000) });
        return response.status === 200 ? ((await response.json()) as { stage: string }).stage : undefined;
      };
      for (const id of ids) {
        // Its workflow answers, at orientation, with exactly one task to designate the referent.
        const task = await until(async () => {
          if ((await stageOf(id)) !== 'orientation') return undefined;
          const tasks = await db.task.findMany({ where: { pathway: { participantId: id }, kind: 'assign_referent' } });
          return tasks.length > 0 ? tasks : undefined;
        });
        if (!task) {
          findings.stuck.push({ about: id, what: 'pas de parcours à l’orientation avec sa tâche après le redémarrage' });
          continue;
        }
        if (task.length > 1) findings.duplicated.push({ about: id, what: `${task.length} tâches « désigner le ou la référent·e »` });
        // As the coordination does: a person the rules find not eligible is taken with a reason.
        const eligibility = (await db.participant.findUniqueOrThrow({ where: { id }, select: { eligibility: true } })).eligibility as { decision?: string } | null;
        const designation = { referentEmail: REFERENT, ...(eligibility?.decision === 'not_eligible' ? { eligibilityJustification: 'Situation vue avec la personne' } : {}) };
        // What each try got, for the finding: an answer lost (no reply within 15 s) may have been
        // taken, and the next tries are then refused as the task is closed: the stage says so.
        const tries: string[] = [];
        let unanswered = false;
        const answer = await until(async () => {
          const r = await post(current!.app, `/participants/${id}/reponses`, { taskId: task[0]!.id, answer: designation }).catch((error: unknown) => {
            tries.push(`sans réponse (${(error as Error).name})`);
            unanswered = true;
            return null;
          });
          if (!r) return undefined;
          if (r.status === 200) return r;
          tries.push(`HTTP ${r.status} ${typeof r.body.erreur === 'string' ? r.body.erreur : ''}`);
          if (r.status === 422 && unanswered && (await stageOf(id)) === 'diagnostic') {
            answersTakenUnseen += 1;
            return r;
          }
          return undefined;
        });
        const next = answer && (await until(async () => ((await stageOf(id)) === 'diagnostic' ? true : undefined)));
        if (!next) findings.stuck.push({ about: id, what: `la désignation du ou de la référent·e n’a pas mené au diagnostic (${[...new Set(tries)].join(' ; ') || 'acceptée'})` });
      }

      // Every message recorded is sent (the kill interrupted some), and MailDev holds each Message-ID once.
      const messages =
        (await until(async () => {
          const rows = await db.message.findMany({ where: { channel: 'email' } });
          return rows.every((m) => m.status === 'sent') ? rows : undefined;
        }, 120_000)) ?? (await db.message.findMany({ where: { channel: 'email' } }));
      for (const m of messages) if (m.status !== 'sent') findings.undelivered.push({ about: m.idempotencyKey, what: `email ${m.template} : ${m.status}` });
      const inbox = ((await (await fetch(`${current.mail}/api/email`)).json()) as Array<{ time: string; headers: Record<string, string> }>).map((m) => ({ messageId: m.headers['message-id'] ?? '', at: Date.parse(m.time) }));
      const copies = new Map<string, number>();
      for (const mail of inbox) copies.set(mail.messageId, (copies.get(mail.messageId) ?? 0) + 1);
      for (const [id, n] of copies) {
        if (n < 2) continue;
        // A copy sent again after the kill (accepted by MailDev, not yet recorded as sent): the same Message-ID.
        const dates = inbox.filter((m) => m.messageId === id).map((m) => m.at);
        const around = Math.min(...dates) <= victim.killedAt && Math.max(...dates) >= victim.killedAt;
        (around ? findings.emailsResentSameId : findings.emailsDuplicated).push({ about: id, what: `reçu ${n} fois` });
      }
      await ctrlC(current);
      current = null;
      return { referrals: referrals.length, answeredBeforeKill, sentAgain, recordedBeforeKill, answersTakenUnseen, startSeconds, restartSeconds, findings };
    } finally {
      await db.$disconnect();
    }
  } finally {
    if (current) await ctrlC(current);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `npm start` in a process group of its own (as a terminal runs it), until its banner is printed. */
async function npmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start : pas démarré en ${WAIT_MS / 1000} s :\n${output.slice(-2000)}`)), WAIT_MS);
    child.stdout.on('data', () => {
      if (output.includes(BANNER)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start s’est arrêté (code ${code}) :\n${output.slice(-2000)}`));
    });
  }).catch(async (error: unknown) => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    throw error;
  });
  const url = (label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(output)?.[1] ?? '';
  return { child, output: () => output, app: url('Application'), mail: url('Emails envoyés'), killedAt: 0 };
}

/** kill -9 of every process of the group (npm, node, PostgreSQL, Temporal). */
async function killGroup(started: Started): Promise<void> {
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  started.killedAt = Date.now();
  process.kill(-started.child.pid!, 'SIGKILL');
  await exited;
  // The group's other members die with it; wait until none is left (PostgreSQL's port, Temporal's file).
  await until(async () => {
    try {
      process.kill(-started.child.pid!, 0);
      return undefined;
    } catch {
      return true;
    }
  }, 15_000);
}

/** Ctrl-C to the group (as a terminal sends it); kill -9 if it has not stopped in a minute. Resolves once npm has exited. */
export async function ctrlC(started: { child: ChildProcess }): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  process.kill(-started.child.pid!, 'SIGINT');
  const killer = setTimeout(() => process.kill(-started.child.pid!, 'SIGKILL'), 60_000);
  await exited;
  clearTimeout(killer);
}
