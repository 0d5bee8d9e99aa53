import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createLogger } from '../../src/logging.ts';
import { withoutPersonalData, withoutPersonalDataInError } from '../../src/privacy/scrub.ts';
import { cleanActivityFailures, isPermanentDatabaseError, RECORD_IMPOSSIBLE } from '../../src/temporal/activity-failures.ts';

describe('error texts without personal data', () => {
  it.each([
    ['an SMTP refusal quoting the recipient', '550 5.1.1 <nadia.haddad@exemple.fr>: Recipient address rejected', '550 5.1.1 <[adresse]>: Recipient address rejected'],
    ['two addresses', "Can't send mail - all recipients were rejected: a.b+c@x.fr, d_e@sous.domaine.org", "Can't send mail - all recipients were rejected: [adresse], [adresse]"],
    ['a phone number with spaces', 'numéro 06 12 34 56 78 invalide', 'numéro [téléphone] invalide'],
    ['a phone number in one block', 'numéro 0612345678 invalide', 'numéro [téléphone] invalide'],
    ['an international number', 'numéro +33 6 12 34 56 78 invalide', 'numéro [téléphone] invalide'],
    ['a reply code and a port, which are no phone', '421 4.7.0 Try again later (port 587)', '421 4.7.0 Try again later (port 587)'],
    ['a Slack error', 'An API error occurred: user_not_found', 'An API error occurred: user_not_found'],
  ])('%s', (_label, text, expected) => {
    expect(withoutPersonalData(text)).toBe(expected);
  });

  it('masks the names the caller knows, whatever their case, not short ones', () => {
    expect(withoutPersonalData('Unique constraint failed for Nadia HADDAD (Al)', ['Nadia', 'Haddad', 'Al', null])).toBe('Unique constraint failed for [nom] [nom] (Al)');
  });
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('la requête devait échouer');
}

describe('errors and log lines without personal data', () => {
  let db: Db;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it('keeps of a database error what it is about, never the values of its query', async () => {
    const secret = `Zoé-${randomBytes(3).toString('hex')}`;
    const invalid = await failureOf(db.participant.create({ data: { firstName: secret, lastName: secret } as never }));
    expect(invalid.message).toContain(secret);
    const cleaned = withoutPersonalDataInError(invalid);
    expect(cleaned).toBe(invalid);
    expect(cleaned.name).toBe('PrismaClientValidationError');
    expect(cleaned.message).toMatch(/^base de données — db\.participant\.create\(\) : Argument `\w+` is missing\.$/);
    expect(cleaned.stack).not.toContain(secret);

    const email = `doublon.${randomBytes(3).toString('hex')}@plie.test`;
    await db.staff.create({ data: { plieCode: 'CASA', email, name: secret, roles: ['REFERENT'] } });
    const duplicate = await failureOf(db.staff.create({ data: { plieCode: 'CASA', email, name: secret, roles: ['REFERENT'] } }));
    expect(withoutPersonalDataInError(duplicate).message).toBe('base de données — db.staff.create() : erreur P2002 (Staff)');
  });

  it('lets no activity failure out of the worker with a query’s values', async () => {
    const secret = `Zoé-${randomBytes(3).toString('hex')}`;
    const { inbound } = cleanActivityFailures({} as never);
    const failing = () => db.participant.create({ data: { firstName: secret } as never });
    const failure = await failureOf(inbound!.execute!({ args: [], headers: {} }, failing));
    // A query the client refuses will be refused again: typed so, for the callers that stop retrying it.
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: RECORD_IMPOSSIBLE, nonRetryable: false });
    expect(failure.message).toMatch(/^base de données — db\.participant\.create\(\) : Argument `\w+` is missing\.$/);
    expect(`${failure.message}\n${failure.stack}`).not.toContain(secret);
    await expect(inbound!.execute!({ args: [], headers: {} }, () => Promise.resolve('fait'))).resolves.toBe('fait');
  });

  it('masks what a server quoted, keeping the error what it was', () => {
    const refusal = ApplicationFailure.nonRetryable('550 <zoe@exemple.fr> : boîte inconnue', 'SmtpRefusal');
    const cleaned = withoutPersonalDataInError(refusal);
    expect(cleaned).toBe(refusal);
    expect(cleaned).toMatchObject({ message: '550 <[adresse]> : boîte inconnue', nonRetryable: true, type: 'SmtpRefusal' });
    expect(cleaned.stack).not.toContain('zoe@');
    expect(withoutPersonalDataInError('not an error')).toBe('not an error');
    const wrapped = new Error('envoi impossible', { cause: new Error('550 <zoe@exemple.fr>') });
    expect((withoutPersonalDataInError(wrapped).cause as Error).message).toBe('550 <[adresse]>');
  });

  it('logs no address, phone or query value, wherever it is in the line', () => {
    const lines: string[] = [];
    const logger = createLogger('info', 'test', false, { write: (line: string) => void lines.push(line) });
    logger.warn({ err: new Error('refusé pour <zoe@exemple.fr>'), to: 'zoe@exemple.fr', nested: { phone: 'au 06 12 34 56 78' } }, 'échec pour zoe@exemple.fr');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('zoe@');
    expect(lines[0]).not.toContain('06 12');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'échec pour [adresse]', err: { message: 'refusé pour <[adresse]>' }, to: '[adresse]', nested: { phone: 'au [téléphone]' } });
  });
});

describe('database errors that no retry mends', () => {
  let db: Db;
  let away: Db;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
    // A server that is not there: the error of a database down.
    away = createDb('postgresql://plie:plie@127.0.0.1:1/plie');
  });
  afterAll(async () => {
    await db.$disconnect();
    await away.$disconnect();
  });

  const missing = randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  it.each([
    ['a row to update that is not there (P2025)', () => db.workContract.update({ where: { id: missing }, data: { endReason: 'x' } }), true],
    ['a reference to a row that is not there (P2003)', () => db.workContract.create({ data: { participantId: missing, type: 'CDI', start: new Date(), weeklyHours: 35 } as never }), true],
    ['a query the client refuses (validation)', () => db.participant.create({ data: { firstName: 'x' } as never }), true],
    ['a unique key taken (P2002): a concurrent write, its retry finds the row', async () => {
      const email = `doublon.${randomBytes(3).toString('hex')}@plie.test`;
      await db.staff.create({ data: { plieCode: 'CASA', email, name: 'x', roles: ['REFERENT'] } });
      await db.staff.create({ data: { plieCode: 'CASA', email, name: 'x', roles: ['REFERENT'] } });
    }, false],
    ['the database away', () => away.participant.count(), false],
    ['any other error', () => Promise.reject(new Error('ECONNRESET')), false],
  ] as const)('%s: permanent %s', async (_label, query, permanent) => {
    const error = await failureOf(query());
    expect(isPermanentDatabaseError(error)).toBe(permanent);
    const { inbound } = cleanActivityFailures({} as never);
    const failure = await failureOf(inbound!.execute!({ args: [], headers: {} }, () => Promise.reject(error)));
    expect(failure instanceof ApplicationFailure && failure.type === RECORD_IMPOSSIBLE).toBe(permanent);
  });
});
