import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DOMAIN_TABLES_INSERT_ORDER, type DomainTable } from '../../src/db/tables';
import type { GraphRows } from './graph';
import { assignIds, COLUMNS, rowValues, type SqlValue } from './graph-columns';

/** COPY text of a graph, built before the clock starts: the ceiling excludes generation. */
export interface PreparedCopy {
  tag: string;
  rows: number;
  tables: { table: DomainTable; sql: string; chunks: string[] }[];
}

const CHUNK_CHARS = 1 << 20;

function copyField(value: SqlValue): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c) : value;
}

export function prepareCopy(tag: string, graph: GraphRows): PreparedCopy {
  const ids = assignIds(graph);
  const tables: PreparedCopy['tables'] = [];
  let rows = 0;
  for (const table of DOMAIN_TABLES_INSERT_ORDER) {
    const count = graph[table].length;
    if (count === 0) continue;
    const chunks: string[] = [];
    let chunk = '';
    for (let i = 0; i < count; i += 1) {
      chunk += `${rowValues(table, graph, ids, tag, i).map(copyField).join('\t')}\n`;
      if (chunk.length >= CHUNK_CHARS) {
        chunks.push(chunk);
        chunk = '';
      }
    }
    if (chunk) chunks.push(chunk);
    tables.push({ table, sql: `COPY ${table} (${COLUMNS[table].join(', ')}) FROM STDIN`, chunks });
    rows += count;
  }
  return { tag, rows, tables };
}

/** Registers the tag the way the service does, so cleanup finds it the same way. */
export async function registerTag(client: PoolClient, tag: string): Promise<void> {
  await client.query(`INSERT INTO test_tags (tag, expires_at) VALUES ($1, now() + interval '1 day') ON CONFLICT (tag) DO NOTHING`, [tag]);
}

/** One COPY per table, parents first; the caller owns the transaction. */
export async function writeCopy(client: PoolClient, prepared: PreparedCopy): Promise<void> {
  for (const { sql, chunks } of prepared.tables) {
    await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
  }
}

/** Prepared graph written and committed in one transaction, with its tag registered. */
export async function copyInOneTransaction(client: PoolClient, prepared: PreparedCopy): Promise<void> {
  await client.query('BEGIN');
  try {
    await registerTag(client, prepared.tag);
    await writeCopy(client, prepared);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
