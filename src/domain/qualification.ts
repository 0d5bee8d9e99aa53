/**
 * Qualification levels, stored once in the 2019 nomenclature (1 to 8). Older files use the 1969
 * one (VI, V bis, V, IV, III, II, I): « niveau V ou infra » is level 3 or below.
 */
export type QualificationLevel = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const OLD_TO_NEW: Record<string, QualificationLevel> = {
  VI: 1, // no diploma, compulsory schooling
  VBIS: 2, // left before the end of a CAP/BEP
  V: 3, // CAP, BEP
  IV: 4, // baccalauréat
  III: 5, // bac + 2
  II: 6, // licence, maîtrise
  I: 7, // master, grandes écoles (doctorate is 8, which the old « I » does not tell apart)
};

/** Reads a level written either way (« 3 », « V », « V bis », « niveau IV »); undefined if unknown. */
export function parseQualificationLevel(text: string): QualificationLevel | undefined {
  const folded = text.trim().toUpperCase().replace(/^NIVEAU\s*/, '').replace(/\s+/g, '');
  if (/^[1-8]$/.test(folded)) return Number(folded) as QualificationLevel;
  return OLD_TO_NEW[folded];
}

/** The protocol's priority public: « niveau de qualification inférieur ou égal à un niveau V ». */
export function isLowQualification(level: QualificationLevel): boolean {
  return level <= 3;
}
