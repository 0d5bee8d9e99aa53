import { CASA_CONFIG, plieConfigSchema, type PlieConfig } from '../../src/domain/plie-config.ts';

/** A second PLIE, with other thresholds, so that rules are seen to read the configuration. */
export const OTHER_CONFIG: PlieConfig = plieConfigSchema.parse({
  code: 'AUTRE_PLIE',
  name: 'PLIE d’un autre territoire',
  territory: { communes: [{ name: 'Saint-Étienne', postalCodes: ['42000', '42100'], aliases: ['St-Étienne'] }] },
  eligibility: { minAge: 25, rsaExceptionAge: null, seniorAge: 55 },
  exitCriteria: {
    fullTimeWeeklyHours: 35,
    contractMonths: 4,
    heldMonths: 4,
    cumulatedHours: 600,
    hoursWindowMonths: 6,
    longContractMonths: 9,
  },
  exitReasons: { POSITIVE: [{ code: 'EMPLOI', label: 'Emploi' }], AUTRE: [{ code: 'AUTRE', label: 'Autre' }] },
  commission: {
    members: [{ name: 'Présidence', email: 'presidence@autre-plie.fr' }],
    quorum: 'majority_of_members',
    decision: 'majority_of_expressed',
    voteDays: 10,
  },
  reminders: { taskReminderDays: 5, taskEscalationDays: 10 },
  objectives: { accompanied: 300, accompaniedRsa: 150, positiveExitShare: 0.45, withContractShare: 0.35 },
});

export { CASA_CONFIG };
