/**
 * What each role may do in its own PLIE, restated from the README's « Qui peut faire quoi » (not
 * read from the code, so that a change of the grants shows in the tests of every channel).
 */
export const WHO_MAY: Array<[role: string, may: { refer: boolean; openFiles: boolean; readBilan: boolean }]> = [
  ['COORDINATEUR', { refer: true, openFiles: true, readBilan: true }],
  ['REFERENT', { refer: true, openFiles: true, readBilan: false }],
  ['FACILITATEUR', { refer: false, openFiles: false, readBilan: false }],
  ['MEMBRE_COMMISSION', { refer: false, openFiles: false, readBilan: false }],
  ['CHARGE_RELATION_ENTREPRISE', { refer: false, openFiles: false, readBilan: false }],
  ['PRESCRIPTEUR', { refer: true, openFiles: false, readBilan: false }],
  ['ADMIN', { refer: false, openFiles: false, readBilan: false }],
];
