import type { Pool } from 'pg';
import type { Config } from '../config';
import { sqlState } from '../db/errors';
import { inTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { BULK_GRAPH_ROWS, tooManyBulkRequests } from '../graphs/graph.use-case';
import { tryAcquireBulkSlot } from '../provisioning/bulk-slots';
import { upsertTag } from '../provisioning/tag-lease.repository';
import { newRequestId } from '../provisioning/unique-values';
import type { SchemaRegistry } from '../schema/schema-registry';
import type { ModelIndex } from '../schema/schema-model';
import { insertOrder } from '../snapshots/insert-order';
import { writeRows } from '../snapshots/rows-writer';
import type { Row } from '../snapshots/snapshot-format';
import { rowsWriteProblem } from '../snapshots/write-problem';
import { tableRules } from './anonymize-rules';
import { anonymizeValue } from './anonymizer';
import { parseCopyRequest } from './copy-request';
import { readFromSource } from './source-database';
import { collectSubset, type Subset } from './subset';

export interface CopyDeps {
  pool: Pool;
  schema: SchemaRegistry;
  config: Pick<Config, 'sources' | 'anonymize' | 'maxRowsPerRequest' | 'maxConcurrentBulk' | 'defaultTagTtlSeconds' | 'dbConnectTimeoutMs' | 'sourceStatementTimeoutMs'>;
}

export interface CopyResult {
  tag: string;
  source: string;
  seed: number;
  expiresAt: Date;
  counts: Record<string, number>;
  total: number;
  /** `table.column` → the rule applied, for every column that was not copied as is. */
  anonymized: Record<string, string>;
}

/** The source answered, but not as the model expects (a column the target has and the source lacks). */
function sourceDiffers(name: string, error: unknown): AppError {
  return new AppError({
    type: 'source-schema-differs',
    title: 'The source does not match the schema',
    status: 422,
    detail: `Source "${name}" could not be read as the modelled schema describes it (${(error as Error).message}). Nothing was copied.`,
  });
}

/** Personal values replaced, table by table; keys and everything else as read. */
function anonymize(index: ModelIndex, subset: Subset, overrides: CopyDeps['config']['anonymize'], seed: number): { rows: Map<string, Row[]>; applied: Record<string, string> } {
  const rows = new Map<string, Row[]>();
  const applied: Record<string, string> = {};
  for (const [key, held] of subset) {
    const table = index.get(key)!;
    const rules = [...tableRules(table, overrides)].map(([name, rule]) => ({ column: table.columns.find((column) => column.name === name)!, rule }));
    for (const { column, rule } of rules) applied[`${table.label}.${column.name}`] = rule.rule;
    rows.set(
      key,
      [...held.values()].map((row) => {
        const out = { ...row };
        for (const { column, rule } of rules) if (column.name in out) out[column.name] = anonymizeValue(out[column.name], column, rule, seed);
        return out;
      }),
    );
  }
  return { rows, applied };
}

/**
 * POST /tags/{tag}/copies: reads a sample of a named source (read only, one
 * snapshot of it, no target connection held meanwhile), replaces personal
 * values, and writes the rows under the tag with fresh keys in one
 * transaction, as an import of a snapshot would.
 */
export async function copyFromSource(deps: CopyDeps, tag: string, body: unknown): Promise<CopyResult> {
  const index = await deps.schema.current();
  const request = parseCopyRequest(body, index, Object.keys(deps.config.sources), deps.config.maxRowsPerRequest);
  const source = { name: request.source, url: deps.config.sources[request.source]!, connectTimeoutMs: deps.config.dbConnectTimeoutMs, statementTimeoutMs: deps.config.sourceStatementTimeoutMs };
  const subset = await readFromSource(source, (client) => collectSubset(client, index, request, deps.config.maxRowsPerRequest)).catch((error: unknown) => {
    // 42703/42P01: a column or table the model has and the source lacks.
    if (['42703', '42P01', '42883'].includes(sqlState(error) ?? '')) throw sourceDiffers(request.source, error);
    throw error;
  });
  const { rows, applied } = anonymize(index, subset, deps.config.anonymize, request.seed);
  const total = [...rows.values()].reduce((sum, list) => sum + list.length, 0);
  const tables = new Map(index.model.tables.map((table) => [table.key, table]));
  const order = insertOrder([...rows.keys()].map((key) => index.get(key)!));
  try {
    return await inTransaction(deps.pool, async (client) => {
      if (total > BULK_GRAPH_ROWS && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
      const lease = await upsertTag(client, tag, request.ttlSeconds ?? deps.config.defaultTagTtlSeconds);
      const written = await writeRows(client, tables, { order, rows }, { tag, keepUniqueValues: false, salt: newRequestId().slice(0, 10), seed: request.seed, origin: 'copy' });
      return { tag, source: request.source, seed: request.seed, expiresAt: lease.expiresAt, counts: written.counts, total: written.rows, anonymized: applied };
    });
  } catch (error) {
    throw rowsWriteProblem(error, 'copy');
  }
}
