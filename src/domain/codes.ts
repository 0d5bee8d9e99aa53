/** Shared codes of a PLIE's records (the import files and the reports use them as they are). */
export const PRESCRIBERS = [
  'CD06',
  'FRANCE_TRAVAIL',
  'MISSION_LOCALE',
  'CCAS',
  'COMMUNE_CASA',
  'MSD',
  'SPIP',
  'PARTENAIRE_PDI',
  'SPONTANE',
  'AUTRE',
] as const;
export const BARRIERS = [
  'PARCOURS_PRO',
  'RECHERCHE_EMPLOI',
  'FORMATION',
  'MOBILITE',
  'SANTE',
  'GARDE_ENFANTS',
  'LOGEMENT',
  'LANGUE',
  'NUMERIQUE',
  'BUDGET',
  'ADMINISTRATIF',
  'AUTRE',
] as const;
export const STEP_TYPES = [
  'RECHERCHE_EMPLOI',
  'PROJET_PRO',
  'FORMATION',
  'ATELIER',
  'IMMERSION',
  'IAE',
  'LEVEE_FREINS',
  'EMPLOI_PARCOURS',
  'AUTRE',
] as const;
export const STEP_STATUSES = ['PREVUE', 'EN_COURS', 'REALISEE', 'ANNULEE'] as const;
export const CONTRACT_TYPES = [
  'CDI',
  'CDD',
  'INTERIM',
  'SAISONNIER',
  'CONTRAT_PRO',
  'APPRENTISSAGE',
  'FONCTION_PUBLIQUE',
  'CDDI',
  'AUTRE',
] as const;
export const MINIMUM_INCOMES = ['RSA', 'ASS', 'AUTRE', 'AUCUN'] as const;
/** Kinds of structure of the insertion par l'activité économique (SIAE). */
export const IAE_STRUCTURES = ['ACI', 'EI', 'ETTI', 'AI'] as const;
export const PROCUREMENT_SECTORS = ['BTP', 'AUTRE'] as const;
