/**
 * Fuzzing the web console's forms (src/web/console) as a signed-in coordinator posts them — the
 * session's cookie, the form's anti-forgery token, urlencoded bodies — with hostile fields in every
 * form that writes: a referral, a rectification, each fact of a pathway, a task's answer, an
 * erasure's reason, a job offer, the sign-in address; and hostile envelopes (too many fields, a
 * charset other than UTF-8, no anti-forgery token). Every answer is below 500, every refusal is a
 * French page, the PLIE's rows are the same after every refused form, the process keeps serving.
 * Temporal is not needed: nothing hostile reaches a workflow (its client never connects).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { toDbDate } from '../../src/db/dates.ts';
import { parisDate } from '../../src/domain/dates.ts';
import { CASA_CONFIG } from '../../src/domain/plie-config.ts';
import { ACTION_FORMS } from '../../src/forms/action-forms.ts';
import { ERASURE_FORM } from '../../src/forms/erasure-form.ts';
import type { Field, FormSpec } from '../../src/forms/fields.ts';
import { OFFER_FORM } from '../../src/forms/offer-form.ts';
import { RECTIFICATION_FORM, REFERRAL_FORM } from '../../src/forms/referral-form.ts';
import { taskForm } from '../../src/forms/task-forms.ts';
import { createLogger } from '../../src/logging.ts';
import { runWeb, type RunningWeb } from '../../src/main/run-web.ts';
import { registerPlie } from '../../src/plies/registry.ts';
import { openSession, sessionCookieName } from '../../src/web/console/sessions.ts';
import { testConfig, uniqueQueue } from '../helpers/settings.ts';
import { checksum, controlText, expectFrench, implausibleBirthDate, implausibleFactDate, malformedDate, twoLines, watchCrashes } from './hostile.ts';

const run = randomBytes(3).toString('hex').toUpperCase();
const PLIE = `FUZZWEB_${run}`;
const coordinator = `coordination.web.${run.toLowerCase()}@plie.test`;
const today = parisDate(Date.now());
const participantId = randomUUID();
const pathwayId = `parcours-${participantId}`;
const taskId = `${pathwayId}/diagnostic_decision/fuzz`;
let db: Db;
let web: RunningWeb;
let cookie: string;
let csrf: string;
const crashes = watchCrashes();
let hostileFields = 0;

beforeAll(async () => {
  db = createDb(inject('databaseUrl'));
  await registerPlie(db, { ...CASA_CONFIG, code: PLIE, name: `PLIE console ${run}` });
  await db.staff.create({ data: { plieCode: PLIE, email: coordinator, name: 'Coordination Console', roles: ['COORDINATEUR'] } });
  // A participant in the active pathway, with a diagnostic to answer: rows as the workflow's activities write them.
  await db.participant.create({ data: { id: participantId, plieCode: PLIE, firstName: 'Inès', lastName: `Console${run}`, identityKey: `console|${participantId}`, birthDate: toDbDate('1985-03-14'), createdBy: coordinator } });
  await db.pathway.create({ data: { id: pathwayId, participantId, stage: 'active', referentEmail: coordinator } });
  await db.task.create({ data: { id: taskId, pathwayId, kind: 'diagnostic_decision', assigneeEmail: coordinator, status: 'open', dueDate: new Date(), openedAt: new Date() } });
  // Never connected: whatever reaches Temporal would fail, and nothing hostile may.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const config = testConfig({ PLIE_API_TOKENS: `${PLIE}:jeton-console-fuzz-${run}`, TEMPORAL_TASK_QUEUE: uniqueQueue('fuzz-console'), PLIE_COORDINATOR_EMAIL: coordinator });
  web = await runWeb({ config, db, temporal, apiToken: `jeton-api-console-${run}`, links: { linkSecret: randomBytes(24).toString('base64'), fileKey: randomBytes(32).toString('base64') }, logger: createLogger('silent'), port: 0 });
  cookie = `${sessionCookieName({ secure: false })}=${await openSession(db, { plieCode: PLIE, email: coordinator, method: 'email-link' }, Date.now())}`;
  const form = await post('GET', '/orienter/nouvelle');
  csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
});

afterAll(async () => {
  crashes.stop();
  await web?.close();
  await db?.$disconnect();
});

async function post(method: string, path: string, body?: string, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${web.url}${path}`, { method, headers: { cookie, ...(body !== undefined ? { 'content-type': contentType } : {}) }, body, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
/** What a page says to the person: its alerts and the errors next to its fields. */
function said(page: string) {
  const fieldErrors = new Map([...page.matchAll(/id="champ-([^"]+)-erreur" class="fr-error-text">([^<]*)<\/p>/g)].map((m) => [m[1]!, unescape(m[2]!)]));
  const alerts = [...page.matchAll(/<h2 class="fr-alert__title">([^<]*)<\/h2>(?:<p>([^<]*)<\/p>)?/g)].flatMap((m) => [m[1]!, m[2]].filter((t): t is string => t !== undefined).map(unescape));
  return { fieldErrors, alerts };
}

/** A valid value of each field, so that the hostile ones are what is refused. */
function validValue(field: Field): string | string[] {
  if (field.id === 'birthDate') return '14/03/1985';
  if (field.id === 'time') return '14:30';
  if (field.id === 'email') return 'ines.durand@exemple.test';
  if (field.id === 'postalCode') return '06600';
  if (field.options) return field.kind === 'multiselect' ? [field.options[0]!.value] : (field.options[0]?.value ?? 'oui');
  if (field.kind === 'date') return today;
  if (field.kind === 'number') return '10';
  return field.kind === 'textarea' ? 'Un motif valable\r\nsur deux lignes' : 'Texte valable';
}

/**
 * A hostile value for a field, refused by the form whatever the others say: what no one types, a
 * line break in a one-line field, an option not offered, a number that is none, a date no one lives.
 * `checked`: refused by the form's own reading, so that the page names this very field.
 */
function hostileValue(field: Field): fc.Arbitrary<{ value: string | string[]; named: boolean }> {
  const named = (a: fc.Arbitrary<string | string[]>) => a.map((value) => ({ value, named: true }));
  const bySchema = (a: fc.Arbitrary<string>) => a.map((value) => ({ value, named: false }));
  const always = [named(controlText)];
  if (field.kind !== 'textarea') always.push(named(twoLines));
  if (field.kind === 'select') return fc.oneof(...always, named(fc.constantFrom('inconnu', 'OUI', ' oui')));
  if (field.kind === 'multiselect') return fc.oneof(named(fc.array(controlText, { minLength: 1, maxLength: 3 })), named(fc.constant(['inconnu'])));
  if (field.kind === 'number') return fc.oneof(...always, named(fc.constantFrom('beaucoup', '1e999', '12 heures', 'NaN')));
  if (field.kind === 'date') {
    const dates = field.id === 'birthDate' ? implausibleBirthDate(today) : field.id === 'orientationDate' || field.id === 'startDate' ? fc.constant('31/02/2023') : implausibleFactDate(today);
    return fc.oneof(...always, bySchema(malformedDate), bySchema(dates));
  }
  return fc.oneof(...always);
}

interface Posted {
  path: string;
  fields: Record<string, string | string[]>;
  /** The fields whose own error the page must show. */
  named: string[];
  hostile: number;
}

/**
 * A form posted with its valid values and `least` or more of its fields hostile (4 by default, all of
 * them when it has fewer): many hostile fields per page, since each page costs a request.
 */
function hostileForm(path: string, form: FormSpec, opts: { always?: string; least?: number } = {}): fc.Arbitrary<Posted> {
  const fields = form.fields;
  const always = fields.filter((f) => f.id === opts.always);
  const others = fields.filter((f) => f.id !== opts.always);
  return fc
    .shuffledSubarray(others, { minLength: Math.max(0, Math.min(opts.least ?? 4, others.length) - always.length) })
    .map((chosen) => [...always, ...chosen])
    .filter((chosen) => chosen.length > 0)
    .chain((chosen) => fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map(hostileValue))))
    .map(([chosen, values]) => ({
      path,
      fields: { ...Object.fromEntries(fields.map((f) => [f.id, validValue(f)])), ...Object.fromEntries(chosen.map((f, i) => [f.id, values[i]!.value])) },
      named: chosen.filter((_, i) => values[i]!.named).map((f) => f.id),
      hostile: chosen.length,
    }));
}

