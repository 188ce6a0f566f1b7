import type { ColumnModel, Generator } from './schema-model';

/**
 * Picks how testapi fills each column, and says why: the column's role first
 * (computed by PostgreSQL, a key, the tag, an enum or CHECK list), then its
 * name (emails, names, phones, money...), then its type. The choice is data
 * (a kind and a reason) so GET /schema can show it and the value factory can
 * act on it; nothing here draws a value.
 */

/** Kinds whose column is left out of the INSERT: PostgreSQL fills it. */
export const DATABASE_FILLED = new Set(['generated', 'identity', 'sequence', 'default']);

export interface ColumnContext {
  table: string;
  /** Column names of the table: `title` next to `first_name` is a job title. */
  siblings: ReadonlySet<string>;
  isPrimaryKey: boolean;
  /** The constraint when the column belongs to a foreign key. */
  foreignKey: string | null;
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const DECIMAL_TYPES = new Set(['numeric', 'money', 'float4', 'float8']);
const DATE_TYPES = new Set(['date', 'timestamp', 'timestamptz']);

/** Name rules, most specific first: [pattern, kind, types it applies to]. */
const NAME_RULES: Array<[RegExp, string, 'text' | 'number' | 'date' | 'any']> = [
  [/(^|_)e?mail(_?address)?$/, 'email', 'text'],
  [/^(first_?name|given_?name|fname|forename)$/, 'first-name', 'text'],
  [/^(last_?name|surname|family_?name|lname)$/, 'last-name', 'text'],
  [/(^|_)(full_?name|contact_?name|customer_?name|person_?name|display_?name)$/, 'full-name', 'text'],
  [/(phone|fax|mobile|cell|telephone)/, 'phone', 'text'],
  [/(^|_)(address_?2|line_?2)$/, 'secondary-address', 'text'],
  [/(^|_)(address|address_?1|street|street_?address|line_?1)$/, 'street', 'text'],
  [/(^|_)city$/, 'city', 'text'],
  [/(^|_)(state|province|region|district|county)$/, 'state', 'text'],
  [/(^|_)country_?code$/, 'country-code', 'text'],
  [/(^|_)country$/, 'country', 'text'],
  [/(^|_)(postal_?code|zip|zip_?code|post_?code)$/, 'postal-code', 'text'],
  [/(^|_)(company|company_?name|organi[sz]ation|organi[sz]ation_?name|employer)$/, 'company', 'text'],
  [/(^|_)(job_?title|contact_?title|position)$/, 'job-title', 'text'],
  [/(^|_)(url|uri|website|web_?site|homepage|home_?page|link|photo_?path|avatar|image|picture|photo|thumbnail|logo|icon)$/, 'url', 'text'],
  [/(^|_)(user_?name|login|handle|nickname)$/, 'username', 'text'],
  [/(^|_)(description|comment|comments|notes?|bio|summary|body|remarks)$/, 'paragraph', 'text'],
  [/(^|_)slug$/, 'slug', 'text'],
  [/(^|_)currency(_?code)?$/, 'currency', 'text'],
  [/(^|_)(colou?r)$/, 'color', 'text'],
  [/(^|_)(password|password_?hash|hash|token|secret)$/, 'secret', 'text'],
  [/(^|_)title$/, 'title', 'text'],
  [/(^|_)name$/, 'name', 'text'],
  [/(price|amount|total|cost|freight|fee|balance|salary|rate|subtotal|tax)/, 'money', 'number'],
  [/(quantity|qty|units|stock|count|number_of|reorder_level)/, 'quantity', 'number'],
  [/(^|_)(birth_?date|birthday|date_of_birth|dob)$/, 'birth-date', 'date'],
  [/(_at|_date|_on|_time|^date|^time|timestamp)$/, 'recent-date', 'date'],
];

/**
 * Times that must agree within a row (issue 28): a row is made at its
 * created time, shortly before the request's clock; other `*_at` columns
 * (updated, last login, published) fall between that and the clock; expiry
 * and due dates lie after the clock. Names are read in snake_case
 * (Sequelize's `createdAt` is `created_at`).
 */
const CREATED_TIME = /^(date_)?(created|inserted|registered|joined|signed_?up|added|creation|create)(_(at|on|date|time|timestamp|ts))?$/;
const FUTURE_TIME = /^(expires?|expiry|expiration|due|deadline|valid_(until|to|thru)|renews?|renewal|next_[a-z_]+)(_(at|on|date|time|timestamp))?$|_(due|deadline|expiry)$/;
const LATER_TIME = /(_at|_ts)$|^(updated|modified|changed|edited|last_[a-z_]+)$/;
const DATABASE_CLOCK = /^(now\(\)|current_timestamp|current_date|localtimestamp|transaction_timestamp\(\)|statement_timestamp\(\)|clock_timestamp\(\)|\('now'::text\)::(timestamp|date)[a-z ]*)$/i;

function snakeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The time role of a date column by its name, or undefined for a plain date (recent past). */
function timeRole(column: ColumnModel): Generator | undefined {
  const name = snakeName(column.name);
  if (/(birth|dob|born)/.test(name)) return undefined;
  if (CREATED_TIME.test(name)) return { kind: 'created-time', reason: "created-time: shortly before the request's clock (the row's own creation)" };
  if (FUTURE_TIME.test(name)) return { kind: 'future-time', reason: "future-time: after the request's clock (an expiry or due date)" };
  if (LATER_TIME.test(name)) return { kind: 'later-time', reason: "later-time: between the row's created time and the request's clock" };
  return undefined;
}

/**
 * `DEFAULT now()` says "the time of writing", which the request's clock
 * stands for: testapi fills such a column itself, so that it agrees with the
 * row's other times and a pinned clock repeats it.
 */
function isClockDefault(column: ColumnModel): boolean {
  return column.default !== null && DATE_TYPES.has(column.baseType) && DATABASE_CLOCK.test(column.default.trim());
}

/** What `name` means in a table of this name. */
const TABLE_NAMES: Array<[RegExp, string]> = [
  [/(artist|actor|author|person|people|employee|customer|user|member|contact|staff|player|student|teacher)/, 'full-name'],
  [/(company|supplier|vendor|publisher|organi[sz]ation|shipper|carrier|tenant|account)/, 'company'],
  [/(genre)/, 'genre'],
  [/(categor|department|tag|topic|type)/, 'department'],
  [/(city|town)/, 'city'],
  [/(country)/, 'country'],
  [/(language)/, 'language'],
];

function typeClass(column: ColumnModel): 'text' | 'number' | 'date' | 'other' {
  if (TEXT_TYPES.has(column.baseType)) return 'text';
  if (INTEGER_TYPES.has(column.baseType) || DECIMAL_TYPES.has(column.baseType)) return 'number';
  if (DATE_TYPES.has(column.baseType)) return 'date';
  return 'other';
}

function byName(column: ColumnModel, context: ColumnContext, anyType = false): Generator | undefined {
  // camelCase reads as snake_case: Sequelize's imageUrl is image_url, firstName first_name.
  const name = snakeName(column.name);
  const kind = typeClass(column);
  for (const [pattern, generator, applies] of NAME_RULES) {
    if (!pattern.test(name) || (!anyType && applies !== 'any' && applies !== kind)) continue;
    // `title` beside a person's name is a job title; elsewhere (album, film) a work's title.
    if (generator === 'title' && (context.siblings.has('first_name') || context.siblings.has('last_name'))) {
      return { kind: 'job-title', reason: 'job title: column name next to a person name' };
    }
    // A bare `name` says little: the table says whose name it is.
    if (generator === 'name') {
      const byTable = TABLE_NAMES.find(([table]) => table.test(context.table.toLowerCase()));
      if (byTable) return { kind: byTable[1], reason: `${byTable[1]}: column name in table ${context.table}` };
    }
    return { kind: generator, reason: `${generator}: column name` };
  }
  return undefined;
}

/**
 * What the column's name alone says it holds, whatever its type, default or
 * role: sanitized copies decide by it who is a person (an `email` with
 * DEFAULT '' is still an email; a `phone` stored as bigint still a phone),
 * where chooseGenerator lets PostgreSQL fill a column that has a default.
 */
export function kindByName(column: ColumnModel, context: ColumnContext): Generator | undefined {
  return byName(column, context, true);
}

const TYPE_KINDS: Record<string, string> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'decimal',
  money: 'decimal',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  text: 'words',
  varchar: 'words',
  citext: 'words',
  name: 'words',
  bpchar: 'letters',
  date: 'recent-date',
  timestamp: 'recent-date',
  timestamptz: 'recent-date',
  time: 'time',
  timetz: 'time',
  interval: 'interval',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  bytea: 'bytes',
  tsvector: 'tsvector',
  inet: 'ip',
  cidr: 'ip',
  macaddr: 'mac',
  xml: 'xml',
};

