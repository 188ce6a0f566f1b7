import { createHmac } from 'node:crypto';
import { drawColumn } from '../graphs/value-factory';
import { leaseRandomSources, type SeededRandom } from '../provisioning/seeded-random';
import type { ColumnModel } from '../schema/schema-model';
import { JSON_TYPES, TEXT_TYPES, type ColumnRule } from './anonymize-rules';
import { maskText, looksPersonal } from './text-mask';

/**
 * Personal values replaced by keyed pseudonyms: each fake is drawn from faker
 * seeded by HMAC-SHA256(secret, seed, kind, original). The secret is the
 * service's (TESTAPI_COPY_SECRET, or one generated once and kept in its own
 * schema), never the caller's: a caller who guesses an original cannot
 * confirm the guess from the fake, while one person still maps to the same
 * fake wherever they appear (a join on email still matches), in this copy
 * and in every later copy with the same seed and secret. The seed selects
 * among the pseudonyms; it cannot reproduce them.
 */
const SCRAMBLED = new Set(['card-number', 'bank-number', 'national-id']);
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
const DECIMAL_TYPES = new Set(['numeric', 'money', 'float4', 'float8']);
const DATE_TYPES = new Set(['date', 'timestamp', 'timestamptz']);
const DRAWN_TYPES: Record<string, string> = { uuid: 'uuid', bytea: 'bytes', inet: 'ip', cidr: 'ip', macaddr: 'mac', xml: 'xml', tsvector: 'tsvector' };
const NUMERIC_KEYS = /(phone|mobile|cell|fax|tel|ssn|social|card|iban|account|passport|national|tax|pin|zip|postal)/i;
/** Whole numbers from this size on (nine digits) are treated as identifiers inside JSON: phone, card and account numbers are that long. */
const LONG_NUMBER = 100_000_000;
const MEMO_ENTRIES = 200_000;
/** A JSON key kept as it is: an identifier-like word that names no one. */
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_ -]{0,63}$/;

/** What the fake of a JSON string is drawn as, by its key. */
function kindOfKey(key: string): string {
  const name = key.toLowerCase();
  if (/mail/.test(name)) return 'email';
  if (/(phone|mobile|cell|fax|tel)/.test(name)) return 'phone';
  if (/(first|given|fore)_?name/.test(name)) return 'first-name';
  if (/(last|family|sur)_?name/.test(name)) return 'last-name';
  if (/(user_?name|login|handle|nick)/.test(name)) return 'username';
  if (/name/.test(name)) return 'full-name';
  if (/(birth|dob|born)/.test(name)) return 'birth-date';
  if (/(street|address|line_?1)/.test(name)) return 'street';
  if (/city|town/.test(name)) return 'city';
  if (/(zip|postal|post_?code)/.test(name)) return 'postal-code';
  if (/(ssn|national|passport|tax_?id)/.test(name)) return 'national-id';
  if (/(card|pan)/.test(name)) return 'card-number';
  if (/(iban|account)/.test(name)) return 'bank-number';
  if (/(password|token|secret|key|digest|hash)/.test(name)) return 'secret';
  if (/^(ip|ip_?address)$/.test(name)) return 'ip';
  return 'words';
}

const GENERIC_KINDS = new Set(['words', 'letters', 'paragraph', 'title', 'name', 'json']);

/** What a text looks like, when its shape says more than its column: an address in a list of words is still an address. */
function shapeKind(text: string): string | null {
  const value = text.trim();
  if (/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(value)) return 'email';
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(value)) return 'birth-date';
  if (/^[A-Z]{2}\d{2}[ A-Z0-9]{10,}$/.test(value)) return 'bank-number';
  if (/^\+?[\d\s().-]{7,}$/.test(value) && value.replace(/\D/g, '').length >= 7) return /^\+|^\(|\s/.test(value) ? 'phone' : 'national-id';
  return null;
}

/** Same shape, other characters: a card number stays a 16-digit number with its separators. */
function scramble(value: string, random: SeededRandom): string {
  let out = '';
  for (const char of value) {
    if (/[0-9]/.test(char)) out += DIGITS[random.int(0, 9)];
    else if (/[A-Za-z]/.test(char)) out += LETTERS[random.int(0, 25)];
    else out += char;
  }
  return out;
}

