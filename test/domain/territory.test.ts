import { describe, expect, it } from 'vitest';
import { plieConfigSchema } from '../../src/domain/plie-config.ts';
import { foldCommuneName, matchCommune } from '../../src/domain/territory.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';

describe('CASA territory (Article 2)', () => {
  it('has the 24 communes of the protocol', () => {
    expect(CASA_CONFIG.territory.communes).toHaveLength(24);
  });

  it.each([
    ['Antibes', null, 'Antibes'],
    ['ANTIBES JUAN LES PINS', '06160', 'Antibes'],
    ['Juan-les-Pins', '06160', 'Antibes'],
    ['Golfe-Juan', '06220', 'Vallauris'],
    ['Vallauris Golfe Juan', null, 'Vallauris'],
    ['Sophia Antipolis', '06560', 'Valbonne'],
    ['Geôlières', null, 'Gréolières'],
    ['greolieres', '06620', 'Gréolières'],
    ['St Paul de Vence', '06570', 'Saint-Paul-de-Vence'],
    ['  la colle sur loup ', null, 'La Colle-sur-Loup'],
    ['Bézaudun-les-Alpes', '06510', 'Bézaudun-les-Alpes'],
    ['Chateauneuf', null, 'Châteauneuf-Grasse'],
    // Common spellings (issue of the protocol's fidelity): the article left out, the older names.
    ['Châteauneuf-de-Grasse', '06740', 'Châteauneuf-Grasse'],
    ['Bar-sur-Loup', '06620', 'Le Bar-sur-Loup'],
    ['LE BAR SUR LOUP', null, 'Le Bar-sur-Loup'],
    ['Colle-sur-Loup', '06480', 'La Colle-sur-Loup'],
    ['Tourettes-sur-Loup', '06140', 'Tourrettes-sur-Loup'],
    ['Tourrettes', null, 'Tourrettes-sur-Loup'],
    ['Saint-Paul', '06570', 'Saint-Paul-de-Vence'],
    ['Rouret', '06650', 'Le Rouret'],
    ['Bezaudun les Alpes', null, 'Bézaudun-les-Alpes'],
    ['Ferres', null, 'Les Ferres'],
  ])('recognises « %s » (%s) as %s', (name, postalCode, commune) => {
    expect(matchCommune(CASA_CONFIG, name, postalCode)).toEqual({
      found: true,
      commune,
      postalCodeMatches: postalCode === null ? null : true,
    });
  });

  it.each([
    ['Nice', '06000', false],
    ['Vence', '06140', true], // shares its postal code with Tourrettes-sur-Loup and Coursegoules
    ['Grasse', null, false],
  ])('does not take « %s » (%s) for a commune of the territory', (name, postalCode, postalCodeInTerritory) => {
    expect(matchCommune(CASA_CONFIG, name, postalCode)).toEqual({ found: false, postalCodeInTerritory });
  });

  it('notices a postal code that does not belong to the commune', () => {
    expect(matchCommune(CASA_CONFIG, 'Biot', '06000')).toEqual({ found: true, commune: 'Biot', postalCodeMatches: false });
  });

  it('reads another PLIE’s territory', () => {
    expect(matchCommune(OTHER_CONFIG, 'st etienne', '42100')).toMatchObject({ found: true, commune: 'Saint-Étienne' });
    expect(matchCommune(OTHER_CONFIG, 'Antibes', null)).toMatchObject({ found: false });
  });

  it('folds names the way people write them', () => {
    expect(foldCommuneName('Saint-Paul-de-Vence')).toBe(foldCommuneName('ST PAUL DE VENCE'));
    expect(foldCommuneName('Le Bar-sur-Loup')).toBe('bar sur loup');
    expect(foldCommuneName("L'Escarène")).toBe(foldCommuneName('Escarene'));
  });

  it('validates a PLIE configuration, in French', () => {
    const parsed = plieConfigSchema.safeParse({ ...CASA_CONFIG, code: 'casa', territory: { communes: [] } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain('code : majuscules, chiffres et _');
  });
});
