import bcrypt from 'bcryptjs';
import type { ColumnModel } from '../schema/schema-model';
import type { SeededRandom } from '../provisioning/seeded-random';
import { checkSetValue } from './set-values';

/**
 * Values per row in `set` (issue 29, point 1), besides one constant for
 * every row:
 * - `{"template": "user-{n}@example.org"}`: `{n}` is the row's number within
 *   the node (from 1), `{salt}` the request's salt (differs per request);
 * - `{"oneOf": ["todo", "done"]}`: the values in turn, row by row;
 * - `{"weights": {"todo": 3, "done": 1}}`: drawn by weight from the node's
 *   seeded stream (the same seed, the same draw);
 * - `{"bcrypt": "testpass123"}` (optionally `"cost": 4..12`, default 10): a
 *   bcrypt hash the application's bcrypt.compare accepts, salted from the
 *   seed so the same seed gives the same hash.
 * Each value is checked like a constant (type, length, enum, CHECK lists)
 * before anything is written; on json columns an object is the value itself.
 */
export type PerRowForm =
  | { form: 'template'; template: string }
  | { form: 'oneOf'; values: unknown[] }
  | { form: 'weights'; entries: Array<{ value: unknown; weight: number }> }
  | { form: 'bcrypt'; secret: string; cost: number };

export class PerRowValue {
  constructor(readonly spec: PerRowForm) {}

  toJSON(): unknown {
    return this.spec;
  }

  /** Values it can give, for checks of the kind the whole set makes (templates with a sample salt, not bcrypt hashes). */
  samples(): unknown[] {
    const spec = this.spec;
    if (spec.form === 'template') return [render(spec.template, 0, SALT_SAMPLE)];
    if (spec.form === 'oneOf') return spec.values;
    if (spec.form === 'weights') return spec.entries.map((entry) => entry.value);
    return [];
  }

  /** Whether `rows` rows must repeat a value: fewer choices than rows, a template without {n}, one hash for all. */
  repeatsOver(rows: number): boolean {
    const spec = this.spec;
    if (rows < 2) return false;
    if (spec.form === 'template') return !spec.template.includes('{n}');
    if (spec.form === 'oneOf') return spec.values.length < rows;
    if (spec.form === 'weights') return spec.entries.length < rows;
    return true;
  }
}

const FORMS = new Set(['template', 'oneOf', 'weights', 'bcrypt']);
/** A template's placeholders: nothing else in braces is read. */
const PLACEHOLDER = /\{(n|salt)\}/g;
/** What {salt} stands for while checking: as long as the real one. */
const SALT_SAMPLE = 'a'.repeat(12);
export const MAX_CHOICES = 100;
const MAX_SECRET_BYTES = 72;

/** Whether a set value is meant as a per-row form (an object with one of the form keys) on a column where objects are not values. */
export function isPerRowForm(column: ColumnModel, value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if ((column.baseType === 'json' || column.baseType === 'jsonb') && !column.isArray) return false;
  return Object.keys(value).some((key) => FORMS.has(key));
}

/** The parsed form, or the problem to report at `set.<column>`. */
export function parsePerRowValue(column: ColumnModel, value: Record<string, unknown>, rows: number): PerRowValue | string {
  const keys = Object.keys(value);
  const form = keys.find((key) => FORMS.has(key))!;
  const extra = keys.filter((key) => key !== form && !(form === 'bcrypt' && key === 'cost'));
  if (extra.length > 0) return `${form} takes no ${extra.join(', ')}`;
  const check = (candidate: unknown): string | undefined => checkSetValue(column, candidate);
  if (form === 'template') {
    const template = value.template;
    if (typeof template !== 'string' || template.length === 0) return 'template must be a text such as "user-{n}@example.org"';
    const sample = (row: number): string => render(template, row, SALT_SAMPLE);
    return check(sample(0)) ?? check(sample(rows - 1)) ?? new PerRowValue({ form: 'template', template });
  }
  if (form === 'oneOf') {
    const values = value.oneOf;
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_CHOICES) return `oneOf must be a list of 1 to ${MAX_CHOICES} values`;
    for (const candidate of values) {
      const problem = check(candidate);
      if (problem) return `oneOf: ${problem}`;
    }
    return new PerRowValue({ form: 'oneOf', values });
  }
  if (form === 'weights') {
    const weights = value.weights;
    if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) return 'weights must be an object of value to weight, e.g. {"todo": 3, "done": 1}';
    const entries = Object.entries(weights as Record<string, unknown>);
    if (entries.length === 0 || entries.length > MAX_CHOICES) return `weights must name 1 to ${MAX_CHOICES} values`;
    const parsed: Array<{ value: unknown; weight: number }> = [];
    for (const [key, weight] of entries) {
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) return `weights: the weight of ${JSON.stringify(key)} must be a number above 0`;
      const candidate = valueOfKey(column, key);
      const problem = check(candidate);
      if (problem) return `weights: ${problem}`;
      parsed.push({ value: candidate, weight });
    }
    return new PerRowValue({ form: 'weights', entries: parsed });
  }
  const secret = value.bcrypt;
  const cost = value.cost ?? 10;
  if (typeof secret !== 'string' || secret.length === 0 || Buffer.byteLength(secret) > MAX_SECRET_BYTES) return `bcrypt takes the password as a text of 1 to ${MAX_SECRET_BYTES} bytes`;
  if (!Number.isInteger(cost) || (cost as number) < 4 || (cost as number) > 12) return 'cost must be a whole number from 4 to 12';
  const problem = check('$2b$10$' + 'a'.repeat(53));
  if (problem) return `bcrypt: ${problem} (a bcrypt hash is 60 characters)`;
  return new PerRowValue({ form: 'bcrypt', secret, cost: cost as number });
}

/** A weights key as the column's value: JSON keys are text, so numbers and booleans are read back. */
function valueOfKey(column: ColumnModel, key: string): unknown {
  if (['int2', 'int4', 'numeric', 'float4', 'float8'].includes(column.baseType) && /^-?\d+(\.\d+)?$/.test(key)) return Number(key);
  if (column.baseType === 'bool' && (key === 'true' || key === 'false')) return key === 'true';
  return key;
}

function render(template: string, row: number, salt: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => (name === 'n' ? String(row + 1) : salt));
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Each row's value; bcrypt hashes once per node (asynchronously, so other requests keep being served). */
export async function perRowValues(value: PerRowValue, rows: number, random: SeededRandom, salt: string): Promise<(row: number) => unknown> {
  const spec = value.spec;
  switch (spec.form) {
    case 'template':
      return (row) => render(spec.template, row, salt);
    case 'oneOf':
      return (row) => spec.values[row % spec.values.length];
    case 'weights': {
      // Drawn now, in row order: the stream goes back to its pool when the column is planned.
      const drawn = Array.from({ length: rows }, () => random.weighted(spec.entries));
      return (row) => drawn[row];
    }
    case 'bcrypt': {
      // bcrypt's salt is 22 characters of its own base64: drawn from the seed, the hash repeats with it.
      const bcryptSalt = `$2b$${String(spec.cost).padStart(2, '0')}$${Array.from({ length: 22 }, () => BCRYPT_ALPHABET[random.int(0, 63)]).join('')}`;
      const hash = await bcrypt.hash(spec.secret, bcryptSalt);
      return () => hash;
    }
  }
}