const urlencoded = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams({ _csrf: csrf });
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
};

/** Posts a hostile form: refused (400), each field it names in French, nothing else said in English. */
async function refusedForm(posted: Posted): Promise<void> {
  const page = await post('POST', posted.path, urlencoded(posted.fields));
  expect(page.status, `${posted.path} ${JSON.stringify(posted.fields)}`).toBe(400);
  const { fieldErrors, alerts } = said(page.text);
  expect(fieldErrors.size + alerts.length).toBeGreaterThan(0);
  for (const id of posted.named) expect(fieldErrors.has(id), `${id} : ${JSON.stringify([...fieldErrors])}`).toBe(true);
  for (const message of [...fieldErrors.values(), ...alerts]) expectFrench(message);
  hostileFields += posted.hostile;
}

const actionForms = Object.entries(ACTION_FORMS).filter(([, form]) => form.fields.length > 0);
// The referral's and the rectification's pages carry the most fields; a pathway's facts cost the most queries each.
const forms: fc.Arbitrary<Posted> = fc.oneof(
  { arbitrary: hostileForm('/orienter', REFERRAL_FORM, { least: 18 }), weight: 8 },
  { arbitrary: hostileForm('/orienter/enregistrer', REFERRAL_FORM, { least: 18 }), weight: 4 },
  { arbitrary: hostileForm(`/participants/${participantId}/rectifier`, RECTIFICATION_FORM, { least: 18 }), weight: 8 },
  { arbitrary: fc.oneof(...actionForms.map(([name, form]) => hostileForm(`/participants/${participantId}/action?fait=${name}`, form))), weight: 6 },
  // Never a valid erasure: its reason is always hostile (it would erase the person).
  { arbitrary: hostileForm(`/participants/${participantId}/effacer`, ERASURE_FORM, { always: 'reason' }), weight: 1 },
  { arbitrary: hostileForm(`/taches/${encodeURIComponent(taskId)}`, taskForm('diagnostic_decision')), weight: 3 },
  { arbitrary: hostileForm('/offres', OFFER_FORM), weight: 3 },
);

