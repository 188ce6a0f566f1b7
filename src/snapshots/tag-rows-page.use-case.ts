import { escapeIdentifier } from 'pg';
import { notFound, validationError } from '../errors';
import { recordSelectList } from '../graphs/record-format';
import { rejectUnknown, single } from '../tags/tag-query';
import type { FieldError } from '../errors';
import type { SchemaRegistry } from '../schema/schema-registry';
import type { TableModel } from '../schema/schema-model';
import { tagRowsFrom } from './tag-rows';
import type { Queryable } from '../db/transaction';
import { findTag } from '../tags/tag.repository';

/**
 * GET /tags/{tag}/rows?table=T (issue 31): the tag's rows of one table as
 * they are stored now, in the records' format, a page at a time in key
 * order. A row the application deleted is not there; one it changed shows
 * its values now; one it replaced under the same key is not the tag's and
 * is left out (row-identity.ts), as cleanup would leave it.
 */
export const ROWS_PAGE_DEFAULT = 100;
export const ROWS_PAGE_MAX = 1_000;

export interface TagRowsQuery {
  table: string;
  limit: number;
  cursor?: string;
}

export interface TagRowsPage {
  tag: string;
  table: string;
  rows: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

export interface TagRowsDeps {
  pool: Queryable;
  schema?: SchemaRegistry;
}

function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key the previous page ended on, as text per key column; undefined when the cursor is not one of ours for this table. */
function decodeCursor(cursor: string, table: TableModel): string[] | undefined {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(key) && key.length === table.primaryKey.length && key.every((part) => typeof part === 'string' && part.length <= 1024) ? (key as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export async function tagRowsPage(deps: TagRowsDeps, tag: string, query: TagRowsQuery): Promise<TagRowsPage> {
  const index = deps.schema ? await deps.schema.current() : undefined;
  const table = index?.resolve(query.table);
  if (!table) throw validationError([{ path: 'table', message: `unknown table "${query.table}" (GET /schema lists the tables; qualify it as schema.table when the name is ambiguous)` }]);
  if (table.primaryKey.length === 0) throw validationError([{ path: 'table', message: `table ${table.label} has no primary key: testapi keeps no rows of it` }]);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, table);
  if (query.cursor !== undefined && !after) throw validationError([{ path: 'cursor', message: 'cursor is not one this endpoint gave for this table: pass nextCursor back as it came' }]);
  if (!(await findTag(deps.pool, tag))) throw notFound(`Tag "${tag}" is not registered.`);

  const { from, where, params: paramsOf } = tagRowsFrom(table);
  const params = paramsOf(tag);
  const key = table.primaryKey.map((name) => `t.${escapeIdentifier(name)}`);
  let keyset = '';
  if (after) {
    const typed = table.primaryKey.map((name, position) => {
      params.push(after[position]);
      return `$${params.length}::${table.columns.find((column) => column.name === name)!.type}`;
    });
    keyset = ` AND (${key.join(', ')}) > (${typed.join(', ')})`;
  }
  params.push(query.limit + 1);
  // The tag's rows first (the ledger's columns stay inside), then the records' format over them alone.
  const inner = `SELECT t.* FROM ${from} WHERE ${where}${keyset} ORDER BY ${key.join(', ')} LIMIT $${params.length}`;
  const order = table.primaryKey.map((name) => escapeIdentifier(name)).join(', ');
  const keyText = table.primaryKey.map((name) => `${escapeIdentifier(name)}::text`).join(', ');
  const result = await deps.pool.query<Record<string, unknown>>(
    `SELECT ${recordSelectList(table)}, ARRAY[${keyText}] AS testapi_page_key FROM (${inner}) t ORDER BY ${order}`,
    params,
  );
  const more = result.rows.length > query.limit;
  const page = result.rows.slice(0, query.limit);
  const lastKey = page[page.length - 1]?.testapi_page_key as string[] | undefined;
  for (const row of page) delete row.testapi_page_key;
  return { tag, table: table.label, rows: page, nextCursor: more && lastKey ? encodeCursor(lastKey) : null };
}

/** GET /tags/{tag}/rows: `table` (required), `limit` (1 to ROWS_PAGE_MAX) and `cursor`. */
export function parseTagRowsQuery(query: Parameters<typeof single>[0]): TagRowsQuery {
  const errors: FieldError[] = [];
  rejectUnknown(query, ['table', 'limit', 'cursor'], errors);
  const table = single(query, 'table', errors);
  const rawLimit = single(query, 'limit', errors);
  const cursor = single(query, 'cursor', errors);
  if (table === undefined || table === '') errors.push({ path: 'table', message: 'table is required: the table whose rows of the tag to list (GET /tags/{tag} names them)' });
  const limit = rawLimit === undefined ? ROWS_PAGE_DEFAULT : /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= ROWS_PAGE_MAX)) errors.push({ path: 'limit', message: `limit must be a whole number from 1 to ${ROWS_PAGE_MAX}` });
  if (errors.length > 0) throw validationError(errors);
  return { table: table!, limit, ...(cursor !== undefined ? { cursor } : {}) };
}
