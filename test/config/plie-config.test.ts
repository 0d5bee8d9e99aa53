import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/index.ts';
import { loadPlieConfig } from '../../src/config/plie.ts';
import { makeScratchDir } from '../../src/infra/scratch.ts';
import { taskTimings } from '../../src/domain/tasks.ts';
import { CASA_CONFIG, OTHER_CONFIG } from '../helpers/plie-configs.ts';
import { configProblems } from '../helpers/settings.ts';

const dir = makeScratchDir('plie-config-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (content: unknown) => {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return loadPlieConfig(parseEnv({ PLIE_CONFIG_FILE: file }));
};
const problems = configProblems;

describe('the PLIE’s configuration', () => {
  it('is the CASA protocol by default, reminders included', () => {
    expect(loadPlieConfig(parseEnv({}))).toBe(CASA_CONFIG);
    expect(taskTimings(CASA_CONFIG)).toEqual({ reminderAfterDays: 7, escalateAfterDays: 15 });
    expect(CASA_CONFIG.exitReasons.ADMINISTRATIVE?.map((r) => r.code)).toEqual(['DEMENAGEMENT', 'GROSSESSE', 'RETRAITE', 'INCARCERATION']);
  });

  it('reads another PLIE from PLIE_CONFIG_FILE', () => {
    const other = load(OTHER_CONFIG);
    expect(other).toEqual(OTHER_CONFIG);
    expect(taskTimings(other)).toEqual({ reminderAfterDays: 5, escalateAfterDays: 10 });
  });

  it.each([
    [{ ...CASA_CONFIG, reminders: { taskReminderDays: 15, taskEscalationDays: 7 } }, 'PLIE_CONFIG_FILE : reminders : le signalement à la coordination vient après le rappel'],
    [{ ...CASA_CONFIG, exitCriteria: { ...CASA_CONFIG.exitCriteria, cumulatedHours: -1 } }, 'PLIE_CONFIG_FILE : exitCriteria.cumulatedHours'],
    [{ ...CASA_CONFIG, bilanReaders: ['DIRECTEUR'] }, 'PLIE_CONFIG_FILE : bilanReaders.0 : bilanReaders : un rôle parmi COORDINATEUR'],
    ['{ pas du json', 'PLIE_CONFIG_FILE : JSON illisible'],
  ])('refuses a bad file, saying where (%#)', (content, message) => {
    expect(problems(() => load(content)).some((p) => p.startsWith(message))).toBe(true);
  });

  it.each([
    ['{\n  "code": "CASA",\n  "name": "x",\n}', ['PLIE_CONFIG_FILE : JSON illisible (ligne 4, colonne 1 : vérifiez les guillemets, les virgules et les accolades)']],
    ['{ "code": x }', ['PLIE_CONFIG_FILE : JSON illisible (vérifiez les guillemets, les virgules et les accolades)']],
    ['{ "code": "CASA"', ['PLIE_CONFIG_FILE : JSON illisible (le fichier s’arrête avant la fin du JSON)']],
    ['', ['PLIE_CONFIG_FILE : JSON illisible (le fichier s’arrête avant la fin du JSON)']],
    ['3', ['PLIE_CONFIG_FILE : fichier : Entrée invalide : objet attendu, nombre reçu']],
  ])('says in French where a file is unreadable (%j)', (content, expected) => {
    expect(problems(() => load(content))).toEqual(expected);
  });

  it('refuses a name carrying a control character, and reads a file that starts with a byte order mark', () => {
    const communes = [{ ...CASA_CONFIG.territory.communes[0]!, name: 'Antibes\u0000' }];
    expect(problems(() => load({ ...CASA_CONFIG, territory: { communes } }))).toEqual([
      'PLIE_CONFIG_FILE : territory.communes.0.name : nom : contient un caractère invisible non accepté (caractère de contrôle) ; retapez ce texte sans le copier-coller',
    ]);
    expect(load(`\uFEFF${JSON.stringify(OTHER_CONFIG)}`)).toEqual(OTHER_CONFIG);
  });

  it('says when the path is a folder', () => {
    expect(problems(() => loadPlieConfig(parseEnv({ PLIE_CONFIG_FILE: dir })))).toEqual([`PLIE_CONFIG_FILE : fichier illisible (${dir}) : c’est un dossier, pas un fichier`]);
  });

  it('says when the file is missing', () => {
    expect(problems(() => loadPlieConfig(parseEnv({ PLIE_CONFIG_FILE: path.join(dir, 'absent.json') })))).toEqual([
      `PLIE_CONFIG_FILE : fichier introuvable (${path.join(dir, 'absent.json')})`,
    ]);
  });
});
