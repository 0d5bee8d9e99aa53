/** A contract's nature, as the `contractSigned` action takes it (API, CLI, Slack): today's keys, plus the SIAE's kind. */
import { describe, expect, it } from 'vitest';
import { contractSchema } from '../../src/domain/pathway-actions.ts';

const contract = { type: 'CDDI', start: '01/12/2026', end: '31/05/2027', weeklyHours: 26 };

describe('the nature of a contract', () => {
  it.each([
    ['nothing said: an ordinary market job', {}, { iae: false, aided: false, marketSector: true, insertionCompany: false }],
    ['iae without a structure, as before', { iae: true }, { iae: true, insertionCompany: false }],
    ['in an ACI', { iaeStructure: 'ACI' }, { iae: true, iaeStructure: 'ACI', insertionCompany: false }],
    ['in an ETTI', { iaeStructure: 'ETTI' }, { iae: true, iaeStructure: 'ETTI', insertionCompany: false }],
    ['in an EI: an insertion company', { iaeStructure: 'EI' }, { iae: true, iaeStructure: 'EI', insertionCompany: true }],
    ['aided, non-market', { aided: true, marketSector: false }, { iae: false, aided: true, marketSector: false }],
  ])('%s', (_label, nature, expected) => {
    expect(contractSchema.parse({ ...contract, ...nature })).toMatchObject(expected);
  });

  it('refuses a structure it does not know, in French', () => {
    expect(contractSchema.safeParse({ ...contract, iaeStructure: 'GEIQ' }).error?.issues.map((i) => i.message)).toEqual(['structure d’insertion : ACI, EI, ETTI, AI attendu']);
  });

  it('leaves a contract without a structure as it was (recorded histories read the same)', () => {
    expect(Object.keys(contractSchema.parse(contract))).not.toContain('iaeStructure');
  });
});
