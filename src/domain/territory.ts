import type { PlieConfig } from './plie-config.ts';

/** Accents, case and punctuation aside: « Mise-en-Rayon » and « mise en rayon » are the same words. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Folds what people type into a comparable form: accents, case, hyphens, apostrophes, « St » for
 * « Saint », extra spaces, a leading article — « ST PAUL DE VENCE », « saint-paul-de-vence » and
 * « Saint Paul de Vence » are the same commune, as « Rouret » and « Le Rouret ».
 */
export function foldCommuneName(text: string): string {
  return foldText(text)
    .replace(/\bste\b/g, 'sainte')
    .replace(/\bst\b/g, 'saint')
    .replace(/\bcedex\b.*$/, '')
    .trim()
    // « Le Rouret » is often written « Rouret », « Le Bar-sur-Loup » « Bar-sur-Loup ».
    .replace(/^(le|la|les|l) /, '');
}

export type CommuneMatch =
  | { found: true; commune: string; postalCodeMatches: boolean | null }
  | { found: false; postalCodeInTerritory: boolean };

/**
 * Finds the commune of the PLIE's territory a person lives in, from the name written (and the
 * postal code, when given). `postalCodeMatches` is null when no postal code was given.
 */
export function matchCommune(config: PlieConfig, name: string, postalCode?: string | null): CommuneMatch {
  const folded = foldCommuneName(name);
  const code = postalCode?.trim() || null;
  for (const commune of config.territory.communes) {
    const names = [commune.name, ...commune.aliases].map(foldCommuneName);
    if (names.includes(folded)) {
      return { found: true, commune: commune.name, postalCodeMatches: code ? commune.postalCodes.includes(code) : null };
    }
  }
  return {
    found: false,
    postalCodeInTerritory: code ? config.territory.communes.some((c) => c.postalCodes.includes(code)) : false,
  };
}
