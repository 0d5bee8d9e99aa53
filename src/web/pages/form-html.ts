/** A form (src/forms) as a DSFR page: labels, hints, errors tied to their field (aria-describedby). */
import type { Field, FormSpec, RawValues } from '../../forms/fields.ts';
import { escapeHtml } from '../../html.ts';
import { alert, html, join, type Html } from './layout.ts';

const idOf = (field: Field) => `champ-${field.id}`;

function hint(field: Field): string {
  return field.hint ? `<span class="fr-hint-text">${escapeHtml(field.hint)}</span>` : '';
}

function label(field: Field): string {
  return `${escapeHtml(field.label)}${field.optional ? ' (facultatif)' : ''}`;
}

function fieldHtml(field: Field, value: RawValues[string], error: string | undefined, autofocus: boolean): string {
  const id = idOf(field);
  const errorId = `${id}-erreur`;
  const describedBy = error ? ` aria-describedby="${errorId}"` : '';
  const required = field.optional ? '' : ' required';
  const focus = autofocus ? ' autofocus' : '';
  const errorText = error ? `<p id="${errorId}" class="fr-error-text">${escapeHtml(error)}</p>` : '';
  const single = typeof value === 'string' ? value : '';
  switch (field.kind) {
    case 'multiselect': {
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      const boxes = (field.options ?? [])
        .map((o, i) => {
          const boxId = `${id}-${i}`;
          return `<div class="fr-fieldset__element"><div class="fr-checkbox-group"><input type="checkbox" id="${boxId}" name="${escapeHtml(field.id)}" value="${escapeHtml(o.value)}"${chosen.has(o.value) ? ' checked' : ''}><label class="fr-label" for="${boxId}">${escapeHtml(o.label)}</label></div></div>`;
        })
        .join('');
      return `<fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}"${error ? ` aria-describedby="${errorId}"` : ''}><legend class="fr-fieldset__legend">${label(field)}${hint(field)}</legend>${boxes}${errorText ? `<div class="fr-messages-group">${errorText}</div>` : ''}</fieldset>`;
    }
    case 'select': {
      const options = (field.options ?? [])
        .map((o) => `<option value="${escapeHtml(o.value)}"${o.value === single ? ' selected' : ''}>${escapeHtml(o.label)}</option>`)
        .join('');
      return `<div class="fr-select-group${error ? ' fr-select-group--error' : ''}"><label class="fr-label" for="${id}">${label(field)}${hint(field)}</label><select class="fr-select${error ? ' fr-select--error' : ''}" id="${id}" name="${escapeHtml(field.id)}"${describedBy}${required}${focus}><option value=""${single ? '' : ' selected'}>Choisir</option>${options}</select>${errorText}</div>`;
    }
    default: {
      const type = field.kind === 'date' ? 'date' : field.kind === 'number' ? 'text" inputmode="decimal' : 'text';
      const control =
        field.kind === 'textarea'
          ? `<textarea class="fr-input${error ? ' fr-input--error' : ''}" id="${id}" name="${escapeHtml(field.id)}" maxlength="500"${describedBy}${required}${focus}>${escapeHtml(single)}</textarea>`
          : `<input class="fr-input${error ? ' fr-input--error' : ''}" type="${type}" id="${id}" name="${escapeHtml(field.id)}" value="${escapeHtml(single)}"${describedBy}${required}${focus}>`;
      return `<div class="fr-input-group${error ? ' fr-input-group--error' : ''}"><label class="fr-label" for="${id}">${label(field)}${hint(field)}</label>${control}${errorText}</div>`;
    }
  }
}

export function formHtml(
  form: FormSpec,
  opts: { action: string; values?: RawValues; errors?: Record<string, string>; before?: Html; enctype?: 'multipart/form-data' },
): Html {
  const errors = opts.errors ?? {};
  const firstError = form.fields.find((f) => errors[f.id]);
  const summary = firstError
    ? alert('error', 'Le formulaire contient des erreurs', `${Object.keys(errors).length} champ(s) à corriger : ${form.fields.filter((f) => errors[f.id]).map((f) => f.label).join(', ')}.`)
    : html('');
  const fields = form.fields.map((f) => fieldHtml(f, opts.values?.[f.id], errors[f.id], f === firstError)).join('\n');
  return join(
    summary,
    form.intro ? html(`<p>${escapeHtml(form.intro)}</p>`) : html(''),
    html(
      `<form method="post" action="${escapeHtml(opts.action)}"${opts.enctype ? ` enctype="${opts.enctype}"` : ''} novalidate>${opts.before?.html ?? ''}${fields}<div class="fr-mt-4w"><button class="fr-btn" type="submit">${escapeHtml(form.submit)}</button></div></form>`,
    ),
  );
}
