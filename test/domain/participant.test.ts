import { describe, expect, it } from 'vitest';
import { fileReference, identityKey, initials, participantInputSchema } from '../../src/domain/participant.ts';

describe('participant input', () => {
  it('normalises what staff type', () => {
    const parsed = participantInputSchema.parse({
      firstName: '  Amina ',
      lastName: 'Durand',
      birthDate: '12/03/1980',
      email: '',
      phone: ' 06 12 34 56 78 ',
    });
    expect(parsed).toEqual({ firstName: 'Amina', lastName: 'Durand', birthDate: '1980-03-12', phone: '06 12 34 56 78' });
  });

  it.each([
    [{}, ['prénom : obligatoire', 'nom : obligatoire', 'date de naissance : obligatoire (JJ/MM/AAAA)']],
    [{ firstName: 'A', lastName: 'B', birthDate: '30/02/1990' }, ['date de naissance : date invalide, attendu JJ/MM/AAAA']],
    [{ firstName: 'A', lastName: 'B', birthDate: '01/01/1990', email: 'a@' }, ['email : adresse invalide']],
    [{ firstName: 'A'.repeat(101), lastName: 'B', birthDate: '01/01/1990' }, ['prénom : 100 caractères au plus']],
  ])('refuses %j with French reasons', (input, problems) => {
    const parsed = participantInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(problems);
  });

  it.each([
    [{ firstName: 'Élodie', lastName: 'Le Gall', birthDate: '1980-01-02' }, { firstName: 'elodie', lastName: 'LE-GALL', birthDate: '1980-01-02' }],
    [{ firstName: 'Jean-Marc', lastName: "N'Diaye", birthDate: '1970-05-06' }, { firstName: 'jean marc', lastName: 'n diaye', birthDate: '1970-05-06' }],
  ])('gives the same identity key to %j and %j', (a, b) => {
    expect(identityKey(a)).toBe(identityKey(b));
  });

  it('tells apart people whose names are written in other alphabets', () => {
    const key = (firstName: string, lastName: string) => identityKey({ firstName, lastName, birthDate: '1990-01-01' });
    expect(key('Иван', 'Петров')).not.toBe(key('Ольга', 'Смирнова'));
    expect(key('Иван', 'Петров')).toBe(key('иван', 'ПЕТРОВ'));
  });

  it('tells apart people born on different days', () => {
    expect(identityKey({ firstName: 'A', lastName: 'B', birthDate: '1980-01-02' })).not.toBe(
      identityKey({ firstName: 'A', lastName: 'B', birthDate: '1980-01-03' }),
    );
  });

  it('shows staff initials and a short reference, never the name', () => {
    expect(initials('élodie', 'le gall')).toBe('É. L.');
    expect(fileReference('7716d7ea-7dc3-4bea-9d6f-d8fb7b3e9c9d')).toBe('7716D7EA');
  });
});
