import type { Faker } from '@faker-js/faker';
import type { ColumnModel } from '../schema/schema-model';
import { liveChoices } from '../schema/generators';
import { REFERENCE_DATE, type SeededRandom } from '../provisioning/seeded-random';

/**
 * Draws one column's values for the rows of one node from that node's and
 * column's own seeded stream (see graph-values.ts), following the generator
 * chosen at introspection. Lengths, IN lists, enums and range CHECKs are
 * respected here; unique columns carry the request's salt.
 */
export interface DrawContext {
  faker: Faker;
  random: SeededRandom;
  /** A text that no other row of any request carries (request id + node + row). */
  salt(row: number): string;
  /** The request's clock and each row's created time (see row-times.ts); without it, dates sit before REFERENCE_DATE. */
  times?: RowTimes;
}

export interface RowTimes {
  /** The request's clock, in milliseconds. */
  clock: number;
  /** When row `row` of the node was made: shortly before the clock. */
  created(row: number): number;
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];
const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;
const HOUR_SECONDS = 3_600;
const INTEGER_MAX: Record<string, number> = { int2: 32_767, int4: 2_147_483_647, int8: Number.MAX_SAFE_INTEGER };

function fit(text: string, length: number | null): string {
  return length === null ? text : [...text].slice(0, length).join('');
}

/** Base value plus salt, the base cut so that the salt always survives the column's length. */
export function salted(base: string, salt: string, length: number | null, separator = '-'): string {
  if (length === null) return `${base}${separator}${salt}`;
  if (salt.length >= length) return salt.slice(salt.length - length);
  return `${[...base].slice(0, Math.max(0, length - salt.length - separator.length)).join('')}${separator}${salt}`;
}

/**
 * `local.salt@domain` within `length`: the salt keeps its tail (the per-row
 * part) and at least one character of the name; salt-room.ts refuses
 * columns too short for that up front.
 */
