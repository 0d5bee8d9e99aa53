/** The organiser's page after a collective action: who came, the mises en relation and the hires (checkboxes per invited person). */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import { COLLECTIVE_KIND_LABELS, type CollectiveKind } from '../domain/collective-actions.ts';
import { fileReference, initials } from '../domain/participant.ts';
import { z } from '../domain/validation.ts';
import { list, readForm, type FormSpec, type RawValues } from '../forms/fields.ts';
import type { LinkClaims } from '../links/signed-links.ts';
import { collectiveState, recordCollectiveAttendance } from '../collective/client.ts';
import { formHtml } from './pages/form-html.ts';
import { alert, paragraph } from './pages/layout.ts';
import type { PageResult } from './procurement-pages.ts';

/** Who came and what followed, among the invited people (the organiser's link and the console). */
export function attendanceForm(people: Array<{ value: string; label: string }>): FormSpec {
  return {
    title: 'Présence et suites',
    submit: 'Enregistrer',
    intro: 'Cochez les personnes présentes, puis celles pour qui l’action a mené à une mise en relation avec un employeur, et à une embauche.',
    fields: [
      { id: 'present', label: 'Présent·es', kind: 'multiselect', options: people, optional: true },
      { id: 'misesEnRelation', label: 'Mises en relation', kind: 'multiselect', options: people, optional: true },
      { id: 'hires', label: 'Embauches', kind: 'multiselect', options: people, optional: true },
    ],
    toValue: (raw) => ({ present: list(raw, 'present'), misesEnRelation: list(raw, 'misesEnRelation'), hires: list(raw, 'hires') }),
    schema: z.object({ present: z.array(z.string()), misesEnRelation: z.array(z.string()), hires: z.array(z.string()) }),
  };
}

export function createAttendancePage(deps: { db: Db; temporal: Client }) {
  return async (claims: LinkClaims, action: string, raw?: RawValues): Promise<PageResult> => {
    const found = await deps.db.collectiveAction.findUnique({ where: { id: claims.subject }, include: { invitations: true } });
    if (!found) return { status: 404, title: 'Action introuvable', body: alert('warning', 'Cette action collective n’existe plus.') };
    if ((await collectiveState(deps.temporal, found.id)).figures) return { status: 410, title: 'Déjà saisi', body: alert('info', 'La présence est déjà saisie. Merci !') };
    const participants = await deps.db.participant.findMany({ where: { id: { in: found.invitations.map((i) => i.participantId) } }, orderBy: { lastName: 'asc' } });
    const form = attendanceForm(participants.map((p) => ({ value: p.id, label: `Dossier ${fileReference(p.id)} (${initials(p.firstName, p.lastName)})` })));
    const before = paragraph(`${COLLECTIVE_KIND_LABELS[found.kind as CollectiveKind]} « ${found.title} »${found.company ? ` avec ${found.company}` : ''}.`);
    if (!raw) return { status: 200, title: form.title, body: formHtml(form, { action, before }) };
    const result = readForm(form, raw);
    if (!result.ok) return { status: 400, title: form.title, body: formHtml(form, { action, values: raw, errors: result.errors, before }) };
    const value = result.value as { present: string[]; misesEnRelation: string[]; hires: string[] };
    const state = await recordCollectiveAttendance(deps.temporal, found.id, { ...value, actor: claims.actor ?? '', channel: 'email' });
    const f = state.figures!;
    return { status: 200, title: 'Enregistré', body: alert('success', 'La présence est enregistrée.', `${f.present} présent·es sur ${f.invited} invité·es, ${f.misesEnRelation} mise(s) en relation, ${f.hires} embauche(s).`), done: true };
  };
}
