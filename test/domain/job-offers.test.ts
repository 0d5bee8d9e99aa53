import { describe, expect, it } from 'vitest';
import { offerMatch } from '../../src/domain/job-offers.ts';

const offer = { sector: 'Propreté', jobTitle: 'Agent·e de nettoyage de locaux' };
const person = (wishes: string[], stage = 'active', activeJobSearch: boolean | null = true) => ({ stage, activeJobSearch, sectorWishes: wishes });

describe('job offers reach the right people', () => {
  it.each<[string, ReturnType<typeof person>, string | null]>([
    ['the same sector, other accents and case', person(['PROPRETE']), 'PROPRETE'],
    ['a wish naming the job', person(['cuisine', 'nettoyage de locaux']), 'nettoyage de locaux'],
    ['a wider wish than the job', person(['nettoyage']), 'nettoyage'],
    ['another sector', person(['mise en rayon']), null],
    ['a word that only starts the same', person(['net']), null],
    ['in employment already (follow-up)', person(['propreté'], 'followUp'), null],
    ['not yet integrated', person(['propreté'], 'diagnostic'), null],
    ['said not to be searching', person(['propreté'], 'active', false), null],
    ['search not recorded', person(['propreté'], 'active', null), 'propreté'],
    ['no wish', person([]), null],
  ])('%s', (_name, candidate, wish) => {
    expect(offerMatch(offer, candidate)).toBe(wish);
  });
});

describe('job offers fit the availability agreed at the diagnostic', () => {
  const timed = { ...offer, startDate: '2027-01-04', weeklyHours: 35 };
  it.each<[string, { availableFrom?: string | null; maxWeeklyHours?: number | null }, typeof timed | typeof offer, boolean]>([
    ['available before the start', { availableFrom: '2026-12-15' }, timed, true],
    ['available on the start day', { availableFrom: '2027-01-04' }, timed, true],
    ['available only after the start', { availableFrom: '2027-02-01' }, timed, false],
    ['an offer without a start date', { availableFrom: '2027-02-01' }, offer, true],
    ['enough hours', { maxWeeklyHours: 35 }, timed, true],
    ['fewer hours than the offer', { maxWeeklyHours: 24 }, timed, false],
    ['an offer without hours', { maxWeeklyHours: 24 }, offer, true],
    ['nothing said', { availableFrom: null, maxWeeklyHours: null }, timed, true],
  ])('%s', (_name, availability, o, matches) => {
    expect(offerMatch(o, { ...person(['propreté']), ...availability }) !== null).toBe(matches);
  });
});
