/**
 * Exit types of the protocol (Article 5, « les types de sortie ») and the breakdown of positive
 * exits used by the reports.
 */
export const EXIT_TYPES = ['POSITIVE', 'ABANDON', 'PARCOURS_LONG', 'ADMINISTRATIVE', 'AUTRE'] as const;
export type ExitType = (typeof EXIT_TYPES)[number];

export const EXIT_TYPE_LABELS: Record<ExitType, string> = {
  POSITIVE: 'Sortie positive',
  ABANDON: 'Rupture / abandon',
  PARCOURS_LONG: 'Parcours long',
  ADMINISTRATIVE: 'Sortie administrative',
  AUTRE: 'Autre sortie',
};

export const POSITIVE_KINDS = ['EMPLOI', 'CREATION', 'FORMATION'] as const;
export type PositiveKindCode = (typeof POSITIVE_KINDS)[number];

/** Months in pathway from which the PLIE may close it as a « parcours long ». */
export const LONG_PATHWAY_MONTHS = 24;

export interface ExitRecord {
  type: ExitType;
  positiveKind: PositiveKindCode | null;
  cdi: boolean;
  proofsComplete: boolean;
}

/**
 * Checks an exit is coherent, in French. A positive exit declared without its proofs is still
 * positive (the protocol counts it) — `missingProofs` says it must be chased.
 */
export function describeExit(exit: ExitRecord): { problems: string[]; missingProofs: boolean } {
  const problems: string[] = [];
  if (exit.type === 'POSITIVE' && !exit.positiveKind) {
    problems.push('sortie positive : préciser emploi, création d’entreprise ou formation');
  }
  if (exit.type !== 'POSITIVE' && exit.positiveKind) {
    problems.push('seule une sortie positive a un type emploi / création / formation');
  }
  if (exit.cdi && exit.positiveKind !== 'EMPLOI') problems.push('CDI : seulement pour une sortie positive en emploi');
  return { problems, missingProofs: exit.type === 'POSITIVE' && !exit.proofsComplete };
}