const UNIQUE_BECAUSE = { constraint: 'unique', declaration: 'unique by TESTAPI_UNIQUE', inference: 'unique by inference: the application identifies rows by it' };

function unique(generator: Generator, column: ColumnModel): Generator {
  return column.uniqueBy ? { ...generator, reason: `${generator.reason}, salted per request (${UNIQUE_BECAUSE[column.uniqueBy]})` } : generator;
}

/**
 * A default that is one constant (`''`, `0`, `'none'::text`): every row would
 * get the same value, so a unique column with one cannot take it. A call
 * (nextval, gen_random_uuid(), now()) makes a fresh value and stays the database's.
 */
const CONSTANT_DEFAULT = /^\(*('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)\)*(::[a-z0-9_ ."[\]()]+)*$/i;

export function isConstantDefault(expression: string): boolean {
  return CONSTANT_DEFAULT.test(expression.trim()) && !/\w\s*\(\s*\)/.test(expression);
}

/**
 * Columns whose value marks a row's end (soft-deleted, archived, cancelled,
 * paid...): a value there makes the application treat the row as gone or
 * done, so they are left empty unless `set` gives one. camelCase names
 * (Sequelize's deletedAt, isArchived) read the same once lower-cased.
 */
const END_STATE = /^(is_?)?(deleted|archived|cancell?ed|expired|revoked|disabled|deactivated|suspended|banned|blocked|accepted|paid|closed|completed|finished|ended|removed|trashed|discarded|locked|rejected|refunded|voided)(_?(at|on|date|time|timestamp))?$/;

/** Values of an enum or IN list that mark an ended row (`deleted`, `archived`, `cancelled`): drawn only when nothing else is allowed. */
const ENDED_VALUE = /^(deleted|archived|cancell?ed|expired|revoked|disabled|deactivated|suspended|banned|blocked|removed|trashed|discarded|locked|rejected|refunded|voided|inactive|closed)$/i;

export function liveChoices(values: readonly string[]): readonly string[] {
  const live = values.filter((value) => !ENDED_VALUE.test(value));
  return live.length > 0 ? live : values;
}

function endState(column: ColumnModel): Generator | undefined {
  if (!END_STATE.test(column.name.toLowerCase())) return undefined;
  if (column.baseType === 'bool') return { kind: 'false', reason: 'false: the column marks an end state (rows look alive unless set)' };
  if (column.nullable && DATE_TYPES.has(column.baseType)) return { kind: 'null', reason: 'null: the column marks an end state (rows look alive unless set)' };
  return undefined;
}

/**
 * A constant default on a column with a known set of values (an enum, an IN
 * list, a range CHECK: `status DEFAULT 'todo'`, `priority DEFAULT 3 CHECK
 * (priority BETWEEN 1 AND 5)`): taking it would make every row alike, so
 * testapi draws from the set instead (states that look ended are left out,
 * see value-factory.ts).
 */
function variesDespiteDefault(column: ColumnModel): boolean {
  if (column.default === null || !isConstantDefault(column.default) || column.isArray) return false;
  return (column.enumValues?.length ?? 0) > 1 || (column.allowed?.length ?? 0) > 1 || (column.min !== null && column.max !== null && column.max > column.min);
}

/** The generator for one column of a modelled table. */
export function chooseGenerator(column: ColumnModel, context: ColumnContext): Generator {
  if (column.generated) return { kind: 'generated', reason: 'skipped: generated column' };
  if (column.identity === 'always') return { kind: 'identity', reason: 'identity: assigned by PostgreSQL (GENERATED ALWAYS)' };
  if (column.identity === 'by default') return { kind: 'identity', reason: 'identity: assigned by PostgreSQL (GENERATED BY DEFAULT)' };
  if (column.sequence) return { kind: 'sequence', reason: `default: nextval('${column.sequence}')` };
  if (column.name === 'test_tag' && typeClass(column) === 'text') return { kind: 'tag', reason: 'tag: the request tag (test_tag column)' };
  if (context.foreignKey) return { kind: 'foreign-key', reason: `foreign key: ${context.foreignKey} (parent node, connect, set, or a parent created for it)` };
  const clocked = DATE_TYPES.has(column.baseType) && !column.isArray && !context.isPrimaryKey ? timeRole(column) : undefined;
  if (clocked && isClockDefault(column)) return { ...clocked, reason: `${clocked.reason}; instead of DEFAULT ${column.default}` };
  if (column.default !== null && !(column.unique && isConstantDefault(column.default)) && !variesDespiteDefault(column)) return { kind: 'default', reason: `default: ${column.default}` };
  if (context.isPrimaryKey) {
    if (INTEGER_TYPES.has(column.baseType)) return { kind: 'key-integer', reason: 'key: allocated above the largest existing key, under a per-table lock' };
    if (column.baseType === 'uuid') return { kind: 'key-uuid', reason: 'key: random uuid' };
    if (TEXT_TYPES.has(column.baseType)) return { kind: 'key-text', reason: 'key: allocated text, checked against existing rows under a per-table lock' };
    return { kind: 'none', reason: `none: a key of type ${column.type} (give it in set)` };
  }
  const ending = endState(column);
  if (ending) return ending;
  const varied = column.default !== null ? `, varied across rows (DEFAULT ${column.default} only when set gives it)` : '';
  if (column.enumValues && column.enumValues.length > 0) return { kind: 'enum', reason: `enum: ${column.enumName}${varied}` };
  if (column.allowed && column.allowed.length > 0) {
    return { kind: 'allowed', reason: `${column.domainName ? `domain: ${column.domainName} (IN list)` : 'check: IN list'}${varied}` };
  }
  if (clocked && !column.unique) return clocked;
  const named = byName(column, context);
  if (named) return unique({ ...named, reason: `${named.reason}${varied}` }, column);
  const kind = TYPE_KINDS[column.baseType];
  if (kind) {
    const why = column.domainName ? `domain: ${column.domainName} over ${column.baseType}` : `type: ${column.type}`;
    return unique({ kind, reason: `${kind}: ${why}${varied}` }, column);
  }
  if (column.nullable) return { kind: 'null', reason: `null: no generator for type ${column.type}` };
  return { kind: 'none', reason: `none: no generator for type ${column.type} (give it in set)` };
}
