import { z } from './validation.ts';
import { clauseConfigSchema } from './procurement.ts';
import { PRESCRIBERS } from './codes.ts';
import { ROLES } from './permissions.ts';

/**
 * What differs from one PLIE to another: its territory, its eligibility thresholds, the durations
 * and hours of its exit criteria, its objectives. The rules take this as input; the CASA protocol
 * 2021–2023 (Articles 2, 3 and 5) is the shipped default.
 */
const communeSchema = z.object({
  /** Official name, as shown to people. */
  name: z.string().min(1),
  postalCodes: z.array(z.string().regex(/^\d{5}$/, 'code postal : 5 chiffres')).min(1),
  /** Other names people write for it: districts (Juan-les-Pins), old or misspelt forms. */
  aliases: z.array(z.string()).default([]),
});

const protocolSchema = (field: string) =>
  z
    .object({ from: z.iso.date({ error: `${field}.from : AAAA-MM-JJ` }), to: z.iso.date({ error: `${field}.to : AAAA-MM-JJ` }) })
    .refine((p) => p.from <= p.to, `${field} : la fin précède le début`);

export const plieConfigSchema = z.object({
  code: z.string().regex(/^[A-Z0-9_]+$/, 'code : majuscules, chiffres et _'),
  name: z.string().min(1),
  territory: z.object({ communes: z.array(communeSchema).min(1) }),
  eligibility: z.object({
    /** Minimum age on the orientation date (Article 3: « plus de 26 ans »). */
    minAge: z.number().int().min(16),
    /** Age admitted by exception when on RSA and not followed by a Mission Locale. */
    rsaExceptionAge: z.number().int().min(16).nullable(),
    /** From this age a person is a « sénior » (a priority, not a condition). */
    seniorAge: z.number().int().min(40),
  }),
  exitCriteria: z.object({
    /** Weekly hours of a full-time job; half of it is the « mi-temps » threshold. */
    fullTimeWeeklyHours: z.number().positive(),
    /** Minimum planned length of a CDD, and of an atypical part-time job. */
    contractMonths: z.number().int().positive(),
    /** Time a civil-service post, a contrat de professionnalisation, a long training or a business must be held. */
    heldMonths: z.number().int().positive(),
    /** Cumulated paid hours, within a window of at most `hoursWindowMonths`. */
    cumulatedHours: z.number().positive(),
    hoursWindowMonths: z.number().int().positive(),
    /** Minimum planned length of an aided contract or an entreprise d'insertion contract (atypical exits). */
    longContractMonths: z.number().int().positive(),
  }),
  /** Exit reasons offered to staff, by exit type (they feed the reports). */
  exitReasons: z.partialRecord(
    z.enum(['POSITIVE', 'ABANDON', 'PARCOURS_LONG', 'ADMINISTRATIVE', 'AUTRE']),
    z.array(z.object({ code: z.string().regex(/^[A-Z0-9_]+$/), label: z.string().min(1) })),
  ),
  commission: z.object({
    members: z.array(z.object({ name: z.string().min(1), email: z.email() })),
    /** Votes needed for a decision (abstentions count): more than half of the members, a share of them ({ share: 0.5 }), or a number ({ count: 3 }). */
    quorum: z.union([z.literal('majority_of_members'), z.object({ share: z.number().gt(0, 'commission.quorum : une part entre 0 et 1').max(1, 'commission.quorum : une part entre 0 et 1') }).strict(), z.object({ count: z.number().int('commission.quorum : un nombre entier de membres').positive('commission.quorum : un nombre entier de membres') }).strict()], {
      error: 'commission.quorum : "majority_of_members", { "share": 0 à 1 } ou { "count": un nombre }',
    }),
    /** Decision rule: majority of the votes expressed (a tie adjourns), majority of the members, or unanimity (see src/domain/commission.ts). */
    decision: z.enum(['majority_of_expressed', 'majority_of_members', 'unanimity'], { error: 'commission.decision : majority_of_expressed, majority_of_members ou unanimity' }),
    voteDays: z.number().int().positive(),
    /** An adjourned case comes back to the next session, this many days later. */
    resubmitAfterDays: z.number().int().positive().default(30),
    /** Slack channel (id, e.g. C0123) where cases are posted for the vote; none: members vote by DM or email. */
    slackChannel: z.string().regex(/^[CG][A-Z0-9]+$/, 'canal Slack : un identifiant de canal (C…)').optional(),
  }),
  /**
   * The prescriber's loop: at the exit, and at a reorientation, the prescriber of record gets a short
   * word (type and dates, nothing sensitive) — at the address in the contact given at the referral,
   * else at their service's address here (by PRESCRIBERS code); none known: nothing is sent.
   */
  prescriberNotices: z
    .object({
      enabled: z.boolean().default(true),
      addresses: z.partialRecord(z.enum(PRESCRIBERS), z.email()).default({}),
    })
    .default({ enabled: true, addresses: {} }),
  /**
   * The coordination's own mailbox (tasks of the coordination, escalations). Absent: the
   * deployment's PLIE_COORDINATOR_EMAIL, which should only serve the deployment's own PLIE.
   */
  coordinationEmail: z.email({ error: 'coordinationEmail : adresse email invalide' }).transform((e) => e.toLowerCase()).optional(),
  /** Roles the PLIE lets read its bilan besides the coordination (e.g. CHARGE_RELATION_ENTREPRISE, or ADMIN for its direction). */
  bilanReaders: z.array(z.enum(ROLES, { error: `bilanReaders : un rôle parmi ${ROLES.join(', ')}` })).default([]),
  /** Referent given to every eligible referral automatically (« par règle »); otherwise the coordinator chooses. */
  assignment: z.object({ autoReferentEmail: z.email().nullable().default(null) }).default({ autoReferentEmail: null }),
  pathway: z
    .object({
      /** Without a contact logged for this many days, the referent is prompted. */
      noContactDays: z.number().int().positive().default(30),
      /** Missed appointments in a row before the referent is asked about a rupture. */
      absencesBeforeReview: z.number().int().positive().default(3),
      /** Months in pathway before the « parcours long » question (Article 5). */
      parcoursLongMonths: z.number().int().positive().default(24),
      /** Months of follow-up in employment before a positive exit is confirmed. */
      followUpMonths: z.number().int().positive().default(6),
      /** FSE+: the participant's situation is asked this many months after the exit. */
      fseMonthsAfterExit: z.number().int().positive().default(6),
    })
    .default({ noContactDays: 30, absencesBeforeReview: 3, parcoursLongMonths: 24, followUpMonths: 6, fseMonthsAfterExit: 6 }),
  reminders: z
    .object({
      /** Days before a task is reminded to its assignee, and escalated to the coordination. */
      taskReminderDays: z.number().int().positive(),
      taskEscalationDays: z.number().int().positive(),
    })
    .refine((r) => r.taskEscalationDays > r.taskReminderDays, 'le signalement à la coordination vient après le rappel'),
  /** How long each category is kept (RGPD); the defaults and their sources are in docs/rgpd.md, § 3. */
  retention: z
    .object({
      /** A person's identity and contact, in months after the end of their last pathway; then pseudonymised as by an erasure. */
      identityMonthsAfterExit: z.number().int().min(1, 'retention.identityMonthsAfterExit : un mois au moins').default(24),
      /** Proofs (justificatifs) of a pathway, kept for the FSE+ audit trail until 31 December of the exit's year plus this many years. */
      proofsYearsAfterExit: z.number().int().min(1, 'retention.proofsYearsAfterExit : une année au moins').default(8),
      /** Single-use links already used, ended console sessions, revoked API tokens, in months. */
      securityRecordsMonths: z.number().int().min(1, 'retention.securityRecordsMonths : un mois au moins').default(6),
    })
    .default({ identityMonthsAfterExit: 24, proofsYearsAfterExit: 8, securityRecordsMonths: 6 }),
  /** The clause facilitator's rules: publics accepted, thresholds, pace alert (defaults: common practice, see procurement.ts). */
  clauses: clauseConfigSchema,
  /** The protocole d'accord's period (its avenants extend `to`): the objectives are for all of it. */
  protocol: protocolSchema('protocol').optional(),
  /** The PLIE's earlier protocols: a pathway followed under one of them does not bar a new one (Article 3). */
  earlierProtocols: z.array(protocolSchema('earlierProtocols')).default([]),
  objectives: z.object({
    accompanied: z.number().int().nonnegative(),
    accompaniedRsa: z.number().int().nonnegative(),
    positiveExitShare: z.number().min(0).max(1),
    withContractShare: z.number().min(0).max(1),
  }),
}).superRefine((config, ctx) => {
  // The pathway's workflow asks the FSE+ question that long after the exit, and the questionnaire
  // stays open 60 days: the identity (and the key the workflow decrypts with) must outlive both.
  const least = config.pathway.fseMonthsAfterExit + 3;
  if (config.retention.identityMonthsAfterExit < least) {
    ctx.addIssue({ code: 'custom', path: ['retention', 'identityMonthsAfterExit'], message: `retention.identityMonthsAfterExit : ${least} mois au moins (le suivi FSE+ ${config.pathway.fseMonthsAfterExit} mois après la sortie, puis son questionnaire ouvert deux mois)` });
  }
  // A day belongs to one protocol at most: that is what « le présent protocole » means.
  const spans = configuredProtocols(config).sort((a, b) => a.from.localeCompare(b.from));
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.from <= spans[i - 1]!.to) ctx.addIssue({ code: 'custom', path: ['earlierProtocols'], message: `protocoles : les périodes ${spans[i - 1]!.from} – ${spans[i - 1]!.to} et ${spans[i]!.from} – ${spans[i]!.to} se chevauchent` });
  }
});

