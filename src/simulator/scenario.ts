/**
 * A scenario for `plie simulate`: a participant, dated events (days from `start`), and a day to
 * stop. Dates inside events are day offsets too (or calendar dates).
 */
import { z } from '../domain/validation.ts';
import { MINIMUM_INCOMES } from '../domain/codes.ts';
import { calendarDateField } from '../domain/dates.ts';

const event = z
  .object({
    day: z.number({ error: 'day : un nombre de jours depuis le début est attendu' }).int().min(0).max(3650),
    type: z.string({ error: 'type : obligatoire' }),
  })
  .loose();

export const scenarioSchema = z.object({
  start: calendarDateField('start'),
  participant: z.object({
    birthDate: calendarDateField('participant.birthDate'),
    commune: z.string().min(1),
    postalCode: z.string().regex(/^\d{5}$/).optional(),
    minimumIncome: z.enum(MINIMUM_INCOMES).optional(),
    longTermJobSeeker: z.boolean().default(false),
    exclusionRisk: z.boolean().default(false),
    qualificationLevel: z.number().int().min(1).max(8).optional(),
    activeJobSearch: z.boolean().default(true),
    selfEmployed: z.boolean().default(false),
    // A prescriber orients someone who needs support and can commit: assumed unless said otherwise.
    needsSupport: z.boolean().default(true),
    ableAndWilling: z.boolean().default(true),
    followedByMissionLocale: z.boolean().default(false),
    // F or M as the records; H, which scenarios used first, is the same as M.
    sex: z
      .enum(['F', 'M', 'H'])
      .transform((v) => (v === 'H' ? 'M' : v))
      .optional(),
    /** Without an address the participant's emails are recorded as undeliverable. */
    hasEmail: z.boolean().default(true),
  }),
  events: z.array(event).max(2000),
  until: z.number().int().min(0).max(3650),
  /** A PLIE configuration (whole, as `plie config register` takes it) replacing the default one. */
  config: z.unknown().optional(),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioEvent = z.output<typeof event>;

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`Scénario invalide : ${problems.join(' ; ')}`);
    this.name = 'ScenarioError';
  }
}
