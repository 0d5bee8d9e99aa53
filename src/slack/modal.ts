/** A form (src/forms) as a Slack modal, and the modal's submitted state back as raw values. */
import type { InputBlock, KnownBlock, PlainTextOption, View } from '@slack/types';
import type { Field, FormSpec, RawValues } from '../forms/fields.ts';

const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 150), emoji: true });
const option = (o: { value: string; label: string }): PlainTextOption => ({ text: plain(o.label.slice(0, 75)), value: o.value });

function element(field: Field): InputBlock['element'] {
  switch (field.kind) {
    case 'date':
      return { type: 'datepicker', action_id: 'value' };
    case 'select':
      return { type: 'static_select', action_id: 'value', options: (field.options ?? []).map(option) };
    case 'multiselect':
      return { type: 'multi_static_select', action_id: 'value', options: (field.options ?? []).map(option) };
    case 'number':
      return { type: 'plain_text_input', action_id: 'value' };
    case 'text':
      return { type: 'plain_text_input', action_id: 'value', max_length: 500 };
    case 'textarea':
      return { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 500 };
  }
}

export function formModal(form: FormSpec, opts: { callbackId: string; privateMetadata: string; subtitle?: string }): View {
  const blocks: KnownBlock[] = [];
  const intro = [opts.subtitle, form.intro].filter(Boolean).join('\n');
  if (intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: intro } });
  for (const field of form.fields.filter((f) => !f.sensitive)) {
    blocks.push({
      type: 'input',
      block_id: field.id,
      optional: field.optional ?? false,
      label: plain(field.label),
      element: element(field),
      ...(field.hint ? { hint: plain(field.hint) } : {}),
    });
  }
  return {
    type: 'modal',
    callback_id: opts.callbackId,
    private_metadata: opts.privateMetadata,
    title: plain(form.title.slice(0, 24)),
    submit: plain(form.submit.slice(0, 24)),
    close: plain('Annuler'),
    blocks,
  };
}

/** The shape of `view.state.values` as Slack sends it: block id → action id → element state. */
export type ViewStateValues = Record<string, Record<string, {
  type?: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
}>>;

/**
 * The raw values of a submitted modal. Only what the form asks is read, and only as Slack's
 * elements report it (strings, lists of options): anything else in a payload reads as not given,
 * so that the form, not a crash, answers it.
 */
export function modalValues(form: FormSpec, values: ViewStateValues | undefined): RawValues {
  const raw: RawValues = {};
  const blocks: unknown = values;
  if (blocks === null || typeof blocks !== 'object') return raw;
  // Sensitive facts never come through Slack, even in a crafted payload.
  for (const field of form.fields.filter((f) => !f.sensitive)) {
    const block: unknown = Object.hasOwn(blocks, field.id) ? (blocks as Record<string, unknown>)[field.id] : undefined;
    const state: unknown = block !== null && typeof block === 'object' ? (block as Record<string, unknown>).value : undefined;
    if (state === null || typeof state !== 'object') continue;
    const value = elementValue(state as Record<string, unknown>);
    if (value !== undefined) raw[field.id] = value;
  }
  return raw;
}

const optionValue = (option: unknown): unknown => (option !== null && typeof option === 'object' ? (option as { value?: unknown }).value : undefined);

/** What an element's state says: the options chosen, the option, the date, or the text typed. */
function elementValue(state: Record<string, unknown>): string | string[] | undefined {
  if (Array.isArray(state.selected_options)) {
    const chosen = state.selected_options.map(optionValue);
    return chosen.every((v): v is string => typeof v === 'string') ? chosen : undefined;
  }
  const single = optionValue(state.selected_option) ?? state.selected_date ?? state.value;
  return typeof single === 'string' ? single : undefined;
}
