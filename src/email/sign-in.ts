/** The email that carries a sign-in link to the web console. */
import { render, type RenderedEmail } from './templates.ts';

export function signInEmail(args: { url: string; minutes: number; plieName: string }): RenderedEmail {
  return render(`Votre lien de connexion — ${args.plieName}`, [
    'Bonjour,',
    `Vous avez demandé un lien pour vous connecter à l’espace des équipes (${args.plieName}). Ouvrez-le pour accéder à vos tâches et à vos dossiers :`,
    args.url,
    `Il est valable ${args.minutes} minutes et ne sert qu’une fois.`,
    'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : personne ne pourra se connecter sans ce lien.',
  ]);
}
