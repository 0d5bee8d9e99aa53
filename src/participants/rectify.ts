/**
 * Rectification of a participant's facts (identity, contact, situation at referral): only the keys
 * given change; article 3 is assessed again on the corrected record, the earlier assessment staying
 * in the history; the audit keeps what each fact was and became.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import { audit } from '../db/audit.ts';
import { fromDbDate, toDbDate } from '../db/dates.ts';
import { parisDate } from '../domain/dates.ts';
import type { EligibilityResult } from '../domain/eligibility.ts';
import { assessRecord, decisive, noticed } from './assess.ts';
import { rectificationInputSchema, REFERRAL_FORM } from '../forms/referral-form.ts';

/** The facts kept out of Slack, and out of the audit's before/after. */
const SENSITIVE_FACTS = REFERRAL_FORM.fields.filter((f) => f.sensitive).map((f) => f.id);
import { describeIssues, identityKey } from '../domain/participant.ts';
import type { PlieConfig } from '../domain/plie-config.ts';
import { eligibilityRevisedSignal, type Channel } from '../../workflows/pathway-messages.ts';
import { currentPathwayId } from './reenter.ts';
import { DuplicateParticipantError, InvalidInputError, situationRecord } from './create.ts';


export class ParticipantNotFoundError extends Error {
  constructor() {
    super('Aucun participant avec cet identifiant.');
    this.name = 'ParticipantNotFoundError';
  }
}

export interface Rectified {
  participantId: string;
  /** The record's fields that changed. */
  changed: string[];
  eligibility: { decision: EligibilityResult['decision']; reasons: string[] };
}

const comparable = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? null));

export async function rectifyParticipant(
  deps: { db: Db; temporal: Client; plieCode: string; config: PlieConfig },
  participantId: string,
  raw: unknown,
  by: { actor: string; channel: Channel },
): Promise<Rectified> {
  const parsed = rectificationInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
  const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as typeof parsed.data;
  if (Object.keys(given).length === 0) throw new InvalidInputError(['aucun fait à corriger']);
  const today = parisDate(new Date());
  if (given.orientationDate && given.orientationDate > today) throw new InvalidInputError(['date d’orientation : elle ne peut pas être dans le futur']);

  let newKey: string | undefined;
  let rectified: Rectified;
  try {
    rectified = await deps.db.$transaction(async (tx) => {
      const before = await tx.participant.findFirst({ where: { id: participantId, plieCode: deps.plieCode }, include: { exits: true, pathways: { select: { id: true, entryDate: true, createdAt: true } } } });
      if (!before) throw new ParticipantNotFoundError();
      // Erased: there is nothing left to correct, and a name written now would undo the erasure.
      if (before.erasedAt) throw new InvalidInputError(['les données de cette personne ont été effacées : il n’y a plus rien à rectifier']);
      // The situation's columns, as a referral writes them, for the keys given only.
      const situation = situationRecord(given as Parameters<typeof situationRecord>[0], today);
      const data: Record<string, unknown> = {};
      for (const key of Object.keys(given)) {
        if (key === 'birthDate') data.birthDate = toDbDate(given.birthDate!);
        else if (key in situation) data[key] = situation[key as keyof typeof situation];
        else data[key] = given[key as keyof typeof given];
      }
      const identity = { firstName: given.firstName ?? before.firstName, lastName: given.lastName ?? before.lastName, birthDate: given.birthDate ?? fromDbDate(before.birthDate) };
      // An imported homonym keeps the suffix that told them apart.
      if (given.firstName || given.lastName || given.birthDate) {
        newKey = identityKey(identity) + (before.identityKey.includes('#') ? before.identityKey.slice(before.identityKey.indexOf('#')) : '');
        data.identityKey = newKey;
      }
      const changed = Object.keys(data).filter((k) => comparable(data[k]) !== comparable(before[k as keyof typeof before]));
      const after = await tx.participant.update({ where: { id: before.id }, data });

      const { orientedOn, result } = assessRecord(deps.config, { ...after, exits: before.exits, pathways: before.pathways }, today);
      const reasons = result.reasons.map((r) => ({ ...r }));
      await tx.participant.update({ where: { id: before.id }, data: { eligibility: { decision: result.decision, on: today, reasons, priorities: result.priorities.map((p) => p.code) } } });
      await tx.eligibilityAssessment.create({
        data: { id: randomUUID(), participantId: before.id, on: toDbDate(today), orientedOn: toDbDate(orientedOn), decision: result.decision, reasons, source: 'rectification', actor: by.actor },
      });
      await audit(tx, {
        idempotencyKey: `${before.id}/rectification/${randomUUID()}`,
        actor: by.actor,
        channel: by.channel,
        action: 'participant.rectify',
        entityType: 'participant',
        entityId: before.id,
        details: {
          // The trail says that an intimate fact changed, not what it says.
          changes: Object.fromEntries(changed.map((k) => [k, SENSITIVE_FACTS.includes(k) ? { changed: true } : { before: comparable(before[k as keyof typeof before]), after: comparable(data[k]) }])),
          eligibility: { before: (before.eligibility as { decision?: string } | null)?.decision ?? null, after: result.decision },
        },
      });
      return { participantId: before.id, changed, eligibility: { decision: result.decision, reasons: decisive(result), notices: noticed(result) } };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      // The corrected identity is someone else's already.
      const other = await deps.db.participant.findFirst({ where: { plieCode: deps.plieCode, identityKey: newKey ?? '' }, select: { id: true } });
      throw new DuplicateParticipantError(other?.id ?? participantId);
    }
    throw error;
  }
  await tellWaitingPathway(deps, rectified);
  return rectified;
}

/**
 * A pathway still waiting for its referent hears the new assessment (a justification may no longer
 * be needed, an automatic rule may now apply). Should Temporal not answer, the error comes out: the
 * same rectification, repeated, changes nothing more and tells the pathway then.
 */
async function tellWaitingPathway(deps: { db: Db; temporal: Client }, rectified: Rectified): Promise<void> {
  const pathwayId = await currentPathwayId(deps.db, rectified.participantId);
  const pathway = await deps.db.pathway.findUnique({ where: { id: pathwayId }, select: { stage: true } });
  if (pathway?.stage !== 'orientation') return;
  try {
    await deps.temporal.workflow.getHandle(pathwayId).signal(eligibilityRevisedSignal, { decision: rectified.eligibility.decision });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
