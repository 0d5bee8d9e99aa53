/** French labels of the codes people choose from in forms (the codes stay those of the records). */
import type { Option } from './fields.ts';

const options = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The label of a code among options; the code itself when it is not one of them. */
export const labelOf = (choices: readonly Option[], value: string): string => choices.find((o) => o.value === value)?.label ?? value;

export const STEP_TYPE_OPTIONS = options({
  RECHERCHE_EMPLOI: 'Recherche d’emploi',
  PROJET_PRO: 'Projet professionnel',
  FORMATION: 'Formation',
  ATELIER: 'Atelier',
  IMMERSION: 'Immersion en entreprise',
  IAE: 'Insertion par l’activité économique',
  LEVEE_FREINS: 'Levée des freins',
  EMPLOI_PARCOURS: 'Emploi de parcours',
  AUTRE: 'Autre',
});

export const CONTRACT_TYPE_OPTIONS = options({
  CDI: 'CDI',
  CDD: 'CDD',
  INTERIM: 'Intérim',
  SAISONNIER: 'Saisonnier',
  CONTRAT_PRO: 'Contrat de professionnalisation',
  APPRENTISSAGE: 'Apprentissage',
  FONCTION_PUBLIQUE: 'Fonction publique',
  CDDI: 'CDDI (insertion)',
  AUTRE: 'Autre',
});

export const BARRIER_OPTIONS = options({
  PARCOURS_PRO: 'Parcours professionnel',
  RECHERCHE_EMPLOI: 'Techniques de recherche d’emploi',
  FORMATION: 'Formation',
  MOBILITE: 'Mobilité',
  SANTE: 'Santé',
  GARDE_ENFANTS: 'Garde d’enfants',
  LOGEMENT: 'Logement',
  LANGUE: 'Langue',
  NUMERIQUE: 'Numérique',
  BUDGET: 'Budget',
  ADMINISTRATIF: 'Démarches administratives',
  AUTRE: 'Autre',
});

export const CONTACT_MODE_OPTIONS = options({
  entretien: 'Entretien',
  telephone: 'Téléphone',
  email: 'Email',
  atelier: 'Atelier',
  visite: 'Visite',
});

export const CONTRACT_END_OPTIONS = options({
  periode_essai: 'Rupture de la période d’essai',
  demission: 'Démission',
  licenciement: 'Licenciement',
  fin_de_contrat: 'Fin de contrat',
  rupture_conventionnelle: 'Rupture conventionnelle',
  autre: 'Autre',
});

export const EXIT_TYPE_OPTIONS = options({
  ABANDON: 'Abandon',
  PARCOURS_LONG: 'Parcours long',
  ADMINISTRATIVE: 'Sortie administrative (déménagement, santé…)',
  AUTRE: 'Autre',
});

/** What the person says they now do, for a positive exit declared without proofs (article 5). */
export const DECLARED_SITUATION_OPTIONS = options({
  EMPLOI: 'En emploi',
  FORMATION: 'En formation',
  CREATION: 'A créé son entreprise',
});

export const LABOUR_MARKET_OPTIONS = options({
  EMPLOI: 'En emploi',
  CREATION: 'A créé son activité',
  FORMATION: 'En formation',
  RECHERCHE_EMPLOI: 'En recherche d’emploi',
  INACTIF: 'Sans activité',
});

export const VOTE_OPTIONS = options({ pour: 'Pour', contre: 'Contre', abstention: 'Abstention' });

export const SEX_OPTIONS = options({ F: 'Femme', M: 'Homme' });
/** The 2019 nomenclature, with the 1969 levels staff still say (« niveau V »). */
export const QUALIFICATION_OPTIONS = options({
  '1': '1 — aucun diplôme (VI)',
  '2': '2 — CAP/BEP non obtenu (V bis)',
  '3': '3 — CAP, BEP (V)',
  '4': '4 — baccalauréat (IV)',
  '5': '5 — bac + 2 (III)',
  '6': '6 — licence (II)',
  '7': '7 — master (I)',
  '8': '8 — doctorat',
});
export const MINIMUM_INCOME_OPTIONS = options({ RSA: 'RSA', ASS: 'ASS', AUTRE: 'Autre minimum social', AUCUN: 'Aucun' });
export const PRESCRIBER_OPTIONS = options({
  CD06: 'Conseil départemental',
  FRANCE_TRAVAIL: 'France Travail',
  MISSION_LOCALE: 'Mission Locale',
  CCAS: 'CCAS',
  COMMUNE_CASA: 'Commune ou service de la CASA',
  MSD: 'Maison des Solidarités Départementales',
  SPIP: 'SPIP',
  PARTENAIRE_PDI: 'Partenaire du PDI',
  SPONTANE: 'Candidature spontanée',
  AUTRE: 'Autre',
});
/** AUCUNE: not in an SIAE (the form asks, so that nobody forgets to say). */
export const IAE_STRUCTURE_OPTIONS = options({
  AUCUNE: 'Aucune (employeur ordinaire)',
  ACI: 'Atelier et chantier d’insertion (ACI)',
  EI: 'Entreprise d’insertion (EI)',
  ETTI: 'Entreprise de travail temporaire d’insertion (ETTI)',
  AI: 'Association intermédiaire (AI)',
});