/**
 * A PostgreSQL array literal (`{a,"b c",NULL}`, nested for more dimensions) as nested arrays of
 * texts: rows are read as PostgreSQL prints them, and an array's elements are replaced one by one.
 */
export function parseArrayLiteral(literal: string): unknown[] {
  const text = literal.replace(/^\[[^\]=]*\](?:\[[^\]=]*\])*=/, '');
  let at = 0;
  const parseList = (): unknown[] => {
    const items: unknown[] = [];
    at += 1; // {
    if (text[at] === '}') {
      at += 1;
      return items;
    }
    for (;;) {
      if (text[at] === '{') items.push(parseList());
      else if (text[at] === '"') {
        let value = '';
        at += 1;
        while (at < text.length && text[at] !== '"') {
          if (text[at] === '\\') at += 1;
          value += text[at] ?? '';
          at += 1;
        }
        at += 1;
        items.push(value);
      } else {
        let value = '';
        while (at < text.length && text[at] !== ',' && text[at] !== '}') value += text[(at += 1) - 1];
        const trimmed = value.trim();
        items.push(trimmed.toUpperCase() === 'NULL' ? null : trimmed);
      }
      if (text[at] === ',') at += 1;
      else {
        at += 1; // }
        return items;
      }
    }
  };
  return text.startsWith('{') ? parseList() : [];
}

