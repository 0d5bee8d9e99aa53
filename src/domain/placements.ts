/**
 * A « mise en relation » (relation entreprise): the referent of a matched participant proposes the
 * offer or not; a proposal leads to an interview, a hire or no; a hire is a work contract of the
 * pathway. Pure: which decision is possible from which status, in French.
 */
export const PLACEMENT_STATUSES = ['A_PROPOSER', 'NON_PROPOSEE', 'PROPOSEE', 'ENTRETIEN', 'EMBAUCHE', 'NON_RETENU'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

export const PLACEMENT_DECISIONS = ['propose', 'decline', 'interview', 'hired', 'not_retained'] as const;
export type PlacementDecision = (typeof PLACEMENT_DECISIONS)[number];

const TRANSITIONS: Record<PlacementStatus, Partial<Record<PlacementDecision, PlacementStatus>>> = {
  A_PROPOSER: { propose: 'PROPOSEE', decline: 'NON_PROPOSEE' },
  PROPOSEE: { interview: 'ENTRETIEN', hired: 'EMBAUCHE', not_retained: 'NON_RETENU' },
  ENTRETIEN: { hired: 'EMBAUCHE', not_retained: 'NON_RETENU' },
  NON_PROPOSEE: {},
  EMBAUCHE: {},
  NON_RETENU: {},
};

/** The status a decision leads to, or null when it cannot be taken from this status. */
export const nextPlacementStatus = (status: PlacementStatus, decision: PlacementDecision): PlacementStatus | null => TRANSITIONS[status][decision] ?? null;

export const placementDecisionsFrom = (status: PlacementStatus): PlacementDecision[] => Object.keys(TRANSITIONS[status]) as PlacementDecision[];

export const isFinalPlacement = (status: PlacementStatus) => placementDecisionsFrom(status).length === 0;

/** Counted as a « mise en relation »: the offer was put to the person. */
export const isMiseEnRelation = (status: PlacementStatus) => status === 'PROPOSEE' || status === 'ENTRETIEN' || status === 'EMBAUCHE' || status === 'NON_RETENU';

export const PLACEMENT_DECISION_LABELS: Record<PlacementDecision, string> = {
  propose: 'Proposer l’offre à la personne',
  decline: 'Ne pas la proposer',
  interview: 'Entretien d’embauche obtenu',
  hired: 'Embauché·e',
  not_retained: 'Non retenu·e',
};

export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, string> = {
  A_PROPOSER: 'à proposer',
  NON_PROPOSEE: 'non proposée',
  PROPOSEE: 'proposée',
  ENTRETIEN: 'entretien',
  EMBAUCHE: 'embauche',
  NON_RETENU: 'non retenue',
};
