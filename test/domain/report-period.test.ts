import { describe, expect, it } from 'vitest';
import { defaultReportPeriod } from '../../src/domain/report-period.ts';

const protocol = { from: '2025-01-01', to: '2027-12-31' };

describe('the period of a bilan asked without dates', () => {
  it.each([
    ['within the protocol: from its first day to today', { protocol }, '2026-12-01', { from: '2025-01-01', to: '2026-12-01' }],
    ['on its first day', { protocol }, '2025-01-01', { from: '2025-01-01', to: '2025-01-01' }],
    ['on its last day', { protocol }, '2027-12-31', { from: '2025-01-01', to: '2027-12-31' }],
    ['after it: the year to date', { protocol }, '2028-03-15', { from: '2028-01-01', to: '2028-03-15' }],
    ['before it: the year to date', { protocol }, '2024-06-30', { from: '2024-01-01', to: '2024-06-30' }],
    ['no protocol configured: the year to date', {}, '2026-12-01', { from: '2026-01-01', to: '2026-12-01' }],
  ])('%s', (_, config, today, period) => {
    expect(defaultReportPeriod(config, today)).toEqual(period);
  });
});
