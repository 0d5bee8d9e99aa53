import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import { toDbDate } from '../db/dates.ts';
import { parisDate, type CalendarDate } from '../domain/dates.ts';
import { describeIssues, identityKey, type ParticipantInput } from '../domain/participant.ts';
import { referralSchema } from '../forms/referral-form.ts';
import type { PathwayPolicy } from '../domain/pathway-policy.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import type { TaskTimings } from '../domain/tasks.ts';
import type { Logger } from '../logging.ts';
import { pathwayWorkflowId, type Channel } from '../../workflows/pathway-messages.ts';
import { coordinatorsOf } from '../staff/directory.ts';
import { PathwayAlreadyStartedError, startPathway, workflowExists } from '../temporal/pathway-client.ts';

/** Bad input: `problems` are French sentences for the person who typed it. */
export class InvalidInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Données invalides : ${problems.join(' ; ')}`);
    this.name = 'InvalidInputError';
  }
}

export class DuplicateParticipantError extends Error {
  constructor(readonly existingId: string) {
    super(`Cette personne est déjà enregistrée (même nom, prénom et date de naissance) : participant ${existingId}.`);
    this.name = 'DuplicateParticipantError';
  }
}

export interface CreateParticipantDeps {
  /** The PLIE the new records belong to. */
  plieCode: string;
  db: Db;
  temporal: Client;
  taskQueue: string;
  coordinatorEmail: string;
  timings: TaskTimings;
  /** The PLIE's rules for new pathways (the CASA protocol's when absent). */
  policy?: PathwayPolicy;
  /** The PLIE's configuration (eligibility rules, territory), for assessments made outside the workflow. */
  config?: PlieConfig;
  logger: Logger;
}

/** The situation a referral gives, as the record keeps it: unknown stays null; the orientation is today unless said. */
export function situationRecord(input: ParticipantInput, today: CalendarDate) {
  return {
    sex: input.sex ?? null,
    postalCode: input.postalCode ?? null,
    qualificationLevel: input.qualificationLevel ?? null,
    minimumIncome: input.minimumIncome ?? null,
    longTermJobSeeker: input.longTermJobSeeker ?? null,
    exclusionRisk: input.exclusionRisk ?? null,
    activeJobSearch: input.activeJobSearch ?? null,
    selfEmployed: input.selfEmployed ?? false,
    needsSupport: input.needsSupport ?? null,
    ableAndWilling: input.ableAndWilling ?? null,
    qpv: input.qpv ?? false,
    rqth: input.rqth ?? false,
    singleParent: input.singleParent ?? null,
    rqthLightRestriction: input.rqthLightRestriction ?? null,
    discriminationVictim: input.discriminationVictim ?? null,
    veryShortPartTime: input.veryShortPartTime ?? null,
    prescriber: input.prescriber ?? null,
    prescriberContact: input.prescriberContact ?? null,
    orientationDate: toDbDate(input.orientationDate ?? today),
  };
}

/** The participant is recorded but the pathway could not start: the same request, repeated, finishes it. */
export class PathwayNotStartedError extends Error {
  constructor(readonly participantId: string) {
    super(
      `Participant enregistré (${participantId}), mais son parcours n’a pas pu démarrer : le serveur Temporal ne répond pas. ` +
        'Relancez la même demande quand il répondra : le parcours démarrera, sans doublon (le système le démarre aussi de lui-même dans les minutes qui suivent).',
    );
    this.name = 'PathwayNotStartedError';
  }
}


/**
 * Records a participant, then starts their pathway workflow. Creation is idempotent: when the
 * same person is already recorded but their workflow never started (the server was down, or the
 * process stopped in between), the same request starts it; when it did start, it is refused.
 */
export async function createParticipant(
  deps: CreateParticipantDeps,
  raw: unknown,
  by: { actor: string; channel: Channel },
): Promise<{ participantId: string; workflowId: string }> {
  const parsed = referralSchema.safeParse(raw);
  if (!parsed.success) {
    deps.logger.info({ channel: by.channel, problems: parsed.error.issues.length }, 'création refusée : données invalides');
    throw new InvalidInputError(describeIssues(parsed.error));
  }
  const input = parsed.data;
  const today = parisDate(new Date());
  if (input.orientationDate && input.orientationDate > today) {
    deps.logger.info({ channel: by.channel }, 'création refusée : orientation datée du futur');
    throw new InvalidInputError(['date d’orientation : elle ne peut pas être dans le futur']);
  }
  const key = identityKey(input);
  let participantId: string = randomUUID();

  try {
    await deps.db.$transaction(async (tx) => {
      await tx.participant.create({
        data: {
          id: participantId,
          firstName: input.firstName,
          lastName: input.lastName,
          plieCode: deps.plieCode,
          identityKey: key,
          birthDate: toDbDate(input.birthDate),
          email: input.email ?? null,
          phone: input.phone ?? null,
          commune: input.commune ?? null,
          ...situationRecord(input, today),
          createdBy: by.actor,
        },
      });
      await tx.pathway.create({ data: { id: pathwayWorkflowId(participantId), participantId, stage: 'orientation' } });
      await tx.auditEvent.create({
        data: {
          actor: by.actor,
          channel: by.channel,
          action: 'participant.create',
          entityType: 'participant',
          entityId: participantId,
        },
      });
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    const existing = await deps.db.participant.findUniqueOrThrow({
      where: { plieCode_identityKey: { plieCode: deps.plieCode, identityKey: key } },
      select: { id: true, externalId: true },
    });
    // Someone from an imported history, or whose pathway did start: the same person, refused.
    if (existing.externalId || (await workflowExists(deps.temporal, pathwayWorkflowId(existing.id)))) {
      throw new DuplicateParticipantError(existing.id);
    }
    deps.logger.warn({ participantId: existing.id }, 'participant déjà enregistré sans parcours : démarrage du parcours');
    participantId = existing.id;
  }

  const workflowId = pathwayWorkflowId(participantId);
  try {
    await startPathway(deps.temporal, deps.taskQueue, {
      participantId,
      coordinatorEmail: deps.coordinatorEmail,
      coordinators: await coordinatorsOf(deps.db, deps.plieCode),
      timings: deps.timings,
      ...(deps.policy ? { policy: deps.policy } : {}),
    });
  } catch (error) {
    // Started by a concurrent identical request: the pathway exists, which is what was asked.
    if (!(error instanceof PathwayAlreadyStartedError)) {
      deps.logger.error({ participantId, err: (error as Error).message }, 'démarrage du parcours impossible');
      throw new PathwayNotStartedError(participantId);
    }
  }
  deps.logger.info({ participantId, workflowId, channel: by.channel }, 'participant créé, parcours démarré');
  return { participantId, workflowId };
}