export class Anonymizer {
  /**
   * @param secret the service's key (TESTAPI_COPY_SECRET or the stored one)
   * @param seed the caller's: it selects which pseudonym a value gets, nothing more
   * @param names words of the copy's person columns (lower case) and their kind, masked wherever masked text holds them
   */
  constructor(
    private readonly secret: Buffer,
    private readonly seed: number,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  /** Fakes already drawn in this copy, by column type, kind and original: repeated values (a country, a status) cost one draw. */
  private readonly drawn = new Map<string, unknown>();

  private digest(kind: string, value: string, round: number): Buffer {
    return createHmac('sha256', this.secret).update(`${this.seed}\u0000${kind}\u0000${round}\u0000${value}`).digest();
  }

  /** The fake of one scalar `original` of kind `kind`, drawn to fit `column` (its type, length, uniqueness). */
  private draw(column: ColumnModel, kind: string, original: string, round: number): unknown {
    const bytes = this.digest(kind, original, round);
    const streams = leaseRandomSources(bytes.readUInt32BE(0));
    try {
      if (SCRAMBLED.has(kind)) return scramble(original, streams.random);
      // Emails carry a keyed tag of the original: two people never share a fake address.
      const tag = bytes.readUInt32BE(4).toString(36);
      const drawn: ColumnModel = { ...column, isArray: false, generator: { kind, reason: 'anonymized' }, unique: column.unique || kind === 'email' };
      // A birth date kept as text reads as a date, not a timestamp.
      if (kind === 'birth-date' && TEXT_TYPES.has(column.baseType)) drawn.baseType = 'date';
      return drawColumn(drawn, 1, { faker: streams.faker, random: streams.random, salt: () => tag })[0];
    } finally {
      streams.release();
    }
  }

  /** The kind a value of this column can be drawn as: text kinds for text, the type's own otherwise. */
  private drawable(column: ColumnModel, kind: string): string | null {
    if (TEXT_TYPES.has(column.baseType)) return kind === 'json' ? 'words' : kind;
    if (INTEGER_TYPES.has(column.baseType)) return 'integer';
    if (DECIMAL_TYPES.has(column.baseType)) return 'decimal';
    if (DATE_TYPES.has(column.baseType)) return kind === 'birth-date' ? 'birth-date' : 'recent-date';
    if (column.baseType === 'bool') return 'boolean';
    return DRAWN_TYPES[column.baseType] ?? null;
  }

  /** One scalar replaced; a fake that happens to equal the original (a common first name) is drawn again. */
  private fakeScalar(column: ColumnModel, kind: string, original: string): unknown {
    if (TEXT_TYPES.has(column.baseType) && original.trim() === '') return original;
    const memo = `${column.type}\u0000${column.length ?? ''}\u0000${column.unique}\u0000${kind}\u0000${original}`;
    if (this.drawn.has(memo)) return this.drawn.get(memo);
    const fake = this.drawFake(column, kind, original);
    if (this.drawn.size < MEMO_ENTRIES) this.drawn.set(memo, fake);
    return fake;
  }

  private drawFake(column: ColumnModel, kind: string, original: string): unknown {
    const shaped = GENERIC_KINDS.has(kind) && TEXT_TYPES.has(column.baseType) ? shapeKind(original) : null;
    const drawKind = this.drawable(column, shaped ?? kind);
    if (drawKind === null) return null;
    let replaced: unknown = null;
    for (let round = 0; round < 5; round += 1) {
      replaced = this.draw(column, drawKind, original, round);
      if (String(replaced) !== original) return replaced;
    }
    return TEXT_TYPES.has(column.baseType) ? this.draw(column, 'secret', original, 0) : replaced;
  }

  /** A number under a key that says it is personal (a phone, an account): other digits, same length. */
  private scrambledNumber(value: number): number {
    const streams = leaseRandomSources(this.digest('number', String(value), 0).readUInt32BE(0));
    try {
      return Number(scramble(String(Math.trunc(Math.abs(value))), streams.random));
    } finally {
      streams.release();
    }
  }

  /** A keyed pseudonym of a text found inside masked text or JSON. */
  readonly pseudonym = (kind: string, original: string): string => {
    const plain: ColumnModel = {
      name: 'masked',
      type: 'text',
      baseType: 'text',
      isArray: false,
      nullable: true,
      default: null,
      identity: null,
      generated: false,
      sequence: null,
      length: null,
      precision: null,
      scale: null,
      enumName: null,
      enumValues: null,
      domainName: null,
      allowed: null,
      min: null,
      max: null,
      unique: false,
      uniqueBy: null,
      generator: { kind, reason: 'anonymized' },
    };
    return String(this.fakeScalar(plain, kind, original));
  };

  private mask(text: string): string {
    return maskText(text, this.names, this.pseudonym);
  }

  /** A JSON value with its structure, numbers and booleans kept and its texts replaced (or masked). */
  private json(value: unknown, key: string, masking: boolean): unknown {
    if (typeof value === 'string') return masking ? this.mask(value) : value === '' ? '' : this.pseudonym(kindOfKey(key), value);
    // A long whole number may be a phone or card number stored as a number: its digits are replaced, its length kept.
    if (typeof value === 'number') return NUMERIC_KEYS.test(key) || (Number.isInteger(value) && Math.abs(value) >= LONG_NUMBER) ? this.scrambledNumber(value) : value;
    if (Array.isArray(value)) return value.map((item) => this.json(item, key, masking));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      const entries = Object.entries(value);
      let position = 0;
      for (const [name, item] of entries) {
        // A key is text too: one that holds a person (an address as a key) is renamed.
        const safe = SAFE_KEY.test(name) && !looksPersonal(name, this.names);
        let renamed = name;
        if (!safe) do renamed = `key_${(position += 1)}`; while (renamed in value || renamed in out);
        out[renamed] = this.json(item, safe ? name : '', masking);
      }
      return out;
    }
    return value;
  }

  private element(value: unknown, column: ColumnModel, rule: ColumnRule): unknown {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map((item) => this.element(item, column, rule));
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (JSON_TYPES.has(column.baseType)) {
      const parsed: unknown = typeof value === 'string' && column.isArray ? JSON.parse(value) : value;
      return this.json(parsed, '', rule.rule === 'mask');
    }
    if (rule.rule === 'mask') return this.mask(text);
    return this.fakeScalar(column, rule.kind ?? 'words', text);
  }

  /** The value a copy writes for `value` of `column` under `rule`. */
  value(value: unknown, column: ColumnModel, rule: ColumnRule): unknown {
    if (value === null || value === undefined || rule.rule === 'keep') return value;
    if (rule.rule === 'null') return null;
    if (column.isArray) {
      const items = typeof value === 'string' ? parseArrayLiteral(value) : (value as unknown[]);
      return items.map((item) => this.element(item, column, rule));
    }
    return this.element(value, column, rule);
  }
}
