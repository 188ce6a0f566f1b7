import type { Readable } from 'node:stream';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { inTransaction } from '../db/transaction';
import { validationError } from '../errors';
import { BULK_GRAPH_ROWS, tooManyBulkRequests } from '../graphs/graph.use-case';
import { tryAcquireBulkSlot } from '../provisioning/bulk-slots';
import { upsertTag } from '../provisioning/tag-lease.repository';
import { newRequestId } from '../provisioning/unique-values';
import type { SchemaRegistry } from '../schema/schema-registry';
import { writeRows } from './rows-writer';
import type { ImportBudget } from './import-budget';
import { checkSnapshot } from './snapshot-check';
import { readSnapshot, type SnapshotMediaType } from './snapshot-reader';
import { rowsWriteProblem } from './write-problem';

export interface ImportDeps {
  pool: Pool;
  schema: SchemaRegistry;
  config: Pick<Config, 'maxImportBytes' | 'maxRowsPerRequest' | 'maxConcurrentBulk' | 'defaultTagTtlSeconds'>;
  /** This process's budget of snapshot bytes read at once (IMPORT_MEMORY_BUDGET_BYTES). */
  importBudget: ImportBudget;
}

export interface ImportCommand {
  tag: string;
  body: Readable;
  media: SnapshotMediaType;
  contentEncoding: string | undefined;
  /** Content-Length, when the body declares one. */
  contentLength: number | undefined;
  /** From the query string; undefined lets the snapshot's own top-level option (or false) decide. */
  keepUniqueValues: boolean | undefined;
  ttlSeconds: number | undefined;
}

export interface ImportResult {
  tag: string;
  sourceTag: string | null;
  expiresAt: Date;
  counts: Record<string, number>;
  total: number;
  uniqueValues: Record<string, Record<string, unknown>>;
}

/**
 * POST /tags/{tag}/import: reads and checks the whole snapshot first (a
 * refusal writes nothing and holds no connection), then writes it under the
 * tag in one transaction, behind a bulk slot when it is large, as any graph.
 * The read waits for its bytes of this process's import budget first.
 */
export async function importSnapshot(deps: ImportDeps, command: ImportCommand): Promise<ImportResult> {
  const limit = deps.config.maxImportBytes;
  // Only an uncompressed length bounds what the read holds; a compressed body may inflate up to the limit.
  const identity = (command.contentEncoding ?? 'identity').trim().toLowerCase() === 'identity';
  const release = await deps.importBudget.reserve(identity && command.contentLength !== undefined ? Math.min(command.contentLength, limit) : limit);
  try {
    return await readAndWrite(deps, command);
  } finally {
    release();
  }
}

async function readAndWrite(deps: ImportDeps, command: ImportCommand): Promise<ImportResult> {
  const raw = await readSnapshot(command.body, command.media, command.contentEncoding, deps.config.maxImportBytes);
  const index = await deps.schema.current();
  const snapshot = checkSnapshot(raw, index);
  const rows = [...snapshot.rows.values()].reduce((sum, list) => sum + list.length, 0);
  if (rows > deps.config.maxRowsPerRequest) {
    throw validationError([{ path: 'tables', message: `the snapshot holds ${rows} rows, more than ${deps.config.maxRowsPerRequest} (MAX_ROWS_PER_REQUEST)` }]);
  }
  const keepUniqueValues = command.keepUniqueValues ?? snapshot.keepUniqueValues ?? false;
  const tables = new Map(index.model.tables.map((table) => [table.key, table]));
  try {
    return await inTransaction(deps.pool, async (client) => {
      if (rows > BULK_GRAPH_ROWS && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
      const lease = await upsertTag(client, command.tag, command.ttlSeconds ?? deps.config.defaultTagTtlSeconds);
      const written = await writeRows(client, tables, snapshot, {
        tag: command.tag,
        keepUniqueValues,
        salt: newRequestId().slice(0, 10),
        seed: 0,
        origin: 'snapshot',
      });
      return { tag: command.tag, sourceTag: snapshot.sourceTag, expiresAt: lease.expiresAt, counts: written.counts, total: written.rows, uniqueValues: written.uniqueValues };
    });
  } catch (error) {
    throw rowsWriteProblem(error, 'snapshot', keepUniqueValues);
  }
}
