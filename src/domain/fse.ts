/**
 * The FSE+ common output indicators of a participant at entry (Regulation (EU) 2021/1057, annex I,
 * 1.1 and the disability line of 1.2), from the PLIE's record. Pure, so that the data point written
 * at the entry and the export compute them alike, for live and imported pathways.
 *
 * Mapping choices (README « FSE+ ») :
 * - levels 1–2 (no diploma, end of compulsory schooling) are ISCED 0–2; level 3 (CAP, BEP) is
 *   ISCED 3; level 4 (baccalauréat) ISCED 3–4; levels 5 to 8 ISCED 5–8;
 * - long-term unemployed: DELD; unemployed: DELD or actively searching; employed: self-employed;
 *   inactive: said not to search, not DELD, not self-employed; otherwise not known;
 * - gender as recorded (F, M); age in whole years on the entry date.
 */
import { ageOn, type CalendarDate } from './dates.ts';

export type IscedBand = 'CITE_0_2' | 'CITE_3_4' | 'CITE_5_8';
export type LabourMarketAtEntry = 'CHOMEUR' | 'INACTIF' | 'EN_EMPLOI';

export interface FseFacts {
  sex: string | null;
  birthDate: CalendarDate;
  qualificationLevel: number | null;
  longTermJobSeeker: boolean | null;
  activeJobSearch: boolean | null;
  selfEmployed: boolean | null;
  rqth: boolean | null;
}

export interface FseEntry {
  gender: 'F' | 'M' | null;
  age: number;
  labourMarket: LabourMarketAtEntry | null;
  longTermUnemployed: boolean;
  under18: boolean;
  from18To29: boolean;
  from55: boolean;
  isced: IscedBand | null;
  disability: boolean;
}

export function iscedBandOf(level: number | null): IscedBand | null {
  if (level === null) return null;
  if (level <= 2) return 'CITE_0_2';
  return level <= 4 ? 'CITE_3_4' : 'CITE_5_8';
}

function labourMarketOf(f: FseFacts): LabourMarketAtEntry | null {
  if (f.selfEmployed) return 'EN_EMPLOI';
  if (f.longTermJobSeeker || f.activeJobSearch) return 'CHOMEUR';
  if (f.activeJobSearch === false && f.longTermJobSeeker === false) return 'INACTIF';
  return null;
}

export function fseEntry(facts: FseFacts, entryDate: CalendarDate): FseEntry {
  const age = ageOn(facts.birthDate, entryDate);
  const labourMarket = labourMarketOf(facts);
  return {
    gender: facts.sex === 'F' || facts.sex === 'M' ? facts.sex : null,
    age,
    labourMarket,
    longTermUnemployed: labourMarket === 'CHOMEUR' && facts.longTermJobSeeker === true,
    under18: age < 18,
    from18To29: age >= 18 && age <= 29,
    from55: age >= 55,
    isced: iscedBandOf(facts.qualificationLevel),
    disability: facts.rqth === true,
  };
}

/** The indicators as columns, in the regulation's order (the export's header and its totals). */
export const FSE_COLUMNS = [
  ['CHOMEURS', 'Chômeurs, y compris de longue durée', (e: FseEntry) => e.labourMarket === 'CHOMEUR'],
  ['CHOMEURS_LONGUE_DUREE', 'Chômeurs de longue durée', (e: FseEntry) => e.longTermUnemployed],
  ['INACTIFS', 'Personnes inactives', (e: FseEntry) => e.labourMarket === 'INACTIF'],
  ['EN_EMPLOI', 'Personnes exerçant un emploi, y compris indépendantes', (e: FseEntry) => e.labourMarket === 'EN_EMPLOI'],
  ['MOINS_18', 'Moins de 18 ans', (e: FseEntry) => e.under18],
  ['DE_18_A_29', 'De 18 à 29 ans', (e: FseEntry) => e.from18To29],
  ['55_ET_PLUS', '55 ans et plus', (e: FseEntry) => e.from55],
  ['CITE_0_2', 'Enseignement secondaire inférieur ou moins (CITE 0 à 2)', (e: FseEntry) => e.isced === 'CITE_0_2'],
  ['CITE_3_4', 'Deuxième cycle du secondaire ou post-secondaire non supérieur (CITE 3 ou 4)', (e: FseEntry) => e.isced === 'CITE_3_4'],
  ['CITE_5_8', 'Enseignement supérieur (CITE 5 à 8)', (e: FseEntry) => e.isced === 'CITE_5_8'],
  ['HANDICAP', 'Participants handicapés (RQTH)', (e: FseEntry) => e.disability],
] as const;
