import type { ExitFacts, WorkContract } from '../../src/domain/exit-criteria.ts';

/** A full-time market-sector CDD starting on `start`, open-ended unless overridden. */
export const contractFrom =
  (start: string) =>
  (overrides: Partial<WorkContract>): WorkContract => ({
    type: 'CDD',
    start,
    end: null,
    weeklyHours: 35,
    iae: false,
    aided: false,
    marketSector: true,
    insertionCompany: false,
    ...overrides,
  });

export const facts = (over: Partial<ExitFacts>): ExitFacts => ({ contracts: [], trainings: [], businesses: [], ...over });
