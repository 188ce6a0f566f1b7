import { kindByName, type ColumnContext } from '../schema/generators';
import type { ColumnModel, TableModel } from '../schema/schema-model';
import type { ConfiguredRule } from './source-rules';

/**
 * What a sanitized copy does with each column, deny by default: a column is
 * copied as is only when testapi can show it names no one (a key, which is
 * remapped anyway; a number, boolean, enum or closed list; a date or time
 * that is not a birth date) or when the source's configuration says `keep`.
 * Everything text-like (text, varchar, char, citext, arrays of them, json,
 * jsonb, composites and types testapi does not know) is replaced, or masked
 * where configuration asks for the text to stay. Names decide before types
 * and defaults: an `email text NOT NULL DEFAULT ''` is an email, a `phone`
 * stored as bigint a phone. Secrets are replaced whatever configuration says.
 */
export type RuleName = 'keep' | 'fake' | 'mask' | 'null';

export interface ColumnRule {
  rule: RuleName;
  /** What a fake is drawn as (fake), or what masked text's parts are (mask); null otherwise. */
  kind: string | null;
  /** root.where and ids may use it: its values are copied as is and name no one, so filtering on them reveals nothing. */
  filterable: boolean;
  reason: string;
}

export const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
export const JSON_TYPES = new Set(['json', 'jsonb']);
const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'money', 'float4', 'float8', 'oid']);
const TIME_TYPES = new Set(['date', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Types faker can draw a value of (see value-factory), for columns that are neither text nor kept. */
const DRAWN_TYPES: Record<string, string> = { uuid: 'uuid', bytea: 'bytes', inet: 'ip', cidr: 'ip', macaddr: 'mac', xml: 'xml', tsvector: 'tsvector' };

/** Kinds that describe a person (by the column's name). */
export const PERSON_KINDS: Record<string, string> = {
  email: 'an email address',
  'first-name': "a person's name",
  'last-name': "a person's name",
  'full-name': "a person's name",
  username: 'a user name',
  phone: 'a phone number',
  street: 'an address',
  'secondary-address': 'an address',
  'postal-code': 'an address',
  city: 'an address',
  state: 'an address',
  'birth-date': 'a birth date',
  paragraph: 'free text (notes can name anyone)',
  ip: 'an IP address',
  'card-number': 'a card number',
  'bank-number': 'a bank account',
  'national-id': 'a national identifier',
  secret: 'a secret',
};

/** Kinds whose values the masker looks for in masked text, as names. */
export const NAME_KINDS = new Set(['first-name', 'last-name', 'full-name', 'username']);

/** Names no generator has, most specific first: they hold people whatever the type. */
const NAME_RULES: Array<[RegExp, string]> = [
  [/(password|passwd|passphrase|(^|_)digest$|token|secret|(^|_)api_?key|(^|_)private_?key|credential|(^|_)salt$|(^|_)otp(_|$)|(^|_)pin$)/, 'secret'],
  [/(^|_)(card_?(number|no|num|last_?4|pan)|cc_?(number|num)|pan)$/, 'card-number'],
  [/(^|_)(iban|bic|swift|account_?(number|no|num)|bank_?account|routing_?(number|no)|sort_?code)$/, 'bank-number'],
  [/(^|_)(ssn|sin|nin|social_?security(_?number)?|national_?id|tax_?id|passport(_?number)?|driver_?licen[cs]e(_?number)?)$/, 'national-id'],
  [/(^|_)(birth_?date|birthday|date_?of_?birth|dob|born(_?on|_?at)?)(_|$)/, 'birth-date'],
  [/(^|_)(ip|ip_?address|remote_?addr|client_?ip)$/, 'ip'],
  [/(^|_)e?mails?(_?address(es)?)?$/, 'email'],
];

const KEY_KINDS = new Set(['foreign-key', 'sequence', 'identity', 'generated', 'tag', 'key-integer', 'key-text', 'key-uuid']);

function contextOf(table: TableModel, column: ColumnModel): ColumnContext {
  const fk = table.foreignKeys.find((candidate) => candidate.columns.includes(column.name));
  return { table: table.name, siblings: new Set(table.columns.map((each) => each.name)), isPrimaryKey: table.primaryKey.includes(column.name), foreignKey: fk?.name ?? null };
}

/** The person a column's name says it holds, whatever its type or default. */
function personByName(table: TableModel, column: ColumnModel): { kind: string; why: string } | undefined {
  const name = column.name.toLowerCase();
  for (const [pattern, kind] of NAME_RULES) if (pattern.test(name)) return { kind, why: 'column name' };
  const named = kindByName(column, contextOf(table, column));
  if (named && PERSON_KINDS[named.kind]) return { kind: named.kind, why: named.reason.replace(/, salted per request \(unique\)$/, '') };
  return undefined;
}

/** Text, json, arrays of them, and every type testapi cannot read as a number, a truth value or a time. */
export function isTextLike(column: ColumnModel): boolean {
  return TEXT_TYPES.has(column.baseType) || JSON_TYPES.has(column.baseType) || !(NUMBER_TYPES.has(column.baseType) || TIME_TYPES.has(column.baseType) || column.baseType === 'bool' || column.enumValues !== null || column.baseType in DRAWN_TYPES);
}

/** What a text column's fake is drawn as when its name says nothing about a person: what the name says otherwise, else words. */
function textKind(table: TableModel, column: ColumnModel): string {
  if (JSON_TYPES.has(column.baseType)) return 'json';
  const named = kindByName(column, contextOf(table, column));
  if (named && TEXT_KINDS.has(named.kind)) return named.kind;
  return column.baseType === 'bpchar' ? 'letters' : 'words';
}
const TEXT_KINDS = new Set(['company', 'job-title', 'url', 'slug', 'currency', 'color', 'title', 'name', 'genre', 'department', 'language', 'country', 'country-code', 'words']);

function isKey(table: TableModel, column: ColumnModel): boolean {
  return table.primaryKey.includes(column.name) || KEY_KINDS.has(column.generator.kind) || table.foreignKeys.some((fk) => fk.columns.includes(column.name));
}

function inferred(table: TableModel, column: ColumnModel): ColumnRule {
  const person = personByName(table, column);
  if (isKey(table, column)) {
    const fk = table.foreignKeys.find((candidate) => candidate.columns.includes(column.name));
    const what = fk ? `foreign key ${fk.name}` : 'a key';
    // A key is never copied (fresh keys, foreign keys remapped), but a filter on a key that is a person (an email, an SSN) would still tell who is in the source.
    const filterable = !isTextLike(column) && !person;
    return { rule: 'keep', kind: null, filterable, reason: `keep: ${what} (remapped to fresh keys, never copied as is)${filterable ? '' : '; not filterable: its values may name a person'}` };
  }
  if (person) return { rule: 'fake', kind: person.kind, filterable: false, reason: `fake: ${PERSON_KINDS[person.kind]} (${person.kind}: ${person.why}, whatever the type or default)` };
  if (column.enumValues) return { rule: 'keep', kind: null, filterable: true, reason: `keep: enum ${column.enumName} (a closed list of the schema's own values)` };
  if (column.allowed && column.allowed.length > 0) return { rule: 'keep', kind: null, filterable: true, reason: 'keep: a closed list of values (CHECK ... IN)' };
  if (NUMBER_TYPES.has(column.baseType)) return { rule: 'keep', kind: null, filterable: true, reason: `keep: a number (${column.type})` };
  if (column.baseType === 'bool') return { rule: 'keep', kind: null, filterable: true, reason: 'keep: a boolean' };
  if (TIME_TYPES.has(column.baseType)) return { rule: 'keep', kind: null, filterable: true, reason: `keep: a date or time that is not a birth date (${column.type})` };
  if (TEXT_TYPES.has(column.baseType)) {
    return { rule: 'fake', kind: textKind(table, column), filterable: false, reason: `fake: text (${column.type}) may name anyone; replaced unless TESTAPI_SOURCE_RULES says keep or mask` };
  }
  if (JSON_TYPES.has(column.baseType)) {
    return { rule: 'fake', kind: 'json', filterable: false, reason: `fake: ${column.type} (its structure, numbers and booleans kept, every text in it replaced)` };
  }
  const drawn = DRAWN_TYPES[column.baseType];
  if (drawn) return { rule: 'fake', kind: drawn, filterable: false, reason: `fake: a ${column.type} may identify someone; replaced by a random one` };
  return {
    rule: 'null',
    kind: null,
    filterable: false,
    reason: `null: type ${column.type} is not one testapi can fake (a composite, range or extension type may hold text)${column.nullable ? '' : '; the column is NOT NULL, so copies of this table are refused until TESTAPI_SOURCE_RULES says keep or mask'}`,
  };
}

/** The configured rule of a column, if any: by `schema.table` or by the table's name. */
function configuredRule(table: TableModel, column: ColumnModel, configured: SourceTableRules): ConfiguredRule | undefined {
  return configured[table.key]?.[column.name] ?? configured[table.label]?.[column.name] ?? configured[table.name]?.[column.name];
}

/** One source's rules, table → column → rule (config.sourceRules[source]). */
export type SourceTableRules = Readonly<Record<string, Readonly<Record<string, ConfiguredRule>>>>;

/** The rule for one column of a copy from a source with `configured` rules (empty: the inferred rules alone). */
export function columnRule(table: TableModel, column: ColumnModel, configured: SourceTableRules = {}): ColumnRule {
  const base = inferred(table, column);
  const wanted = configuredRule(table, column, configured);
  if (!wanted) return base;
  const said = `TESTAPI_SOURCE_RULES says ${wanted.rule === 'fake' ? `fake${wanted.kind ? `: ${wanted.kind}` : ''}` : wanted.rule}`;
  if (isKey(table, column)) {
    return { ...base, reason: `${base.reason} (${said}: keys are always remapped)` };
  }
  if (base.kind === 'secret' && (wanted.rule === 'keep' || wanted.rule === 'mask')) {
    return { ...base, reason: `fake: a secret is always replaced (${said}, ignored)` };
  }
  switch (wanted.rule) {
    case 'keep':
      return { rule: 'keep', kind: null, filterable: true, reason: `keep: ${said} (inferred ${base.reason})` };
    case 'mask':
      if (!isTextLike(column)) return { ...base, reason: `${base.reason} (${said}: masking applies to text only)` };
      return { rule: 'mask', kind: null, filterable: false, reason: `mask: ${said}: emails, phone numbers, names, card and bank numbers, dates and keys in it are masked (inferred ${base.reason})` };
    case 'null':
      return { rule: 'null', kind: null, filterable: false, reason: `null: ${said}${column.nullable ? '' : '; the column is NOT NULL, so copies of this table are refused'}` };
    case 'fake': {
      const kind = wanted.kind || base.kind || textKind(table, column);
      return { rule: 'fake', kind, filterable: false, reason: `fake: ${said} (inferred ${base.reason})` };
    }
  }
}

/** Rules of every column of a table, in column order. */
export function tableRules(table: TableModel, configured: SourceTableRules = {}): Array<{ column: ColumnModel; rule: ColumnRule }> {
  return table.columns.map((column) => ({ column, rule: columnRule(table, column, configured) }));
}

/** A column whose rule leaves it empty but PostgreSQL would refuse empty. */
export function unwritable(column: ColumnModel, rule: ColumnRule): boolean {
  return rule.rule === 'null' && !column.nullable;
}
