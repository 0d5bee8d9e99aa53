/**
 * Who takes part in a chaos run: the PLIE's configuration (the CASA protocol, with dates that cover
 * the run and a Slack channel for the commission), its staff (some on Slack, some by email only),
 * and the participants with what the script will do for each of them.
 */
import { addDays, parisDate, type CalendarDate } from '../../src/domain/dates.ts';
import { CASA_CONFIG, plieConfigSchema, type PlieConfig, type PlieConfigInput } from '../../src/domain/plie-config.ts';
import type { Db } from '../../src/db/client.ts';
import type { FakeSlackApi } from '../../test/helpers/slack-api.ts';
import type { Rng } from './rng.ts';

export const DOMAIN = 'chaos.test';
export const COORDINATION = `coordination@${DOMAIN}`;
export const COMMISSION_CHANNEL = 'CCOMMISSIONCHAOS';

export interface StaffMember {
  email: string;
  name: string;
  roles: string[];
  /** On Slack (its tasks come as DMs), else by email. */
  slackUserId: string | null;
}

/** Four referents, three commission members and the coordination; about half of them on Slack. */
export const STAFF: StaffMember[] = [
  { email: COORDINATION, name: 'Coordination Chaos', roles: ['COORDINATEUR'], slackUserId: 'U0COORD' },
  { email: `referente1@${DOMAIN}`, name: 'Référente Une', roles: ['REFERENT'], slackUserId: 'U0REF1' },
  { email: `referent2@${DOMAIN}`, name: 'Référent Deux', roles: ['REFERENT'], slackUserId: null },
  { email: `referente3@${DOMAIN}`, name: 'Référente Trois', roles: ['REFERENT'], slackUserId: 'U0REF3' },
  { email: `referent4@${DOMAIN}`, name: 'Référent Quatre', roles: ['REFERENT'], slackUserId: null },
  { email: `membre1@${DOMAIN}`, name: 'Membre Un', roles: ['MEMBRE_COMMISSION'], slackUserId: 'U0MEM1' },
  { email: `membre2@${DOMAIN}`, name: 'Membre Deux', roles: ['MEMBRE_COMMISSION'], slackUserId: 'U0MEM2' },
  { email: `membre3@${DOMAIN}`, name: 'Membre Trois', roles: ['MEMBRE_COMMISSION'], slackUserId: null },
];
export const REFERENTS = STAFF.filter((s) => s.roles.includes('REFERENT'));
export const MEMBERS = STAFF.filter((s) => s.roles.includes('MEMBRE_COMMISSION'));

/** The CASA protocol, with a protocol period around today (so that everyone is eligible) and the commission's channel. */
export function chaosPlieConfig(today: CalendarDate): PlieConfig {
  const input = JSON.parse(JSON.stringify(CASA_CONFIG)) as PlieConfigInput;
  return plieConfigSchema.parse({
    ...input,
    coordinationEmail: COORDINATION,
    protocol: { from: addDays(today, -365), to: addDays(today, 3 * 365) },
    earlierProtocols: [],
    commission: { ...input.commission, members: [], slackChannel: COMMISSION_CHANNEL },
  });
}

export async function recordStaff(db: Db, slack: FakeSlackApi, plieCode: string): Promise<void> {
  for (const s of STAFF) {
    await db.staff.create({ data: { plieCode, email: s.email, name: s.name, roles: s.roles, slackUserId: s.slackUserId } });
    if (s.slackUserId) slack.addUser({ id: s.slackUserId, email: s.email, name: s.name });
  }
}

export type Variant = 'cdi' | 'temps_partiel';

export interface PlannedPathway {
  index: number;
  /** CDI: positive exit six months after its first day; part-time under 17h30: the commission decides. */
  variant: Variant;
  referent: string;
  /** Sends the proofs asked (contract, payslips); the others' exits are « justificatifs manquants ». */
  sendsProofs: boolean;
  /** The mail server refuses this address for good, on purpose: its messages end « refused ». */
  refusedAddress: boolean;
  email: string;
  referral: Record<string, unknown>;
  participantId: string | null;
}

export function planPopulation(rng: Rng, count: number, runTag: string): PlannedPathway[] {
  // A quarter part-time (at least one), the others CDI; one address refused on purpose from 4 people on.
  const partTime = new Set(rng.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, Math.max(1, Math.round(count / 4))));
  const refused = count >= 4 ? rng.int(0, count - 1) : -1;
  return Array.from({ length: count }, (_, index) => {
    const refusedAddress = index === refused;
    const email = refusedAddress ? `refuse${index}@participants.${DOMAIN}` : `p${index}@participants.${DOMAIN}`;
    const year = 1965 + rng.int(0, 30);
    return {
      index,
      variant: partTime.has(index) ? 'temps_partiel' : 'cdi',
      referent: REFERENTS[index % REFERENTS.length]!.email,
      sendsProofs: rng.chance(0.8),
      refusedAddress,
      email,
      referral: {
        firstName: `Chaos${index}`,
        lastName: `Parcours-${runTag}`,
        birthDate: `${String(rng.int(1, 28)).padStart(2, '0')}/${String(rng.int(1, 12)).padStart(2, '0')}/${year}`,
        sex: rng.pick(['F', 'M']),
        commune: rng.pick(['Antibes', 'Vallauris', 'Valbonne', 'Biot']),
        email,
        minimumIncome: rng.pick(['RSA', 'ASS']),
        longTermJobSeeker: true,
        activeJobSearch: true,
        needsSupport: true,
        ableAndWilling: true,
        qualificationLevel: rng.int(2, 5),
        prescriber: 'FRANCE_TRAVAIL',
        prescriberContact: `Conseillère <conseil${index}@francetravail.${DOMAIN}>`,
      },
      participantId: null,
    };
  });
}

export const todayIn = (instant: number): CalendarDate => parisDate(instant);
