import fs from 'node:fs';
import Ajv from 'ajv';
import YAML from 'yaml';

/**
 * Per-source rules for sanitized copies, read once at start-up from the file
 * TESTAPI_SOURCE_RULES names (YAML or JSON), beside TESTAPI_SOURCES:
 *
 *   sources:
 *     staging:
 *       customer:
 *         company: keep          # copied as is (and usable in root.where)
 *         notes: mask            # text kept, personal values in it masked
 *         email: { fake: email } # replaced by a fake of this kind
 *         fax: null              # emptied
 *
 * A table is named as requests name it (`customer` or `schema.customer`).
 * Columns the file does not name follow the inferred rules (deny by default).
 */
export type ConfiguredRule = { rule: 'keep' } | { rule: 'mask' } | { rule: 'null' } | { rule: 'fake'; kind: string };

/** source → table → column → rule. */
export type SourceRules = Record<string, Record<string, Record<string, ConfiguredRule>>>;

/** Kinds a `fake:` rule may name: what src/copies/anonymizer.ts can draw. */
export const FAKE_KINDS = [
  'email',
  'first-name',
  'last-name',
  'full-name',
  'username',
  'phone',
  'street',
  'secondary-address',
  'city',
  'state',
  'country',
  'postal-code',
  'company',
  'job-title',
  'url',
  'paragraph',
  'words',
  'birth-date',
  'national-id',
  'card-number',
  'bank-number',
  'ip',
  'secret',
  'uuid',
] as const;

const IDENTIFIER = '^[^.\\s]+(\\.[^.\\s]+)?$';

const RULES_SCHEMA = {
  type: 'object',
  required: ['sources'],
  additionalProperties: false,
  properties: {
    sources: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9_-]{0,62}$' },
      additionalProperties: {
        type: 'object',
        propertyNames: { pattern: IDENTIFIER },
        additionalProperties: {
          type: 'object',
          propertyNames: { pattern: '^\\S+$' },
          additionalProperties: {
            anyOf: [
              { type: 'null' },
              { enum: ['keep', 'mask', 'null', 'fake'] },
              { type: 'object', required: ['fake'], additionalProperties: false, properties: { fake: { enum: FAKE_KINDS } } },
            ],
          },
        },
      },
    },
  },
} as const;

export class SourceRulesError extends Error {}

function toRule(value: unknown): ConfiguredRule {
  // YAML reads a bare `null` as null: it means the rule, not "no rule".
  if (value === null || value === 'null') return { rule: 'null' };
  if (value === 'keep' || value === 'mask') return { rule: value };
  if (value === 'fake') return { rule: 'fake', kind: '' };
  return { rule: 'fake', kind: (value as { fake: string }).fake };
}

/** The rules in `text` (YAML, of which JSON is a subset), checked against the schema above. */
export function parseSourceRules(text: string, sources: readonly string[]): SourceRules {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new SourceRulesError(`not YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(RULES_SCHEMA);
  if (!validate(parsed)) {
    const [first] = (validate.errors ?? []).filter((error) => error.keyword !== 'anyOf');
    const error = first ?? validate.errors![0]!;
    const at = error.instancePath || '/';
    const hint = error.keyword === 'enum' || error.keyword === 'anyOf' || error.keyword === 'type' ? ` (a column's rule is keep, mask, null, fake or {fake: <kind>} with kind one of ${FAKE_KINDS.join(', ')})` : '';
    throw new SourceRulesError(`${at}: ${error.message ?? 'invalid'}${error.keyword === 'propertyNames' ? ` ("${String(error.params.propertyName)}")` : ''}${hint}`);
  }
  const rules: SourceRules = {};
  for (const [source, tables] of Object.entries((parsed as { sources: Record<string, Record<string, Record<string, unknown>>> }).sources)) {
    if (!sources.includes(source)) throw new SourceRulesError(`/sources/${source}: no source "${source}" in TESTAPI_SOURCES (${sources.join(', ') || 'none'})`);
    rules[source] = {};
    for (const [table, columns] of Object.entries(tables)) {
      rules[source][table] = Object.fromEntries(Object.entries(columns).map(([column, value]) => [column, toRule(value)]));
    }
  }
  return rules;
}

export function readSourceRules(file: string, sources: readonly string[]): SourceRules {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SourceRulesError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseSourceRules(text, sources);
}
