/**
 * Collective actions of the relation entreprise (job-discovery workshops, company visits…): who
 * was invited, who came, the « mises en relation » and hires they led to. Pure.
 */
export const COLLECTIVE_KINDS = ['ATELIER_DECOUVERTE', 'VISITE_ENTREPRISE', 'JOB_DATING', 'INFORMATION_COLLECTIVE'] as const;
export type CollectiveKind = (typeof COLLECTIVE_KINDS)[number];

export const COLLECTIVE_KIND_LABELS: Record<CollectiveKind, string> = {
  ATELIER_DECOUVERTE: 'Atelier découverte des métiers',
  VISITE_ENTREPRISE: 'Visite d’entreprise',
  JOB_DATING: 'Job dating',
  INFORMATION_COLLECTIVE: 'Information collective',
};

/** The kind with its article, as a sentence needs it (« l’atelier… », « la visite… », « le job dating »). */
export const COLLECTIVE_KIND_WITH_ARTICLE: Record<CollectiveKind, string> = {
  ATELIER_DECOUVERTE: 'l’atelier découverte des métiers',
  VISITE_ENTREPRISE: 'la visite d’entreprise',
  JOB_DATING: 'le job dating',
  INFORMATION_COLLECTIVE: 'l’information collective',
};

export interface InvitationFacts {
  status: 'INVITE' | 'PRESENT' | 'ABSENT';
  miseEnRelation: boolean;
  hired: boolean;
}

export interface CollectiveFigures {
  invited: number;
  present: number;
  misesEnRelation: number;
  hires: number;
}

export function collectiveFigures(invitations: InvitationFacts[]): CollectiveFigures {
  return {
    invited: invitations.length,
    present: invitations.filter((i) => i.status === 'PRESENT').length,
    // A hire is a mise en relation that succeeded.
    misesEnRelation: invitations.filter((i) => i.miseEnRelation || i.hired).length,
    hires: invitations.filter((i) => i.hired).length,
  };
}

export interface AttendanceInput {
  present: string[];
  misesEnRelation: string[];
  hires: string[];
}

/** What is wrong with an attendance record, in French (empty: fine). */
export function attendanceProblems(invited: string[], a: AttendanceInput, label: (id: string) => string = (id) => id): string[] {
  const problems: string[] = [];
  for (const id of a.present) if (!invited.includes(id)) problems.push(`${label(id)} n’était pas invité·e`);
  for (const id of new Set([...a.misesEnRelation, ...a.hires])) if (!a.present.includes(id)) problems.push(`${label(id)} : une mise en relation ou une embauche suppose d’avoir été présent·e`);
  return problems;
}
