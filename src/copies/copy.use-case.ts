import type { Pool } from 'pg';
import type { Config } from '../config';
import { sqlState } from '../db/errors';
import { inTransaction } from '../db/transaction';
import { AppError, validationError } from '../errors';
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
import { NAME_KINDS, tableRules, unwritable, type SourceTableRules } from './anonymize-rules';
import { Anonymizer } from './anonymizer';
import { copySecret } from './copy-secret';
import { parseCopyRequest, type CopyRequest } from './copy-request';
import { nameWords } from './text-mask';
import { readFromSource } from './source-database';
import { collectSubset, type Subset } from './subset';

export interface CopyDeps {
  pool: Pool;
  schema: SchemaRegistry;
  config: Pick<Config, 'sources' | 'sourceRules' | 'copySecret' | 'maxRowsPerRequest' | 'maxConcurrentBulk' | 'defaultTagTtlSeconds' | 'dbConnectTimeoutMs' | 'sourceStatementTimeoutMs'>;
}

export interface CopyResult {
  tag: string;
  source: string;
  seed: number;
  expiresAt: Date;
  counts: Record<string, number>;
  total: number;
  /** `table.column` → the rule applied (fake, mask or null), for every column of the copied tables that was not copied as is. */
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

/** A filter PostgreSQL could not read as its column's type (an interval, a domain): the caller's, never a 500. */
function unreadableFilter(request: CopyRequest, error: unknown): AppError {
  const paths = request.where.map(({ column, operator }) => `root.where.${column.name}${operator === 'eq' || operator === 'in' ? '' : `.${operator}`}`);
  return validationError(
    (paths.length > 0 ? paths : ['root.ids']).map((path) => ({ path, message: `PostgreSQL cannot read this value as the column's type (${(error as Error).message})` })),
  );
}

/** Columns whose rule leaves them empty though PostgreSQL refuses empty: the copy cannot be written, so it is refused before reading. */
function assertWritable(index: ModelIndex, request: CopyRequest, rules: SourceTableRules): void {
  const reachable = new Set<string>();
  const visit = (key: string, depth: number): void => {
    const table = index.get(key);
    if (!table || reachable.has(`${key}@${depth}`)) return;
    reachable.add(`${key}@${depth}`);
    for (const fk of table.foreignKeys) visit(fk.references, depth);
    if (depth < request.children) for (const { table: child } of index.referencing(key)) visit(child.key, depth + 1);
  };
  visit(request.root.key, 0);
  const tables = new Set([...reachable].map((entry) => entry.slice(0, entry.lastIndexOf('@'))));
  const refused = [...tables].flatMap((key) => {
    const table = index.get(key)!;
    return tableRules(table, rules)
      .filter(({ column, rule }) => unwritable(column, rule))
      .map(({ column, rule }) => `${table.label}.${column.name} (${rule.reason})`);
  });
  if (refused.length === 0) return;
  throw new AppError({
    type: 'copy-column-unwritable',
    title: 'A column of the copy can be neither faked nor left empty',
    status: 422,
    detail: `The copy would leave NOT NULL columns empty: ${refused.join('; ')}. Give each a rule in TESTAPI_SOURCE_RULES (keep, mask or fake: <kind>). Nothing was read or written.`,
  });
}

/** Words of every value of the copy's person-name columns, with the kind they are faked as: masked text must not keep them. */
function personNames(index: ModelIndex, subset: Subset, rules: SourceTableRules): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, held] of subset) {
    const columns = tableRules(index.get(key)!, rules).filter(({ rule }) => rule.rule === 'fake' && rule.kind !== null && NAME_KINDS.has(rule.kind));
    for (const row of held.values()) {
      for (const { column, rule } of columns) {
        const value = row[column.name];
        if (typeof value !== 'string') continue;
        // A one-word value masks as its column fakes it; the words of a full name as first names.
        const words = nameWords(value);
        for (const word of words) if (!names.has(word)) names.set(word, words.length === 1 ? rule.kind! : 'first-name');
      }
    }
  }
  return names;
}

/** Every value replaced or masked by its column's rule, table by table; keys and kept columns as read. */
function anonymize(index: ModelIndex, subset: Subset, rules: SourceTableRules, anonymizer: Anonymizer): { rows: Map<string, Row[]>; applied: Record<string, string> } {
  const rows = new Map<string, Row[]>();
  const applied: Record<string, string> = {};
  for (const [key, held] of subset) {
    const table = index.get(key)!;
    const changed = tableRules(table, rules).filter(({ rule }) => rule.rule !== 'keep');
    for (const { column, rule } of changed) applied[`${table.label}.${column.name}`] = rule.rule;
    rows.set(
      key,
      [...held.values()].map((row) => {
        const out = { ...row };
        for (const { column, rule } of changed) if (column.name in out) out[column.name] = anonymizer.value(out[column.name], column, rule);
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
  const rulesOf = (name: string): SourceTableRules => deps.config.sourceRules[name] ?? {};
  const request = parseCopyRequest(body, index, Object.keys(deps.config.sources), deps.config.maxRowsPerRequest, rulesOf);
  const rules = rulesOf(request.source);
  assertWritable(index, request, rules);
  // Before the source is read: a target that cannot hold the key refuses the copy without touching the source.
  const secret = await copySecret(deps.pool, deps.config.copySecret);
  const source = { name: request.source, url: deps.config.sources[request.source]!, connectTimeoutMs: deps.config.dbConnectTimeoutMs, statementTimeoutMs: deps.config.sourceStatementTimeoutMs };
  const subset = await readFromSource(source, (client) => collectSubset(client, index, request, deps.config.maxRowsPerRequest)).catch((error: unknown) => {
    const state = sqlState(error) ?? '';
    // 42703/42P01: a column or table the model has and the source lacks.
    if (['42703', '42P01', '42883'].includes(state)) throw sourceDiffers(request.source, error);
    // 22xxx: a filter value the column's type cannot take that the checks above let through.
    if (state.startsWith('22')) throw unreadableFilter(request, error);
    throw error;
  });
  const anonymizer = new Anonymizer(secret, request.seed, personNames(index, subset, rules));
  const { rows, applied } = anonymize(index, subset, rules, anonymizer);
  const total = [...rows.values()].reduce((sum, list) => sum + list.length, 0);
  const tables = new Map(index.model.tables.map((table) => [table.key, table]));
  const order = insertOrder([...rows.keys()].map((key) => index.get(key)!));
  try {
    return await inTransaction(deps.pool, async (client) => {
      if (total > BULK_GRAPH_ROWS && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
      const lease = await upsertTag(client, tag, request.ttlSeconds ?? deps.config.defaultTagTtlSeconds);
      const written = await writeRows(client, tables, { order, rows }, { tag, keepUniqueValues: false, salt: newRequestId().slice(0, 10), seed: request.seed, origin: 'copy', keepInferredUniques: true });
      return { tag, source: request.source, seed: request.seed, expiresAt: lease.expiresAt, counts: written.counts, total: written.rows, anonymized: applied };
    });
  } catch (error) {
    throw rowsWriteProblem(error, 'copy');
  }
}
