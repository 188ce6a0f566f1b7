import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';
import { DOMAIN_TABLES_INSERT_ORDER } from '../db/tables';
import type { Batch } from './record-buffer';
import { TAG_UPSERT_VALUES, type TagLease } from './tag-lease.repository';
import type { TableSpecs } from './table-specs';

/** Beyond this many rows a graph is written table by table (and through COPY when large). */
export const ONE_STATEMENT_MAX_ROWS = 1_000;
/** Statements for graphs up to this size are prepared by name: few distinct shapes, parsed and planned once per connection. */
const PREPARED_MAX_ROWS = 64;

export function parameterValue(value: unknown): unknown {
  // pg would format a Date in the process's local time zone; ISO is exact.
  return value instanceof Date ? value.toISOString() : value;
}

/** The statement text and name of one graph shape (rows per table), built once per shape. */
interface Shape {
  text: string;
  name: string | undefined;
}

/** Few shapes occur (a scenario with given params always has the same); bounded anyway. */
const SHAPES_KEPT = 256;
/** Per set of table specs (one per DataSource): the column lists are part of the text. */
const shapesBySpecs = new WeakMap<TableSpecs, Map<string, Shape>>();

function shapeKey(batch: Batch): string {
  let key = '';
  for (const table of DOMAIN_TABLES_INSERT_ORDER) key += `${batch[table].length},`;
  return key;
}

function buildShape(specs: TableSpecs, batch: Batch): Shape {
  const parts = [`tag_lease AS (${TAG_UPSERT_VALUES} RETURNING expires_at, now() AS now)`];
  let next = 3;
  let rows = 0;
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const count = batch[table].length;
    if (count === 0) continue;
    rows += count;
    const { columns } = specs[table];
    const tuples: string[] = [];
    for (let r = 0; r < count; r += 1) {
      const placeholders = columns.map((column) => (column.property === 'testTag' ? '$1' : column.property === 'createdAt' ? 'now()' : `$${next++}`));
      tuples.push(`(${placeholders.join(', ')})`);
    }
    parts.push(`insert_${table} AS (INSERT INTO "${table}" (${specs[table].columnList}) VALUES ${tuples.join(', ')})`);
  }
  const text = `WITH ${parts.join(', ')} SELECT expires_at, now FROM tag_lease`;
  const name = rows <= PREPARED_MAX_ROWS ? `testapi_graph_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : undefined;
  return { text, name };
}

/**
 * A small graph and its tag in ONE statement: the tag upsert and one
 * multi-row INSERT per table as data-modifying CTEs. One round trip instead
 * of one per table plus BEGIN/COMMIT, and atomic on its own (foreign keys are
 * checked at the end of the statement, when every CTE has run). The tag is
 * bound once as $1 and created_at is the statement's now(), returned with the
 * tag's expiry so records need no re-read. The text (and its prepared name)
 * depends only on the rows per table: built and hashed once per shape, so a
 * request only collects its values.
 */
export function graphStatement(specs: TableSpecs, batch: Batch, tag: string, ttlSeconds: number): QueryConfig {
  let shapes = shapesBySpecs.get(specs);
  if (!shapes) {
    shapes = new Map();
    shapesBySpecs.set(specs, shapes);
  }
  const key = shapeKey(batch);
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(specs, batch);
    if (shapes.size >= SHAPES_KEPT) shapes.clear();
    shapes.set(key, shape);
  }
  const values: unknown[] = [tag, ttlSeconds];
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const records = batch[table];
    if (records.length === 0) continue;
    const { columns } = specs[table];
    for (const record of records) {
      for (const column of columns) {
        if (column.property !== 'testTag' && column.property !== 'createdAt') values.push(parameterValue(record[column.property]));
      }
    }
  }
  return { name: shape.name, text: shape.text, values };
}

export function leaseOf(row: { expires_at: Date; now: Date }): TagLease {
  return { expiresAt: row.expires_at, now: row.now };
}
