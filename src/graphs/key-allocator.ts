import type { Faker } from '@faker-js/faker';
import { escapeIdentifier, type PoolClient } from 'pg';
import { AppError } from '../errors';
import type { ColumnModel, TableModel } from '../schema/schema-model';
import type { SeededRandom } from '../provisioning/seeded-random';

/**
 * Keys PostgreSQL does not assign (no sequence, no identity, no default):
 * allocated under a transaction-level advisory lock per table and column, so
 * two testapi requests take turns (the second one sees the first one's
 * committed rows) and never pick the same key. Rows the application writes
 * without that lock could still collide; the unique index would then make it
 * a 409, never mixed data.
 */
const KEY_LOCK_CLASS = 0x6b657973; // ASCII "keys"
const INTEGER_MAX: Record<string, number> = { int2: 32_767, int4: 2_147_483_647, int8: Number.MAX_SAFE_INTEGER };
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const WORD_KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A word, a dash and six characters of salt need this much room; below it keys stay KEY_ALPHABET codes. */
const WORDED_KEY_MIN_LENGTH = 10;

export function qualifiedName(table: TableModel): string {
  return `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
}

/**
 * The table itself, never the tables inheriting from it (whose keys may
 * repeat the parent's): what every statement on a tag's rows names. A
 * partitioned table is its partitions, so it stays as it is.
 */
export function onlyName(table: TableModel): string {
  return table.partitioned ? qualifiedName(table) : `ONLY ${qualifiedName(table)}`;
}

/**
 * Requests that allocate keys in one table take turns for the rest of their
 * transaction, so under parallel suites a queue forms that LOCK_TIMEOUT_MS
 * (meant for a tag or key held by one long request) would turn into 409s
 * (seen with 24 workers on a loaded machine). A turn lasts one small
 * transaction, so the wait gets its own, longer bound; REQUEST_TIMEOUT_MS
 * still bounds the request as a whole.
 */
const KEY_LOCK_WAIT = '10s';

async function lockKey(client: PoolClient, table: TableModel, column: ColumnModel): Promise<void> {
  const { rows } = await client.query<{ previous: string }>(
    "SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', $1, true) AS waiting",
    [KEY_LOCK_WAIT],
  );
  await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [KEY_LOCK_CLASS, `${table.key}.${column.name}`]);
  await client.query("SELECT set_config('lock_timeout', $1, true)", [rows[0]!.previous]);
}

/**
 * `rows` integers above the largest existing value of the column and above
 * every key testapi handed out before (testapi_key_high_water): a key the
 * application freed by deleting a tag's row is never handed to another tag,
 * whose cleanup could then not tell the two apart.
 */
export async function allocateIntegers(client: PoolClient, table: TableModel, column: ColumnModel, rows: number): Promise<number[]> {
  await lockKey(client, table, column);
  const result = await client.query<{ top: string }>(
    `SELECT greatest(coalesce(max(${escapeIdentifier(column.name)}), 0), coalesce((SELECT top FROM testapi_key_high_water WHERE table_name = $1 AND column_name = $2), 0))::text AS top FROM ${qualifiedName(table)}`,
    [table.key, column.name],
  );
  const top = Number(result.rows[0]!.top);
  const max = Math.min(INTEGER_MAX[column.baseType] ?? Number.MAX_SAFE_INTEGER, column.max ?? Number.MAX_SAFE_INTEGER);
  if (top + rows > max) {
    throw new AppError({
      type: 'graph-rejected',
      title: 'PostgreSQL cannot take these rows',
      status: 422,
      detail: `Table ${table.label}, column ${column.name} (${column.type}): ${rows} new keys above the largest existing one (${top}) would pass ${max}. Give the keys in set, or delete rows.`,
      extensions: { table: table.label, column: column.name, constraint: null },
    });
  }
  const start = Math.max(top, (column.min ?? 1) - 1);
  // Under the same lock, so two requests never read the same mark.
  await client.query(
    `INSERT INTO testapi_key_high_water (table_name, column_name, top) VALUES ($1, $2, $3)
     ON CONFLICT (table_name, column_name) DO UPDATE SET top = greatest(testapi_key_high_water.top, EXCLUDED.top)`,
    [table.key, column.name, start + rows],
  );
  return Array.from({ length: rows }, (_, index) => start + index + 1);
}

/** How far apart fresh keys of a date-like column are, in its own arithmetic. */
const DATE_STEPS: Record<string, { step: string; epoch: string; from: string }> = {
  date: { step: 'g', epoch: "(c - DATE '1970-01-01')", from: "DATE '1970-01-01' + top::int" },
  timestamp: { step: "g * interval '1 second'", epoch: 'extract(epoch FROM c)', from: "to_timestamp(top::float8) AT TIME ZONE 'UTC'" },
  timestamptz: { step: "g * interval '1 second'", epoch: 'extract(epoch FROM c)', from: 'to_timestamp(top::float8)' },
};

export function isDateLike(column: ColumnModel): boolean {
  return column.baseType in DATE_STEPS;
}

/**
 * `rows` dates (or timestamps, a second apart) after the latest the column
 * holds and the latest testapi handed out, as text: a key of type date, like
 * an integer one, needs values no row has had (a copy of a row keyed by its day).
 */
export async function allocateDates(client: PoolClient, table: TableModel, column: ColumnModel, rows: number): Promise<string[]> {
  const { step, epoch, from } = DATE_STEPS[column.baseType]!;
  await lockKey(client, table, column);
  const c = escapeIdentifier(column.name);
  const result = await client.query<{ v: string; mark: string }>(
    `WITH latest AS (
       SELECT greatest(
         (SELECT ${epoch.replace(/\bc\b/g, `max(${c})`)} FROM ${qualifiedName(table)}),
         (SELECT top FROM testapi_key_high_water WHERE table_name = $1 AND column_name = $2)) AS top
     ), base AS (SELECT CASE WHEN top IS NULL THEN ${column.baseType === 'date' ? 'current_date' : column.baseType === 'timestamp' ? 'localtimestamp(0)' : 'now()'}::${column.baseType} ELSE ${from} END AS b FROM latest)
     SELECT (b + ${step})::text AS v, (${epoch.replace(/\bc\b/g, `(b + ${step})`)})::text AS mark FROM base, generate_series(1, $3::int) g ORDER BY g`,
    [table.key, column.name, rows],
  );
  await client.query(
    `INSERT INTO testapi_key_high_water (table_name, column_name, top) VALUES ($1, $2, $3)
     ON CONFLICT (table_name, column_name) DO UPDATE SET top = greatest(testapi_key_high_water.top, EXCLUDED.top)`,
    [table.key, column.name, result.rows[result.rows.length - 1]!.mark],
  );
  return result.rows.map((row) => row.v);
}

/**
 * `rows` distinct texts of the column's length that no existing row holds
 * and, for a one-column key, that no tag's ledger entry names: a seed draws
 * the same texts every time, so a key whose row the application deleted
 * would otherwise be handed to the next tag with the same seed.
 */
export async function allocateTexts(client: PoolClient, table: TableModel, column: ColumnModel, rows: number, random: SeededRandom, faker?: Faker): Promise<string[]> {
  await lockKey(client, table, column);
  const size = Math.min(column.length ?? 12, 12);
  // A key with room for it reads as a word (a tag `dragons-k3x9q2`, not `6NCPE49VOR7V`); short codes stay letters and digits.
  const worded = faker !== undefined && (column.length === null || column.length >= WORDED_KEY_MIN_LENGTH);
  const candidate = (): string =>
    worded
      ? `${faker.lorem.word({ length: { min: 3, max: 8 } })}-${Array.from({ length: 6 }, () => WORD_KEY_ALPHABET[random.int(0, WORD_KEY_ALPHABET.length - 1)]).join('')}`.slice(0, column.length ?? undefined)
      : Array.from({ length: size }, () => KEY_ALPHABET[random.int(0, KEY_ALPHABET.length - 1)]).join('');
  const keys = new Set<string>();
  while (keys.size < rows) keys.add(candidate());
  for (let round = 0; round < 20; round += 1) {
    const taken = await client.query<{ key: string }>(
      `SELECT ${escapeIdentifier(column.name)}::text AS key FROM ${qualifiedName(table)} WHERE ${escapeIdentifier(column.name)}::text = ANY($1::text[])
       UNION ALL
       SELECT l.pk->>0 FROM testapi_row_ledger l WHERE $2::boolean AND l.table_name = $3 AND l.pk IN (SELECT jsonb_build_array(k) FROM unnest($1::text[]) k)`,
      [[...keys], table.primaryKey.length === 1 && table.primaryKey[0] === column.name, table.key],
    );
    if (taken.rowCount === 0) return [...keys];
    for (const row of taken.rows) keys.delete(row.key);
    while (keys.size < rows) keys.add(candidate());
  }
  throw new AppError({
    type: 'graph-rejected',
    title: 'PostgreSQL cannot take these rows',
    status: 422,
    detail: `Table ${table.label}, column ${column.name} (${column.type}): no free key of ${size} characters was found. Give the keys in set.`,
    extensions: { table: table.label, column: column.name, constraint: null },
  });
}
