import { describe, expect, it } from 'vitest';
import { isFinalPlacement, isMiseEnRelation, nextPlacementStatus, placementDecisionsFrom, type PlacementDecision, type PlacementStatus } from '../../src/domain/placements.ts';

describe('a mise en relation, from the proposal to its outcome', () => {
  it.each<[PlacementStatus, PlacementDecision, PlacementStatus | null]>([
    ['A_PROPOSER', 'propose', 'PROPOSEE'],
    ['A_PROPOSER', 'decline', 'NON_PROPOSEE'],
    ['A_PROPOSER', 'hired', null],
    ['PROPOSEE', 'interview', 'ENTRETIEN'],
    ['PROPOSEE', 'hired', 'EMBAUCHE'],
    ['PROPOSEE', 'not_retained', 'NON_RETENU'],
    ['PROPOSEE', 'propose', null],
    ['ENTRETIEN', 'hired', 'EMBAUCHE'],
    ['ENTRETIEN', 'not_retained', 'NON_RETENU'],
    ['ENTRETIEN', 'interview', null],
    ['EMBAUCHE', 'not_retained', null],
    ['NON_PROPOSEE', 'propose', null],
  ])('%s + %s → %s', (status, decision, next) => {
    expect(nextPlacementStatus(status, decision)).toBe(next);
  });

  it.each<[PlacementStatus, boolean, boolean]>([
    ['A_PROPOSER', false, false],
    ['NON_PROPOSEE', true, false],
    ['PROPOSEE', false, true],
    ['ENTRETIEN', false, true],
    ['EMBAUCHE', true, true],
    ['NON_RETENU', true, true],
  ])('%s: final %s, counted as a mise en relation %s', (status, final, counted) => {
    expect(isFinalPlacement(status)).toBe(final);
    expect(placementDecisionsFrom(status).length === 0).toBe(final);
    expect(isMiseEnRelation(status)).toBe(counted);
  });
});
