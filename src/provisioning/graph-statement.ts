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

/**
 * A small graph and its tag in ONE statement: the tag upsert and one
 * multi-row INSERT per table as data-modifying CTEs. One round trip instead
 * of one per table plus BEGIN/COMMIT, and atomic on its own (foreign keys are
 * checked at the end of the statement, when every CTE has run). The tag is
 * bound once as $1 and created_at is the statement's now(), returned with the
 * tag's expiry so records need no re-read.
 */
export function graphStatement(specs: TableSpecs, batch: Batch, tag: string, ttlSeconds: number): QueryConfig {
  const values: unknown[] = [tag, ttlSeconds];
  const parts = [`tag_lease AS (${TAG_UPSERT_VALUES} RETURNING expires_at, now() AS now)`];
  let rows = 0;
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const records = batch[table];
    if (records.length === 0) continue;
    rows += records.length;
    const { columns } = specs[table];
    const tuples: string[] = [];
    for (const record of records) {
      let tuple = '';
      for (const column of columns) {
        let placeholder: string;
        if (column.property === 'testTag') placeholder = '$1';
        else if (column.property === 'createdAt') placeholder = 'now()';
        else {
          values.push(parameterValue(record[column.property]));
          placeholder = `$${values.length}`;
        }
        tuple += tuple ? `, ${placeholder}` : placeholder;
      }
      tuples.push(`(${tuple})`);
    }
    parts.push(`insert_${table} AS (INSERT INTO "${table}" (${specs[table].columnList}) VALUES ${tuples.join(', ')})`);
  }
  const text = `WITH ${parts.join(', ')} SELECT expires_at, now FROM tag_lease`;
  const name = rows <= PREPARED_MAX_ROWS ? `testapi_graph_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : undefined;
  return { name, text, values };
}

export function leaseOf(row: { expires_at: Date; now: Date }): TagLease {
  return { expiresAt: row.expires_at, now: row.now };
}
