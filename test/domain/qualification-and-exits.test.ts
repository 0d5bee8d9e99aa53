import { describe, expect, it } from 'vitest';
import { describeExit } from '../../src/domain/exit-types.ts';
import { isLowQualification, parseQualificationLevel } from '../../src/domain/qualification.ts';

describe('qualification levels', () => {
  it.each([
    ['VI', 1],
    ['V bis', 2],
    ['Vbis', 2],
    ['V', 3],
    ['niveau IV', 4],
    ['III', 5],
    ['II', 6],
    ['I', 7],
    ['3', 3],
    ['8', 8],
    [' niveau 5 ', 5],
  ])('reads « %s » as level %i', (text, level) => {
    expect(parseQualificationLevel(text)).toBe(level);
  });

  it.each(['0', '9', 'VII', 'bac', ''])('does not guess « %s »', (text) => {
    expect(parseQualificationLevel(text)).toBeUndefined();
  });

  it('« niveau V ou infra » is level 3 or below', () => {
    expect([1, 2, 3, 4].map((l) => isLowQualification(l as 1 | 2 | 3 | 4))).toEqual([true, true, true, false]);
  });
});

describe('exit typology', () => {
  it.each([
    [{ type: 'POSITIVE', positiveKind: 'EMPLOI', cdi: true, proofsComplete: true }, [], false],
    [{ type: 'POSITIVE', positiveKind: 'FORMATION', cdi: false, proofsComplete: false }, [], true],
    [{ type: 'POSITIVE', positiveKind: null, cdi: false, proofsComplete: true }, ['sortie positive : préciser emploi, création d’entreprise ou formation'], false],
    [{ type: 'ABANDON', positiveKind: 'EMPLOI', cdi: false, proofsComplete: true }, ['seule une sortie positive a un type emploi / création / formation'], false],
    [{ type: 'POSITIVE', positiveKind: 'CREATION', cdi: true, proofsComplete: true }, ['CDI : seulement pour une sortie positive en emploi'], false],
    [{ type: 'ADMINISTRATIVE', positiveKind: null, cdi: false, proofsComplete: false }, [], false],
  ] as const)('%j', (exit, problems, missingProofs) => {
    expect(describeExit(exit)).toEqual({ problems, missingProofs });
  });
});