export function saltedEmail(local: string, domain: string, salt: string | null, length: number | null): string {
  const at = `@${domain}`;
  if (salt === null) {
    const room = length === null ? local.length : Math.max(1, length - at.length);
    return `${local.slice(0, room).replace(/\.$/, '') || 'u'}${at}`;
  }
  const kept = length === null ? salt : salt.slice(Math.max(0, salt.length - Math.max(1, length - at.length - 2)));
  const room = length === null ? local.length : Math.max(1, length - at.length - kept.length - 1);
  return `${local.slice(0, room).replace(/\.$/, '') || 'u'}.${kept}${at}`;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function decimalBounds(column: ColumnModel, low: number, high: number): [number, number] {
  const scale = column.scale ?? 2;
  const digits = column.precision !== null ? column.precision - scale : null;
  const typeMax = digits !== null ? 10 ** digits - 10 ** -scale : Number.MAX_SAFE_INTEGER;
  const min = Math.max(column.min ?? low, digits !== null ? -typeMax : -Infinity);
  const max = Math.min(column.max ?? Math.max(high, min + high), typeMax);
  return [min, max];
}

function decimal(column: ColumnModel, random: SeededRandom, low: number, high: number): number {
  const scale = column.baseType === 'numeric' ? (column.scale ?? 2) : 2;
  const [min, max] = decimalBounds(column, low, high);
  const factor = 10 ** scale;
  return Math.round((min + random.next() * (max - min)) * factor) / factor;
}

function integer(column: ColumnModel, random: SeededRandom, low: number, high: number): number {
  const typeMax = INTEGER_MAX[column.baseType] ?? 2_147_483_647;
  const min = Math.max(column.min ?? low, -typeMax);
  const max = Math.min(column.max ?? Math.max(high, min + high), typeMax);
  return random.int(Math.ceil(min), Math.floor(max));
}

function dateValue(column: ColumnModel, date: Date): string {
  return column.baseType === 'date' ? isoDate(date) : date.toISOString();
}

const choicesByColumn = new WeakMap<ColumnModel, readonly string[]>();

/** The enum's or list's values a live row may take (generators.ts liveChoices), once per column. */
function liveChoicesOf(column: ColumnModel, values: readonly string[]): readonly string[] {
  let choices = choicesByColumn.get(column);
  if (!choices) choicesByColumn.set(column, (choices = liveChoices(values)));
  return choices;
}

/** One value of a scalar (for arrays: of one element). */
function draw(column: ColumnModel, context: DrawContext, row: number): unknown {
  const { faker, random } = context;
  const length = column.length;
  const unique = column.unique;
  const text = (value: string): string => (unique ? salted(value, context.salt(row), length) : fit(value, length));
  switch (column.generator.kind) {
    case 'enum':
      return random.pick(liveChoicesOf(column, column.enumValues!));
    case 'allowed':
      return random.pick(liveChoicesOf(column, column.allowed!));
    case 'email': {
      const local = `${faker.person.firstName()}.${faker.person.lastName()}`.toLowerCase().replace(/[^a-z0-9.]+/g, '');
      const domain = random.pick(EMAIL_DOMAINS);
      return saltedEmail(local, domain, unique ? context.salt(row) : null, length);
    }
    case 'first-name':
      return text(faker.person.firstName());
    case 'last-name':
      return text(faker.person.lastName());
    case 'full-name':
      return text(faker.person.fullName());
    case 'phone':
      // 555-01xx: reserved for fiction, rings nobody.
      return text(`+1-${random.int(201, 989)}-555-01${String(random.int(0, 99)).padStart(2, '0')}`);
    case 'street':
      return text(faker.location.streetAddress());
    case 'secondary-address':
      return text(faker.location.secondaryAddress());
    case 'city':
      return text(faker.location.city());
    case 'state':
      return text(faker.location.state());
    case 'country':
      return text(faker.location.country());
    case 'country-code':
      return text(faker.location.countryCode('alpha-2'));
    case 'postal-code':
      return text(faker.location.zipCode('#####'));
    case 'company':
      return text(faker.company.name());
    case 'job-title':
      return text(faker.person.jobTitle());
    case 'url':
      return text(`https://${faker.internet.domainWord()}.example.com/${faker.lorem.slug(2)}`);
    case 'username':
      return text(faker.internet.username().toLowerCase());
    case 'paragraph':
      return text(faker.lorem.sentence());
    case 'slug':
      return text(faker.lorem.slug(3));
    case 'currency':
      return text(faker.finance.currencyCode());
    case 'color':
      return text(faker.color.human());
    case 'secret':
      return text(faker.string.hexadecimal({ length: 32, prefix: '' }));
    case 'title':
      return text(faker.book.title());
    case 'name':
      return text(faker.commerce.productName());
    case 'genre':
      return text(faker.music.genre());
    case 'department':
      return text(faker.commerce.department());
    case 'language':
      return text(faker.location.language().name);
    case 'words':
      return text(faker.lorem.words(random.int(1, 3)));
    case 'letters':
      return unique ? salted('', context.salt(row), length ?? 1, '') : faker.string.alpha({ length: length ?? 1, casing: 'upper' });
    case 'money':
      if (column.baseType.startsWith('int')) return integer(column, random, 1, 1000);
      return decimal(column, random, 1, 999.99);
    case 'quantity':
      if (!column.baseType.startsWith('int')) return decimal(column, random, 1, 20);
      return integer(column, random, 1, 20);
    case 'integer':
      return integer(column, random, 1, 1000);
    case 'decimal':
      return decimal(column, random, 1, 1000);
    case 'float':
      return decimal(column, random, 1, 1000);
    case 'boolean':
      return random.chance(0.5);
    case 'birth-date':
      return dateValue(column, new Date(Date.UTC(1950, 0, 1) + random.int(0, 50 * 365) * DAY_MS));
    case 'recent-date':
      if (!context.times) return dateValue(column, random.recentDate(365));
      return dateValue(column, new Date(context.times.clock - random.int(0, 365 * DAY_SECONDS) * 1000));
    case 'created-time':
      return dateValue(column, new Date(context.times ? context.times.created(row) : random.recentDate(365).getTime()));
    case 'later-time': {
      if (!context.times) return dateValue(column, random.recentDate(365));
      const created = context.times.created(row);
      // Whole seconds between the row's creation and the clock, both included.
      return dateValue(column, new Date(created + random.int(0, Math.floor((context.times.clock - created) / 1000)) * 1000));
    }
    case 'future-time': {
      const clock = context.times?.clock ?? REFERENCE_DATE.getTime();
      return dateValue(column, new Date(clock + random.int(HOUR_SECONDS, 30 * DAY_SECONDS) * 1000));
    }
    case 'time':
      return `${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00`;
    case 'interval':
      return `${random.int(1, 30)} days`;
    case 'json':
      return { note: faker.lorem.word(), value: random.int(1, 100) };
    case 'uuid':
      return faker.string.uuid();
    case 'bytes':
      return Buffer.from(faker.string.hexadecimal({ length: 16, prefix: '' }), 'hex');
    case 'tsvector':
      return faker.lorem.words(3);
    case 'ip':
      return faker.internet.ipv4();
    case 'mac':
      return faker.internet.mac();
    case 'xml':
      return `<note>${faker.lorem.word()}</note>`;
    case 'null':
      return null;
    case 'false':
      return false;
    default:
      throw new Error(`no value for generator ${column.generator.kind}`);
  }
}

/** Values of `column` for rows 0..rows-1 of one node, from that column's own stream. */
export function drawColumn(column: ColumnModel, rows: number, context: DrawContext): unknown[] {
  const values: unknown[] = new Array(rows);
  for (let row = 0; row < rows; row += 1) {
    if (column.isArray && column.generator.kind !== 'null') {
      values[row] = [draw(column, context, row), draw(column, context, row)];
    } else values[row] = draw(column, context, row);
  }
  return values;
}
