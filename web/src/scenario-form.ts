import { h } from './dom.js';

type JsonSchema = Record<string, unknown>;

export interface Field {
  name: string;
  element: HTMLInputElement | HTMLSelectElement;
  /** The value to send, or undefined to leave the field out. */
  read(): unknown;
}

let nextId = 0;
const fieldId = (): string => `field-${++nextId}`;

/** A labelled control with its hint, as one grid cell. */
function wrap(label: string, control: HTMLElement, hint: string | undefined): HTMLDivElement {
  const id = fieldId();
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control, hint && h('p', { class: 'hint', attrs: { id: hintId } }, hint));
}

function bounds(schema: JsonSchema): string | undefined {
  const { minimum, maximum } = schema;
  if (typeof minimum === 'number' && typeof maximum === 'number') return `${minimum} to ${maximum}`;
  if (typeof minimum === 'number') return `at least ${minimum}`;
  if (typeof maximum === 'number') return `at most ${maximum}`;
  return undefined;
}

/**
 * One control per property of a params JSON Schema: enums become selects,
 * integers number inputs with the schema's bounds (the browser then refuses
 * out-of-range values before anything is sent), booleans checkboxes, strings
 * text inputs with their length limits. Defaults are filled in.
 */
export function paramField(name: string, schema: JsonSchema, container: HTMLElement): Field {
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const enumValues = Array.isArray(schema.enum) ? schema.enum.map(String) : undefined;

  if (enumValues) {
    const select = h('select', { attrs: { name } }, ...enumValues.map((value) => h('option', { attrs: { value, selected: value === String(schema.default) } }, value)));
    container.append(wrap(name, select, description));
    return { name, element: select, read: () => select.value };
  }

  if (schema.type === 'boolean') {
    const box = h('input', { attrs: { type: 'checkbox', name, checked: schema.default === true } });
    container.append(wrap(name, box, description));
    return { name, element: box, read: () => box.checked };
  }

  if (schema.type === 'integer' || schema.type === 'number') {
    const input = h('input', {
      attrs: {
        type: 'number',
        name,
        inputmode: 'numeric',
        min: typeof schema.minimum === 'number' ? schema.minimum : undefined,
        max: typeof schema.maximum === 'number' ? schema.maximum : undefined,
        step: schema.type === 'integer' ? 1 : 'any',
        value: typeof schema.default === 'number' ? schema.default : undefined,
      },
    });
    const hint = [bounds(schema), description].filter(Boolean).join('. ') || undefined;
    container.append(wrap(name, input, hint));
    return { name, element: input, read: () => (input.value === '' ? undefined : input.valueAsNumber) };
  }

  const input = h('input', {
    attrs: {
      type: 'text',
      name,
      minlength: typeof schema.minLength === 'number' ? schema.minLength : undefined,
      maxlength: typeof schema.maxLength === 'number' ? schema.maxLength : undefined,
      value: typeof schema.default === 'string' ? schema.default : undefined,
      autocomplete: 'off',
    },
  });
  container.append(wrap(name, input, description));
  return { name, element: input, read: () => (input.value === '' ? undefined : input.value) };
}

/** The request fields every scenario shares (openapi.yaml Tag, Seed, TtlSeconds). */
export function commonFields(scenario: string, container: HTMLElement): { tag: HTMLInputElement; seed: HTMLInputElement; ttl: HTMLInputElement } {
  const suggestion = `${scenario}-${Math.random().toString(16).slice(2, 8)}`.slice(0, 64);
  const tag = h('input', {
    attrs: { type: 'text', name: 'tag', required: true, maxlength: 64, pattern: '[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}', value: suggestion, autocomplete: 'off', spellcheck: 'false' },
  });
  const seed = h('input', { attrs: { type: 'number', name: 'seed', min: 0, max: 2147483647, step: 1, inputmode: 'numeric' } });
  const ttl = h('input', { attrs: { type: 'number', name: 'ttlSeconds', min: 1, max: 2592000, step: 1, inputmode: 'numeric' } });
  container.append(
    wrap('Tag', tag, 'Letters, digits, ".", "_", ":" and "-"; delete it later from the Tags view.'),
    wrap('Seed', seed, 'Optional: the same seed gives the same data.'),
    wrap('Expires after (seconds)', ttl, 'Optional: the service default when empty.'),
  );
  return { tag, seed, ttl };
}
