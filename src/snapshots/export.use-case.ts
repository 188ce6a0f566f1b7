import type { Pool, PoolClient } from 'pg';
import { inReadOnlySnapshot } from '../db/transaction';
import { AppError, notFound } from '../errors';
import type { ModelIndex } from '../schema/schema-model';
import type { SchemaRegistry } from '../schema/schema-registry';
import { insertOrder } from './insert-order';
import { describeTable, modelFingerprint, SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, type SnapshotHeader } from './snapshot-format';
import { countTagRows, streamTagRows } from './tag-rows';

export interface ExportDeps {
  pool: Pool;
  schema: SchemaRegistry;
  exportSlots: ExportSlots;
}

export type SnapshotEncoding = 'json' | 'ndjson';

/** Where the document goes, piece by piece; `write` resolves once the piece may be followed (backpressure). */
export interface TextSink {
  write(text: string): Promise<void>;
}

/**
 * GET /tags/{tag}/export: the tag's rows, parents first, written to `sink`
 * as they are read (one cursor batch in memory at a time). Read in one
 * REPEATABLE READ, READ ONLY transaction, so every table is seen at the same
 * instant and a cleanup running meanwhile cannot tear the snapshot.
 * The sink is only called once the tag is known: a 404 is still a clean answer.
 * Under the request's rules: REQUEST_TIMEOUT_MS bounds the transaction, and
 * an abandoned request (timeout, client gone) cancels the read and gives the
 * connection back; the sink must end its wait for a slow reader then too.
 */
export async function exportTag(deps: ExportDeps, tag: string, encoding: SnapshotEncoding, open: () => TextSink): Promise<void> {
  const index = await deps.schema.current();
  // Every pool connection an export holds waits on its reader: a cap keeps the rest of the pool for other requests.
  const release = deps.exportSlots.tryAcquire();
  if (!release) throw tooManyExports(deps.exportSlots.max);
  try {
    await inReadOnlySnapshot(deps.pool, (client) => writeSnapshot(client, index, tag, encoding, open));
  } finally {
    release();
  }
}

async function writeSnapshot(client: PoolClient, index: ModelIndex, tag: string, encoding: SnapshotEncoding, open: () => TextSink): Promise<void> {
  const known = await client.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag]);
  if (known.rowCount === 0) throw notFound(`Tag "${tag}" does not exist (or has expired and been swept).`);
  const counts = await countTagRows(client, index.model.tables, tag);
  const order = insertOrder(index.model.tables.filter((table) => counts.has(table.key)));
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    model: { fingerprint: modelFingerprint(index), schemas: index.model.schemas },
    tag,
    exportedAt: new Date().toISOString(),
    tables: order.tables.map((table) => describeTable(table, counts.get(table.key)!)),
  };
  const sink = open();
  if (encoding === 'ndjson') await sink.write(`${JSON.stringify(header)}\n`);
  else await sink.write(`${JSON.stringify({ ...header, tables: undefined }).slice(0, -1)},"tables":[`);
  for (const [position, table] of order.tables.entries()) {
    const key = JSON.stringify(table.key);
    if (encoding === 'json') await sink.write(`${position > 0 ? ',' : ''}\n${JSON.stringify(header.tables[position]).slice(0, -1)},"data":[`);
    let first = true;
    for await (const batch of streamTagRows(client, table, tag)) {
      const lines = batch.map((row) => (encoding === 'ndjson' ? `{"table":${key},"row":${JSON.stringify(row)}}` : JSON.stringify(row)));
      await sink.write(encoding === 'ndjson' ? `${lines.join('\n')}\n` : `${first ? '\n' : ',\n'}${lines.join(',\n')}`);
      first = false;
    }
    if (encoding === 'json') await sink.write(']}');
  }
  if (encoding === 'json') await sink.write('\n]}\n');
}

/** Exports holding a connection at once, per process (the pool is per process): half the pool, at least one. */
export class ExportSlots {
  private held = 0;

  constructor(readonly max: number) {}

  static forPool(poolSize: number): ExportSlots {
    return new ExportSlots(Math.max(1, Math.floor(poolSize / 2)));
  }

  tryAcquire(): (() => void) | undefined {
    if (this.held >= this.max) return undefined;
    this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
    };
  }
}

const RETRY_EXPORT_AFTER_SECONDS = 5;

function tooManyExports(max: number): AppError {
  return new AppError({
    type: 'too-many-exports',
    title: 'Too many exports',
    status: 429,
    detail: `At most ${max} export(s) run at once in this process (half of DB_POOL_SIZE), so that readers who take their time never hold the whole pool; retry after ${RETRY_EXPORT_AFTER_SECONDS} s.`,
    headers: { 'Retry-After': String(RETRY_EXPORT_AFTER_SECONDS) },
    extensions: { retryAfterSeconds: RETRY_EXPORT_AFTER_SECONDS },
  });
}
