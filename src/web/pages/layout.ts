/**
 * The pages behind the email links, in the French State design system (DSFR, served from
 * /dsfr) and accessible (RGAA): language, skip link, one h1, labels tied to fields, errors
 * announced and tied to their field, no script needed.
 */
import { escapeHtml } from '../../html.ts';

/** Trusted markup, built by these modules from escaped parts. */
export interface Html {
  html: string;
}

export const html = (markup: string): Html => ({ html: markup });

export interface PageOptions {
  title: string;
  body: Html;
  /** The console's header: who is signed in, sign-out (absent on the emails' link pages). */
  tools?: Html;
  /** The console's main navigation. */
  navigation?: Html;
  /** Lists and files use the whole width; a form alone reads better narrower. */
  wide?: boolean;
  footer?: string;
}

const LINK_FOOTER = 'Ce lien vous est personnel. Les informations transmises servent uniquement à votre accompagnement par le PLIE.';

export function page(opts: PageOptions): string {
  return `<!doctype html>
<html lang="fr" data-fr-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(opts.title)} — PLIE</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
</head>
<body>
<div class="fr-skiplinks">
  <nav class="fr-container" aria-label="Accès rapide">
    <ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Aller au contenu</a></li></ul>
  </nav>
</div>
<header class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand">
          <div class="fr-header__service">
            <p class="fr-header__service-title">PLIE</p>
            <p class="fr-header__service-tagline">Plan local pour l’insertion et l’emploi</p>
          </div>
        </div>${opts.tools ? `\n        <div class="fr-header__tools">${opts.tools.html}</div>` : ''}
      </div>
    </div>
  </div>${opts.navigation ? `\n  ${opts.navigation.html}` : ''}
</header>
<main id="contenu" class="fr-container fr-my-6w" tabindex="-1">
<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12${opts.wide ? '' : ' fr-col-md-8'}">
<h1>${escapeHtml(opts.title)}</h1>
${opts.body.html}
</div></div>
</main>
<footer class="fr-footer">
  <div class="fr-container">
    <div class="fr-footer__body">
      <div class="fr-footer__content">
        <p class="fr-footer__content-desc">${escapeHtml(opts.footer ?? LINK_FOOTER)}</p>
      </div>
    </div>
  </div>
</footer>
</body>
</html>
`;
}

export function alert(kind: 'error' | 'success' | 'info' | 'warning', title: string, text?: string): Html {
  return html(
    `<div class="fr-alert fr-alert--${kind} fr-mb-4w"${kind === 'error' ? ' role="alert"' : ''}><h2 class="fr-alert__title">${escapeHtml(title)}</h2>${text ? `<p>${escapeHtml(text)}</p>` : ''}</div>`,
  );
}

export const paragraph = (text: string): Html => html(`<p>${escapeHtml(text)}</p>`);

export const join = (...parts: Html[]): Html => html(parts.map((p) => p.html).join('\n'));