/** Envelopes the parsers or the console refuse before any form is read. */
const envelopes: fc.Arbitrary<{ path: string; body: string; contentType?: string; status: number }> = fc.oneof(
  fc.integer({ min: 101, max: 300 }).map((n) => ({ path: '/orienter', body: `_csrf=${csrf}&${Array.from({ length: n }, (_, i) => `f${i}=x`).join('&')}`, status: 413 })),
  fc.constantFrom('utf-16', 'ebcdic', 'shift_jis').map((charset) => ({ path: '/orienter', body: `_csrf=${csrf}&lastName=x`, contentType: `application/x-www-form-urlencoded; charset=${charset}`, status: 415 })),
  fc.oneof(controlText, fc.constant('pas-un-jeton')).map((token) => ({ path: '/orienter', body: new URLSearchParams({ _csrf: token, lastName: 'Durand' }).toString(), status: 403 })),
  fc.oneof(controlText, fc.constantFrom('pas-une-adresse', 'a@', 'a b@c.fr')).map((email) => ({ path: '/connexion', body: new URLSearchParams({ _csrf: csrf, email }).toString(), status: 400 })),
);

const AT_ONCE = 4;

describe('the web console’s forms, fuzzed', () => {
  it('refuses hostile fields of every form, in French, next to the field, writing nothing', async () => {
    const before = await checksum(db, PLIE, [coordinator]);
    await fc.assert(
      fc.asyncProperty(fc.array(forms, { minLength: AT_ONCE, maxLength: AT_ONCE }), async (batch) => {
        await Promise.all(batch.map(refusedForm));
      }),
      { numRuns: 800 / AT_ONCE },
    );
    expect(await checksum(db, PLIE, [coordinator])).toBe(before);
    // A margin for a machine busy with other runs: alone, a fraction of it.
  }, 180_000);

  it('refuses hostile envelopes with a French page, writing nothing', async () => {
    const before = await checksum(db, PLIE, [coordinator]);
    await fc.assert(
      fc.asyncProperty(envelopes, async (envelope) => {
        const page = await post('POST', envelope.path, envelope.body, envelope.contentType);
        expect(page.status).toBe(envelope.status);
        const { fieldErrors, alerts } = said(page.text);
        expect(alerts.length).toBeGreaterThan(0);
        for (const message of [...fieldErrors.values(), ...alerts]) expectFrench(message);
        hostileFields += 1;
      }),
      { numRuns: 150 },
    );
    expect(await checksum(db, PLIE, [coordinator])).toBe(before);
  });

  it('reads a valid referral to its pre-check (no write), after 10,000 hostile fields and more, with no unhandled rejection', async () => {
    console.log('console : champs hostiles', hostileFields);
    expect(hostileFields).toBeGreaterThanOrEqual(10_000);
    const before = await checksum(db, PLIE, [coordinator]);
    const checked = await post('POST', '/orienter', urlencoded({ lastName: 'Lefèvre-N’Diaye', firstName: 'Zoë', birthDate: '21/06/1968', commune: 'Antibes' }));
    expect(checked.status).toBe(200);
    expect(checked.text).toContain('Pré-contrôle d’éligibilité');
    expect(await checksum(db, PLIE, [coordinator])).toBe(before);
    expect(crashes.seen).toEqual([]);
  });
});
