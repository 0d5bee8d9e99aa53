/** The coordination's form for a person's erasure (RGPD article 17): why, and a confirmation. */
import { z } from '../domain/validation.ts';
import { text, type FormSpec } from './fields.ts';

export const erasureRequestSchema = z.object({
  reason: z.string({ error: 'motif : obligatoire' }).trim().min(3, 'motif : 3 caractères au moins').max(500, 'motif : 500 caractères au plus'),
});

export const ERASURE_FORM: FormSpec = {
  title: 'Effacer les données',
  submit: 'Effacer les données de la personne',
  intro:
    'Le parcours en cours est clos (sortie administrative « effacement »), puis le nom, le prénom, la date de naissance, l’email, le téléphone et le code postal sont remplacés partout par un pseudonyme ; les historiques Temporal de la personne deviennent illisibles. Les données statistiques restent, et les justificatifs jusqu’à la fin de l’obligation du FSE+. C’est définitif.',
  fields: [
    { id: 'reason', label: 'Motif', kind: 'textarea', hint: 'La demande de la personne : par exemple « courrier du 28/11 ». Évitez d’y écrire son nom.' },
    { id: 'confirm', label: 'Je confirme l’effacement, définitif', kind: 'select', options: [{ value: 'oui', label: 'Oui, effacer' }] },
  ],
  toValue: (raw) => ({ reason: text(raw, 'reason') }),
  schema: erasureRequestSchema,
};
