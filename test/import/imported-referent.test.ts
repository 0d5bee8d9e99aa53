import { describe, expect, it } from 'vitest';
import { importedReferent } from '../../src/import/imported-referent.ts';

const referents = [
  { email: 'Helene.Baptiste@plie.test', name: 'Hélène Baptiste' },
  { email: 'nicolas.ferri@plie.test', name: 'Nicolas Ferri' },
  { email: 'n.ferri@plie.test', name: 'Nicolas Ferri' },
  { email: 'sophie@plie.test', name: 'Sophie Lambert' },
];

describe('the referent of an imported pathway', () => {
  it.each([
    ['a staff address, whatever its case', 'helene.baptiste@PLIE.test', 'helene.baptiste@plie.test'],
    ['a name matching one referent', 'Hélène Baptiste', 'helene.baptiste@plie.test'],
    ['a name with other spaces and case', '  sophie   LAMBERT ', 'sophie@plie.test'],
    ['a name two referents share: the coordination decides', 'Nicolas Ferri', null],
    ['a name no one holds', 'Claire Durand', null],
    ['a part of a name only', 'Sophie', null],
    ['an address outside the roster', 'quelquun@ailleurs.fr', null],
    ['an empty column', '  ', null],
    ['no column', null, null],
  ])('%s', (_case, column, expected) => {
    expect(importedReferent(column, referents)).toBe(expected);
  });
});