export type PlieConfig = z.output<typeof plieConfigSchema>;

/** Every protocol a PLIE configured: the earlier ones and the current one. */
export function configuredProtocols(config: Pick<PlieConfig, 'earlierProtocols' | 'protocol'>): Array<{ from: string; to: string }> {
  return [...config.earlierProtocols, ...(config.protocol ? [config.protocol] : [])];
}
export type PlieConfigInput = z.input<typeof plieConfigSchema>;

/** The CASA protocol (seed: « Protocole d'accord 2021-2023 »). */
export const CASA_CONFIG: PlieConfig = plieConfigSchema.parse({
  code: 'CASA',
  name: 'PLIE de la Communauté d’Agglomération Sophia Antipolis',
  territory: {
    communes: [
      { name: 'Antibes', postalCodes: ['06600', '06160'], aliases: ['Antibes Juan-les-Pins', 'Juan-les-Pins'] },
      { name: 'Le Bar-sur-Loup', postalCodes: ['06620'] },
      { name: 'Bézaudun-les-Alpes', postalCodes: ['06510'] },
      { name: 'Biot', postalCodes: ['06410'] },
      { name: 'Bouyon', postalCodes: ['06510'] },
      { name: 'Caussols', postalCodes: ['06460'] },
      { name: 'Châteauneuf-Grasse', postalCodes: ['06740'], aliases: ['Châteauneuf', 'Châteauneuf-de-Grasse'] },
      { name: 'Cipières', postalCodes: ['06620'] },
      { name: 'La Colle-sur-Loup', postalCodes: ['06480'] },
      { name: 'Conségudes', postalCodes: ['06510'] },
      { name: 'Courmes', postalCodes: ['06620'] },
      { name: 'Coursegoules', postalCodes: ['06140'] },
      { name: 'Les Ferres', postalCodes: ['06510'] },
      { name: 'Gourdon', postalCodes: ['06620'] },
      // The protocol's text spells it « Geôlières ».
      { name: 'Gréolières', postalCodes: ['06620'], aliases: ['Geôlières'] },
      { name: 'Opio', postalCodes: ['06650'] },
      { name: 'Le Rouret', postalCodes: ['06650'] },
      { name: 'Roquefort-les-Pins', postalCodes: ['06330'] },
      { name: 'La Roque-en-Provence', postalCodes: ['06910'] },
      { name: 'Saint-Paul-de-Vence', postalCodes: ['06570'], aliases: ['St-Paul-de-Vence', 'Saint-Paul', 'St-Paul'] },
      { name: 'Tourrettes-sur-Loup', postalCodes: ['06140'], aliases: ['Tourettes-sur-Loup', 'Tourrettes', 'Tourettes'] },
      { name: 'Valbonne', postalCodes: ['06560', '06410'], aliases: ['Valbonne Sophia Antipolis', 'Sophia Antipolis', 'Sophia-Antipolis'] },
      { name: 'Vallauris', postalCodes: ['06220'], aliases: ['Vallauris Golfe-Juan', 'Golfe-Juan'] },
      { name: 'Villeneuve-Loubet', postalCodes: ['06270'] },
    ],
  },
  eligibility: { minAge: 26, rsaExceptionAge: 25, seniorAge: 50 },
  exitCriteria: {
    fullTimeWeeklyHours: 35,
    contractMonths: 6,
    heldMonths: 6,
    cumulatedHours: 910,
    hoursWindowMonths: 9,
    longContractMonths: 12,
  },
  exitReasons: {
    POSITIVE: [
      { code: 'EMPLOI', label: 'Emploi durable' },
      { code: 'CREATION', label: 'Création ou reprise d’entreprise' },
      { code: 'FORMATION', label: 'Formation qualifiante ou diplômante' },
    ],
    ABANDON: [
      { code: 'ENGAGEMENT_NON_RESPECTE', label: 'Non-respect de l’engagement (initiative du PLIE)' },
      { code: 'ABSENCES', label: 'Absences aux rendez-vous (initiative du PLIE)' },
      { code: 'INITIATIVE_PARTICIPANT', label: 'À l’initiative du participant' },
    ],
    PARCOURS_LONG: [{ code: 'PARCOURS_LONG', label: 'Accompagnement de 24 mois ou plus, le PLIE n’est plus l’outil adapté' }],
    ADMINISTRATIVE: [
      { code: 'DEMENAGEMENT', label: 'Déménagement' },
      { code: 'GROSSESSE', label: 'Grossesse' },
      { code: 'RETRAITE', label: 'Retraite' },
      { code: 'INCARCERATION', label: 'Incarcération' },
    ],
    AUTRE: [
      { code: 'SANTE', label: 'Problèmes de santé' },
      { code: 'REORIENTATION', label: 'Réorientation vers une action plus adaptée' },
      { code: 'FAMILLE', label: 'Problèmes familiaux' },
      { code: 'SOCIAL', label: 'Problèmes sociaux' },
    ],
  },
  // Members are named by each PLIE in its own configuration file.
  commission: { members: [], quorum: 'majority_of_members', decision: 'majority_of_expressed', voteDays: 7 },
  reminders: { taskReminderDays: 7, taskEscalationDays: 15 },
  // Article 1 of the protocol: 2021 to 2023.
  protocol: { from: '2021-01-01', to: '2023-12-31' },
  objectives: { accompanied: 750, accompaniedRsa: 480, positiveExitShare: 0.5, withContractShare: 0.4 },
} satisfies PlieConfigInput);
