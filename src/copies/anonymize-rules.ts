import type { AnonymizeRule } from '../config';
import type { ColumnModel, TableModel } from '../schema/schema-model';

/**
 * Which columns hold people, and what a sanitized copy does with them:
 * inferred from the generator testapi already chose by name and type (an
 * email, a name, a phone, an address part, a birth date, free-text notes, an
 * IP) plus a few names no generator has (card and bank numbers, national ids),
 * then overridden per column in configuration (TESTAPI_ANONYMIZE). Keys are
 * never touched: they are replaced by fresh ones anyway, and joins need them.
 */
export interface ColumnRule {
  rule: AnonymizeRule;
  /** What the fake value is drawn as (a generator kind, or one of the kinds below). */
  kind: string | null;
  reason: string;
}

const PERSONAL_KINDS: Record<string, string> = {
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
  'birth-date': 'a birth date',
  paragraph: 'free text (notes can name anyone)',
  secret: 'a secret',
  ip: 'an IP address',
};

/** Names no generator recognises, most specific first. */
const NAME_RULES: Array<[RegExp, string, string]> = [
  [/(^|_)(card_?(number|no|num|last_?4|pan)|cc_?(number|num)|pan)$/, 'card-number', 'a card number'],
  [/(^|_)(iban|bic|swift|account_?(number|no|num)|bank_?account|routing_?(number|no)|sort_?code)$/, 'bank-number', 'a bank account'],
  [/(^|_)(ssn|social_?security(_?number)?|national_?id|tax_?id|passport(_?number)?)$/, 'national-id', 'a national identifier'],
  [/(^|_)(ip|ip_?address|remote_?addr|client_?ip)$/, 'ip', 'an IP address'],
];

const KEY_KINDS = new Set(['foreign-key', 'sequence', 'identity', 'generated', 'tag', 'key-integer', 'key-text', 'key-uuid']);

function inferred(table: TableModel, column: ColumnModel): ColumnRule {
  const keep = (reason: string): ColumnRule => ({ rule: 'keep', kind: null, reason });
  if (table.primaryKey.includes(column.name) || KEY_KINDS.has(column.generator.kind) || table.foreignKeys.some((fk) => fk.columns.includes(column.name))) {
    return keep('keep: a key (replaced by a fresh one, never copied as is)');
  }
  const name = column.name.toLowerCase();
  for (const [pattern, kind, what] of NAME_RULES) {
    if (pattern.test(name)) return { rule: 'fake', kind, reason: `fake: ${what} (column name)` };
  }
  const what = PERSONAL_KINDS[column.generator.kind];
  if (what) return { rule: 'fake', kind: column.generator.kind, reason: `fake: ${what} (${column.generator.reason})` };
  return keep('keep: not personal (amounts, statuses, dates and counts stay real)');
}

/** The rule for one column: configuration (`table.column` or `schema.table.column`) over inference. */
export function columnRule(table: TableModel, column: ColumnModel, overrides: Readonly<Record<string, AnonymizeRule>>): ColumnRule {
  const base = inferred(table, column);
  const configured = overrides[`${table.key}.${column.name}`] ?? overrides[`${table.name}.${column.name}`];
  if (!configured || configured === base.rule) return base;
  return { rule: configured, kind: base.kind ?? column.generator.kind, reason: `${configured}: TESTAPI_ANONYMIZE (inferred ${base.reason})` };
}

/** Rules of every column of a table that is not kept, by column name. */
export function tableRules(table: TableModel, overrides: Readonly<Record<string, AnonymizeRule>>): Map<string, ColumnRule> {
  const rules = new Map<string, ColumnRule>();
  for (const column of table.columns) {
    const rule = columnRule(table, column, overrides);
    if (rule.rule !== 'keep') rules.set(column.name, rule);
  }
  return rules;
}
