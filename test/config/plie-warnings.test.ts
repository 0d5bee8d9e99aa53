/** What a PLIE's coordination is warned of (npm start, plie doctor, App Home): pure, on given days. */
import { describe, expect, it } from 'vitest';
import type { PlieConfig } from '../../src/domain/plie-config.ts';
import { plieWarnings } from '../../src/plies/warnings.ts';
import { CASA_CONFIG } from '../helpers/plie-configs.ts';

const NEXT: PlieConfig = { ...CASA_CONFIG, earlierProtocols: [{ from: '2021-01-01', to: '2023-12-31' }], protocol: { from: '2025-01-01', to: '2027-12-31' } };
const NONE: PlieConfig = { ...CASA_CONFIG, protocol: undefined };
const OVER = 'le protocole a pris fin le 31/12/2023 : renseignez l’avenant (protocol.to) ou le nouveau protocole ; d’ici là, chaque orientation est signalée à la coordination.';
const NO_MEMBER = 'la commission ad hoc n’a aucun membre (rôle MEMBRE_COMMISSION, ou commission.members de la configuration) : ses cas iront à la coordination.';

describe('warnings to a PLIE’s coordination', () => {
  it.each([
    ['in the protocol, a commission', CASA_CONFIG, '2022-06-01', 3, []],
    ['its last day', CASA_CONFIG, '2023-12-31', 3, []],
    ['the day after it ended', CASA_CONFIG, '2024-01-01', 3, [OVER]],
    ['over, and no member', CASA_CONFIG, '2026-11-30', 0, [OVER, NO_MEMBER]],
    ['between two protocols', NEXT, '2024-06-01', 2, ['aucun protocole configuré ne couvre la date du jour : chaque orientation est signalée à la coordination.']],
    ['in the new protocol', NEXT, '2026-11-30', 1, []],
    ['no protocol at all', NONE, '2026-11-30', 1, ['aucun protocole configuré (protocol.from, protocol.to) : chaque orientation est signalée à la coordination.']],
  ] as const)('%s', (_label, config, today, members, expected) => {
    expect(plieWarnings(config, today, { commissionMembers: members })).toEqual(expected);
  });

  it.each([
    ['the deployment’s own PLIE uses PLIE_COORDINATOR_EMAIL', CASA_CONFIG, 'CASA', []],
    ['another PLIE with its own mailbox', { ...CASA_CONFIG, code: 'NICE', coordinationEmail: 'coordination@plie-nice.test' }, 'CASA', []],
    ['another PLIE without one', { ...CASA_CONFIG, code: 'NICE' }, 'CASA', ['aucune adresse de coordination propre (coordinationEmail) : les tâches de sa coordination iraient à celle du PLIE CASA.']],
  ] as const)('coordination mailbox: %s', (_label, config, deployment, expected) => {
    expect(plieWarnings(config, '2022-06-01', { commissionMembers: 3, deploymentPlie: deployment })).toEqual(expected);
  });
});
